/**
 * Opens the record: Kysely over node-postgres, the same SQL whether the server is a real
 * PostgreSQL or the embedded PGlite served on a local socket (record/embedded.ts).
 */
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import * as m0001 from './migrations/0001-record';
import * as m0002 from './migrations/0002-engine-role';
import * as m0003 from './migrations/0003-derived-columns';
import * as m0004 from './migrations/0004-rendered-lines';
import * as m0005 from './migrations/0005-entry-notices';
import * as m0006 from './migrations/0006-audit-keys';
import * as m0007 from './migrations/0007-console-sessions';
import * as m0008 from './migrations/0008-meetings';
import * as m0009 from './migrations/0009-party-members';
import * as m0010 from './migrations/0010-stage-claims';
import * as m0011 from './migrations/0011-evidence-files';
import * as m0012 from './migrations/0012-person-notices';
import type { RecordDatabase } from './schema';

export type RecordDb = Kysely<RecordDatabase>;

const DATE_OID = 1082;

/** 'YYYY-MM-DD' stays text: a calendar date has no time zone to shift it. */
const types = new pg.TypeOverrides();
types.setTypeParser(DATE_OID, 'text', (value: string) => value);

/** `allowExitOnIdle`: idle connections do not keep the process alive (tests, one-shot commands). */
export function openRecord(url: string, opts: { maxConnections?: number; allowExitOnIdle?: boolean } = {}): RecordDb {
  const pool = new pg.Pool({ connectionString: url, max: opts.maxConnections ?? 8, types, allowExitOnIdle: opts.allowExitOnIdle ?? false });
  pool.on('error', () => undefined); // an idle client's broken connection: the next query reconnects
  // A checked-out client between two queries has no listener of the pool's: the server ending its
  // connection then (a PostgreSQL restart, 57P01) would be an unhandled 'error' that ends the
  // process. The query it was about to run fails instead, and the pool drops the broken client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<RecordDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** Every migration, in order. Names never change once shipped. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-record': m0001,
  '0002-engine-role': m0002,
  '0003-derived-columns': m0003,
  '0004-rendered-lines': m0004,
  '0005-entry-notices': m0005,
  '0006-audit-keys': m0006,
  '0007-console-sessions': m0007,
  '0008-meetings': m0008,
  '0009-party-members': m0009,
  '0010-stage-claims': m0010,
  '0011-evidence-files': m0011,
  '0012-person-notices': m0012,
};

/** Brings the schema to the latest migration; throws with the failing migration's error. */
export async function migrateRecord(db: Kysely<unknown> | RecordDb): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider: { getMigrations: async () => MIGRATIONS } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(`migration failed: ${JSON.stringify(result.error)}`);
  return result;
}

/** Whether every migration has run (false while the schema is behind or the server does not answer yet). */
export async function isMigrated(db: Kysely<unknown> | RecordDb): Promise<boolean> {
  const migrator = new Migrator({ db: db as Kysely<unknown>, provider: { getMigrations: async () => MIGRATIONS } });
  const migrations = await migrator.getMigrations().catch(() => []);
  return migrations.length === Object.keys(MIGRATIONS).length && migrations.every((m) => m.executedAt !== undefined);
}
