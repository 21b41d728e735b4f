/**
 * A Party's people, invited by email and bound by their IdP subject once they accept: the
 * invitations (the link's token by its SHA-256 only, used once, expiring), the members, and what
 * happened to both (invited, accepted, removed), each with who did it.
 */
import { sql, type Kysely } from 'kysely';
import { ENGINE_ROLE } from './0002-engine-role';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE party_invitations (
    token_sha256 text PRIMARY KEY,
    party_id text NOT NULL,
    email text NOT NULL,
    invited_by jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    used_by text
  )`.execute(db);
  await sql`CREATE TABLE party_members (
    party_id text NOT NULL,
    subject text NOT NULL,
    name text NOT NULL,
    email text,
    invited_by jsonb NOT NULL,
    accepted_at timestamptz NOT NULL,
    removed_at timestamptz,
    removed_by jsonb
  )`.execute(db);
  // one live membership per person: a person acts for one Party
  await sql`CREATE UNIQUE INDEX party_members_live_subject ON party_members (subject) WHERE removed_at IS NULL`.execute(db);
  await sql`CREATE INDEX party_members_party ON party_members (party_id)`.execute(db);
  await sql`CREATE TABLE party_membership_events (
    id bigserial PRIMARY KEY,
    party_id text NOT NULL,
    action text NOT NULL CHECK (action IN ('INVITED', 'ACCEPTED', 'REMOVED')),
    at timestamptz NOT NULL,
    principal jsonb NOT NULL,
    email text,
    subject text
  )`.execute(db);
  await sql`CREATE INDEX party_membership_events_party ON party_membership_events (party_id, id)`.execute(db);
  // which invitation a sign-in under way is accepting
  await sql`ALTER TABLE console_sign_ins ADD COLUMN invitation_sha256 text`.execute(db);
  await sql`REVOKE ALL ON party_invitations, party_members, party_membership_events FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON party_invitations, party_members TO ${sql.id(ENGINE_ROLE)}`.execute(db);
  await sql`GRANT SELECT, INSERT ON party_membership_events TO ${sql.id(ENGINE_ROLE)}`.execute(db);
  await sql`GRANT USAGE ON SEQUENCE party_membership_events_id_seq TO ${sql.id(ENGINE_ROLE)}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
