/**
 * A Party's people in the record (migration 0009): invitations by the hash of their link's token,
 * used once and expiring; members bound by their IdP subject; and an event for every invitation,
 * acceptance and removal, with who did it. A person has one live membership at most.
 */
import { BODY, type Principal } from '../domain/vocabulary';
import type { RecordDb } from './db';

export const MEMBERSHIP_EVENT = { INVITED: 'INVITED', ACCEPTED: 'ACCEPTED', REMOVED: 'REMOVED' } as const;

export interface Invited {
  tokenSha256: string;
  partyId: string;
  email: string;
  invitedBy: Principal;
  at: Date;
  expiresAt: Date;
}

export interface Person {
  subject: string;
  name: string;
  email?: string;
}

export interface PartyMember {
  subject: string;
  name: string;
  email: string | null;
  invitedBy: Principal;
  acceptedAt: Date;
}

export interface MembershipEvent {
  action: keyof typeof MEMBERSHIP_EVENT;
  at: Date;
  principal: Principal;
  email: string | null;
  subject: string | null;
}

/** An invitation whose mail went out: kept, and written to the Party's membership events. */
export async function addInvitation(db: RecordDb, i: Invited): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('party_invitations')
      .values({ token_sha256: i.tokenSha256, party_id: i.partyId, email: i.email, invited_by: JSON.stringify(i.invitedBy), created_at: i.at, expires_at: i.expiresAt })
      .execute();
    await tx
      .insertInto('party_membership_events')
      .values({ party_id: i.partyId, action: MEMBERSHIP_EVENT.INVITED, at: i.at, principal: JSON.stringify(i.invitedBy), email: i.email, subject: null })
      .execute();
  });
}

export type InvitationLookup = { ok: true; partyId: string; email: string } | { ok: false; why: 'UNKNOWN' | 'USED' | 'EXPIRED'; expiresAt?: Date; usedAt?: Date };

/** Whether an invitation's link can still be followed. */
export async function invitationOf(db: RecordDb, tokenSha256: string, now: Date): Promise<InvitationLookup> {
  const row = await db.selectFrom('party_invitations').selectAll().where('token_sha256', '=', tokenSha256).executeTakeFirst();
  if (!row) return { ok: false, why: 'UNKNOWN' };
  if (row.used_at) return { ok: false, why: 'USED', usedAt: row.used_at };
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, why: 'EXPIRED', expiresAt: row.expires_at };
  return { ok: true, partyId: row.party_id, email: row.email };
}

export type Acceptance = { ok: true; partyId: string } | { ok: false; why: 'UNKNOWN' | 'USED' | 'EXPIRED' | 'OTHER_PARTY'; partyId?: string; expiresAt?: Date; usedAt?: Date };

/** Binds a signed-in person to the invitation's Party, once: the invitation is used up. */
export async function acceptInvitation(db: RecordDb, tokenSha256: string, person: Person, now: Date): Promise<Acceptance> {
  return db.transaction().execute(async (tx): Promise<Acceptance> => {
    const row = await tx.selectFrom('party_invitations').selectAll().where('token_sha256', '=', tokenSha256).forUpdate().executeTakeFirst();
    if (!row) return { ok: false, why: 'UNKNOWN' };
    if (row.used_at) return { ok: false, why: 'USED', usedAt: row.used_at };
    if (row.expires_at.getTime() <= now.getTime()) return { ok: false, why: 'EXPIRED', expiresAt: row.expires_at };
    const live = await tx.selectFrom('party_members').select('party_id').where('subject', '=', person.subject).where('removed_at', 'is', null).executeTakeFirst();
    if (live && live.party_id !== row.party_id) return { ok: false, why: 'OTHER_PARTY', partyId: live.party_id };
    await tx.updateTable('party_invitations').set({ used_at: now, used_by: person.subject }).where('token_sha256', '=', tokenSha256).execute();
    if (!live) {
      await tx
        .insertInto('party_members')
        .values({ party_id: row.party_id, subject: person.subject, name: person.name, email: person.email ?? null, invited_by: JSON.stringify(row.invited_by), accepted_at: now })
        .execute();
    }
    const principal: Principal = { body: BODY.PARTY, id: person.subject, partyId: row.party_id, name: person.name, ...(person.email ? { email: person.email } : {}) };
    await tx
      .insertInto('party_membership_events')
      .values({ party_id: row.party_id, action: MEMBERSHIP_EVENT.ACCEPTED, at: now, principal: JSON.stringify(principal), email: row.email, subject: person.subject })
      .execute();
    return { ok: true, partyId: row.party_id };
  });
}

/** The Party a person acts for by membership, if any. */
export async function memberPartyOf(db: RecordDb, subject: string): Promise<string | undefined> {
  const row = await db.selectFrom('party_members').select('party_id').where('subject', '=', subject).where('removed_at', 'is', null).executeTakeFirst();
  return row?.party_id;
}

export async function membersOf(db: RecordDb, partyId: string): Promise<PartyMember[]> {
  const rows = await db.selectFrom('party_members').selectAll().where('party_id', '=', partyId).where('removed_at', 'is', null).orderBy('accepted_at').execute();
  return rows.map((r) => ({ subject: r.subject, name: r.name, email: r.email, invitedBy: r.invited_by, acceptedAt: r.accepted_at }));
}

export async function membershipEventsOf(db: RecordDb, partyId: string): Promise<MembershipEvent[]> {
  const rows = await db.selectFrom('party_membership_events').selectAll().where('party_id', '=', partyId).orderBy('id').execute();
  return rows.map((r) => ({ action: r.action, at: r.at, principal: r.principal, email: r.email, subject: r.subject }));
}

/** Ends a live membership and the person's console sessions: true when there was one. */
export async function removeMember(db: RecordDb, partyId: string, subject: string, by: Principal, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const removed = await tx
      .updateTable('party_members')
      .set({ removed_at: now, removed_by: JSON.stringify(by) })
      .where('party_id', '=', partyId)
      .where('subject', '=', subject)
      .where('removed_at', 'is', null)
      .returning('subject')
      .executeTakeFirst();
    if (!removed) return false;
    // their console sessions end now, not at their idle end
    await tx.deleteFrom('console_sessions').where('subject', '=', subject).execute();
    await tx
      .insertInto('party_membership_events')
      .values({ party_id: partyId, action: MEMBERSHIP_EVENT.REMOVED, at: now, principal: JSON.stringify(by), email: null, subject })
      .execute();
    return true;
  });
}
