/**
 * Both Temporal databases (temporal, temporal_visibility) created and brought up to the schema
 * version of the pinned server with its own schema tool, as deploy/temporal/setup-postgres.sh
 * does in compose, and the engine's record database (uep) beside them, migrated. Idempotent: an
 * existing database is kept, applied versions are skipped.
 */
import path from 'node:path';
import { migrateRecord, openRecord } from '../../record/db';
import { PG_PASSWORD, PG_USER } from './postgres';
import { runToEnd } from './processes';
import type { ServerBinaries } from './server-build';

const DATABASES = [
  { name: 'temporal', dir: 'temporal' },
  { name: 'temporal_visibility', dir: 'visibility' },
] as const;

/** The engine's record (PostgreSQL) in the cluster's server. */
export const RECORD_DATABASE = 'uep';

const sqlTool = (binaries: ServerBinaries, pgPort: number, db: string, args: string[]) =>
  runToEnd(binaries.sqlTool, ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgPort), '-u', PG_USER, '--db', db, ...args], { env: { SQL_PASSWORD: PG_PASSWORD } });

function createDatabase(binaries: ServerBinaries, pgPort: number, db: string): void {
  try {
    sqlTool(binaries, pgPort, db, ['create-database']);
  } catch (err) {
    if (!/already exists/i.test(String(err))) throw err;
  }
}

export function setUpSchemas(binaries: ServerBinaries, pgPort: number): void {
  const tool = (db: string, args: string[]) => sqlTool(binaries, pgPort, db, args);
  for (const { name, dir } of DATABASES) {
    createDatabase(binaries, pgPort, name);
    tool(name, ['setup-schema', '-v', '0.0']);
    tool(name, ['update-schema', '-d', path.join(binaries.schemaDir, dir, 'versioned')]);
  }
}

/** Creates the record database if need be and migrates it to the latest schema; answers its URL. */
export async function setUpRecord(binaries: ServerBinaries, pgPort: number): Promise<string> {
  createDatabase(binaries, pgPort, RECORD_DATABASE);
  const url = `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${pgPort}/${RECORD_DATABASE}`;
  const db = openRecord(url, { maxConnections: 1, allowExitOnIdle: true });
  try {
    await migrateRecord(db);
  } finally {
    await db.destroy();
  }
  return url;
}
