/**
 * Each body's inbox in brief, for the live inbox (api/inbox-feed.ts): how many stages await it, how
 * many of those are overdue, and a mark that moves whenever any of them changes (the sum of their
 * entries' recorded instants: every write of an entry's row moves its own, so a change is seen even
 * when a slower transaction commits an older instant than the newest one held; and the body's
 * claims, so a stage claimed or released is seen too).
 */
import { sql } from 'kysely';
import { ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from './db';
import { claimMarks } from './stage-claims';

export interface InboxCount {
  /** The body the stages await (PARTY: the Party's turn), as the inbox lines hold it. */
  awaiting: string;
  count: number;
  overdue: number;
  mark: string;
}

/** One grouped read over the open entries' inbox lines; `today` (YYYY-MM-DD) decides what is overdue. */
export async function inboxCounts(db: RecordDb, today: string): Promise<InboxCount[]> {
  const rows = await db
    .selectFrom('inbox_lines as l')
    .innerJoin('entries as e', 'e.entry_id', 'l.entry_id')
    .where('e.status', '=', ENTRY_STATUS.IN_PROGRESS)
    .groupBy('l.awaiting')
    .select([
      'l.awaiting',
      sql<number>`count(*)::int`.as('count'),
      sql<number>`(count(*) filter (where l.due_by < ${today}))::int`.as('overdue'),
      sql<string>`sum(extract(epoch from e.recorded_at))::text`.as('mark'),
    ])
    .execute();
  const claims = await claimMarks(db);
  return rows.map((r) => ({ awaiting: r.awaiting, count: Number(r.count), overdue: Number(r.overdue), mark: `${String(r.mark)}|${claims.get(r.awaiting) ?? ''}` }));
}
