/**
 * The columns bulk reads need of each entry's state (record/derived.ts), so that the inbox and the
 * compliance report read no state: added, filled for every entry already recorded, then required.
 */
import { sql, type Kysely } from 'kysely';
import type { RecordDb } from '../db';
import { chainSubmissions, derivedColumns } from '../derived';

const BATCH = 500;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('entries')
    .addColumn('remaining_working_days', 'integer')
    .addColumn('roles_complete', 'integer')
    .addColumn('calendar_version', 'text')
    .addColumn('open_stage_summaries', 'json')
    .execute();

  const record = db as unknown as RecordDb;
  let after = '';
  for (;;) {
    const rows = await record.selectFrom('entries').select(['entry_id', 'chain_id', 'state', 'as_of']).where('entry_id', '>', after).orderBy('entry_id').limit(BATCH).execute();
    for (const row of rows) {
      const submissions = await chainSubmissions(record, row.entry_id, row.chain_id, row.state);
      await record
        .updateTable('entries')
        .set(derivedColumns({ ...row.state, audit: submissions }, row.as_of.getTime()))
        .where('entry_id', '=', row.entry_id)
        .execute();
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.entry_id;
  }

  for (const column of ['remaining_working_days', 'roles_complete', 'calendar_version', 'open_stage_summaries']) {
    await sql`ALTER TABLE entries ALTER COLUMN ${sql.id(column)} SET NOT NULL`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
