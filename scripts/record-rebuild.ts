/**
 * npm run record:rebuild: the recovery command. Rebuilds the record (RECORD_DATABASE_URL) from
 * Temporal for every entry still within retention, open or closed: after a disaster, or for a
 * deployment whose entries ran before the record existed. Idempotent: a second run changes
 * nothing. Reads the worker's settings (TEMPORAL_*, RECORD_*); a worker must serve the task queue
 * for queries to be answered (runs that recorded by activity are read from their history without).
 * Exits 1 when any entry was skipped.
 *   --concurrency=N        entries rebuilt at once (default 8)
 *   --query-timeout-ms=N   how long one query may take before its history is read instead (default 30000)
 */
import { Client, Connection } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadDotEnv } from '../config/dotenv';
import { parseEnv } from '../config/env';
import { recordEnvSchema } from '../config/record';
import { temporalConnectionOptions, temporalEnvSchema } from '../config/temporal';
import { openRecord } from '../record/db';
import { rebuildRecord, type RebuildSummary } from '../worker/rebuild';
import { rebuildProgress } from './rebuild-progress';

const rebuildEnvSchema = temporalEnvSchema.extend(recordEnvSchema.shape);

const flagsSchema = z.object({
  'concurrency': z.coerce.number().int().min(1).max(64).default(8),
  'query-timeout-ms': z.coerce.number().int().min(100).default(30_000),
});

function loadFlags(argv: string[]): z.infer<typeof flagsSchema> {
  const { values } = parseArgs({ args: argv, options: { 'concurrency': { type: 'string' }, 'query-timeout-ms': { type: 'string' } }, strict: true });
  return parseEnv(flagsSchema, values);
}

/** One line a script or a person can read: what was seen and what became of it. */
function summaryLine(s: RebuildSummary, seconds: number): string {
  return `record rebuilt: ${s.seen} entries seen (${s.runs} runs), ${s.written} written, ${s.unchanged} unchanged, ${s.skipped.length} skipped, in ${seconds.toFixed(1)} s`;
}

async function main(): Promise<number> {
  loadDotEnv();
  const config = parseEnv(rebuildEnvSchema);
  const flags = loadFlags(process.argv.slice(2));
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const db = openRecord(config.RECORD_DATABASE_URL, { maxConnections: Math.min(config.RECORD_POOL_SIZE, flags.concurrency) });
  const progress = rebuildProgress(process.stderr);
  const started = performance.now();
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const summary = await rebuildRecord(client, db, {
      concurrency: flags.concurrency,
      queryTimeoutMs: flags['query-timeout-ms'],
      onListed: (n) => progress.listed(n),
      onEntry: (o) => progress.entry(o),
    });
    progress.stop();
    for (const { entryId, reason } of summary.skipped) console.log(`skipped ${entryId}: ${reason}`);
    if (summary.fromHistory > 0) console.log(`${summary.fromHistory} runs read from their history (their query went unanswered)`);
    console.log(summaryLine(summary, (performance.now() - started) / 1000));
    return summary.skipped.length > 0 ? 1 : 0;
  } finally {
    progress.stop();
    await db.destroy();
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
