/**
 * The record store, the same suite on the embedded PGlite and on a real PostgreSQL server:
 * migrations, idempotent projection, one audit trail across runs, the append-only audit trail,
 * closures outside the engine, reads and the bulk export.
 */
import { sql } from 'kysely';
import { applyCommand, byMandateDeadline, complianceLineOf, complianceOf, entryIdFor, inboxLinesOf, inboxOf, openStagesOf, searchAttributesOf, standingOf, startEntry, summarise, type ComplianceLine, type EntryState, type InboxLine } from '../../domain';
import { toDate } from '../../domain/dates';
import { apiEnvSchema } from '../../api/config';
import { entryLinks } from '../../api/links';
import { summaryOf } from '../../api/record-reads';
import { complianceRows, inboxJson } from '../../api/rendered-reads';
import type { AuditRecord, EntryCommand, Notification, StartEntryInput } from '../../domain/types';
import { migrateRecord, openRecord, type RecordDb } from '../../record/db';
import { ENGINE_ROLE } from '../../record/migrations/0002-engine-role';
import { RECORD_CLOSURE_OUTCOME, type EntryProjection } from '../../domain/projection';
import { auditBetween, getRecordedEntry, recordedAuditTrail, recordedEntries, recordedEntryPage, recordedInboxLines, recordedReportEntries, undeliveredOutsideClosureNotices, type RecordedEntry } from '../../record/read';
import { claimDelivery, DELIVERY_CLAIM_MS, markClosedOutsideEngine, markDelivered, writeProjection } from '../../record/write';
import { RECORD_BACKENDS } from '../../testkit/postgres';
import { useMigratedRecord } from '../../testkit/suites';

const OPS = { body: 'OPS', id: 'ops-1' } as const;
const T0 = Date.parse('2026-11-02T10:00:00Z');
const DAY = 86_400_000;

function startInput(partyId: string, name = 'ACME Energy'): StartEntryInput {
  return {
    partyId,
    partyName: name,
    cohort: 'SMALL_NON_DOMESTIC_SUPPLIER',
    roles: ['IMPORT_SUPPLIER'],
    uepContact: { name: 'Ann Smith', email: 'ann@acme.example' },
    startedBy: OPS,
  };
}

/** A run chain as the workflow would project it: one projection per transition. */
class Chain {
  state: EntryState;
  projections: EntryProjection[] = [];
  private handedOver = 0;
  constructor(
    readonly partyId: string,
    readonly chainId: string,
    now: number,
    name?: string,
  ) {
    const { state, effects } = startEntry(startInput(partyId, name), now);
    this.state = state;
    this.project(now, effects.notifications);
  }
  private project(now: number, notifications: Notification[], closure?: EntryProjection['closure']): EntryProjection {
    const p: EntryProjection = {
      entryId: this.state.entryId,
      chainId: this.chainId,
      runId: `${this.chainId}-run`,
      asOfMs: now,
      state: { ...this.state, audit: [] },
      audit: this.state.audit.slice(this.handedOver),
      notifications: notifications.map(({ id, kind, recipients, dueAt }) => ({ id, kind, recipients, dueAt })),
      ...(closure ? { closure } : {}),
    };
    this.handedOver = this.state.audit.length;
    this.projections.push(p);
    return p;
  }
  amend(deadline: string, now: number): EntryProjection {
    const out = applyCommand(this.state, { type: 'AMEND_DEADLINE', deadline, reason: 'panel agreed', principal: OPS }, now);
    if (!out.ok) throw new Error(out.refusal.message);
    this.state = out.state;
    return this.project(now, out.effects.notifications);
  }
  apply(command: EntryCommand, now: number): EntryProjection {
    const out = applyCommand(this.state, command, now);
    if (!out.ok) throw new Error(out.refusal.message);
    this.state = out.state;
    return this.project(now, out.effects.notifications);
  }
  withdraw(now: number): EntryProjection {
    const out = applyCommand(this.state, { type: 'WITHDRAW', reason: 'party asked', principal: OPS }, now);
    if (!out.ok) throw new Error(out.refusal.message);
    this.state = out.state;
    return this.project(now, out.effects.notifications, { outcome: RECORD_CLOSURE_OUTCOME.WITHDRAWN, atMs: now });
  }
}

const count = async (db: RecordDb, table: 'audit' | 'notifications' | 'entries' | 'closures', entryId: string) =>
  Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('entry_id', '=', entryId).executeTakeFirstOrThrow()).n);

describe.each(RECORD_BACKENDS)('record store on %s', (backend) => {
  const suite = useMigratedRecord(backend);

  test('migrations run once: a second run has nothing to do', async () => {
    const again = await migrateRecord(suite.db);
    expect(again.results).toEqual([]);
  });

  test('a projection replayed, retried or handed over twice writes each row once', async () => {
    const chain = new Chain('P-replay', 'chain-a', T0);
    chain.amend('2027-06-30', T0 + DAY);
    chain.amend('2027-07-31', T0 + 2 * DAY);
    for (const p of [...chain.projections, ...chain.projections, chain.projections[1]!]) await writeProjection(suite.db, p);
    const entryId = entryIdFor('P-replay');
    const trail = await recordedAuditTrail(suite.db, entryId);
    expect(trail.map((r) => [r.seq, r.action])).toEqual([
      [1, 'STARTED'],
      [2, 'DEADLINE_AMENDED'],
      [3, 'DEADLINE_AMENDED'],
    ]);
    expect(trail).toEqual(chain.state.audit);
    const notified = chain.projections.flatMap((p) => p.notifications).length;
    expect(notified).toBeGreaterThan(0);
    expect(await count(suite.db, 'notifications', entryId)).toBe(notified);
    expect(await count(suite.db, 'entries', entryId)).toBe(1);
  });

  test('the entry row never goes back in time: a late, older projection leaves the newer state', async () => {
    const chain = new Chain('P-order', 'chain-b', T0);
    const newer = chain.amend('2027-05-31', T0 + DAY);
    await writeProjection(suite.db, newer);
    await writeProjection(suite.db, chain.projections[0]!);
    const entry = await getRecordedEntry(suite.db, entryIdFor('P-order'));
    expect(entry?.state.mandate.deadline).toBe('2027-05-31');
    expect(entry?.asOf.getTime()).toBe(T0 + DAY);
    const lines = await recordedInboxLines(suite.db, { partyId: 'P-order' });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => (JSON.parse(l.line) as InboxLine).mandateDeadline)).toEqual(lines.map(() => '2027-05-31'));
    const reportLine = (await recordedReportEntries(suite.db)).find((e) => e.partyId === 'P-order')!.line;
    expect(JSON.parse(reportLine)).toMatchObject({ mandateDeadline: '2027-05-31' });
  });

  test('withdraw, then start the same Party again: one continuous audit trail across both runs', async () => {
    const first = new Chain('P-again', 'chain-1', T0);
    first.withdraw(T0 + DAY);
    for (const p of first.projections) await writeProjection(suite.db, p);
    const second = new Chain('P-again', 'chain-2', T0 + 3 * DAY);
    second.amend('2027-09-30', T0 + 4 * DAY);
    for (const p of [...second.projections, ...second.projections]) await writeProjection(suite.db, p);

    const trail = await recordedAuditTrail(suite.db, entryIdFor('P-again'));
    expect(trail.map((r) => `${r.seq}:${r.action}`)).toEqual(['1:STARTED', '2:WITHDRAWN', '3:STARTED', '4:DEADLINE_AMENDED']);
    const entry = await getRecordedEntry(suite.db, entryIdFor('P-again'));
    expect(entry?.state.status).toBe('IN_PROGRESS');
    expect(await count(suite.db, 'closures', entryIdFor('P-again'))).toBe(1);
  });

  test('the audit trail is append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const chain = new Chain('P-append', 'chain-c', T0);
    await writeProjection(suite.db, chain.projections[0]!);
    const entryId = entryIdFor('P-append');
    await expect(suite.db.updateTable('audit').set({ action: 'FORGED' }).where('entry_id', '=', entryId).execute()).rejects.toThrow(/append-only/);
    await expect(suite.db.deleteFrom('audit').where('entry_id', '=', entryId).execute()).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit`.execute(suite.db)).rejects.toThrow(/append-only/);
    expect(await recordedAuditTrail(suite.db, entryId)).toHaveLength(1);
  });

  if (backend === 'postgresql') {
    test("the engine's database role may append to the audit trail but never update or delete it", async () => {
      await sql`CREATE ROLE uep_app LOGIN PASSWORD 'app-secret' IN ROLE ${sql.id(ENGINE_ROLE)}`.execute(suite.db);
      const asEngine = openRecord(suite.server.urlAs('uep_app', 'app-secret'), { maxConnections: 1 });
      try {
        const chain = new Chain('P-role', 'chain-r', T0);
        chain.amend('2027-04-30', T0 + DAY);
        for (const p of chain.projections) await writeProjection(asEngine, p);
        const entryId = entryIdFor('P-role');
        expect(await recordedAuditTrail(asEngine, entryId)).toHaveLength(2);
        // even with the trigger out of the way, the role itself has no such right
        await sql`ALTER TABLE audit DISABLE TRIGGER USER`.execute(suite.db);
        try {
          await expect(asEngine.updateTable('audit').set({ action: 'FORGED' }).where('entry_id', '=', entryId).execute()).rejects.toThrow(/permission denied/);
          await expect(asEngine.deleteFrom('audit').where('entry_id', '=', entryId).execute()).rejects.toThrow(/permission denied/);
          await expect(sql`TRUNCATE audit`.execute(asEngine)).rejects.toThrow(/permission denied/);
        } finally {
          await sql`ALTER TABLE audit ENABLE TRIGGER USER`.execute(suite.db);
        }
        expect(await recordedAuditTrail(suite.db, entryId)).toHaveLength(2);
      } finally {
        await asEngine.destroy();
      }
    });
  }

  test('a run closed outside the engine is marked once, with one audit row and one notice to OPS due until delivered', async () => {
    const chain = new Chain('P-term', 'chain-t', T0);
    await writeProjection(suite.db, chain.projections[0]!);
    const entryId = entryIdFor('P-term');
    const closure = { entryId, runId: 'chain-t-run', temporalStatus: 'TERMINATED', closedAt: new Date(T0 + DAY) };
    expect(await markClosedOutsideEngine(suite.db, closure)).toBe(true);
    expect(await markClosedOutsideEngine(suite.db, closure)).toBe(false);
    const entry = await getRecordedEntry(suite.db, entryId);
    expect(entry).toMatchObject({ status: 'CLOSED_OUTSIDE_ENGINE', temporalStatus: 'TERMINATED' });
    const trail = await recordedAuditTrail(suite.db, entryId);
    expect(trail.map((r) => r.action)).toEqual(['STARTED', 'CLOSED_OUTSIDE_ENGINE']);
    const due = async (since = new Date(0)) => (await undeliveredOutsideClosureNotices(suite.db, since)).filter((n) => n.entryId === entryId);
    const [notice, ...more] = await due();
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      id: `${entryId}:ENTRY_CLOSED_OUTSIDE_ENGINE:chain-t-run`,
      kind: 'ENTRY_CLOSED_OUTSIDE_ENGINE',
      partyId: 'P-term',
      partyName: 'ACME Energy',
      recipients: [{ kind: 'BODY', body: 'OPS' }],
      dueAt: new Date(T0 + DAY).toISOString(),
    });
    expect(notice!.subject).toContain('(Temporal: TERMINATED)');
    expect(await due(new Date(Date.now() + 60_000))).toEqual([]); // marked before that: no longer handed over
    await markDelivered(suite.db, notice!.id, new Date());
    expect(await due()).toEqual([]);
    // a late projection of that run does not undo the mark
    await writeProjection(suite.db, { ...chain.projections[0]!, asOfMs: T0 + 2 * DAY });
    expect((await getRecordedEntry(suite.db, entryId))?.status).toBe('CLOSED_OUTSIDE_ENGINE');
  });

  test('a delivered notification is stamped once', async () => {
    const chain = new Chain('P-mail', 'chain-m', T0);
    chain.amend('2027-03-31', T0 + DAY);
    for (const p of chain.projections) await writeProjection(suite.db, p);
    const id = chain.projections[1]!.notifications[0]!.id;
    await markDelivered(suite.db, id, new Date(T0 + DAY + 5000));
    await markDelivered(suite.db, id, new Date(T0 + 9 * DAY));
    const row = await suite.db.selectFrom('notifications').select(['delivered_at', 'kind', 'recipients']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.delivered_at?.getTime()).toBe(T0 + DAY + 5000);
    expect(row.recipients.length).toBeGreaterThan(0);
  });

  test('one delivery of a notification at a time: a second claimant (a reset run deciding it again) waits, then finds it delivered', async () => {
    const chain = new Chain('P-claim', 'chain-c', T0);
    chain.amend('2027-04-30', T0 + DAY);
    const notice = chain.projections[1]!.notifications[0]!;
    const n = { ...notice, entryId: entryIdFor('P-claim') };
    // the delivery may run before the record activity has written the notification
    expect(await claimDelivery(suite.db, n, 'run-1/1')).toEqual({ outcome: 'CLAIMED' });
    for (const p of chain.projections) await writeProjection(suite.db, p);
    expect(await claimDelivery(suite.db, n, 'run-2/1')).toEqual({ outcome: 'BUSY', by: 'run-1/1' });
    expect(await claimDelivery(suite.db, n, 'run-1/1')).toEqual({ outcome: 'CLAIMED' }); // its own retry
    await markDelivered(suite.db, n.id, new Date(T0 + DAY + 5000));
    expect(await claimDelivery(suite.db, n, 'run-2/1')).toEqual({ outcome: 'DELIVERED', at: new Date(T0 + DAY + 5000) });
    // a claim whose holder died lapses
    const other = { ...n, id: `${n.id}:lapsed` };
    expect(await claimDelivery(suite.db, other, 'run-1/2')).toEqual({ outcome: 'CLAIMED' });
    await suite.db.updateTable('notifications').set({ claimed_at: new Date(Date.now() - DELIVERY_CLAIM_MS - 1000) }).where('id', '=', other.id).execute();
    expect(await claimDelivery(suite.db, other, 'run-2/2')).toEqual({ outcome: 'CLAIMED' });
  });

  test('entries read with filters and pages, none capped', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `Page Test ${String(i).padStart(2, '0')}`);
    for (const [i, name] of names.entries()) await writeProjection(suite.db, new Chain(`P-page-${i}`, `chain-p${i}`, T0, name).projections[0]!);
    const all: string[] = [];
    for await (const e of recordedEntries(suite.db, { partyNameWords: ['page', 'test'] }, 7)) all.push(e.state.partyName);
    expect(all.sort()).toEqual(names);
    const first = await recordedEntryPage(suite.db, { partyNameWords: ['page'] }, 10);
    const second = await recordedEntryPage(suite.db, { partyNameWords: ['page'] }, 10, first.last ?? undefined);
    const third = await recordedEntryPage(suite.db, { partyNameWords: ['page'] }, 10, second.last ?? undefined);
    expect([first.entries.length, second.entries.length, third.entries.length, third.last]).toEqual([10, 10, 5, null]);
    const body = searchAttributesOf(new Chain('P-body', 'chain-body', T0).state, T0).awaitedBodies[0]!;
    const awaiting: string[] = [];
    for await (const e of recordedEntries(suite.db, { awaitedBody: body, status: 'IN_PROGRESS', partyNameWords: ['page'] })) awaiting.push(e.state.partyName);
    expect(awaiting.sort()).toEqual(names);
    const none: string[] = [];
    for await (const e of recordedEntries(suite.db, { status: 'COMPLETE', partyNameWords: ['page'] })) none.push(e.entryId);
    expect(none).toEqual([]);
  });

  test('what bulk reads keep of an entry answers as its summary does, days, months and a year later', async () => {
    const open = new Chain('P-derived-open', 'chain-do', T0, 'Derived Open');
    open.amend('2027-02-26', T0 + DAY);
    open.apply({ type: 'RECORD_DECISION', decisionId: 'd-1', stage: 'ACCESSION', outcome: 'ACCEDED', evidence: 'x', principal: { body: 'SECAS', id: 'secas-1' } }, T0 + 2 * DAY);
    const partyStage = openStagesOf(summarise(open.state, T0 + 2 * DAY)).find((st) => st.awaiting === 'PARTY');
    if (!partyStage) throw new Error('no stage awaits the Party after accession');
    const submission: EntryCommand = { type: 'SUBMIT_EVIDENCE', submissionId: 's-1', stage: partyStage.stage, reference: 'REF-1', comment: 'first', principal: { body: 'PARTY', id: 'p-1', partyId: 'P-derived-open' } };
    open.apply(partyStage.role ? { ...submission, role: partyStage.role } : submission, T0 + 3 * DAY);
    const withdrawn = new Chain('P-derived-gone', 'chain-dg', T0, 'Derived Gone');
    withdrawn.withdraw(T0 + DAY);
    const terminated = new Chain('P-derived-term', 'chain-dt', T0, 'Derived Terminated');
    for (const p of [...open.projections, ...withdrawn.projections, ...terminated.projections]) await writeProjection(suite.db, p);
    await markClosedOutsideEngine(suite.db, { entryId: entryIdFor('P-derived-term'), runId: 'chain-dt-run', temporalStatus: 'TERMINATED', closedAt: new Date(T0 + DAY) });

    const inbox = (await recordedInboxLines(suite.db, {})).filter((l) => l.partyId.startsWith('P-derived-'));
    const report = (await recordedReportEntries(suite.db)).filter((e) => e.partyId.startsWith('P-derived-'));
    expect([...new Set(inbox.map((l) => l.partyId))]).toEqual(['P-derived-open']); // the others are closed
    expect(report.map((e) => e.partyId).sort()).toEqual(['P-derived-gone', 'P-derived-open', 'P-derived-term']);
    const lineOf = (partyId: string) => report.find((e) => e.partyId === partyId)!;
    for (const now of [T0 + 4 * DAY, T0 + 90 * DAY, T0 + 400 * DAY]) {
      for (const e of report) {
        const summary = summarise((await getRecordedEntry(suite.db, entryIdFor(e.partyId)))!.state, now);
        const facts = { inProgress: summary.status === 'IN_PROGRESS', remainingWorkingDays: e.remainingWorkingDays, mandateDeadline: e.mandateDeadline, calendarVersion: e.calendarVersion };
        const lines = inbox.filter((l) => l.partyId === e.partyId).map((l) => ({ ...(JSON.parse(l.line) as InboxLine), sortedBy: [l.awaiting, l.dueBy, l.awaitingSince] }));
        expect({ ...standingOf(facts, now), lines, reportLine: JSON.parse(e.line) as unknown, awaitedBodies: JSON.parse(e.awaitedBodiesJson) as unknown }).toEqual({
          forecast: summary.forecastCompletion,
          atRisk: summary.atRisk,
          inBreach: summary.inBreach,
          lines: e.partyId === 'P-derived-term' ? [] : inboxLinesOf(summary, null).map((l) => ({ ...l, sortedBy: [l.awaiting, l.dueBy, l.awaitingSince] })),
          reportLine: complianceLineOf(summary),
          awaitedBodies: summary.awaitedBodies,
        });
      }
    }
    expect(inbox.some((l) => (JSON.parse(l.line) as InboxLine).latestSubmission?.reference === 'REF-1')).toBe(true);
    expect(['P-derived-gone', 'P-derived-open', 'P-derived-term'].map((id) => [lineOf(id).status, lineOf(id).closedAtMs])).toEqual([
      ['WITHDRAWN', T0 + DAY],
      ['IN_PROGRESS', null],
      ['CLOSED_OUTSIDE_ENGINE', T0 + DAY],
    ]);
  });

  test('the inbox and the compliance report rendered from the record answer as the entries\' summaries do, as of any day', async () => {
    const open = new Chain('P-render-open', 'chain-ro', T0, 'Render "Quoted" \\ Energy');
    open.amend('2027-01-29', T0 + DAY);
    open.apply({ type: 'RECORD_DECISION', decisionId: 'd-1', stage: 'ACCESSION', outcome: 'ACCEDED', evidence: 'x', principal: { body: 'SECAS', id: 'secas-1' } }, T0 + 2 * DAY);
    const gone = new Chain('P-render-gone', 'chain-rg', T0, 'Render Gone');
    gone.withdraw(T0 + DAY);
    const terminated = new Chain('P-render-term', 'chain-rt', T0, 'Render Terminated');
    for (const p of [...open.projections, ...gone.projections, ...terminated.projections]) await writeProjection(suite.db, p);
    await markClosedOutsideEngine(suite.db, { entryId: entryIdFor('P-render-term'), runId: 'chain-rt-run', temporalStatus: 'TERMINATED', closedAt: new Date(T0 + DAY) });

    const config = apiEnvSchema.parse({ API_PUBLIC_URL: 'https://uep.example/api/', TEMPORAL_UI_URL: 'https://temporal.example/ui/', TEMPORAL_NAMESPACE: 'uep prod' });
    const recorded: RecordedEntry[] = [];
    for await (const e of recordedEntries(suite.db, {})) recorded.push(e);
    for (const now of [T0 + 3 * DAY, T0 + 60 * DAY, T0 + 400 * DAY]) {
      const ctx = { record: suite.db, now: () => now, config };
      const summaries = recorded.map((e) => summaryOf(ctx, e));
      const inProgress = summaries.filter((s) => s.status === 'IN_PROGRESS');
      for (const body of [null, 'DCC', 'SECAS', 'PARTY'] as const) {
        const items = inboxOf(inProgress, body, toDate(now)).map((i) => ({ ...i, claim: null, links: entryLinks(config, i.partyId) }));
        expect(items.length).toBeGreaterThan(0);
        expect(JSON.parse(await inboxJson(ctx, body))).toEqual({ body, items });
      }
      const partyItems = inboxOf(inProgress.filter((s) => s.partyId === 'P-render-open'), 'PARTY', toDate(now));
      expect(JSON.parse(await inboxJson(ctx, 'PARTY', 'P-render-open'))).toEqual({ body: 'PARTY', items: partyItems.map((i) => ({ ...i, claim: null, links: entryLinks(config, i.partyId) })) });

      const rows = summaries.map((s) => ({
        partyId: s.partyId,
        partyName: s.partyName,
        cohort: s.cohort,
        status: s.status,
        roles: s.roles,
        rolesComplete: s.roleStages.filter((r) => r.complete).length,
        mandateDeadline: s.mandateDeadline,
        forecastCompletion: s.forecastCompletion,
        completedAt: s.status === 'COMPLETE' ? (s.closedAt ?? null) : null,
        atRisk: s.atRisk,
        inBreach: s.inBreach,
        compliance: complianceOf(s),
        awaitedBodies: s.awaitedBodies,
        links: entryLinks(config, s.partyId),
      }));
      const rendered = await complianceRows(ctx);
      expect(rendered.map((r) => JSON.parse(r.json) as unknown).sort((a, b) => byMandateDeadline(a as ComplianceLine, b as ComplianceLine))).toEqual(rows.sort(byMandateDeadline));
      expect(rendered.map((r) => r.compliance).sort()).toEqual(rows.map((r) => r.compliance).sort());
      expect(rows.find((r) => r.partyId === 'P-render-term')).toMatchObject({ status: 'CLOSED_OUTSIDE_ENGINE', compliance: 'CLOSED_OUTSIDE_ENGINE', awaitedBodies: [] });
    }
  });

  test('entries recorded before the derived columns existed get the same ones from the migration that adds them', async () => {
    const open = new Chain('P-backfill', 'chain-bf', T0, 'Backfill Open');
    open.apply({ type: 'RECORD_DECISION', decisionId: 'd-1', stage: 'ACCESSION', outcome: 'ACCEDED', evidence: 'x', principal: { body: 'SECAS', id: 'secas-1' } }, T0 + DAY);
    const gone = new Chain('P-backfill-gone', 'chain-bfg', T0, 'Backfill Gone');
    gone.withdraw(T0 + DAY);
    for (const p of [...open.projections, ...gone.projections]) await writeProjection(suite.db, p);
    const derived = () =>
      suite.db
        .selectFrom('entries')
        .select((eb) => [
          'entry_id',
          'remaining_working_days',
          'roles_complete',
          'calendar_version',
          'report_line',
          eb.selectFrom('inbox_lines as l').whereRef('l.entry_id', '=', 'entries.entry_id').select(sql<string>`json_agg(l order by l.position)::text`.as('lines')).as('inbox_lines'),
        ])
        .orderBy('entry_id')
        .execute();
    const written = await derived();
    expect(written.find((r) => r.entry_id === entryIdFor('P-backfill'))?.inbox_lines?.length).toBeGreaterThan(0);
    const keys = () => suite.db.selectFrom('audit').select(['entry_id', 'seq', 'record_key']).orderBy('entry_id').orderBy('seq').execute();
    const keyed = await keys();
    // back to the schema before 0003, the rows as they were then
    for (const column of ['remaining_working_days', 'roles_complete', 'calendar_version', 'report_line']) await sql`ALTER TABLE entries DROP COLUMN ${sql.id(column)}`.execute(suite.db);
    await sql`DROP TABLE inbox_lines`.execute(suite.db);
    await sql`DROP TRIGGER entries_announce ON entries`.execute(suite.db);
    await sql`DROP FUNCTION uep_announce_entry()`.execute(suite.db);
    await sql`DROP TABLE meeting_calendars, stage_claims, evidence_file_chunks, evidence_files, person_notice_settings, person_notices, notice_digests`.execute(suite.db);
    await sql`DROP FUNCTION uep_announce_claim()`.execute(suite.db);
    await sql`DROP TABLE console_sign_ins, console_sessions, party_invitations, party_members, party_membership_events`.execute(suite.db);
    await sql`ALTER TABLE audit DROP CONSTRAINT audit_record_key`.execute(suite.db);
    await sql`ALTER TABLE audit DROP COLUMN record_key, DROP COLUMN run_id`.execute(suite.db);
    await sql`ALTER TABLE audit ADD CONSTRAINT audit_chain_seq UNIQUE (entry_id, chain_id, chain_seq)`.execute(suite.db);
    await sql`ALTER TABLE notifications DROP COLUMN claimed_by, DROP COLUMN claimed_at`.execute(suite.db);
    await sql`DELETE FROM kysely_migration WHERE name IN ('0003-derived-columns', '0004-rendered-lines', '0005-entry-notices', '0006-audit-keys', '0007-console-sessions', '0008-meetings', '0009-party-members', '0010-stage-claims', '0011-evidence-files', '0012-person-notices')`.execute(suite.db);
    expect((await migrateRecord(suite.db)).results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['0003-derived-columns', 'Success'],
      ['0004-rendered-lines', 'Success'],
      ['0005-entry-notices', 'Success'],
      ['0006-audit-keys', 'Success'],
      ['0007-console-sessions', 'Success'],
      ['0008-meetings', 'Success'],
      ['0009-party-members', 'Success'],
      ['0010-stage-claims', 'Success'],
      ['0011-evidence-files', 'Success'],
      ['0012-person-notices', 'Success'],
    ]);
    expect(await derived()).toEqual(written);
    // the audit rows recorded before 0006 get the keys the writer gives them
    expect(await keys()).toEqual(keyed);
  });

  test('the bulk export streams every record in a date range, in time order, across batches', async () => {
    const base = Date.parse('2031-01-01T00:00:00Z');
    const chains = Array.from({ length: 6 }, (_, i) => new Chain(`P-export-${i}`, `chain-x${i}`, base + i * 3_600_000));
    for (const [i, c] of chains.entries()) c.amend('2032-01-31', base + DAY + i);
    for (const c of chains) for (const p of c.projections) await writeProjection(suite.db, p);
    const got: (AuditRecord & { entryId: string })[] = [];
    for await (const r of auditBetween(suite.db, new Date(base), new Date(base + 2 * DAY), 4)) got.push(r);
    expect(got).toHaveLength(12);
    expect(got.map((r) => r.at)).toEqual([...got.map((r) => r.at)].sort());
    const onlyFirstDay: string[] = [];
    for await (const r of auditBetween(suite.db, new Date(base), new Date(base + DAY), 4)) onlyFirstDay.push(r.action);
    expect(onlyFirstDay).toEqual(Array(6).fill('STARTED'));
  });
});
