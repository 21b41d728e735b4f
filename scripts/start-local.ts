/**
 * npm start: the whole system on one machine. The Temporal dev server (Web UI, SQLite in the
 * data folder) unless TEMPORAL_ADDRESS names a running server; the record, an embedded PGlite in
 * <data>/record served on RECORD_PORT (the one process that owns those files; the worker and the
 * API connect to it like to any PostgreSQL) unless RECORD_DATABASE_URL names a running server
 * (migrated here); the local identity provider the console signs in at (scripts/local-idp/) unless
 * OIDC_ISSUER_URL names another; then the worker and the API. Each is restarted if it dies
 * (scripts/supervisor.ts). The banner is printed once the worker polls the task queue, the API
 * answers and the identity provider serves discovery. Ctrl-C (SIGINT) or SIGTERM stops all of it
 * and waits for every child to exit.
 */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type z } from 'zod';
import { loadDotEnv } from '../config/dotenv';
import { parseEnv } from '../config/env';
import { createLogger } from '../config/logging';
import { durationOf } from '../config/sdk-internals';
import { isMigrated, migrateRecord, openRecord } from '../record/db';
import { searchAttributeCliPairs } from '../workflows/search-attributes';
import { buildConsole } from '../console/build';
import { assertPortsFree } from './local-ports';
import { ensureSearchAttributes } from '../testkit/register-search-attributes';
import { ensureLocalTokens } from './local-tokens';
import { EXAMPLE_ROUTES_FILE, localEnvSchema } from '../config/start-local-env';
import { apiSettingsFor, localIdpProcess, localIdpRun, untilDiscoverable } from './local-idp/process';
import { startLocalMailSink } from './local-mail-sink';
import { type Supervised, supervise } from './supervisor';
import { PROJECT_ROOT, TEMPORAL_CLI, requireBinary } from '../config/temporal-toolchain';
import { apiNodeArgs } from '../config/engine-processes';

const READY_TIMEOUT_MS = 180_000;
const processes: Supervised[] = [];
let stopping = false;

/**
 * Stops the API and worker first, then the record and the Temporal server, each given time to
 * finish. Ctrl-C has reached them all already: none of them is restarted while the others stop.
 */
async function stop(code: number): Promise<never> {
  stopping = true;
  for (const p of processes) p.expectExit();
  for (const p of [...processes].reverse()) await p.stop(35_000);
  process.exit(code);
}

/** The embedded record (record/embedded-main.ts migrates it): resolves once every migration has run. */
async function untilRecordMigrated(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  const db = openRecord(url, { maxConnections: 1, allowExitOnIdle: true });
  try {
    while (!(await isMigrated(db))) {
      if (Date.now() > until) throw new Error(`the record at ${url} was not ready within ${timeoutMs / 1000} s`);
      await delay(250);
    }
  } finally {
    await db.destroy();
  }
}

async function migrateExternalRecord(url: string): Promise<void> {
  const db = openRecord(url, { maxConnections: 1 });
  try {
    await migrateRecord(db);
  } finally {
    await db.destroy();
  }
}

async function connectWhenReady(address: string, timeoutMs: number): Promise<Connection> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: 1000 });
    } catch (err) {
      if (Date.now() > until) throw err;
      await delay(250);
    }
  }
}

function retentionMs(value: string): number {
  const n = Number(value.slice(0, -1));
  return n * (value.endsWith('d') ? 86_400_000 : 3_600_000);
}

/** Resolves once a worker with this pid polls the task queue and the API answers /healthz. */
async function untilServing(connection: Connection, env: z.infer<typeof localEnvSchema>, worker: Supervised): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS;
  let polled = false;
  for (;;) {
    if (!polled) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: env.TEMPORAL_NAMESPACE,
        taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      polled = pollers.some((p) => p.identity?.endsWith(`/${worker.current().pid}`));
    }
    if (polled) {
      const ok = await fetch(`http://127.0.0.1:${env.API_PORT}/healthz`).then((r) => r.ok, () => false);
      if (ok) return;
    }
    if (Date.now() > until) throw new Error(`not serving after ${READY_TIMEOUT_MS / 1000} s (worker polling: ${polled})`);
    await delay(500);
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const env = parseEnv(localEnvSchema);
  const log = createLogger('npm-start', env.LOG_LEVEL);
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // the console as the sources are now (served by the API at /app); under jest it is built once for
  // the whole run (testkit/jest-global-console.mjs): a rebuild empties console/dist under the tests beside
  if (!process.env.UEP_TEST_CONSOLE_BUILT) await buildConsole();

  const external = env.TEMPORAL_ADDRESS;
  const apiUrl = `http://127.0.0.1:${env.API_PORT}`;
  const localIdp = env.OIDC_ISSUER_URL ? undefined : localIdpRun({ port: env.LOCAL_IDP_PORT, dataDir: env.UEP_DATA_DIR });
  await assertPortsFree({
    API_PORT: env.API_PORT,
    ...(localIdp ? { LOCAL_IDP_PORT: env.LOCAL_IDP_PORT } : {}),
    ...(env.WORKER_METRICS_ENABLED ? { WORKER_METRICS_PORT: env.WORKER_METRICS_PORT } : {}),
    ...(env.SMTP_URL ? {} : { LOCAL_SMTP_PORT: env.LOCAL_SMTP_PORT }),
    ...(external ? {} : { TEMPORAL_PORT: env.TEMPORAL_PORT, TEMPORAL_UI_PORT: env.TEMPORAL_UI_PORT }),
    ...(env.RECORD_DATABASE_URL ? {} : { RECORD_PORT: env.RECORD_PORT }),
  });
  mkdirSync(env.UEP_DATA_DIR, { recursive: true });

  // first, as it starts in seconds while the rest takes longer; awaited before the banner
  let idpServing: Promise<unknown> = Promise.resolve();
  if (localIdp) {
    const idp = supervise(localIdpProcess(localIdp, apiUrl), log);
    processes.push(idp);
    idpServing = Promise.race([untilDiscoverable(localIdp.issuer, READY_TIMEOUT_MS), idp.failedToStart.then((reason) => Promise.reject(new Error(reason)))]);
    idpServing.catch(() => undefined); // handled where it is awaited
  }

  const address = external ?? `127.0.0.1:${env.TEMPORAL_PORT}`;
  const uiUrl = external ? process.env.TEMPORAL_UI_URL : `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`;
  if (!external) {
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(env.TEMPORAL_PORT), '--ui-port', String(env.TEMPORAL_UI_PORT)];
    args.push('--db-filename', path.join(env.UEP_DATA_DIR, 'temporal.sqlite'), '--namespace', env.TEMPORAL_NAMESPACE, '--log-level', 'error');
    for (const { name, type } of searchAttributeCliPairs()) args.push('--search-attribute', `${name}=${type}`);
    processes.push(supervise({ name: 'temporal', command: requireBinary(TEMPORAL_CLI), args, env: {} }, log));
  }
  const connection = await connectWhenReady(address, 30_000);
  const added = await ensureSearchAttributes(connection, env.TEMPORAL_NAMESPACE);
  if (added.length > 0) log.info({ added }, 'registered search attributes');
  if (!external) {
    await connection.workflowService.updateNamespace({
      namespace: env.TEMPORAL_NAMESPACE,
      config: { workflowExecutionRetentionTtl: durationOf(retentionMs(env.TEMPORAL_NAMESPACE_RETENTION)) },
    });
  }

  let recordUrl = env.RECORD_DATABASE_URL;
  let recordNote = recordUrl ?? '';
  if (recordUrl) await migrateExternalRecord(recordUrl);
  else {
    const dir = path.join(env.UEP_DATA_DIR, 'record');
    mkdirSync(dir, { recursive: true });
    recordUrl = `postgres://postgres@127.0.0.1:${env.RECORD_PORT}/postgres?sslmode=disable`;
    const record = supervise(
      { name: 'record', command: process.execPath, args: ['--import', 'tsx', 'record/embedded-main.ts'], env: { UEP_RECORD_DIR: dir, RECORD_HOST: '127.0.0.1', RECORD_PORT: String(env.RECORD_PORT) } },
      log,
    );
    processes.push(record);
    await Promise.race([untilRecordMigrated(recordUrl, 60_000), record.failedToStart.then((reason) => Promise.reject(new Error(reason)))]);
    record.markUp();
    recordNote = `${recordUrl} (embedded PGlite in ${dir})`;
  }

  const tokensFile = ensureLocalTokens(env.UEP_DATA_DIR);
  let smtpUrl = env.SMTP_URL;
  let mailNote = smtpUrl ?? '';
  if (!smtpUrl) {
    const sink = await startLocalMailSink(env.UEP_DATA_DIR, env.LOCAL_SMTP_PORT);
    smtpUrl = sink.url;
    mailNote = `${sink.dir} (every message as an .eml file)`;
  }
  const routes = env.NOTIFY_ROUTES_FILE ?? env.NOTIFY_ROUTES_JSON ? {} : { NOTIFY_ROUTES_FILE: EXAMPLE_ROUTES_FILE };
  const shared = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
    ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}),
    API_PUBLIC_URL: apiUrl,
    RECORD_DATABASE_URL: recordUrl,
  };
  // node itself (not the tsx wrapper) so that SIGTERM reaches the process and it shuts down gracefully
  const worker = supervise(
    {
      name: 'worker',
      command: process.execPath,
      args: ['--import', 'tsx', 'worker/main.ts'],
      env: { ...shared, ...routes, SMTP_URL: smtpUrl, WORKER_METRICS_PORT: String(env.WORKER_METRICS_PORT) },
    },
    log,
  );
  const api = supervise(
    {
      name: 'api',
      command: process.execPath,
      args: apiNodeArgs(),
      env: { ...shared, API_PORT: String(env.API_PORT), AUTH_TOKENS_FILE: tokensFile, ...(localIdp ? apiSettingsFor(localIdp) : {}) },
    },
    log,
  );
  processes.push(worker, api);
  const failed = Promise.race([worker, api].map((p) => p.failedToStart)).then((reason) => Promise.reject(new Error(reason)));
  await Promise.race([Promise.all([untilServing(connection, env, worker), idpServing]), failed]);
  await connection.close();
  for (const p of processes) p.markUp();
  if (stopping) return;

  console.log(
    [
      '',
      'UEP engine running:',
      `  Console         ${apiUrl}/app  (${localIdp ? 'sign in: pick a person at the local identity provider' : `sign in at ${env.OIDC_ISSUER_URL}`})`,
      localIdp
        ? `  Sign-in (dev)   ${localIdp.issuer}  (local OpenID Provider for development only: a person per body and per demo Party, no password)`
        : `  Sign-in         ${env.OIDC_ISSUER_URL}  (OIDC_ISSUER_URL)`,
      `  API             ${apiUrl}  (docs: /docs, OpenAPI: /openapi.json)`,
      `  Temporal Web UI ${uiUrl ?? '(external server)'}`,
      `  Temporal gRPC   ${address}`,
      `  Worker metrics  ${env.WORKER_METRICS_ENABLED ? `http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics` : 'off'}`,
      `  Dev tokens      ${path.join(env.UEP_DATA_DIR, 'dev-tokens.txt')}  (bearer tokens for curl and the uep command line)`,
      `  Mail            ${mailNote}`,
      `  Record          ${recordNote}`,
      `  Body mail       ${routes.NOTIFY_ROUTES_FILE ? `example addresses (${path.relative(PROJECT_ROOT, routes.NOTIFY_ROUTES_FILE)})` : 'your NOTIFY_ROUTES_*'}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  void stop(1);
});
