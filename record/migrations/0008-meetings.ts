/**
 * The meeting calendar (domain/meetings.ts): one row per version, appended by SECAS or OPS through
 * the API (PUT /v1/meetings) and never edited; the newest version is the calendar.
 */
import { sql, type Kysely } from 'kysely';
import { ENGINE_ROLE } from './0002-engine-role';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE meeting_calendars (
    version integer PRIMARY KEY CHECK (version >= 1),
    meetings jsonb NOT NULL,
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`REVOKE ALL ON meeting_calendars FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT ON meeting_calendars TO ${sql.id(ENGINE_ROLE)}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
