/**
 * npm run bench:rebuild: how long the recovery command (npm run record:rebuild) takes. Starts
 * REBUILD_BENCH_ENTRIES entries (default 100; every fourth driven to completion) on a dev server
 * with a worker, then rebuilds an empty record from them (the embedded PGlite, one connection, and a
 * real PostgreSQL server when initdb is on PATH), then runs again over the rebuilt record (nothing
 * to change). Prints seconds per 100 entries for each pass.
 */
import { spawnSync } from 'node:child_process';
import { migrateRecord, openRecord } from '../record/db';
import { startBodyAcceded } from '../testkit/api-fixtures';
import { recordingActivities } from '../testkit/api-harness';
import { driveToCompletion, startEntryWorkflow } from '../testkit/entry-driver';
import { startPgliteServer, startRealPostgres, type RecordServer } from '../testkit/postgres';
import { createTestWorker, startDevServer, uniqueTaskQueue } from '../testkit/temporal';
import { listEntryRuns, rebuildRecord } from '../worker/rebuild';
import { BODY } from '../domain/vocabulary';
import { exitWhenDone } from '../scripts/exit-when-done';

const ENTRIES = Number(process.env.REBUILD_BENCH_ENTRIES ?? 100);
const CONCURRENCY = Number(process.env.REBUILD_BENCH_CONCURRENCY ?? 8);
const log = (msg: string) => process.stderr.write(`[bench:rebuild ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  const env = await startDevServer();
  const taskQueue = uniqueTaskQueue('bench-rebuild');
  const worker = await createTestWorker(env, { taskQueue, activities: recordingActivities([]) });
  const running = worker.run();
  try {
    log(`starting ${ENTRIES} entries`);
    for (let i = 0; i < ENTRIES; i++) {
      const body = startBodyAcceded(`RBLD-${String(i).padStart(5, '0')}`);
      const handle = await startEntryWorkflow(env.client, taskQueue, { ...body, startedBy: { body: BODY.OPS, id: 'bench' } });
      if (i % 4 === 0) await driveToCompletion(handle);
    }
    for (;;) {
      const listed = await listEntryRuns(env.client);
      if (listed.size >= ENTRIES) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const backends: Array<[string, () => Promise<RecordServer>, number]> = [['pglite', () => startPgliteServer(), 1]];
    if (spawnSync('initdb', ['--version']).status === 0) backends.push(['postgresql', startRealPostgres, CONCURRENCY]);
    for (const [name, start, pool] of backends) {
      const server = await start();
      const db = openRecord(server.url, { maxConnections: pool, allowExitOnIdle: true });
      try {
        await migrateRecord(db);
        for (const pass of ['empty record', 'second run']) {
          const t0 = performance.now();
          const s = await rebuildRecord(env.client, db, { concurrency: CONCURRENCY, queryTimeoutMs: 30_000 });
          const seconds = (performance.now() - t0) / 1000;
          console.log(`${name}, ${pass}: ${s.seen} entries (${s.runs} runs), ${s.written} written, ${s.unchanged} unchanged, ${s.skipped.length} skipped in ${seconds.toFixed(2)} s = ${((seconds * 100) / s.seen).toFixed(2)} s per 100 entries`);
        }
      } finally {
        await db.destroy();
        await server.stop();
      }
    }
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
}

exitWhenDone(main);
