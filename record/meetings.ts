/** The meeting calendar in the record: each version a row (migration 0008), the newest the calendar. */
import { sql } from 'kysely';
import { FIRST_CATALOGUE_VERSION } from '../domain/catalogue';
import type { MeetingCalendar } from '../domain/meetings';
import { ENTRY_STATUS, type Body, type Principal } from '../domain/vocabulary';
import type { RecordDb } from './db';

export interface RecordedCalendar extends MeetingCalendar {
  changedBy: string;
  changedAt: string;
}

/** The newest version, or null before the first. */
export async function currentMeetingCalendar(db: RecordDb): Promise<RecordedCalendar | null> {
  const row = await db.selectFrom('meeting_calendars').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? recorded(row) : null;
}

/** One version, or null when the record has none of that number. */
export async function meetingCalendarVersion(db: RecordDb, version: number): Promise<RecordedCalendar | null> {
  const row = await db.selectFrom('meeting_calendars').selectAll().where('version', '=', version).executeTakeFirst();
  return row ? recorded(row) : null;
}

/** The newest version's number (0 before the first). */
export async function newestCalendarVersion(db: RecordDb): Promise<number> {
  const row = await db.selectFrom('meeting_calendars').select((eb) => eb.fn.max('version').as('version')).executeTakeFirst();
  return row?.version ?? 0;
}

function recorded(row: { version: number; meetings: MeetingCalendar['meetings']; changed_by: string; changed_at: Date | string }): RecordedCalendar {
  return { version: row.version, meetings: row.meetings, changedBy: row.changed_by, changedAt: new Date(row.changed_at).toISOString() };
}

/** Who changed a version, as `changed_by` holds it: 'SECAS:secas-officer'. */
export const changedByOf = (principal: Principal): string => `${principal.body}:${principal.id}`;

/** The keeper `changed_by` names, as a principal (without the name and email the API knew). */
export function principalOfChangedBy(changedBy: string): Principal {
  const at = changedBy.indexOf(':');
  return { body: changedBy.slice(0, at) as Body, id: changedBy.slice(at + 1) };
}

/** Appends `calendar` as its version; false when that version is already taken (someone else's change came first). */
export async function addMeetingCalendar(db: RecordDb, calendar: MeetingCalendar, changedBy: Principal): Promise<boolean> {
  const inserted = await db
    .insertInto('meeting_calendars')
    .values({ version: calendar.version, meetings: JSON.stringify(calendar.meetings), changed_by: changedByOf(changedBy) })
    .onConflict((oc) => oc.column('version').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * The running entries that take meetings (catalogue v2 on; v1 has none), each with the calendar
 * version its state holds (0: none yet). The record's state lags its workflow by a moment: an
 * entry it shows behind may hold the version already (it then refuses it as held).
 */
function runningWithMeetings(db: RecordDb) {
  return db
    .selectFrom('entries')
    .where('status', '=', ENTRY_STATUS.IN_PROGRESS)
    .where(sql<string>`state->>'catalogueVersion'`, '!=', FIRST_CATALOGUE_VERSION);
}
const heldVersion = sql<number>`coalesce((state->'meetings'->>'version')::int, 0)`;

/** The Parties whose running entries hold an older calendar than `version`: those its push is still to reach. */
export async function partiesBehind(db: RecordDb, version: number): Promise<string[]> {
  const rows = await runningWithMeetings(db).select('party_id').where(heldVersion, '<', version).orderBy('party_id').execute();
  return rows.map((r) => r.party_id);
}

export interface CalendarReach {
  /** Running entries that hold `version` (or a newer one). */
  holding: number;
  /** Running entries still to take it. */
  toTake: number;
}

/** How far `version` has reached the running entries, as the record shows them. */
export async function calendarReach(db: RecordDb, version: number): Promise<CalendarReach> {
  const row = await runningWithMeetings(db)
    .select([sql<string>`count(*) filter (where ${heldVersion} >= ${version})`.as('holding'), sql<string>`count(*) filter (where ${heldVersion} < ${version})`.as('to_take')])
    .executeTakeFirstOrThrow();
  return { holding: Number(row.holding), toTake: Number(row.to_take) };
}
