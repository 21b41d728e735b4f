/**
 * Everything a fault test runs, for real and on loopback: a Temporal dev server on a fixed port
 * with a SQLite file (so it can be stopped and started again on the same data) or a running
 * cluster, an SMTP catcher, a webhook receiver behind a TCP gate (so it can be "down"), and the
 * engine's workers as child processes (worker/main.ts, configured by env) that can be SIGKILLed
 * and restarted.
 */
import type { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NotificationRoutes } from '../../activities/config';
import { BODY } from '../../domain/vocabulary';
import { DEFAULT_NAMESPACE } from '../../config/temporal';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';
import { ENGINE_WORKER_ENTRY, startWorkerProcess, type WorkerProcess } from '../../testkit/worker-process';
import { connectClient } from '../../testkit/api-harness';
import { freePortBelowEphemeral } from '../../testkit/ports';
import { openRecord, type RecordDb } from '../../record/db';
import { sharedTestRecord, testRecordUrl } from '../../testkit/record';
import { startSmtpCatcher, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { startDevServer, uniqueTaskQueue } from '../../testkit/temporal';
import { startWebhookReceiver, type WebhookReceiver } from '../../testkit/webhook-receiver';
import { startTcpGate, type TcpGate } from './tcp-gate';

export const WEBHOOK_SECRET = 'whsec_49FPCD3VGYYWRXDIZ8dPXXnxIUuv3b0onrircwRlwrc=';
export const BODY_EMAIL = { SECAS: 'secas@uep.example', DCC: 'dcc@uep.example', SEC_PANEL: 'panel@uep.example', OPS: 'ops@uep.example' } as const;

export interface WorkerCrash {
  pid: number;
  exit: number | NodeJS.Signals | null;
  outputTail: string;
}

export interface FaultStack {
  address: string;
  /** The dev server's port (0 on an external server). */
  port: number;
  dbFilename: string;
  client: Client;
  taskQueue: string;
  smtp: SmtpCatcher;
  webhooks: WebhookReceiver;
  /** In front of `webhooks`: close() makes the receiver unreachable. */
  gate: TcpGate;
  /** The record (PostgreSQL) the workers write to. */
  record: RecordDb;
  /** The first running worker. */
  worker(): WorkerProcess | undefined;
  workers(): WorkerProcess[];
  /** Starts one more worker process on the task queue; one that exits by itself is restarted, as compose's restart policy does. */
  startWorker(): Promise<WorkerProcess>;
  /** Workers that exited by themselves (not killed by the test), each with the tail of its output. */
  crashes(): readonly WorkerCrash[];
  /** SIGKILL of the first running worker: no graceful shutdown, in-flight tasks and heartbeats are lost. */
  killWorker(): Promise<void>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  close(): Promise<void>;
}

/** Mail to every body; SECAS also gets a signed webhook through the gate. */
export function faultRoutes(webhookUrl: string): NotificationRoutes {
  return {
    [BODY.SECAS]: { email: [BODY_EMAIL.SECAS], webhooks: [{ url: webhookUrl, secret: WEBHOOK_SECRET, name: 'secas-hook' }] },
    [BODY.DCC]: { email: [BODY_EMAIL.DCC], webhooks: [] },
    [BODY.SEC_PANEL]: { email: [BODY_EMAIL.SEC_PANEL], webhooks: [] },
    [BODY.OPS]: { email: [BODY_EMAIL.OPS], webhooks: [] },
  };
}

/** On a dev server of its own (restartable), or on a running Temporal given by its address (and its record, if it has one). */
export async function startFaultStack(external?: { address: string; recordUrl?: string }): Promise<FaultStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'uep-faults-'));
  const dbFilename = external ? '' : path.join(dir, 'temporal.db');
  const port = external ? 0 : await freePortBelowEphemeral(); // kept across restarts; an ephemeral one was once taken between the check and the bind
  const address = external?.address ?? `127.0.0.1:${port}`;
  let env: TestWorkflowEnvironment | undefined = external ? undefined : await startDevServer({ port, dbFilename });
  const onDevServer = (what: string) => {
    if (external) throw new Error(`${what}: not on an external server`);
  };
  const { client, connection }: { client: Client; connection: Connection } = await connectClient(address);
  const smtp = await startSmtpCatcher();
  const webhooks = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  const gate = await startTcpGate(webhooks.port);
  const bundle = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  const taskQueue = uniqueTaskQueue('faults');
  const recordUrl = external?.recordUrl ?? (await testRecordUrl());
  const record = external?.recordUrl ? openRecord(recordUrl, { maxConnections: 2, allowExitOnIdle: true }) : await sharedTestRecord();
  const workerEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: DEFAULT_NAMESPACE,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundle.path,
    SMTP_URL: smtp.url,
    NOTIFY_ROUTES_JSON: JSON.stringify(faultRoutes(`http://127.0.0.1:${gate.port}/hook`)),
    NOTIFY_TARGET_TIMEOUT_MS: '5000',
    WORKER_METRICS_ENABLED: 'false',
    WORKER_SHUTDOWN_GRACE: '2s',
    LOG_LEVEL: 'INFO',
    // loopback links and example.org-style routes are the point here (config/example-values.ts)
    UEP_DEMO: 'true',
    RECORD_DATABASE_URL: recordUrl,
  };
  let workers: WorkerProcess[] = [];
  const crashes: WorkerCrash[] = [];
  let closing = false;
  const supervise = (worker: WorkerProcess) => {
    void worker.exited.then(async (exit) => {
      if (closing || !workers.includes(worker)) return; // killed on purpose
      workers = workers.filter((w) => w !== worker);
      const crash = { pid: worker.pid, exit, outputTail: worker.output().slice(-6000) };
      crashes.push(crash);
      console.warn(`fault stack: worker ${crash.pid} exited by itself (${String(exit)}); restarting it. Its last output:\n${crash.outputTail}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (!closing) await stack.startWorker().catch((err: unknown) => console.warn(`fault stack: restarting a worker failed: ${String(err)}`));
    });
  };

  const stack: FaultStack = {
    address,
    port,
    dbFilename,
    client,
    taskQueue,
    smtp,
    webhooks,
    gate,
    record,
    worker: () => workers[0],
    workers: () => workers,
    crashes: () => crashes,
    async startWorker() {
      const worker = await startWorkerProcess({ entry: ENGINE_WORKER_ENTRY, env: workerEnv, readyTimeoutMs: 60_000 });
      workers.push(worker);
      supervise(worker);
      return worker;
    },
    async killWorker() {
      const [first, ...rest] = workers;
      workers = rest;
      await first?.kill('SIGKILL');
    },
    async stopServer() {
      onDevServer('stopServer');
      await env?.teardown();
      env = undefined;
    },
    async startServer() {
      onDevServer('startServer');
      env ??= await startDevServer({ port, dbFilename });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.kill('SIGTERM').catch(() => undefined)));
      await connection.close().catch(() => undefined);
      await env?.teardown().catch(() => undefined);
      await gate.close();
      if (external?.recordUrl) await record.destroy();
      await webhooks.stop();
      await smtp.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** A fault stack with its worker running for the whole test file; the getter hands it to the test. */
export function useFaultStack(): () => FaultStack {
  let stack: FaultStack | undefined;
  beforeAll(async () => {
    stack = await startFaultStack();
    await stack.startWorker();
  }, 120_000);
  afterAll(() => stack?.close());
  return () => {
    if (!stack) throw new Error('the fault stack did not start');
    return stack;
  };
}
