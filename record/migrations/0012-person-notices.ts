/**
 * Notices to a person (not a body's shared route): each person's choice of how they are told
 * (at once, or in a daily digest), the outbox of notices to a person written in the same
 * transaction as what caused them (a stage assigned to a colleague: record/stage-claims.ts), so a
 * crash of the API after the commit loses none, and the digests sent, one per person and day.
 * The worker drains the outbox (worker/person-notices.ts); docs/architecture.md says why so.
 */
import { sql, type Kysely } from 'kysely';
import { ENGINE_ROLE } from './0002-engine-role';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE person_notice_settings (
    body text NOT NULL,
    person_id text NOT NULL,
    cadence text NOT NULL CHECK (cadence IN ('IMMEDIATE', 'DAILY_DIGEST')),
    party_id text,
    name text,
    email text,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (body, person_id)
  )`.execute(db);
  await sql`CREATE INDEX person_notice_settings_digest ON person_notice_settings (cadence) WHERE cadence = 'DAILY_DIGEST'`.execute(db);
  await sql`CREATE TABLE person_notices (
    id text PRIMARY KEY,
    body text NOT NULL,
    person_id text NOT NULL,
    notice jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    handed_over_at timestamptz,
    handed_as text
  )`.execute(db);
  await sql`CREATE INDEX person_notices_pending ON person_notices (recorded_at) WHERE handed_over_at IS NULL`.execute(db);
  await sql`CREATE TABLE notice_digests (
    body text NOT NULL,
    person_id text NOT NULL,
    day date NOT NULL,
    items integer NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (body, person_id, day)
  )`.execute(db);
  await sql`REVOKE ALL ON person_notice_settings, person_notices, notice_digests FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON person_notice_settings, person_notices, notice_digests TO ${sql.id(ENGINE_ROLE)}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
