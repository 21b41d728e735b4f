/**
 * The daily digest's reads in the record: who chose it, what waits for each of them (their body's
 * waiting stages, with who works each), and which digests went out (one per person and day).
 */
import { sql } from 'kysely';
import { NOTICE_CADENCE, type DigestItem } from '../domain/person-notices';
import type { ClaimHolder } from '../domain/types';
import { BODY, ENTRY_STATUS, type Body, type StageId, type UserRole } from '../domain/vocabulary';
import type { RecordDb } from './db';
import type { PersonRef } from './person-notices';
import { CLAIM_ON_LINE } from './stage-claims';

/** A person who chose the daily digest, with what the digest needs of them. */
export interface DigestPerson extends PersonRef {
  name: string | null;
  email: string | null;
  partyId: string | null;
}

export async function digestPeople(db: RecordDb): Promise<DigestPerson[]> {
  const rows = await db
    .selectFrom('person_notice_settings')
    .select(['body', 'person_id', 'name', 'email', 'party_id'])
    .where('cadence', '=', NOTICE_CADENCE.DAILY_DIGEST)
    .orderBy('body')
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({ body: r.body as Body, id: r.person_id, name: r.name, email: r.email, partyId: r.party_id }));
}

/** A stage that waits, as a digest lists it, with who works it (the link is the worker's to make). */
export interface WaitingForPerson extends Omit<DigestItem, 'assignedBy' | 'heldBy' | 'link'> {
  claimant: ClaimHolder | null;
  claimedBy: ClaimHolder | null;
}

/**
 * What waits for the person: the stages of entries in progress awaiting their body (a Party
 * member: their own Party's), each with who works it, if anyone. Soonest due first.
 */
export async function waitingFor(db: RecordDb, person: DigestPerson): Promise<WaitingForPerson[]> {
  let q = db
    .selectFrom('inbox_lines as l')
    .innerJoin('entries as e', 'e.entry_id', 'l.entry_id')
    .leftJoin('stage_claims as c', (j) => j.on(CLAIM_ON_LINE))
    .select(['e.party_id', 'e.party_name', 'l.line', 'l.due_by', 'c.claimant', 'c.claimed_by'])
    .where('e.status', '=', ENTRY_STATUS.IN_PROGRESS)
    .where('l.awaiting', '=', person.body);
  if (person.body === BODY.PARTY) q = q.where('e.party_id', '=', person.partyId ?? '');
  const rows = await q.orderBy(sql`l.due_by nulls last`).orderBy('e.party_name').orderBy('l.position').execute();
  return rows.map((r) => {
    const line = JSON.parse(r.line) as { stage: StageId; role?: UserRole; title: string };
    return {
      partyId: r.party_id,
      partyName: r.party_name,
      stage: line.stage,
      ...(line.role ? { role: line.role } : {}),
      title: line.title,
      dueBy: r.due_by,
      claimant: r.claimant ? { id: r.claimant.id, ...(r.claimant.name ? { name: r.claimant.name } : {}) } : null,
      claimedBy: r.claimed_by ? { id: r.claimed_by.id, ...(r.claimed_by.name ? { name: r.claimed_by.name } : {}) } : null,
    };
  });
}

/** Whether the person's digest for `day` ('YYYY-MM-DD') went out already. */
export async function digestSent(db: RecordDb, person: PersonRef, day: string): Promise<boolean> {
  const row = await db.selectFrom('notice_digests').select('day').where('body', '=', person.body).where('person_id', '=', person.id).where('day', '=', day).executeTakeFirst();
  return row !== undefined;
}

export async function markDigestSent(db: RecordDb, person: PersonRef, day: string, items: number, at: Date): Promise<void> {
  await db
    .insertInto('notice_digests')
    .values({ body: person.body, person_id: person.id, day, items, sent_at: at })
    .onConflict((oc) => oc.columns(['body', 'person_id', 'day']).doNothing())
    .execute();
}
