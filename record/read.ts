/**
 * Reads from the record: entries (their stored state, for the API to summarise as of now), the
 * audit trail across runs, the bulk audit export, and the record's lag behind the workflows.
 */
import { sql } from 'kysely';
import { closedOutsideEngine, type EntryState } from '../domain';
import { NOTIFICATION_KIND, type AuditRecord, type Notification, type StageSummary } from '../domain/types';
import type { Body, Cohort, EntryStatus, UserRole } from '../domain/vocabulary';
import type { RecordDb } from './db';

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
 * The entries' states get back the audit records of their current run chain (the row keeps the
 * state without them; the audit table holds them once): the summary reads them (latest submissions).
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
  const chainOf = new Map(entries.map((e) => [e.entryId, e.chainId]));
  for (const row of rows) {
    if (chainOf.get(row.entry_id) !== row.chain_id) continue;
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

/** What the inbox and the compliance report read of an entry: its columns, never its state. */
export interface RecordedStanding {
  entryId: string;
  partyId: string;
  partyName: string;
  cohort: Cohort;
  /** The domain's status, or CLOSED_OUTSIDE_ENGINE */
  status: EntryStatus;
  temporalStatus: string | null;
  roles: UserRole[];
  awaitedBodies: Body[];
  mandateDeadline: string | null;
  closedAtMs: number | null;
  remainingWorkingDays: number;
  rolesComplete: number;
  calendarVersion: string;
  /** Only when asked for (the inbox): the summary's open stages. */
  openStages: StageSummary[];
}

/**
 * Every entry matching the filters, in entry id order, as its columns alone (no cap: read a batch
 * at a time). Each batch comes back as one JSON array built by PostgreSQL: one parse of plain
 * JSON instead of a text-array and timestamp parser per row, which is most of a bulk read's cost.
 */
export async function* recordedEntryStandings(db: RecordDb, f: RecordFilters, opts: { openStages: boolean }, batch = 5000): AsyncGenerator<RecordedStanding> {
  let after = '';
  for (;;) {
    const page = filtered(db, f)
      .select([
        'entry_id as entryId',
        'party_id as partyId',
        'party_name as partyName',
        'cohort',
        'status',
        'temporal_status as temporalStatus',
        'roles',
        'awaited_bodies as awaitedBodies',
        'mandate_deadline as mandateDeadline',
        sql<number | null>`round(extract(epoch from closed_at) * 1000)`.as('closedAtMs'),
        'remaining_working_days as remainingWorkingDays',
        'roles_complete as rolesComplete',
        'calendar_version as calendarVersion',
        opts.openStages ? sql<StageSummary[]>`open_stage_summaries`.as('openStages') : sql<StageSummary[]>`'[]'::json`.as('openStages'),
      ])
      .where('entry_id', '>', after)
      .orderBy('entry_id')
      .limit(batch);
    // the columns hold what the domain wrote (record/write.ts), or CLOSED_OUTSIDE_ENGINE
    const { rows } = await db
      .selectFrom(page.as('e'))
      .select(sql<RecordedStanding[]>`coalesce(json_agg(e order by e."entryId"), '[]'::json)`.as('rows'))
      .executeTakeFirstOrThrow();
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.entryId;
  }
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
