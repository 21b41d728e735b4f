/**
 * The record's reconciler on its Temporal Schedule, as the worker sets it up (worker/main.ts): the
 * schedule `uep-record-reconciler` starts a reconcile pass every RECONCILE_INTERVAL_MS (2 s here);
 * an entry terminated in Temporal is marked CLOSED_OUTSIDE_ENGINE by the first pass that can see
 * the closure, with one audit record, and OPS gets one notice through the real delivery (a signed
 * webhook to a real HTTP receiver); later passes change nothing and tell OPS nothing more.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { randomBytes, randomUUID } from 'node:crypto';
import { createActivities, newWebhookSecret } from '../../activities';
import { createSmtpTransport } from '../../activities/email';
import { stampingDeliveries } from '../../activities/record';
import type { WebhookPayload } from '../../activities/render';
import { ComplianceReport } from '../../api/schemas';
import { entryIdFor, notificationIds } from '../../domain';
import { AUDIT_ACTION, NOTIFICATION_KIND } from '../../domain/types';
import { BODY, ENTRY_STATUS } from '../../domain/vocabulary';
import type { RecordDb } from '../../record/db';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { eventually } from '../../testkit/api-harness';
import { useApiHarness, useOwnWorker } from '../../testkit/suites';
import { sharedTestRecord } from '../../testkit/record';
import { createTestWorker, deleteScheduleIfAny, untilIdle, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { entryOf, trailOf, typedApi } from '../../testkit/typed-api';
import { startWebhookReceiver, type WebhookReceiver } from '../../testkit/webhook-receiver';
import { ensureReconcileSchedule, RECONCILE_SCHEDULE_ID, reconcileNow } from '../../worker/reconcile-schedule';
import { CLOSED_OUTSIDE_ENGINE_QUERY, createReconcilerActivities, reconcileOnce, reconcilePass } from '../../worker/reconciler';
import type { ReconcilePassResult } from '../../workflows/reconcile-workflow';

const INTERVAL_MS = 2000;
const SECRET = newWebhookSecret(randomBytes);
const RECONCILE_WORKFLOW = 'reconcileRecordWorkflow';

let hook: WebhookReceiver;
let db: RecordDb;
let taskQueue: string;
let firstEnsure: string;

// declared first so that they run before the dev server and the API are stopped
const ownWorker = useOwnWorker();
afterAll(async () => {
  await deleteScheduleIfAny(suite.env.client, RECONCILE_SCHEDULE_ID);
  await hook?.stop();
});
const suite = useApiHarness();

beforeAll(async () => {
  hook = await startWebhookReceiver({ secret: SECRET });
  db = await sharedTestRecord();
  taskQueue = uniqueTaskQueue('reconcile');
  // the worker's activities as worker/main.ts composes them, OPS routed to a webhook
  const delivery = createActivities({
    notifications: {
      mailer: createSmtpTransport({ smtpUrl: 'smtp://127.0.0.1:1', timeoutMs: 2000, poolSize: 1 }),
      routes: { OPS: { email: [], webhooks: [{ url: hook.url, secret: SECRET, name: 'ops-hook' }] } },
      mailFrom: 'uep@example.org',
      links: { apiPublicUrl: 'https://uep.example/api', consolePublicUrl: 'https://uep.example/app', temporalUi: { TEMPORAL_UI_URL: 'http://127.0.0.1:8233', TEMPORAL_NAMESPACE: 'default' } },
      targetTimeoutMs: 5000,
    },
  });
  const worker = await createTestWorker(suite.env, { taskQueue, activities: { ...stampingDeliveries(db, delivery), ...createReconcilerActivities({ client: suite.env.client, db }) } });
  ownWorker.run(worker);
  firstEnsure = await ensureReconcileSchedule(suite.env.client, { taskQueue, intervalMs: INTERVAL_MS });
});

/** The API as OPS. */
const api = () => typedApi(suite.h.baseUrl, suite.h.tokenFor(BODY.OPS));
const statusOf = async (partyId: string) => (await entryOf(api(), partyId)).entry;

/** The reconcile passes the schedule started, oldest first, each with its start time. */
async function passes(): Promise<{ workflowId: string; runId: string; startTime: Date; status: string }[]> {
  const found = [];
  for await (const run of suite.env.client.workflow.list({ query: `WorkflowType = '${RECONCILE_WORKFLOW}'` })) {
    found.push({ workflowId: run.workflowId, runId: run.runId, startTime: run.startTime, status: run.status.name });
  }
  return found.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

/** An entry started through the API, its workflow handle, and the id of the notice to OPS its run's closure outside the engine would send. */
async function startedEntry(prefix: string) {
  const partyId = uniquePartyId(prefix);
  const entryId = entryIdFor(partyId);
  expect((await api().POST('/v1/entries', { body: startBodyAcceded(partyId) })).response.status).toBe(201);
  const handle = suite.env.client.workflow.getHandle(entryId);
  const { runId } = await handle.describe();
  return { partyId, entryId, handle, runId, noticeId: notificationIds.closedOutsideEngine(entryId, runId) };
}

const resultOf = (p: { workflowId: string; runId: string }) => suite.env.client.workflow.getHandle(p.workflowId, p.runId).result() as Promise<ReconcilePassResult>;

test('the worker ensures one schedule, uep-record-reconciler: created at first start, brought to its configuration at each restart, paused stays paused', async () => {
  expect(firstEnsure).toBe('created');
  const handle = suite.env.client.schedule.getHandle(RECONCILE_SCHEDULE_ID);
  const described = await handle.describe();
  expect(described.spec.intervals?.map((i) => i.every)).toEqual([INTERVAL_MS]);
  expect(described.policies.overlap).toBe('SKIP');
  expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: RECONCILE_WORKFLOW, taskQueue, workflowId: RECONCILE_SCHEDULE_ID });

  // a worker restarted with another interval updates it; an operator's pause survives restarts
  await handle.pause('paused by an operator');
  expect(await ensureReconcileSchedule(suite.env.client, { taskQueue, intervalMs: 3 * INTERVAL_MS })).toBe('updated');
  const restarted = await handle.describe();
  expect(restarted.spec.intervals?.map((i) => i.every)).toEqual([3 * INTERVAL_MS]);
  expect(restarted.state).toMatchObject({ paused: true, note: 'paused by an operator' });
  await handle.unpause();
  expect(await ensureReconcileSchedule(suite.env.client, { taskQueue, intervalMs: INTERVAL_MS })).toBe('updated');
  expect((await handle.describe()).spec.intervals?.map((i) => i.every)).toEqual([INTERVAL_MS]);
});

test('terminate: the first pass after Temporal shows the closure marks it CLOSED_OUTSIDE_ENGINE with one audit record, and OPS is told once', async () => {
  const { partyId, entryId, handle, runId, noticeId } = await startedEntry('TERMINATED');
  await handle.terminate('terminated in the Web UI');

  // from the moment visibility shows the closure, the next pass must mark it
  await eventually(
    async () => {
      const seen = [];
      for await (const run of suite.env.client.workflow.list({ query: `${CLOSED_OUTSIDE_ENGINE_QUERY} AND WorkflowId = '${entryId}'` })) seen.push(run.runId);
      return seen;
    },
    (seen) => seen.includes(runId),
    30_000,
  );
  const visibleAt = Date.now();

  const s = await eventually(() => statusOf(partyId), (e) => e.status === ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE, 60_000);
  expect(s.headline).toContain('closed outside the engine (Temporal: TERMINATED)');
  expect([s.atRisk, s.awaitedBodies, typeof s.closedAt]).toEqual([false, [], 'string']);
  const report = ComplianceReport.parse((await api().GET('/v1/reports/compliance')).data);
  expect(report.rows.find((r) => r.partyId === partyId)?.compliance).toBe('CLOSED_OUTSIDE_ENGINE');
  const [delivered] = await hook.waitFor((r) => r.id === noticeId && r.status === 200, { timeoutMs: 60_000 });

  // the pass that marked it handed over its notice: it is no later than the first pass started after the closure was visible
  // visibility lists a pass as completed a moment after it is (seconds on a loaded machine): the
  // notice can be delivered before the pass that handed it over shows as completed
  const finishedPasses = async () =>
    Promise.all((await passes()).filter((p) => p.status === 'COMPLETED').map(async (p) => ({ ...p, result: await resultOf(p) })));
  const finished = await eventually(finishedPasses, (passes) => passes.some((p) => p.result.handedOver.includes(noticeId)), 30_000);
  const marking = finished.filter((p) => p.result.handedOver.includes(noticeId));
  expect(marking).toHaveLength(1);
  expect(marking[0]!.workflowId.startsWith(`${RECONCILE_SCHEDULE_ID}-`)).toBe(true);
  const firstAfterVisible = finished.find((p) => p.startTime.getTime() >= visibleAt);
  if (firstAfterVisible) expect(marking[0]!.startTime.getTime()).toBeLessThanOrEqual(firstAfterVisible.startTime.getTime());

  // what OPS received: a signed webhook about this run, with Temporal's status and links
  expect(delivered!.verified).toEqual({ ok: true });
  const payload = delivered!.json as WebhookPayload;
  expect(payload).toMatchObject({ kind: NOTIFICATION_KIND.ENTRY_CLOSED_OUTSIDE_ENGINE, recipient: BODY.OPS, entryId, party: { id: partyId } });
  expect(payload.subject).toContain('entry closed outside the engine (Temporal: TERMINATED)');
  expect(payload.text).toContain(runId);
  expect(payload.links.entry).toBe(`https://uep.example/app/entries/${partyId}`);
  expect(payload.links.temporalUi).toContain(encodeURIComponent(entryId));

  const trail = await trailOf(api(), partyId);
  expect(trail.filter((r) => r.action === AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE)).toEqual([
    expect.objectContaining({ reason: 'Temporal closed the run as TERMINATED', principal: { body: BODY.OPS, id: 'temporal' } }),
  ]);
  await eventually(
    () => db.selectFrom('notifications').select('delivered_at').where('id', '=', noticeId).executeTakeFirstOrThrow(),
    (row) => row.delivered_at !== null,
  );

  // two more whole passes later: nothing changed, nothing more sent
  const seenPasses = (await passes()).length;
  await eventually(passes, (now) => now.filter((p, i) => i >= seenPasses && p.status === 'COMPLETED').length >= 2, 60_000);
  expect(hook.requests.filter((r) => r.id === noticeId)).toHaveLength(1);
  expect(hook.requests.filter((r) => (r.json as WebhookPayload | undefined)?.entryId === entryId)).toHaveLength(1);
  expect(await trailOf(api(), partyId)).toEqual(trail);
  expect((await statusOf(partyId)).status).toBe(ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE);
  expect((await reconcileOnce(suite.env.client, db)).filter((c) => c.entryId === entryId)).toEqual([]);
});

test('OPS unreachable at first: the passes meanwhile find the notice undelivered and hand it over no second time; OPS gets it once when back', async () => {
  const { partyId, handle, noticeId } = await startedEntry('TERM-RETRY');
  hook.respondWith(503); // the first delivery attempt fails; the activity retries 10 s later
  await handle.terminate('terminated in the Web UI');

  const [failed] = await hook.waitFor((r) => r.id === noticeId, { timeoutMs: 60_000 });
  expect(failed!.status).toBe(503);
  const before = (await passes()).length;
  // while the delivery waits for its retry, more passes find the notice undelivered
  await eventually(passes, (now) => now.filter((p, i) => i >= before && p.status === 'COMPLETED').length >= 2, 60_000);
  const [delivered] = await hook.waitFor((r) => r.id === noticeId && r.status === 200, { timeoutMs: 60_000 });
  expect(delivered!.verified).toEqual({ ok: true });
  await eventually(
    () => db.selectFrom('notifications').select('delivered_at').where('id', '=', noticeId).executeTakeFirstOrThrow(),
    (row) => row.delivered_at !== null,
  );

  const finished = await Promise.all((await passes()).filter((p) => p.status === 'COMPLETED').map(async (p) => (await resultOf(p)).handedOver));
  expect(finished.filter((handedOver) => handedOver.includes(noticeId))).toHaveLength(1);
  expect(hook.requests.filter((r) => r.id === noticeId).map((r) => r.status)).toEqual([503, 200]);
  expect((await trailOf(api(), partyId)).filter((r) => r.action === AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE)).toHaveLength(1);
});

/** `temporal workflow reset --type LastWorkflowTask --reapply-exclude All`: the new run redoes nothing, so it writes nothing to the record. */
async function resetToLastTask(handle: WorkflowHandle): Promise<{ previousRunId: string; runId: string }> {
  const EVENT = temporal.api.enums.v1.EventType;
  const EXCLUDE = temporal.api.enums.v1.ResetReapplyExcludeType;
  const { runId: previousRunId } = await handle.describe();
  const events = (await handle.fetchHistory()).events ?? [];
  const last = events.filter((e) => e.eventType === EVENT.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).at(-1)!;
  const answer = (await suite.env.client.workflowService.resetWorkflowExecution({
    namespace: suite.env.namespace ?? 'default',
    workflowExecution: { workflowId: handle.workflowId, runId: previousRunId },
    reason: 'reset in the Web UI',
    workflowTaskFinishEventId: Long.fromNumber(Number(last.eventId)),
    requestId: randomUUID(),
    resetReapplyExcludeTypes: [EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL, EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE],
  })) as temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse;
  return { previousRunId, runId: answer.runId! };
}

describe('with the schedule an hour apart (passes out of the way), on demand', () => {
  beforeAll(async () => {
    await ensureReconcileSchedule(suite.env.client, { taskQueue, intervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await ensureReconcileSchedule(suite.env.client, { taskQueue, intervalMs: INTERVAL_MS });
  });

  test('terminate, then a pass on demand (npm run record:reconcile): marked and OPS told at once, not an hour later', async () => {
    const { partyId, handle, noticeId } = await startedEntry('TERM-NOW');
    await handle.terminate('terminated in the Web UI');
    await eventually(
      async () => (await handle.describe()).status.name,
      (status) => status === 'TERMINATED',
    );
    // visibility shows the closure a moment after it: a pass finds it once it does
    const s = await eventually(
      async () => {
        await reconcileNow(suite.env.client).catch(() => undefined);
        return statusOf(partyId);
      },
      (e) => e.status === ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE,
      30_000,
    );
    expect(s.headline).toContain('(Temporal: TERMINATED)');
    await hook.waitFor((r) => r.id === noticeId && r.status === 200, { timeoutMs: 30_000 });
  });

  test('a reset whose new run has written nothing yet: the pass records it (a RUN_RESET record, the entry on the new run and in progress, not closed) and OPS is told once', async () => {
    const { partyId, entryId, handle } = await startedEntry('RESET-PASS');
    // reset once the run's last workflow task has nothing left to redo (a task still waiting on its
    // record activity would be redone by the new run, which would then record the reset itself)
    await untilIdle(handle);
    const before = await trailOf(api(), partyId);
    const { previousRunId, runId } = await resetToLastTask(handle);
    const noticeId = notificationIds.runReset(entryId, runId);

    const trail = await eventually(
      async () => {
        await reconcileNow(suite.env.client).catch(() => undefined);
        return trailOf(api(), partyId);
      },
      (t) => t.some((r) => r.action === AUDIT_ACTION.RUN_RESET),
      30_000,
    );
    expect(trail.slice(0, before.length)).toEqual(before);
    expect(trail.slice(before.length)).toEqual([
      expect.objectContaining({ seq: before.length + 1, action: AUDIT_ACTION.RUN_RESET, runId, previousRunId, principal: { body: BODY.OPS, id: 'temporal' } }),
    ]);
    const answer = await entryOf(api(), partyId);
    expect(answer.entry.status).toBe(ENTRY_STATUS.IN_PROGRESS);
    expect(answer.reset).toMatchObject({ runId, previousRunId });
    expect((await db.selectFrom('entries').select('run_id').where('entry_id', '=', entryId).executeTakeFirstOrThrow()).run_id).toBe(runId);

    const [delivered] = await hook.waitFor((r) => r.id === noticeId && r.status === 200, { timeoutMs: 30_000 });
    const payload = delivered!.json as WebhookPayload;
    expect(payload).toMatchObject({ kind: NOTIFICATION_KIND.ENTRY_RUN_RESET, recipient: BODY.OPS, entryId });
    expect(payload.text).toContain(runId);

    // more passes: nothing more recorded, nothing more sent, never closed outside the engine
    for (let i = 0; i < 2; i++) expect((await reconcilePass(suite.env.client, db)).resets.filter((r) => r.entryId === entryId)).toEqual([]);
    expect(await trailOf(api(), partyId)).toEqual(trail);
    expect((await statusOf(partyId)).status).toBe(ENTRY_STATUS.IN_PROGRESS);
    expect(hook.requests.filter((r) => r.id === noticeId && r.status === 200)).toHaveLength(1);
  });
});
