/**
 * What the business metrics (api/business-metrics.ts) read of the record: grouped counts, never
 * a row per entry, so a scrape costs the same few queries however many entries there are. What
 * time moves (at risk, in breach, overdue) is left to the API's clock: the groups carry the facts
 * it is computed from.
 */
import { sql } from 'kysely';
import { ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from './db';

/** Entries sharing a status, a cohort and the facts their standing is computed from. */
export interface EntryGroup {
  status: string;
  cohort: string;
  remainingWorkingDays: number;
  mandateDeadline: string | null;
  calendarVersion: string;
  count: number;
}

/** Open stages of entries in progress awaiting one body, due the same day. */
export interface StageGroup {
  awaiting: string;
  dueBy: string | null;
  calendarVersion: string;
  count: number;
  /** ISO instant: the longest-waiting stage of the group, or null when none says */
  oldestAwaitingSince: string | null;
}

export interface NoticeGroup {
  kind: string;
  count: number;
}

export async function entryGroups(db: RecordDb): Promise<EntryGroup[]> {
  const rows = await db
    .selectFrom('entries')
    .select([
      'status',
      'cohort',
      'remaining_working_days as remainingWorkingDays',
      'mandate_deadline as mandateDeadline',
      'calendar_version as calendarVersion',
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy(['status', 'cohort', 'remaining_working_days', 'mandate_deadline', 'calendar_version'])
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

export async function openStageGroups(db: RecordDb): Promise<StageGroup[]> {
  const rows = await db
    .selectFrom('inbox_lines as l')
    .innerJoin('entries as e', 'e.entry_id', 'l.entry_id')
    .select([
      'l.awaiting',
      'l.due_by as dueBy',
      'e.calendar_version as calendarVersion',
      sql<number>`count(*)::int`.as('count'),
      sql<string | null>`min(l.awaiting_since)`.as('oldestAwaitingSince'),
    ])
    .where('e.status', '=', ENTRY_STATUS.IN_PROGRESS)
    .groupBy(['l.awaiting', 'l.due_by', 'e.calendar_version'])
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/**
 * Notices not delivered although due more than `graceMs` ago, due within `windowMs` (a delivery
 * retries for up to 7 days, after which the notice is given up), by kind.
 */
export async function undeliveredNoticeGroups(db: RecordDb, now: number, graceMs: number, windowMs: number): Promise<NoticeGroup[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['kind', sql<number>`count(*)::int`.as('count')])
    .where('delivered_at', 'is', null)
    .where('due_at', '<', new Date(now - graceMs))
    .where('due_at', '>=', new Date(now - windowMs))
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, count: Number(r.count) }));
}
