/**
 * The role the engine (worker and API) connects as: it reads everything, writes the projection,
 * and can only append to the audit trail. Deployments log in as a member of it
 * (docs/operations.md); the migrations run as the tables' owner.
 */
import { sql, type Kysely } from 'kysely';

export const ENGINE_ROLE = 'uep_engine';

export async function up(db: Kysely<unknown>): Promise<void> {
  const role = sql.id(ENGINE_ROLE);
  await sql`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${sql.lit(ENGINE_ROLE)}) THEN CREATE ROLE ${role} NOLOGIN; END IF;
    END $$`.execute(db);
  await sql`REVOKE ALL ON entries, entry_chains, audit, notifications, closures FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON entries, entry_chains, notifications, closures TO ${role}`.execute(db);
  await sql`GRANT SELECT, INSERT ON audit TO ${role}`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM ${role}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
