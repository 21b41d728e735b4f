/**
 * The embedded record: PGlite (PostgreSQL compiled to WASM, nothing to install) keeping its files
 * in a folder, served on a local socket so that the worker and the API, two processes, share it
 * through the same driver as a real server. PGlite serves one session at a time: the socket
 * server's clients take turns, a whole query or transaction each (pglite-session-queue.ts).
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { serveSessionBySession } from './pglite-session-queue';

export interface EmbeddedRecord {
  /** postgres://… URL clients connect to */
  url: string;
  stop(): Promise<void>;
}

/** dataDir undefined: in memory (tests). port 0: any free port. */
export async function startEmbeddedRecord(opts: { dataDir?: string; host?: string; port?: number } = {}): Promise<EmbeddedRecord> {
  const db = await PGlite.create(opts.dataDir);
  const host = opts.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({ db, host, port: opts.port ?? 0, maxConnections: 64 });
  serveSessionBySession(server, db);
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
