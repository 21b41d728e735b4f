/**
 * The inbox's and the compliance report's lines kept rendered as JSON text (record/derived.ts):
 * one inbox line per open stage (table inbox_lines, replacing 0003's open stage summaries) and one
 * compliance line per entry, so that a bulk read over thousands of entries parses and serialises
 * none of what only a transition changes. Filled for every entry already recorded.
 */
import { sql, type Kysely } from 'kysely';
import type { RecordDb } from '../db';
import { derivedOf, recordedStatesForDerivation, replaceInboxLines } from '../derived';
import { ENGINE_ROLE } from './0002-engine-role';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbox_lines')
    .addColumn('entry_id', 'text', (c) => c.notNull().references('entries.entry_id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('awaiting', 'text', (c) => c.notNull())
    .addColumn('due_by', 'date')
    .addColumn('awaiting_since', 'text')
    .addColumn('line', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_lines_pkey', ['entry_id', 'position'])
    .execute();
  await db.schema.createIndex('inbox_lines_awaiting').on('inbox_lines').column('awaiting').execute();
  await sql`REVOKE ALL ON inbox_lines FROM PUBLIC`.execute(db);
  // the lines of an entry are replaced whole at each projection
  await sql`GRANT SELECT, INSERT, DELETE ON inbox_lines TO ${sql.id(ENGINE_ROLE)}`.execute(db);
  await db.schema.alterTable('entries').addColumn('report_line', 'text').execute();

  const record = db as unknown as RecordDb;
  for await (const { entryId, state, asOfMs } of recordedStatesForDerivation(record)) {
    const { columns, inboxLines } = derivedOf(state, asOfMs);
    await record.updateTable('entries').set({ report_line: columns.report_line }).where('entry_id', '=', entryId).execute();
    await replaceInboxLines(record, entryId, inboxLines);
  }
  await sql`ALTER TABLE entries ALTER COLUMN report_line SET NOT NULL`.execute(db);
  await db.schema.alterTable('entries').dropColumn('open_stage_summaries').execute();
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
