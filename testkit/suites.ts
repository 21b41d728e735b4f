/** Servers for a whole test file (or describe block): started before its tests, stopped after. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { migrateRecord, openRecord, type RecordDb } from '../record/db';
import { startHarness, type Harness } from './api-harness';
import { startRecordServer, type RecordBackend, type RecordServer } from './postgres';
import { startDevServer } from './temporal';
import { typedApi, type TypedApi } from './typed-api';

/**
 * What `start` makes, made before the tests and stopped by `stop` after them; the getter hands it to
 * the tests and hooks (and throws if it did not start). A start that fails half-way stops what it made.
 */
function useStarted<T>(start: () => Promise<T>, stop: (value: T) => Promise<unknown>, timeoutMs?: number): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, timeoutMs);
  afterAll(async () => {
    if (value !== undefined) await stop(value);
  });
  return () => {
    if (value === undefined) throw new Error('the suite did not start');
    return value;
  };
}

/** `next` made from what `first` made; if it fails, `undo` stops that first part. */
async function thenOrUndo<A, B>(first: A, next: (a: A) => Promise<B>, undo: (a: A) => Promise<unknown>): Promise<B> {
  try {
    return await next(first);
  } catch (e) {
    await undo(first);
    throw e;
  }
}

/** A Temporal server; the getter hands it to the tests and hooks. */
export function useTemporal(start: () => Promise<TestWorkflowEnvironment>): () => TestWorkflowEnvironment {
  return useStarted(start, (env) => env.teardown());
}

/**
 * A worker of the test file's own (its own task queue and activities), shut down after the tests:
 * call it before useApiHarness or useTemporal, so that it stops before the server it polls, and
 * hand it the worker with `run` in a beforeAll.
 */
export function useOwnWorker(): { run(worker: Worker): void } {
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  afterAll(async () => {
    worker?.shutdown();
    await running;
  });
  return {
    run(w) {
      worker = w;
      running = w.run();
    },
  };
}

/** A dev server and the API harness on it (with its worker). */
export interface ApiSuite {
  readonly env: TestWorkflowEnvironment;
  readonly h: Harness;
  /** The typed client of the harness's API, sending no token of its own (a request names its caller: `bearer(token)`). */
  readonly api: TypedApi;
}

/** Read `env`, `h` and `api` inside tests and hooks. */
export function useApiHarness(opts: { devServer?: Parameters<typeof startDevServer>[0]; harness?: Parameters<typeof startHarness>[1] } = {}): ApiSuite {
  const suite = useStarted(
    async () => {
      const env = await startDevServer(opts.devServer);
      const h = await thenOrUndo(env, (e) => startHarness(e, opts.harness), (e) => e.teardown());
      return { env, h, api: typedApi(h.baseUrl) };
    },
    async ({ env, h }) => {
      await h.close();
      await env.teardown();
    },
  );
  return {
    get env() {
      return suite().env;
    },
    get h() {
      return suite().h;
    },
    get api() {
      return suite().api;
    },
  };
}

/** A record server of the given backend and a pool on it, migrated to the latest schema. */
export interface RecordSuite {
  readonly server: RecordServer;
  readonly db: RecordDb;
}

/** Read `server` and `db` inside tests and hooks. */
export function useMigratedRecord(backend: RecordBackend, opts: { maxConnections?: number } = {}): RecordSuite {
  const suite = useStarted(
    async () => {
      const server = await startRecordServer(backend);
      const db = openRecord(server.url, opts);
      await thenOrUndo(db, migrateRecord, async () => {
        await db.destroy();
        await server.stop();
      });
      return { server, db };
    },
    async ({ server, db }) => {
      await db.destroy();
      await server.stop();
    },
    180_000,
  );
  return {
    get server() {
      return suite().server;
    },
    get db() {
      return suite().db;
    },
  };
}
