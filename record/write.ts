/**
 * Writes to the record. Every write is idempotent: a replayed, retried or repeated projection
 * leaves the record as one write would (audit rows keyed by entry and seq, notifications by id,
 * closures by run id; the entry row only moves forward in workflow time).
 */
import { CompiledQuery, sql } from 'kysely';
import { closedOutsideEngine } from '../domain';
import { awaitedBodies, openStages } from '../domain/summary';
import { AUDIT_ACTION, type AuditRecord } from '../domain/types';
import { BODY, ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from './db';
import { chainSubmissions, derivedOf } from './derived';
import { RECORD_CLOSURE_OUTCOME, type EntryProjection } from './projection';

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
  const seqs = new Set(recorded.map((r) => r.seq));
  const added = p.audit.filter((r) => r.action === AUDIT_ACTION.SUBMISSION && !seqs.has(r.seq));
  return added.length === 0 ? recorded : [...recorded, ...added].sort((a, b) => a.seq - b.seq);
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

  if (p.audit.length > 0) {
    const rows = p.audit.map((r) => {
      const seq = `(select seq_offset from chain) + ${q.p(r.seq)}::int`;
      return `(${[entryId, seq, chainId, ...[r.seq, r.at, r.action, r.principal.body, r.principal.id, JSON.stringify(r)].map((v) => q.p(v))].join(', ')})`;
    });
    steps.push(`audit_rows as (insert into audit (entry_id, seq, chain_id, chain_seq, at, action, principal_body, principal_id, record)
      values ${rows.join(', ')} on conflict do nothing returning seq)`);
  }

  if (p.notifications.length > 0) {
    const rows = p.notifications.map((n) => q.tuple([n.id, p.entryId, n.kind, JSON.stringify(n.recipients), n.dueAt]));
    steps.push(`notification_rows as (insert into notifications (id, entry_id, kind, recipients, due_at)
      values ${rows.join(', ')} on conflict (id) do nothing returning id)`);
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
    select ${counted('audit_rows', p.audit.length > 0)} as audit, ${counted('notification_rows', p.notifications.length > 0)} as notifications,
      ${counted('entry_rows', true)} as entry, ${counted('closure_rows', p.closure !== undefined)} as closure`;
  const { rows } = await db.executeQuery<ProjectionWrite>(CompiledQuery.raw(text, q.params));
  return rows[0]!;
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
  return db.transaction().execute(async (tx) => {
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
    const last = await tx.selectFrom('audit').select(sql<number>`coalesce(max(seq), 0)`.as('seq')).where('entry_id', '=', c.entryId).executeTakeFirstOrThrow();
    const seq = Number(last.seq) + 1;
    const record = {
      seq,
      at: c.closedAt.toISOString(),
      action: AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE,
      principal: { body: BODY.OPS, id: 'temporal' },
      reason: `Temporal closed the run as ${c.temporalStatus}`,
    };
    await tx
      .insertInto('audit')
      .values({
        entry_id: c.entryId,
        seq,
        chain_id: entry.chain_id,
        chain_seq: -seq, // not a workflow record: outside the chain's own numbering
        at: c.closedAt,
        action: record.action,
        principal_body: record.principal.body,
        principal_id: record.principal.id,
        record: JSON.stringify(record),
      })
      .execute();
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
  });
}
