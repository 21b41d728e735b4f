/**
 * Claims on waiting stages in the record (migration 0010): which officer of the awaited body works
 * a stage. A claim holds for the wait it was made in: once the stage is decided, or comes back
 * later, it is nobody's until claimed again. Every change is one transaction with its audit row
 * (CLAIMED or RELEASED), under a lock on the entry's row, so two officers' claims are ordered.
 * A stage given to a colleague also puts the colleague's notice in the outbox in that transaction
 * (record/person-notices.ts): committed with the claim, or not at all.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { stageAssignedNotice } from '../domain/person-notices';
import { AUDIT_ACTION, type AuditRecord, type ClaimHolder } from '../domain/types';
import { ENTRY_STATUS, type Body, type Principal, type StageId, type UserRole } from '../domain/vocabulary';
import type { RecordDb } from './db';
import { addPersonNotice, knownEmailOf } from './person-notices';
import type { RecordDatabase } from './schema';
import { appendOwnRow, retriedOnSeqClash } from './write';

/** A stage of an entry: `role` '' for a stage of the whole entry. */
export interface StageRef {
  partyId: string;
  stage: string;
  role: string;
}

/** A stage waiting on a body, as the record's inbox line has it. */
export interface WaitingStage {
  entryId: string;
  title: string;
  awaiting: string;
  awaitingSince: string | null;
  partyName: string;
  dueBy: string | null;
}

export interface StageClaim {
  claimant: Principal;
  claimedBy: Principal;
  /** ISO instant */
  claimedAt: string;
}

export type ClaimChange =
  | { outcome: 'NOT_WAITING' }
  /** The stage waits, but on another body. */
  | { outcome: 'WAITING_ON'; stage: WaitingStage }
  /** Another officer holds it and the change did not say to take it over. */
  | { outcome: 'HELD'; stage: WaitingStage; claim: StageClaim }
  /** Already so: nothing written. */
  | { outcome: 'UNCHANGED'; stage: WaitingStage; claim: StageClaim | null }
  | { outcome: 'CHANGED'; stage: WaitingStage; claim: StageClaim | null; record: AuditRecord };

const lineField = (name: string) => sql<string>`(l.line::jsonb ->> ${name})`;

async function waitingStage(db: RecordDb | Transaction<RecordDatabase>, ref: StageRef): Promise<WaitingStage | undefined> {
  return db
    .selectFrom('inbox_lines as l')
    .innerJoin('entries as e', 'e.entry_id', 'l.entry_id')
    .select(['l.entry_id as entryId', lineField('title').as('title'), 'l.awaiting', 'l.awaiting_since as awaitingSince', 'e.party_name as partyName', 'l.due_by as dueBy'])
    .where('e.party_id', '=', ref.partyId)
    .where('e.status', '=', ENTRY_STATUS.IN_PROGRESS)
    .where(lineField('stage'), '=', ref.stage)
    .where(sql<string>`coalesce(${lineField('role')}, '')`, '=', ref.role)
    .executeTakeFirst();
}

/** The claim held on the stage's current wait, if any. */
async function heldClaim(db: RecordDb | Transaction<RecordDatabase>, entryId: string, ref: StageRef, wait: WaitingStage): Promise<StageClaim | undefined> {
  const row = await db
    .selectFrom('stage_claims')
    .select(['claimant', 'claimed_by', 'claimed_at'])
    .where('entry_id', '=', entryId)
    .where('stage', '=', ref.stage)
    .where('role', '=', ref.role)
    .where('awaiting', '=', wait.awaiting)
    .where(sql<boolean>`awaiting_since is not distinct from ${wait.awaitingSince}`)
    .executeTakeFirst();
  return row ? { claimant: row.claimant, claimedBy: row.claimed_by, claimedAt: new Date(row.claimed_at).toISOString() } : undefined;
}

/** The stage as it waits now, with its claim: undefined when it waits on nobody. */
export async function stageClaim(db: RecordDb, ref: StageRef): Promise<{ stage: WaitingStage; claim: StageClaim | undefined } | undefined> {
  const stage = await waitingStage(db, ref);
  return stage ? { stage, claim: await heldClaim(db, stage.entryId, ref, stage) } : undefined;
}

/** The officer a principal is, as a claim names them. */
export const holderOf = (p: Principal): ClaimHolder => ({ id: p.id, ...(p.name !== undefined ? { name: p.name } : {}) });
const samePerson = (a: Principal, b: Principal) => a.body === b.body && a.id === b.id;

/**
 * Gives the stage's current wait to `claimant` (null: back to the body's queue), as `by` asks.
 * Refused unless the stage waits on `by`'s body; a claim another officer holds is changed only
 * with `takeOver`. Claiming what one already holds, or releasing what nobody holds, changes nothing.
 */
export async function changeClaim(db: RecordDb, ref: StageRef, by: Principal, claimant: Principal | null, takeOver: boolean, at: Date): Promise<ClaimChange> {
  return retriedOnSeqClash(() =>
    db.transaction().execute(async (tx): Promise<ClaimChange> => {
      const entry = await tx.selectFrom('entries').select(['entry_id', 'chain_id', 'run_id']).where('party_id', '=', ref.partyId).where('status', '=', ENTRY_STATUS.IN_PROGRESS).forUpdate().executeTakeFirst();
      if (!entry) return { outcome: 'NOT_WAITING' };
      const stage = await waitingStage(tx, ref);
      if (!stage) return { outcome: 'NOT_WAITING' };
      if (stage.awaiting !== by.body) return { outcome: 'WAITING_ON', stage };
      const held = await heldClaim(tx, entry.entry_id, ref, stage);
      if (claimant === null ? held === undefined : held !== undefined && samePerson(held.claimant, claimant)) return { outcome: 'UNCHANGED', stage, claim: held ?? null };
      if (held && !samePerson(held.claimant, by) && !takeOver) return { outcome: 'HELD', stage, claim: held };

      const key = { entry_id: entry.entry_id, stage: ref.stage, role: ref.role };
      const claim: StageClaim | null = claimant === null ? null : { claimant, claimedBy: by, claimedAt: at.toISOString() };
      const record: AuditRecord = {
        seq: 0,
        at: at.toISOString(),
        action: claimant === null ? AUDIT_ACTION.RELEASED : AUDIT_ACTION.CLAIMED,
        principal: by,
        stage: ref.stage as AuditRecord['stage'],
        ...(ref.role !== '' ? { role: ref.role as AuditRecord['role'] } : {}),
        ...(claimant !== null ? { assignee: holderOf(claimant) } : {}),
        ...(held ? { previousAssignee: holderOf(held.claimant) } : {}),
      };
      await tx.deleteFrom('stage_claims').where('entry_id', '=', key.entry_id).where('stage', '=', key.stage).where('role', '=', key.role).execute();
      if (claim) {
        await tx
          .insertInto('stage_claims')
          .values({ ...key, awaiting: stage.awaiting, awaiting_since: stage.awaitingSince, claimant: JSON.stringify(claim.claimant), claimed_by: JSON.stringify(claim.claimedBy), claimed_at: claim.claimedAt })
          .execute();
      }
      let written = record;
      await appendOwnRow(tx, entry.entry_id, entry.chain_id, `claim:${randomUUID()}`, entry.run_id, (seq) => (written = { ...record, seq }));
      if (claimant !== null && !samePerson(claimant, by)) await tellAssignee(tx, ref, stage, claimant, by, at);
      return { outcome: 'CHANGED', stage, claim, record: written };
    }),
  );
}

/** The colleague a stage was given to is told (the outbox; their email as the request or the record knows it). */
async function tellAssignee(tx: Transaction<RecordDatabase>, ref: StageRef, stage: WaitingStage, assignee: Principal, by: Principal, at: Date): Promise<void> {
  const email = assignee.email ?? (await knownEmailOf(tx, assignee));
  const notice = stageAssignedNotice({
    entryId: stage.entryId,
    partyId: ref.partyId,
    partyName: stage.partyName,
    stage: ref.stage as StageId,
    ...(ref.role !== '' ? { role: ref.role as UserRole } : {}),
    title: stage.title,
    awaiting: stage.awaiting as Body,
    dueBy: stage.dueBy,
    assignee: { ...holderOf(assignee), ...(email ? { email } : {}) },
    assignedBy: holderOf(by),
    at: at.toISOString(),
  });
  await addPersonNotice(tx, assignee, notice);
}

/** A claim (`c`) on the wait an inbox line (`l`) stands for: its entry, stage and role, awaited body and since when. */
export const CLAIM_ON_LINE = sql<boolean>`c.entry_id = l.entry_id and c.awaiting = l.awaiting and c.awaiting_since is not distinct from l.awaiting_since
  and c.stage = l.line::jsonb ->> 'stage' and c.role = coalesce(l.line::jsonb ->> 'role', '')`;

/** A claim on one of an entry's stages, as the entry's page shows it. */
export interface ClaimOnStage extends StageClaim {
  stage: string;
  role: string;
}

/** The claims on the waits of a Party's entry in progress (a claim on a wait that ended is not one). */
export async function entryClaims(db: RecordDb, partyId: string): Promise<ClaimOnStage[]> {
  const rows = await db
    .selectFrom('stage_claims as c')
    .innerJoin('entries as e', 'e.entry_id', 'c.entry_id')
    .innerJoin('inbox_lines as l', (j) => j.on(CLAIM_ON_LINE))
    .select(['c.stage', 'c.role', 'c.claimant', 'c.claimed_by', 'c.claimed_at'])
    .where('e.party_id', '=', partyId)
    .where('e.status', '=', ENTRY_STATUS.IN_PROGRESS)
    .orderBy('c.stage')
    .orderBy('c.role')
    .execute();
  return rows.map((r) => ({ stage: r.stage, role: r.role, claimant: r.claimant, claimedBy: r.claimed_by, claimedAt: new Date(r.claimed_at).toISOString() }));
}

/** Each body's claims on what awaits it now, in brief: their number and latest change, for the live inbox's mark. */
export async function claimMarks(db: RecordDb): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('stage_claims')
    .groupBy('awaiting')
    .select(['awaiting', sql<string>`count(*)::text || ':' || extract(epoch from max(claimed_at))::text`.as('mark')])
    .execute();
  return new Map(rows.map((r) => [r.awaiting, r.mark]));
}
