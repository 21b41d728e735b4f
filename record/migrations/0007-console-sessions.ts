/**
 * The console's sign-ins, kept in the record so that a restart or a second API process keeps them:
 * a sign-in under way (the OpenID Connect state, PKCE verifier and nonce, used once) and a session
 * (what the browser's cookie names, by its hash only). The engine role reads and writes both and
 * deletes them when they end.
 */
import { sql, type Kysely } from 'kysely';
import { ENGINE_ROLE } from './0002-engine-role';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE console_sign_ins (
    state_sha256 text PRIMARY KEY,
    code_verifier text NOT NULL,
    nonce text NOT NULL,
    return_to text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE console_sessions (
    id_sha256 text PRIMARY KEY,
    csrf_token text NOT NULL,
    principal jsonb NOT NULL,
    subject text NOT NULL,
    id_token text NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX console_sessions_subject ON console_sessions (subject)`.execute(db);
  await sql`REVOKE ALL ON console_sign_ins, console_sessions FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON console_sign_ins, console_sessions TO ${sql.id(ENGINE_ROLE)}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
