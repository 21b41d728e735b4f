/**
 * Notices to a person in the record (migration 0012): how each person chose to be told, the
 * outbox of notices to a person (written in the transaction of what caused them, drained by the
 * worker: worker/person-notices.ts). What a digest lists is in record/notice-digests.ts.
 */
import { sql, type Transaction } from 'kysely';
import { DEFAULT_NOTICE_CADENCE, type NoticeCadence } from '../domain/person-notices';
import type { Notification } from '../domain/types';
import type { Body, Principal } from '../domain/vocabulary';
import type { RecordDb } from './db';
import type { RecordDatabase } from './schema';

type Db = RecordDb | Transaction<RecordDatabase>;

/** A person as a notice reaches them: their body and id (as their sign-in names them). */
export interface PersonRef {
  body: Body;
  id: string;
}

export interface NoticeSetting {
  cadence: NoticeCadence;
  /** ISO instant of the person's last choice; null: never chosen (the default applies) */
  changedAt: string | null;
}

/** The person's choice, or the default (at once) when they never chose. */
export async function noticeSettingOf(db: Db, person: PersonRef): Promise<NoticeSetting> {
  const row = await db.selectFrom('person_notice_settings').select(['cadence', 'changed_at']).where('body', '=', person.body).where('person_id', '=', person.id).executeTakeFirst();
  return row ? { cadence: row.cadence as NoticeCadence, changedAt: new Date(row.changed_at).toISOString() } : { cadence: DEFAULT_NOTICE_CADENCE, changedAt: null };
}

/** Keeps the principal's choice, with their name, email and Party as their sign-in gives them now. */
export async function setNoticeSetting(db: RecordDb, principal: Principal, cadence: NoticeCadence, at: Date): Promise<NoticeSetting> {
  const values = { cadence, party_id: principal.partyId ?? null, name: principal.name ?? null, email: principal.email ?? null, changed_at: at };
  await db
    .insertInto('person_notice_settings')
    .values({ body: principal.body, person_id: principal.id, ...values })
    .onConflict((oc) => oc.columns(['body', 'person_id']).doUpdateSet({ ...values, email: sql<string | null>`coalesce(excluded.email, person_notice_settings.email)` }))
    .execute();
  return { cadence, changedAt: at.toISOString() };
}

/**
 * The person's email as the record knows it: from their notice settings, else from their latest
 * console session (their sign-in's email claim); undefined when they never signed in with one.
 */
export async function knownEmailOf(db: Db, person: PersonRef): Promise<string | undefined> {
  const set = await db.selectFrom('person_notice_settings').select('email').where('body', '=', person.body).where('person_id', '=', person.id).executeTakeFirst();
  if (set?.email) return set.email;
  const session = await db
    .selectFrom('console_sessions')
    .select(sql<string | null>`principal ->> 'email'`.as('email'))
    .where(sql<string>`principal ->> 'body'`, '=', person.body)
    .where(sql<string>`principal ->> 'id'`, '=', person.id)
    .where(sql<string | null>`principal ->> 'email'`, 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return session?.email ?? undefined;
}

/** Puts a notice to a person in the outbox; a notice already there (same id) is left as it is. */
export async function addPersonNotice(db: Db, person: PersonRef, notice: Notification): Promise<void> {
  await db
    .insertInto('person_notices')
    .values({ id: notice.id, body: person.body, person_id: person.id, notice: JSON.stringify(notice) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** A notice in the outbox not handed to delivery yet, with how its person chose to be told. */
export interface PendingPersonNotice {
  notice: Notification;
  person: PersonRef;
  cadence: NoticeCadence;
  /** The email the record knows for the person now (their settings' or their sign-in's) */
  email: string | undefined;
}

/** The oldest notices not handed over yet, at most `limit`. */
export async function pendingPersonNotices(db: RecordDb, limit: number): Promise<PendingPersonNotice[]> {
  const rows = await db
    .selectFrom('person_notices as n')
    .leftJoin('person_notice_settings as s', (j) => j.onRef('s.body', '=', 'n.body').onRef('s.person_id', '=', 'n.person_id'))
    .select(['n.notice', 'n.body', 'n.person_id', 's.cadence'])
    .where('n.handed_over_at', 'is', null)
    .orderBy('n.recorded_at')
    .limit(limit)
    .execute();
  return Promise.all(
    rows.map(async (r) => {
      const person = { body: r.body as Body, id: r.person_id };
      return { notice: r.notice, person, cadence: (r.cadence as NoticeCadence | null) ?? DEFAULT_NOTICE_CADENCE, email: await knownEmailOf(db, person) };
    }),
  );
}

/** The notice is with delivery (or folded into the person's digest): never handed over again. */
export async function markPersonNoticeHandedOver(db: RecordDb, id: string, as: NoticeCadence, at: Date): Promise<void> {
  await db.updateTable('person_notices').set({ handed_over_at: at, handed_as: as }).where('id', '=', id).where('handed_over_at', 'is', null).execute();
}
