/**
 * The record's lag behind the workflows while the benchmark drives entries: for every audit row of
 * the run's entries, the time from the command (workflow time) to its row in PostgreSQL.
 */
import { sql } from 'kysely';
import { openRecord } from '../record/db';
import { summarize, type LatencySummary } from './stats';

export async function recordLag(url: string, entryIdPrefix: string): Promise<LatencySummary> {
  const db = openRecord(url, { maxConnections: 1, allowExitOnIdle: true });
  try {
    const rows = await db
      .selectFrom('audit')
      .select(sql<number>`extract(epoch from (recorded_at - at)) * 1000`.as('lag'))
      .where('entry_id', 'like', `${entryIdPrefix}%`)
      .execute();
    return summarize(rows.map((r) => Number(r.lag)));
  } finally {
    await db.destroy();
  }
}
