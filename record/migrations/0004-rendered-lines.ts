/**
 * The inbox's and the compliance report's lines kept rendered as JSON text (record/derived.ts), so
 * that a bulk read over thousands of entries parses and serialises none of what only a transition
 * changes: added, filled for every entry already recorded, then required. They replace the open
 * stage summaries of 0003.
 */
import { sql, type Kysely } from 'kysely';
import type { RecordDb } from '../db';
import { derivedColumns, recordedStatesForDerivation } from '../derived';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('entries').addColumn('inbox_lines', 'json').addColumn('report_line', 'text').execute();
  const record = db as unknown as RecordDb;
  for await (const { entryId, state, asOfMs } of recordedStatesForDerivation(record)) {
    const { inbox_lines, report_line } = derivedColumns(state, asOfMs);
    await record.updateTable('entries').set({ inbox_lines, report_line }).where('entry_id', '=', entryId).execute();
  }
  for (const column of ['inbox_lines', 'report_line']) {
    await sql`ALTER TABLE entries ALTER COLUMN ${sql.id(column)} SET NOT NULL`.execute(db);
  }
  await db.schema.alterTable('entries').dropColumn('open_stage_summaries').execute();
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
