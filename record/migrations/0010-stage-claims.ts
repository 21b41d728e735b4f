/**
 * Who works which waiting stage: a claim per stage of an entry (role '' for an entry-wide stage),
 * held for the wait it was made in (the stage's awaiting body and since when). Claiming, taking
 * over, assigning and releasing are written to the entry's audit trail by the record; a claim's
 * change is announced on the entry's notice channel (migration 0005), so every live inbox sees it.
 */
import { sql, type Kysely } from 'kysely';
import { ENTRY_NOTICE_CHANNEL } from '../notices';
import { ENGINE_ROLE } from './0002-engine-role';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE stage_claims (
    entry_id text NOT NULL,
    stage text NOT NULL,
    role text NOT NULL,
    awaiting text NOT NULL,
    awaiting_since text,
    claimant jsonb NOT NULL,
    claimed_by jsonb NOT NULL,
    claimed_at timestamptz NOT NULL,
    PRIMARY KEY (entry_id, stage, role)
  )`.execute(db);
  await sql`CREATE INDEX stage_claims_awaiting ON stage_claims (awaiting)`.execute(db);
  await sql`CREATE FUNCTION uep_announce_claim() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify(${sql.lit(ENTRY_NOTICE_CHANNEL)},
        json_build_object('entryId', e.entry_id, 'chainId', e.chain_id, 'asOf', e.as_of, 'status', e.status)::text)
        FROM entries e WHERE e.entry_id = COALESCE(NEW.entry_id, OLD.entry_id);
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER stage_claims_announce AFTER INSERT OR UPDATE OR DELETE ON stage_claims FOR EACH ROW EXECUTE FUNCTION uep_announce_claim()`.execute(db);
  await sql`REVOKE ALL ON stage_claims FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON stage_claims TO ${sql.id(ENGINE_ROLE)}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
