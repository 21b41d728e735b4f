/**
 * npm run record:migrate: brings the record (RECORD_DATABASE_URL) to the latest schema. Run as
 * the tables' owner (compose runs it as a one-shot job before the worker and the API start).
 */
import { parseEnv } from '../config/env';
import { recordEnvSchema } from '../config/record';
import { migrateRecord, openRecord } from '../record/db';

async function main(): Promise<void> {
  const { RECORD_DATABASE_URL } = parseEnv(recordEnvSchema);
  const db = openRecord(RECORD_DATABASE_URL, { maxConnections: 1 });
  try {
    const { results } = await migrateRecord(db);
    console.log(results?.length ? results.map((r) => `${r.migrationName}: ${r.status}`).join('\n') : 'record schema up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
