/**
 * Both Temporal databases (temporal, temporal_visibility) created and brought up to the schema
 * version of the pinned server with its own schema tool, as deploy/temporal/setup-postgres.sh
 * does in compose. Idempotent: an existing database is kept, applied versions are skipped.
 */
import path from 'node:path';
import { PG_PASSWORD, PG_USER } from './postgres';
import { runToEnd } from './processes';
import type { ServerBinaries } from './server-build';

const DATABASES = [
  { name: 'temporal', dir: 'temporal' },
  { name: 'temporal_visibility', dir: 'visibility' },
] as const;

export function setUpSchemas(binaries: ServerBinaries, pgPort: number): void {
  const tool = (db: string, args: string[]) =>
    runToEnd(binaries.sqlTool, ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgPort), '-u', PG_USER, '--db', db, ...args], { env: { SQL_PASSWORD: PG_PASSWORD } });
  for (const { name, dir } of DATABASES) {
    try {
      tool(name, ['create-database']);
    } catch (err) {
      if (!/already exists/i.test(String(err))) throw err;
    }
    tool(name, ['setup-schema', '-v', '0.0']);
    tool(name, ['update-schema', '-d', path.join(binaries.schemaDir, dir, 'versioned')]);
  }
}
