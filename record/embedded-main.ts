/**
 * The embedded record as a process of its own: PGlite keeping its files in UEP_RECORD_DIR (in
 * memory when unset), served on RECORD_HOST:RECORD_PORT (0: any free port), migrated to the
 * latest schema. Prints one JSON line, {"url": ...}, once clients can connect; SIGTERM/SIGINT
 * close it cleanly (PGlite flushes its files on close).
 */
import { migrateRecord, openRecord } from './db';
import { startEmbeddedRecord } from './embedded';

async function main(): Promise<void> {
  const dataDir = process.env.UEP_RECORD_DIR || undefined;
  const embedded = await startEmbeddedRecord({
    ...(dataDir ? { dataDir } : {}),
    host: process.env.RECORD_HOST || '127.0.0.1',
    port: Number(process.env.RECORD_PORT || 0),
  });
  const db = openRecord(embedded.url, { maxConnections: 1 });
  try {
    await migrateRecord(db);
  } finally {
    await db.destroy();
  }
  process.stdout.write(`${JSON.stringify({ url: embedded.url })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    embedded.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A parent that died without stopping it (a crash, SIGKILL) must not leave it serving, holding
  // the parent's output pipe open: it stops once orphaned.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
