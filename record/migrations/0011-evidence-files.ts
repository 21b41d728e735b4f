/**
 * Evidence files attached to a stage: each file's facts (who, when, its SHA-256) and its content
 * in chunks, so it is written and read in constant memory. A file is inserted in one transaction
 * with its FILE_ATTACHED audit row: a file refused half-way leaves nothing behind.
 */
import { sql, type Kysely } from 'kysely';
import { ENGINE_ROLE } from './0002-engine-role';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE evidence_files (
    file_id text PRIMARY KEY,
    entry_id text NOT NULL,
    stage text NOT NULL,
    role text NOT NULL,
    name text NOT NULL,
    content_type text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    uploaded_by jsonb NOT NULL,
    uploaded_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX evidence_files_entry ON evidence_files (entry_id)`.execute(db);
  await sql`CREATE TABLE evidence_file_chunks (
    file_id text NOT NULL REFERENCES evidence_files (file_id),
    n integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (file_id, n)
  )`.execute(db);
  await sql`REVOKE ALL ON evidence_files, evidence_file_chunks FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON evidence_files TO ${sql.id(ENGINE_ROLE)}`.execute(db);
  await sql`GRANT SELECT, INSERT ON evidence_file_chunks TO ${sql.id(ENGINE_ROLE)}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
