/**
 * Writes to the record. Every write is idempotent: a replayed, retried or repeated projection
 * leaves the record as one write would (audit rows keyed by what is unique about them within their
 * chain, record/audit-keys.ts, and numbered by the record as they are appended; notifications by
 * id; closures by run id; the entry row only moves forward in workflow time). A run that a
 * Temporal reset created is recorded with a RUN_RESET row and a notice to OPS before its own rows.
 */
import { CompiledQuery, sql, type Transaction } from 'kysely';
import { closedOutsideEngine, runReset, type RunResetFacts } from '../domain';
import { awaitedBodies, openStages } from '../domain/summary';
import { AUDIT_ACTION, type AuditRecord, type Notification } from '../domain/types';
import { BODY, ENTRY_STATUS } from '../domain/vocabulary';
import { auditKeyOf, outsideClosureAuditKey, resetAuditKey } from './audit-keys';
import type { RecordDb } from './db';
import { chainSubmissions, derivedOf } from './derived';
import type { RecordDatabase } from './schema';
import { RECORD_CLOSURE_OUTCOME, type EntryProjection } from '../domain/projection';

const iso = (ms: number) => new Date(ms).toISOString();

/** Rows a write inserted or changed: all zero when the record already held the projection. */
export interface ProjectionWrite {
  audit: number;
  notifications: number;
  entry: number;
  closure: number;
}

/** Whether a write changed anything in the record. */
export const changedRecord = (w: ProjectionWrite) => w.audit + w.notifications + w.entry + w.closure > 0;

/**
 * The chain's submissions as the record holds them once `p` is written: those recorded before,
 * then the projection's own (a replay hands some over again), in seq order.
 */
async function submissionsWith(db: RecordDb, p: EntryProjection): Promise<AuditRecord[]> {
  const recorded = await chainSubmissions(db, p.entryId, p.chainId, p.state);
  if (p.state.status !== ENTRY_STATUS.IN_PROGRESS) return recorded;
  const ids = new Set(recorded.map((r) => r.id));
  const added = p.audit.filter((r) => r.action === AUDIT_ACTION.SUBMISSION && !ids.has(r.id));
  return added.length === 0 ? recorded : [...recorded, ...added];
}

/** SQL text with its parameters, numbered $1.. as they are added. */
class Statement {
  readonly params: unknown[] = [];
  /** A placeholder for `value`. */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  /** A row of placeholders: `(p1, p2, ...)`. */
  tuple(values: readonly unknown[]): string {
    return `(${values.map((v) => this.p(v)).join(', ')})`;
  }
}

/**
 * One statement (data-modifying CTEs: atomic, one round trip) after one read of the chain's
 * submissions, which the derived columns need. Its text is built here rather than by Kysely's
 * query builder: the worker's profile showed building and compiling that query as the largest
 * part of a projection's CPU after the round trips.
 */
export async function writeProjection(db: RecordDb, p: EntryProjection): Promise<ProjectionWrite> {
  const { state } = p;
  const submissions = await submissionsWith(db, p);
  const q = new Statement();
  const entryId = q.p(p.entryId);
  const chainId = q.p(p.chainId);
  // A chain's records follow every record of the entry's earlier chains (`chain`: the chain's seq offset).
  const steps = [
    `new_chain as (insert into entry_chains (entry_id, chain_id, seq_offset, started_at)
      select ${entryId}::text, ${chainId}::text, coalesce((select max(seq) from audit where entry_id = ${entryId} and chain_id <> ${chainId}), 0), ${q.p(iso(state.startedAtMs))}::timestamptz
      on conflict (entry_id, chain_id) do nothing returning seq_offset)`,
    `chain as (select seq_offset from new_chain union all select seq_offset from entry_chains where entry_id = ${entryId} and chain_id = ${chainId})`,
  ];

  // Rows the record does not hold yet are numbered after the entry's last one (two writers numbering
  // at once: the second fails on audit_pk and is tried again). A run a reset created: its first
  // write finds the entry row on another run of its chain, and records the reset first (ord 0).
  const reset = resetOfProjection(p, isResetRun(p) ? await runHeldByRecord(db, p) : undefined);
  const resetSeen = `exists (select 1 from entries where entry_id = ${entryId} and chain_id = ${chainId} and run_id <> ${q.p(p.runId)})`;
  const incoming = [...(reset ? [{ key: resetAuditKey(p.runId), chainSeq: 0, record: reset.record }] : []), ...p.audit.map((r) => ({ key: auditKeyOf(r), chainSeq: r.seq, record: r }))];
  if (incoming.length > 0) {
    const rows = incoming.map(({ key, chainSeq, record: r }, i) =>
      q.tuple([(reset ? 0 : 1) + i, key, chainSeq, r.at, r.action, r.principal.body, r.principal.id, JSON.stringify(r)]),
    );
    steps.push(`incoming as (select distinct on (record_key) * from (values ${rows.join(', ')})
        as v (ord, record_key, chain_seq, at, action, principal_body, principal_id, record)
      where not exists (select 1 from audit a where a.entry_id = ${entryId} and a.chain_id = ${chainId} and a.record_key = v.record_key)
        and (v.ord::int > 0 or ${resetSeen})
      order by record_key, ord::int)`);
    steps.push(`audit_rows as (insert into audit (entry_id, seq, chain_id, chain_seq, record_key, run_id, at, action, principal_body, principal_id, record)
      select ${entryId}, coalesce((select max(seq) from audit where entry_id = ${entryId}), 0) + row_number() over (order by ord::int),
        ${chainId}, chain_seq::int, record_key, ${q.p(p.runId)}, at::timestamptz, action, principal_body, principal_id, record::jsonb
      from incoming order by ord::int
      on conflict (entry_id, chain_id, record_key) do nothing returning seq)`);
  }

  const notices = [...p.notifications.map((n) => ({ n, ord: 1 })), ...(reset ? [{ n: reset.notice, ord: 0 }] : [])];
  if (notices.length > 0) {
    const rows = notices.map(({ n, ord }) => q.tuple([ord, n.id, p.entryId, n.kind, JSON.stringify(n.recipients), n.dueAt]));
    steps.push(`notification_rows as (insert into notifications (id, entry_id, kind, recipients, due_at)
      select id, entry_id, kind, recipients::jsonb, due_at::timestamptz from (values ${rows.join(', ')}) as v (ord, id, entry_id, kind, recipients, due_at)
      where v.ord::int > 0 or ${resetSeen}
      on conflict (id) do nothing returning id)`);
  }

  const derived = derivedOf({ ...state, audit: submissions }, p.asOfMs);
  const row = {
    ...derived.columns,
    entry_id: p.entryId,
    party_id: state.partyId,
    party_name: state.partyName,
    cohort: state.cohort,
    status: state.status,
    roles: state.roles,
    awaited_bodies: awaitedBodies(state),
    open_stages: openStages(state),
    mandate_deadline: state.mandate.deadline,
    started_at: iso(state.startedAtMs),
    closed_at: state.closedAtMs === undefined ? null : iso(state.closedAtMs),
    chain_id: p.chainId,
    run_id: p.runId,
    as_of: iso(p.asOfMs),
    state: JSON.stringify({ ...state, audit: [] }),
    temporal_status: null,
  };
  const columns = Object.keys(row);
  // never back in time; a run Temporal closed outside the engine stays marked; and the same
  // state of the same run is left as it is (a repeated write, or the recovery command, changes nothing)
  steps.push(`entry_rows as (insert into entries (${columns.join(', ')}) values ${q.tuple(Object.values(row))}
    on conflict (entry_id) do update set ${columns.filter((c) => c !== 'entry_id').map((c) => `${c} = excluded.${c}`).join(', ')}, recorded_at = now()
    where entries.as_of <= excluded.as_of and not (entries.temporal_status is not null and entries.chain_id = excluded.chain_id)
      and (entries.state is distinct from excluded.state or entries.run_id <> excluded.run_id or entries.chain_id <> excluded.chain_id)
    returning entry_id)`);
  // Written with the entry row, the entry's inbox lines are replaced whole: the insert waits for
  // the delete (it reads the delete's count), so the new lines take the old ones' positions.
  steps.push(`old_lines as (delete from inbox_lines where entry_id = ${entryId} and exists (select 1 from entry_rows) returning position)`);
  if (derived.inboxLines.length > 0) {
    const lines = derived.inboxLines.map(
      (l, position) => `(${entryId}::text, ${q.p(position)}::int, ${q.p(l.awaiting)}::text, ${q.p(l.dueBy)}::date, ${q.p(l.awaitingSince)}::text, ${q.p(l.line)}::text)`,
    );
    steps.push(`line_rows as (insert into inbox_lines (entry_id, position, awaiting, due_by, awaiting_since, line)
      select * from (values ${lines.join(', ')}) as l (entry_id, position, awaiting, due_by, awaiting_since, line)
      where exists (select 1 from entry_rows) and (select count(*) from old_lines) >= 0)`);
  }

  if (p.closure) {
    const closure = q.tuple([p.runId, p.entryId, p.chainId, iso(p.closure.atMs), p.closure.outcome, 'ENGINE', null]);
    steps.push(`closure_rows as (insert into closures (run_id, entry_id, chain_id, closed_at, outcome, source, temporal_status)
      values ${closure} on conflict (run_id) do nothing returning run_id)`);
  }

  const counted = (cte: string, present: boolean) => (present ? `(select count(*)::int from ${cte})` : '0');
  const text = `with ${steps.join(',\n')}
    select ${counted('audit_rows', incoming.length > 0)} as audit, ${counted('notification_rows', notices.length > 0)} as notifications,
      ${counted('entry_rows', true)} as entry, ${counted('closure_rows', p.closure !== undefined)} as closure`;
  const { rows } = await retriedOnSeqClash(() => db.executeQuery<ProjectionWrite>(CompiledQuery.raw(text, q.params)));
  return rows[0]!;
}

const SEQ_CLASH_TRIES = 5;

/** Two writers appended to one entry's trail at once and numbered the same seq: the later tries again. */
export async function retriedOnSeqClash<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const clash = (err as { code?: string; constraint?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'audit_pk';
      if (!clash || attempt >= SEQ_CLASH_TRIES) throw err;
    }
  }
}

/** A run a Temporal reset created: its started event's run id is another run's. */
function isResetRun(p: EntryProjection): boolean {
  return p.originalRunId !== undefined && p.originalRunId !== p.runId;
}

/** The run the record's entry row is on, if the row is of this chain. */
async function runHeldByRecord(db: RecordDb, p: EntryProjection): Promise<string | undefined> {
  const row = await db.selectFrom('entries').select('run_id').where('entry_id', '=', p.entryId).where('chain_id', '=', p.chainId).executeTakeFirst();
  return row?.run_id;
}

/**
 * The RUN_RESET record and OPS notice of a projection from a run a reset created; written only by
 * its first write that finds the entry row on another run of the chain. It names that run, the one
 * the reset replaced. Its instant: the first the run recorded after the reset.
 */
function resetOfProjection(p: EntryProjection, heldRunId: string | undefined): { record: AuditRecord; notice: ReturnType<typeof runReset> } | undefined {
  if (!isResetRun(p)) return undefined;
  const atMs = Math.min(p.asOfMs, ...p.audit.map((r) => Date.parse(r.at)));
  const previousRunId = heldRunId !== undefined && heldRunId !== p.runId ? heldRunId : null;
  const facts: RunResetFacts = { runId: p.runId, previousRunId, atMs };
  return { record: resetRecord(facts, 0), notice: runReset(p.state, facts) };
}

function resetRecord(facts: RunResetFacts, seq: number): AuditRecord {
  return {
    seq,
    at: new Date(facts.atMs).toISOString(),
    action: AUDIT_ACTION.RUN_RESET,
    principal: { body: BODY.OPS, id: 'temporal' },
    reason: 'Temporal reset the run: the new run carries on from an earlier point; what the earlier run recorded after it stays in this trail',
    runId: facts.runId,
    previousRunId: facts.previousRunId,
  };
}

/** Appends one of the record's own rows to the entry's trail (next seq), unless its key is there: answers whether it did. */
export async function appendOwnRow(tx: Transaction<RecordDatabase>, entryId: string, chainId: string, key: string, runId: string, make: (seq: number) => AuditRecord): Promise<boolean> {
  const held = await tx.selectFrom('audit').select('seq').where('entry_id', '=', entryId).where('chain_id', '=', chainId).where('record_key', '=', key).executeTakeFirst();
  if (held) return false;
  const last = await tx.selectFrom('audit').select(sql<number>`coalesce(max(seq), 0)`.as('seq')).where('entry_id', '=', entryId).executeTakeFirstOrThrow();
  const seq = Number(last.seq) + 1;
  const record = make(seq);
  await tx
    .insertInto('audit')
    .values({
      entry_id: entryId,
      seq,
      chain_id: chainId,
      chain_seq: -seq, // not a workflow record: outside the chain's own numbering
      record_key: key,
      run_id: runId,
      at: record.at,
      action: record.action,
      principal_body: record.principal.body,
      principal_id: record.principal.id,
      record: JSON.stringify(record),
    })
    .execute();
  return true;
}

/**
 * How long a delivery's claim on a notification holds against other deliveries of the same id:
 * twice an attempt's longest run (NOTIFICATION_ACTIVITY_OPTIONS' start-to-close, 30 s), so a claim
 * whose holder died is taken over.
 */
export const DELIVERY_CLAIM_MS = 60_000;

export type DeliveryClaim = { outcome: 'CLAIMED' } | { outcome: 'DELIVERED'; at: Date } | { outcome: 'BUSY'; by: string };

/**
 * Claims the notification's delivery for `claimant` (the row is inserted if the record has not
 * written it yet): CLAIMED unless the record holds it delivered, or another delivery's claim is
 * younger than DELIVERY_CLAIM_MS (BUSY). The same claimant (a retried attempt) claims again.
 */
export async function claimDelivery(db: RecordDb, n: Pick<Notification, 'id' | 'entryId' | 'kind' | 'recipients' | 'dueAt'>, claimant: string): Promise<DeliveryClaim> {
  const claimed = await db
    .insertInto('notifications')
    .values({ id: n.id, entry_id: n.entryId, kind: n.kind, recipients: JSON.stringify(n.recipients), due_at: n.dueAt, claimed_by: claimant, claimed_at: sql<Date>`now()` })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ claimed_by: claimant, claimed_at: sql<Date>`now()` })
        .where('notifications.delivered_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('notifications.claimed_by', 'is', null),
            eb('notifications.claimed_by', '=', claimant),
            eb('notifications.claimed_at', '<', sql<Date>`now() - ${sql.lit(`${DELIVERY_CLAIM_MS} milliseconds`)}::interval`),
          ]),
        ),
    )
    .returning('id')
    .executeTakeFirst();
  if (claimed) return { outcome: 'CLAIMED' };
  const row = await db.selectFrom('notifications').select(['delivered_at', 'claimed_by']).where('id', '=', n.id).executeTakeFirstOrThrow();
  return row.delivered_at ? { outcome: 'DELIVERED', at: row.delivered_at } : { outcome: 'BUSY', by: row.claimed_by ?? 'unknown' };
}

/** A notification's delivery, once its activity has carried it out; true when it was not stamped yet. */
export async function markDelivered(db: RecordDb, notificationId: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ delivered_at: at })
    .where('id', '=', notificationId)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface OutsideClosure {
  entryId: string;
  runId: string;
  /** Temporal's execution status: TERMINATED, FAILED, TIMED_OUT, CANCELED, ... */
  temporalStatus: string;
  closedAt: Date;
}

/**
 * Marks a run Temporal closed behind the engine's back (the reconciler found it in visibility):
 * the entry becomes CLOSED_OUTSIDE_ENGINE, its trail gets one audit row, and the notice to OPS is
 * recorded as due (delivered later: undeliveredOutsideClosureNotices). All in one transaction, and
 * the first time only: answers whether this call marked it.
 */
export async function markClosedOutsideEngine(db: RecordDb, c: OutsideClosure): Promise<boolean> {
  return retriedOnSeqClash(() => db.transaction().execute(async (tx) => {
    const entry = await tx.selectFrom('entries').select(['chain_id', 'party_id', 'party_name']).where('entry_id', '=', c.entryId).forUpdate().executeTakeFirst();
    if (!entry) return false;
    const inserted = await tx
      .insertInto('closures')
      .values({
        run_id: c.runId,
        entry_id: c.entryId,
        chain_id: entry.chain_id,
        closed_at: c.closedAt,
        outcome: RECORD_CLOSURE_OUTCOME.CLOSED_OUTSIDE_ENGINE,
        source: 'RECONCILER',
        temporal_status: c.temporalStatus,
      })
      .onConflict((oc) => oc.column('run_id').doNothing())
      .returning('run_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await tx
      .updateTable('entries')
      .set({ status: RECORD_CLOSURE_OUTCOME.CLOSED_OUTSIDE_ENGINE, temporal_status: c.temporalStatus, closed_at: c.closedAt, recorded_at: sql<Date>`now()` })
      .where('entry_id', '=', c.entryId)
      .execute();
    await appendOwnRow(tx, c.entryId, entry.chain_id, outsideClosureAuditKey(c.runId), c.runId, (seq) => ({
      seq,
      at: c.closedAt.toISOString(),
      action: AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE,
      principal: { body: BODY.OPS, id: 'temporal' },
      reason: `Temporal closed the run as ${c.temporalStatus}`,
    }));
    const notice = closedOutsideEngine(
      { entryId: c.entryId, partyId: entry.party_id, partyName: entry.party_name },
      { runId: c.runId, temporalStatus: c.temporalStatus, closedAtMs: c.closedAt.getTime() },
    );
    await tx
      .insertInto('notifications')
      .values({ id: notice.id, entry_id: c.entryId, kind: notice.kind, recipients: JSON.stringify(notice.recipients), due_at: notice.dueAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return true;
  }));
}

export interface FoundReset {
  entryId: string;
  /** The chain the reset kept (the entry row's). */
  chainId: string;
  /** The run Temporal reset (closed as TERMINATED by it) and the run the reset created. */
  previousRunId: string;
  runId: string;
  at: Date;
}

/**
 * A reset the reconciler found in Temporal before the new run wrote anything: its RUN_RESET row
 * and OPS notice (the same key and id as its first projection would write: once), and the entry
 * row pointed at the new run, still in progress. Answers whether this call recorded it.
 */
export async function markReset(db: RecordDb, r: FoundReset): Promise<boolean> {
  return retriedOnSeqClash(() => db.transaction().execute(async (tx) => {
    const entry = await tx.selectFrom('entries').select(['party_id', 'party_name', 'run_id']).where('entry_id', '=', r.entryId).where('chain_id', '=', r.chainId).forUpdate().executeTakeFirst();
    if (!entry) return false;
    const facts: RunResetFacts = { runId: r.runId, previousRunId: r.previousRunId, atMs: r.at.getTime() };
    const appended = await appendOwnRow(tx, r.entryId, r.chainId, resetAuditKey(r.runId), r.runId, (seq) => resetRecord(facts, seq));
    if (entry.run_id === r.previousRunId) {
      await tx.updateTable('entries').set({ run_id: r.runId, recorded_at: sql<Date>`now()` }).where('entry_id', '=', r.entryId).execute();
    }
    const notice = runReset({ entryId: r.entryId, partyId: entry.party_id, partyName: entry.party_name }, facts);
    await tx
      .insertInto('notifications')
      .values({ id: notice.id, entry_id: r.entryId, kind: notice.kind, recipients: JSON.stringify(notice.recipients), due_at: notice.dueAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return appended;
  }));
}
