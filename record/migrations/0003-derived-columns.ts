/**
 * The columns bulk reads need of each entry's state (record/derived.ts), so that the inbox and the
 * compliance report read no state: added, filled for every entry already recorded, then required.
 */
import { sql, type Kysely } from 'kysely';
import type { RecordDb } from '../db';
import { openStagesOf, summarise } from '../../domain';
import { derivedOf, recordedStatesForDerivation } from '../derived';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('entries')
    .addColumn('remaining_working_days', 'integer')
    .addColumn('roles_complete', 'integer')
    .addColumn('calendar_version', 'text')
    .addColumn('open_stage_summaries', 'json')
    .execute();

  for await (const { entryId, state, asOfMs } of recordedStatesForDerivation(db as unknown as RecordDb)) {
    // only this migration's columns (0004 replaced open_stage_summaries with rendered inbox lines)
    const { remaining_working_days, roles_complete, calendar_version } = derivedOf(state, asOfMs).columns;
    await sql`UPDATE entries SET remaining_working_days = ${remaining_working_days}, roles_complete = ${roles_complete},
      calendar_version = ${calendar_version}, open_stage_summaries = ${JSON.stringify(openStagesOf(summarise(state, asOfMs)))}::json
      WHERE entry_id = ${entryId}`.execute(db);
  }

  for (const column of ['remaining_working_days', 'roles_complete', 'calendar_version', 'open_stage_summaries']) {
    await sql`ALTER TABLE entries ALTER COLUMN ${sql.id(column)} SET NOT NULL`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
