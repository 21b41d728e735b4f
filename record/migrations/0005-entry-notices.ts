/**
 * Every change of an entry's row is announced on ENTRY_NOTICE_CHANNEL once it commits (a trigger's
 * pg_notify), with the row's mark: the API's read-your-write wait (api/record-catch-up.ts) then
 * answers as soon as the worker's write commits instead of polling for it. Whoever writes the row
 * (a projection, the reconciler, a rebuild) announces it; nobody listening costs next to nothing.
 */
import { sql, type Kysely } from 'kysely';
import { ENTRY_NOTICE_CHANNEL } from '../notices';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE FUNCTION uep_announce_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify(${sql.lit(ENTRY_NOTICE_CHANNEL)},
        json_build_object('entryId', NEW.entry_id, 'chainId', NEW.chain_id, 'asOf', NEW.as_of, 'status', NEW.status)::text);
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER entries_announce AFTER INSERT OR UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION uep_announce_entry()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
