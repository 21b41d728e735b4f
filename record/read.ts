/**
 * Reads from the record: entries (their stored state, for the API to summarise as of now), the
 * audit trail across runs, the bulk audit export, and the record's lag behind the workflows.
 */
import { sql } from 'kysely';
import { closedOutsideEngine, runReset, type EntryState } from '../domain';
import { AUDIT_ACTION, NOTIFICATION_KIND, type AuditRecord, type Notification } from '../domain/types';
import { ENTRY_STATUS, type EntryStatus } from '../domain/vocabulary';
import type { RecordDb } from './db';
import { heldByState, type RenderedInboxLine } from './derived';
import { CLAIM_ON_LINE } from './stage-claims';

export interface RecordedEntry {
  entryId: string;
  /** The domain's state as last projected, with its run chain's audit records (as the workflow holds them). */
  state: EntryState;
  /** The domain's status, or CLOSED_OUTSIDE_ENGINE */
  status: string;
  /** How Temporal closed the run when it closed outside the engine, else null */
  temporalStatus: string | null;
  closedAt: Date | null;
  asOf: Date;
  /** The first run id of the run chain the row was last written by. */
  chainId: string;
}

export interface RecordFilters {
  partyId?: string;
  status?: string;
  awaitedBody?: string;
  role?: string;
  cohort?: string;
  /** every word must appear in the name (case-insensitive) */
  partyNameWords?: string[];
  /** 'YYYY-MM-DD', inclusive */
  mandateDeadlineFrom?: string;
  mandateDeadlineTo?: string;
}

function toRecorded(row: {
  entry_id: string;
  state: EntryState;
  status: string;
  temporal_status: string | null;
  closed_at: Date | null;
  as_of: Date;
  chain_id: string;
}): RecordedEntry {
  return { entryId: row.entry_id, state: row.state, status: row.status, temporalStatus: row.temporal_status, closedAt: row.closed_at, asOf: row.as_of, chainId: row.chain_id };
}

const ENTRY_COLUMNS = ['entry_id', 'state', 'status', 'temporal_status', 'closed_at', 'as_of', 'chain_id'] as const;

/**
 * The entries' states get back the audit records of their current run chain that the run holds
 * (the row keeps the state without them; the audit table holds them once): the summary reads them
 * (latest submissions).
 */
async function withChainAudit(db: RecordDb, entries: RecordedEntry[]): Promise<RecordedEntry[]> {
  if (entries.length === 0) return entries;
  const rows = await db
    .selectFrom('audit')
    .select(['entry_id', 'chain_id', 'record'])
    .where('entry_id', 'in', entries.map((e) => e.entryId))
    .orderBy('entry_id')
    .orderBy('seq')
    .execute();
  const byEntry = new Map<string, AuditRecord[]>();
  const byId = new Map(entries.map((e) => [e.entryId, e]));
  for (const row of rows) {
    const entry = byId.get(row.entry_id);
    if (entry?.chainId !== row.chain_id || !heldByState(entry.state, row.record)) continue;
    const list = byEntry.get(row.entry_id) ?? [];
    list.push(row.record);
    byEntry.set(row.entry_id, list);
  }
  return entries.map((e) => ({ ...e, state: { ...e.state, audit: byEntry.get(e.entryId) ?? [] } }));
}

export async function getRecordedEntry(db: RecordDb, entryId: string): Promise<RecordedEntry | null> {
  const row = await db.selectFrom('entries').select(ENTRY_COLUMNS).where('entry_id', '=', entryId).executeTakeFirst();
  return row ? ((await withChainAudit(db, [toRecorded(row)]))[0] ?? null) : null;
}

function filtered(db: RecordDb, f: RecordFilters) {
  let q = db.selectFrom('entries');
  if (f.partyId !== undefined) q = q.where('party_id', '=', f.partyId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.cohort !== undefined) q = q.where('cohort', '=', f.cohort);
  if (f.awaitedBody !== undefined) q = q.where(sql<boolean>`awaited_bodies @> array[${f.awaitedBody}]::text[]`);
  if (f.role !== undefined) q = q.where(sql<boolean>`roles @> array[${f.role}]::text[]`);
  for (const word of f.partyNameWords ?? []) q = q.where('party_name', 'ilike', `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.mandateDeadlineFrom !== undefined) q = q.where('mandate_deadline', '>=', f.mandateDeadlineFrom);
  if (f.mandateDeadlineTo !== undefined) q = q.where('mandate_deadline', '<=', f.mandateDeadlineTo);
  return q;
}

/** Every entry matching the filters, in entry id order (no cap: the caller streams or pages). */
export async function* recordedEntries(db: RecordDb, f: RecordFilters, batch = 1000): AsyncGenerator<RecordedEntry> {
  let after = '';
  for (;;) {
    const rows = await filtered(db, f).select(ENTRY_COLUMNS).where('entry_id', '>', after).orderBy('entry_id').limit(batch).execute();
    for (const entry of await withChainAudit(db, rows.map(toRecorded))) yield entry;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.entry_id;
  }
}

/** What time moves in an entry's lines depends on these (standingOf). */
export interface RecordedStandingFacts {
  partyId: string;
  /** The domain's status, or CLOSED_OUTSIDE_ENGINE */
  status: EntryStatus;
  remainingWorkingDays: number;
  mandateDeadline: string | null;
  calendarVersion: string;
}

/** An inbox line as the inbox reads it: rendered, with its entry's standing facts and the claim on it. */
export interface RecordedInboxLine extends RecordedStandingFacts, RenderedInboxLine {
  /** Principal JSON text, or null when nobody has claimed the stage's current wait */
  claimant: string | null;
  claimedBy: string | null;
  claimedAt: Date | string | null;
}

/** An entry as the compliance report reads it: its rendered line and what it lacks. */
export interface RecordedReportEntry extends RecordedStandingFacts {
  closedAtMs: number | null;
  /** The awaited bodies as JSON text */
  awaitedBodiesJson: string;
  /** The ComplianceLine as JSON text */
  line: string;
}

/**
 * The inbox lines of entries in progress (no cap): awaiting `body` (every body's when absent), of
 * one Party's entry when `partyId` is given. Nothing parsed: the lines are JSON text.
 */
export async function recordedInboxLines(db: RecordDb, f: { body?: string; partyId?: string }): Promise<RecordedInboxLine[]> {
  let q = db
    .selectFrom('inbox_lines as l')
    .innerJoin('entries as e', 'e.entry_id', 'l.entry_id')
    // the claim on the stage's current wait (record/stage-claims.ts)
    .leftJoin('stage_claims as c', (j) => j.on(CLAIM_ON_LINE))
    .select([
      'e.party_id as partyId',
      'e.status',
      'e.remaining_working_days as remainingWorkingDays',
      'e.mandate_deadline as mandateDeadline',
      'e.calendar_version as calendarVersion',
      'l.awaiting',
      'l.due_by as dueBy',
      'l.awaiting_since as awaitingSince',
      'l.line',
      sql<string | null>`c.claimant::text`.as('claimant'),
      sql<string | null>`c.claimed_by::text`.as('claimedBy'),
      'c.claimed_at as claimedAt',
    ])
    .where('e.status', '=', ENTRY_STATUS.IN_PROGRESS);
  if (f.body !== undefined) q = q.where('l.awaiting', '=', f.body);
  if (f.partyId !== undefined) q = q.where('e.party_id', '=', f.partyId);
  // the columns hold what the domain wrote (record/write.ts)
  return (await q.execute()) as RecordedInboxLine[];
}

/** Every entry (no cap), with its compliance line. */
export async function recordedReportEntries(db: RecordDb): Promise<RecordedReportEntry[]> {
  return (await db
    .selectFrom('entries')
    .select([
      'party_id as partyId',
      'status',
      'remaining_working_days as remainingWorkingDays',
      'mandate_deadline as mandateDeadline',
      'calendar_version as calendarVersion',
      sql<number | null>`(extract(epoch from closed_at) * 1000)::float8`.as('closedAtMs'),
      sql<string>`array_to_json(awaited_bodies)::text`.as('awaitedBodiesJson'),
      'report_line as line',
    ])
    .execute()) as RecordedReportEntry[];
}

/** One page of entries in entry id order, after `afterEntryId`. */
export async function recordedEntryPage(db: RecordDb, f: RecordFilters, limit: number, afterEntryId?: string): Promise<{ entries: RecordedEntry[]; last: string | null }> {
  const rows = await filtered(db, f)
    .select(ENTRY_COLUMNS)
    .where('entry_id', '>', afterEntryId ?? '')
    .orderBy('entry_id')
    .limit(limit + 1)
    .execute();
  const page = await withChainAudit(db, rows.slice(0, limit).map(toRecorded));
  return { entries: page, last: rows.length > limit ? (page[page.length - 1]?.entryId ?? null) : null };
}

/** The entry's latest RUN_RESET record in the run chain the record holds it on, if any. */
export async function lastRunReset(db: RecordDb, entryId: string): Promise<AuditRecord | null> {
  const row = await db
    .selectFrom('audit as a')
    .innerJoin('entries as e', (join) => join.onRef('e.entry_id', '=', 'a.entry_id').onRef('e.chain_id', '=', 'a.chain_id'))
    .select(['a.seq', 'a.record'])
    .where('a.entry_id', '=', entryId)
    .where('a.action', '=', AUDIT_ACTION.RUN_RESET)
    .orderBy('a.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { ...row.record, seq: row.seq } : null;
}

/** The entry's audit trail across all its runs, oldest first; `seq` is the entry's own, continuous numbering. */
export async function recordedAuditTrail(db: RecordDb, entryId: string): Promise<AuditRecord[]> {
  const rows = await db.selectFrom('audit').select(['seq', 'record']).where('entry_id', '=', entryId).orderBy('seq').execute();
  return rows.map((r) => ({ ...r.record, seq: r.seq }));
}

export interface ExportedAuditRecord extends AuditRecord {
  entryId: string;
  partyId: string;
}

/** Every audit record with `from <= at < to`, in time order, read a batch at a time. */
export async function* auditBetween(db: RecordDb, from: Date, to: Date, batch = 2000): AsyncGenerator<ExportedAuditRecord> {
  let cursor: { at: Date; entryId: string; seq: number } | null = null;
  for (;;) {
    let q = db
      .selectFrom('audit')
      .innerJoin('entries', 'entries.entry_id', 'audit.entry_id')
      .select(['audit.entry_id', 'audit.seq', 'audit.at', 'audit.record', 'entries.party_id'])
      .where('audit.at', '>=', from)
      .where('audit.at', '<', to);
    if (cursor) {
      const c = cursor;
      q = q.where(sql<boolean>`(audit.at, audit.entry_id, audit.seq) > (${c.at}, ${c.entryId}, ${c.seq})`);
    }
    const rows = await q.orderBy('audit.at').orderBy('audit.entry_id').orderBy('audit.seq').limit(batch).execute();
    for (const r of rows) yield { ...r.record, seq: r.seq, entryId: r.entry_id, partyId: r.party_id };
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.at, entryId: last.entry_id, seq: last.seq };
  }
}

/**
 * How far the record trails the workflows: the largest gap between an entry's workflow time and
 * the moment its row was written, over the rows written in the last `windowMs` (0 when none).
 */
export async function recordLagMs(db: RecordDb, windowMs = 60_000): Promise<number> {
  const row = await db
    .selectFrom('entries')
    .select(sql<number | null>`max(extract(epoch from (recorded_at - as_of)) * 1000)`.as('lag'))
    .where('recorded_at', '>=', new Date(Date.now() - windowMs))
    .executeTakeFirst();
  return Math.max(0, Math.round(Number(row?.lag ?? 0)));
}

/** Entries the record holds as still running, with the chain they run in: what the reconciler checks. */
export async function runningEntries(db: RecordDb): Promise<{ entryId: string; runId: string; chainId: string }[]> {
  const rows = await db.selectFrom('entries').select(['entry_id', 'run_id', 'chain_id']).where('status', '=', 'IN_PROGRESS').execute();
  return rows.map((r) => ({ entryId: r.entry_id, runId: r.run_id, chainId: r.chain_id }));
}

/** Whether the record holds this run as the entry's current one, still in progress (not yet marked closed). */
export async function isCurrentRunningRun(db: RecordDb, entryId: string, runId: string): Promise<boolean> {
  const row = await db.selectFrom('entries').select('entry_id').where('entry_id', '=', entryId).where('run_id', '=', runId).where('status', '=', 'IN_PROGRESS').executeTakeFirst();
  return row !== undefined;
}

/**
 * The notices to OPS of runs the reconciler marked (markClosedOutsideEngine) that are not
 * delivered yet, marked since `since`: the reconcile pass hands each to delivery.
 */
export async function undeliveredOutsideClosureNotices(db: RecordDb, since: Date): Promise<Notification[]> {
  const rows = await db
    .selectFrom('closures as c')
    .innerJoin('entries as e', 'e.entry_id', 'c.entry_id')
    .innerJoin('notifications as n', (join) =>
      join.onRef('n.entry_id', '=', 'c.entry_id').on('n.kind', '=', NOTIFICATION_KIND.ENTRY_CLOSED_OUTSIDE_ENGINE).on('n.delivered_at', 'is', null),
    )
    .select(['c.entry_id', 'c.run_id', 'c.temporal_status', 'c.closed_at', 'e.party_id', 'e.party_name', 'n.id as notification_id'])
    .where('c.source', '=', 'RECONCILER')
    .where('c.recorded_at', '>=', since)
    .orderBy('c.recorded_at')
    .execute();
  return rows.flatMap((r) => {
    const notice = closedOutsideEngine(
      { entryId: r.entry_id, partyId: r.party_id, partyName: r.party_name },
      { runId: r.run_id, temporalStatus: r.temporal_status ?? 'UNKNOWN', closedAtMs: r.closed_at.getTime() },
    );
    return notice.id === r.notification_id ? [notice] : []; // an entry's other runs' notices pair with their own closures
  });
}

/**
 * The notices to OPS of resets the record found (a RUN_RESET row, written by the new run's first
 * projection or by the reconciler) that are not delivered yet, found since `since`.
 */
export async function undeliveredResetNotices(db: RecordDb, since: Date): Promise<Notification[]> {
  const rows = await db
    .selectFrom('audit as a')
    .innerJoin('entries as e', 'e.entry_id', 'a.entry_id')
    .select(['a.entry_id', 'a.record', 'e.party_id', 'e.party_name'])
    .where('a.action', '=', AUDIT_ACTION.RUN_RESET)
    .where('a.recorded_at', '>=', since)
    .orderBy('a.recorded_at')
    .execute();
  const notices = rows.flatMap((r) =>
    r.record.runId
      ? [runReset({ entryId: r.entry_id, partyId: r.party_id, partyName: r.party_name }, { runId: r.record.runId, previousRunId: r.record.previousRunId ?? null, atMs: Date.parse(r.record.at) })]
      : [],
  );
  if (notices.length === 0) return [];
  const undelivered = await db.selectFrom('notifications').select('id').where('id', 'in', notices.map((n) => n.id)).where('delivered_at', 'is', null).execute();
  const ids = new Set(undelivered.map((u) => u.id));
  return notices.filter((n) => ids.has(n.id));
}

/** Where an entry's row stands, without its state: what a writer waiting for its own write compares. */
export interface RecordedMark {
  asOf: Date;
  /** The first run id of the run chain the row was last written by. */
  chainId: string;
  /** The domain's status, or CLOSED_OUTSIDE_ENGINE */
  status: string;
}

/** The marks of those of the entries the record holds, in one query. */
export async function recordedMarks(db: RecordDb, entryIds: readonly string[]): Promise<Map<string, RecordedMark>> {
  if (entryIds.length === 0) return new Map();
  const rows = await db.selectFrom('entries').select(['entry_id', 'as_of', 'chain_id', 'status']).where('entry_id', 'in', entryIds).execute();
  return new Map(rows.map((r) => [r.entry_id, { asOf: r.as_of, chainId: r.chain_id, status: r.status }]));
}
