/**
 * Writes to the record. Every write is idempotent: a replayed, retried or repeated projection
 * leaves the record as one write would (audit rows keyed by entry and seq, notifications by id,
 * closures by run id; the entry row only moves forward in workflow time).
 */
import { sql } from 'kysely';
import { closedOutsideEngine, searchAttributesOf } from '../domain';
import { AUDIT_ACTION, type AuditRecord } from '../domain/types';
import { BODY, ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from './db';
import { chainSubmissions, derivedColumns } from './derived';
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

/**
 * One statement (atomic, one round trip: the worker's cost per projection is mostly round trips)
 * after one read of the chain's submissions, which the derived columns need.
 */
export async function writeProjection(db: RecordDb, p: EntryProjection): Promise<ProjectionWrite> {
  const { state } = p;
  const view = searchAttributesOf(state, p.asOfMs);
  const submissions = await submissionsWith(db, p);
  // A chain's records follow every record of the entry's earlier chains (`chain`: the chain's seq offset).
  const newChain = db
    .insertInto('entry_chains')
    .columns(['entry_id', 'chain_id', 'seq_offset', 'started_at'])
    .expression(
      db.selectNoFrom([
        sql.lit(p.entryId).as('entry_id'),
        sql.lit(p.chainId).as('chain_id'),
        sql<number>`coalesce((select max(seq) from audit where entry_id = ${p.entryId} and chain_id <> ${p.chainId}), 0)`.as('seq_offset'),
        sql<string>`${iso(state.startedAtMs)}::timestamptz`.as('started_at'),
      ]),
    )
    .onConflict((oc) => oc.columns(['entry_id', 'chain_id']).doNothing())
    .returning('seq_offset');
  const steps = [
    sql`new_chain as (${newChain})`,
    sql`chain as (select seq_offset from new_chain union all select seq_offset from entry_chains where entry_id = ${p.entryId} and chain_id = ${p.chainId})`,
  ];
  const counted = (name: string, present: boolean) => (present ? sql<number>`(select count(*)::int from ${sql.table(name)})` : sql<number>`0`);

  if (p.audit.length > 0) {
    const audit = db
      .insertInto('audit')
      .values(
        p.audit.map((r) => ({
          entry_id: p.entryId,
          seq: sql<number>`(select seq_offset from chain) + ${r.seq}`,
          chain_id: p.chainId,
          chain_seq: r.seq,
          at: r.at,
          action: r.action,
          principal_body: r.principal.body,
          principal_id: r.principal.id,
          record: JSON.stringify(r),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('seq');
    steps.push(sql`audit_rows as (${audit})`);
  }

  if (p.notifications.length > 0) {
    const notifications = db
      .insertInto('notifications')
      .values(
        p.notifications.map((n) => ({
          id: n.id,
          entry_id: p.entryId,
          kind: n.kind,
          recipients: JSON.stringify(n.recipients),
          due_at: n.dueAt,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id');
    steps.push(sql`notification_rows as (${notifications})`);
  }

  const row = {
    ...derivedColumns({ ...state, audit: submissions }, p.asOfMs),
    entry_id: p.entryId,
    party_id: state.partyId,
    party_name: state.partyName,
    cohort: state.cohort,
    status: state.status,
    roles: state.roles,
    awaited_bodies: view.awaitedBodies,
    open_stages: view.openStages,
    mandate_deadline: state.mandate.deadline,
    started_at: iso(state.startedAtMs),
    closed_at: state.closedAtMs === undefined ? null : iso(state.closedAtMs),
    chain_id: p.chainId,
    run_id: p.runId,
    as_of: iso(p.asOfMs),
    state: JSON.stringify({ ...state, audit: [] }),
    temporal_status: null,
  };
  const entry = db
    .insertInto('entries')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('entry_id')
        .doUpdateSet((eb) => ({
          ...Object.fromEntries(Object.keys(row).filter((k) => k !== 'entry_id').map((k) => [k, eb.ref(`excluded.${k}` as 'excluded.state')])),
          recorded_at: sql<Date>`now()`,
        }))
        // never back in time; a run Temporal closed outside the engine stays marked; and the same
        // state of the same run is left as it is (a repeated write, or the recovery command, changes nothing)
        .where(
          sql<boolean>`entries.as_of <= excluded.as_of and not (entries.temporal_status is not null and entries.chain_id = excluded.chain_id)
            and (entries.state is distinct from excluded.state or entries.run_id <> excluded.run_id or entries.chain_id <> excluded.chain_id)`,
        ),
    )
    .returning('entry_id');
  steps.push(sql`entry_rows as (${entry})`);

  if (p.closure) {
    const closure = db
      .insertInto('closures')
      .values({
        run_id: p.runId,
        entry_id: p.entryId,
        chain_id: p.chainId,
        closed_at: iso(p.closure.atMs),
        outcome: p.closure.outcome,
        source: 'ENGINE',
        temporal_status: null,
      })
      .onConflict((oc) => oc.column('run_id').doNothing())
      .returning('run_id');
    steps.push(sql`closure_rows as (${closure})`);
  }

  const { rows } = await sql<ProjectionWrite>`with ${sql.join(steps)} select
    ${counted('audit_rows', p.audit.length > 0)} as audit,
    ${counted('notification_rows', p.notifications.length > 0)} as notifications,
    ${counted('entry_rows', true)} as entry,
    ${counted('closure_rows', p.closure !== undefined)} as closure`.execute(db);
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
