/** Servers for a whole test file (or describe block): started before its tests, stopped after. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { migrateRecord, openRecord, type RecordDb } from '../record/db';
import { startHarness, type Harness } from './api-harness';
import { startRecordServer, type RecordBackend, type RecordServer } from './postgres';
import { startDevServer } from './temporal';
import { typedApi, type TypedApi } from './typed-api';

const started = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('the suite did not start');
  return value;
};

/** A Temporal server; the getter hands it to the tests and hooks. */
export function useTemporal(start: () => Promise<TestWorkflowEnvironment>): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await start();
  });
  afterAll(() => env?.teardown());
  return () => started(env);
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
  let env: TestWorkflowEnvironment | undefined;
  let h: Harness | undefined;
  let api: TypedApi | undefined;
  beforeAll(async () => {
    env = await startDevServer(opts.devServer);
    h = await startHarness(env, opts.harness);
    api = typedApi(h.baseUrl);
  });
  afterAll(async () => {
    await h?.close();
    await env?.teardown();
  });
  return {
    get env() {
      return started(env);
    },
    get h() {
      return started(h);
    },
    get api() {
      return started(api);
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
  let server: RecordServer | undefined;
  let db: RecordDb | undefined;
  beforeAll(async () => {
    server = await startRecordServer(backend);
    db = openRecord(server.url, opts);
    await migrateRecord(db);
  }, 180_000);
  afterAll(async () => {
    await db?.destroy();
    await server?.stop();
  });
  return {
    get server() {
      return started(server);
    },
    get db() {
      return started(db);
    },
  };
}
