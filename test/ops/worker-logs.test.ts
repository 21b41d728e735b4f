/**
 * The worker as it runs in production (worker/main.ts in a process of its own, configured by
 * env) against a real dev server and SMTP catcher: what an operator reads in its output and its
 * metrics. Its routes leave SECAS out, so the entry's first notice meets a body with no route.
 */
import type { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NOTIFICATION_ERROR } from '../../activities/types';
import { DEFAULT_NAMESPACE } from '../../config/temporal';
import { entryIdFor } from '../../domain';
import { BODY } from '../../domain/vocabulary';
import { ENGINE_WORKER_ENTRY, startWorkerProcess, type WorkerProcess } from '../../testkit/worker-process';
import { startBody } from '../../testkit/api-fixtures';
import { connectClient, eventually } from '../../testkit/api-harness';
import { principalFor, startEntryWorkflow } from '../../testkit/entry-driver';
import { freePort } from '../../testkit/ports';
import { testRecordUrl } from '../../testkit/record';
import { type SmtpCatcher, startSmtpCatcher } from '../../testkit/smtp-catcher';
import { startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';

let server: TestWorkflowEnvironment;
let client: Client;
let connection: Connection;
let smtp: SmtpCatcher;
let worker: WorkerProcess;
let metricsUrl: string;
const taskQueue = uniqueTaskQueue('worker-logs');

beforeAll(async () => {
  server = await startDevServer();
  const address = server.connection.options.address;
  ({ client, connection } = await connectClient(address));
  smtp = await startSmtpCatcher();
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  worker = await startWorkerProcess({
    entry: ENGINE_WORKER_ENTRY,
    readyTimeoutMs: 120_000,
    env: {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: DEFAULT_NAMESPACE,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: smtp.url,
      NOTIFY_ROUTES_JSON: JSON.stringify({ OPS: { email: ['ops@uep.example'] } }),
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_SHUTDOWN_GRACE: '2s',
      LOG_LEVEL: 'info',
      // a delivery claims its notification in the record before it sends (never twice, a reset or not)
      RECORD_DATABASE_URL: await testRecordUrl(),
    },
  });
});

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await connection?.close();
  await smtp?.stop();
  await server?.teardown();
});

/** Every line the worker wrote, parsed; a line that is not JSON fails the test that reads it. */
const lines = () =>
  worker
    .output()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${l}`);
      }
    });

test("a notice to a body with no route: an ERROR line naming it, a metric, a retried failure, the routed contact still mailed", async () => {
  const partyId = uniquePartyId('LOGS');
  const deadline = new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10);
  const handle = await startEntryWorkflow(client, taskQueue, { ...startBody(partyId, { mandateDeadline: deadline }), startedBy: principalFor(BODY.OPS, 'ops') });

  // SECAS is told of the accession awaiting it (DECISION_DUE) and of the entry at risk (AT_RISK, to the
  // contact too), in the start's one delivery activity: both fail for want of its route, the contact's
  // copy goes all the same
  const contact = startBody(partyId).uepContact.email;
  const atRiskToContact = () => smtp.messages.filter((m) => m.envelopeTo.includes(contact) && m.notificationId?.includes(':AT_RISK:'));
  const pending = await eventually(
    async () => (await handle.describe()).raw.pendingActivities?.filter((p) => p.lastFailure?.applicationFailureInfo?.type === NOTIFICATION_ERROR.UNROUTED) ?? [],
    (p) => p.length === 1 && atRiskToContact().length > 0,
    60_000,
  );
  expect(pending[0]!.lastFailure?.message).toMatch(/^2 of \d+ notifications not delivered yet: no route configured for SECAS; no route configured for SECAS$/);
  expect(atRiskToContact()).toHaveLength(1);

  const errors = await eventually(
    async () => lines().filter((l) => l.level === 50 && String(l.msg).includes('no route')),
    (found) => found.length > 0,
    10_000,
  );
  expect(errors[0]).toMatchObject({ service: 'uep-worker', unrouted: [BODY.SECAS], workflowId: entryIdFor(partyId), activityType: 'deliverNotifications' });

  const metrics = await (await fetch(metricsUrl)).text();
  expect(metrics).toMatch(/^uep_notifications_unrouted_total\{[^}]*kind="AT_RISK"[^}]*\} [1-9]/m);
  expect(metrics).toMatch(/^uep_notifications_unrouted_total\{[^}]*kind="DECISION_DUE"[^}]*\} [1-9]/m);
  await handle.terminate('test done');
});

test("every line the worker writes is one JSON object (pino), the SDK's lines and the activities' alike; no task token", () => {
  const all = lines();
  expect(all.length).toBeGreaterThan(3);
  for (const l of all) expect(l).toMatchObject({ level: expect.any(Number) as number, time: expect.any(Number) as number, service: 'uep-worker', msg: expect.any(String) as string });
  expect(all.map((l) => l.sdkComponent)).toEqual(expect.arrayContaining(['worker', 'activity']));
  expect(worker.output()).not.toMatch(/taskToken/i);
});
