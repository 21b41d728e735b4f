/** The meeting calendar in the record: each version a row (migration 0008), the newest the calendar. */
import { sql } from 'kysely';
import { FIRST_CATALOGUE_VERSION } from '../domain/catalogue';
import type { MeetingCalendar } from '../domain/meetings';
import { ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from './db';

export interface RecordedCalendar extends MeetingCalendar {
  changedBy: string;
  changedAt: string;
}

/** The newest version, or null before the first. */
export async function currentMeetingCalendar(db: RecordDb): Promise<RecordedCalendar | null> {
  const row = await db.selectFrom('meeting_calendars').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  return { version: row.version, meetings: row.meetings, changedBy: row.changed_by, changedAt: new Date(row.changed_at).toISOString() };
}

/** Appends `calendar` as its version; false when that version is already taken (someone else's change came first). */
export async function addMeetingCalendar(db: RecordDb, calendar: MeetingCalendar, changedBy: string): Promise<boolean> {
  const inserted = await db
    .insertInto('meeting_calendars')
    .values({ version: calendar.version, meetings: JSON.stringify(calendar.meetings), changed_by: changedBy })
    .onConflict((oc) => oc.column('version').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}


/** The Parties whose entries are running under a catalogue with meetings (v1 has none): those a new calendar is sent to. */
export async function partiesTakingMeetings(db: RecordDb): Promise<string[]> {
  const rows = await db
    .selectFrom('entries')
    .select('party_id')
    .where('status', '=', ENTRY_STATUS.IN_PROGRESS)
    .where(sql<string>`state->>'catalogueVersion'`, '!=', FIRST_CATALOGUE_VERSION)
    .orderBy('party_id')
    .execute();
  return rows.map((r) => r.party_id);
}
