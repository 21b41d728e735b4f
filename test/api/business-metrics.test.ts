/**
 * The business metrics on the API's /metrics (api/business-metrics.ts) tell what the record and
 * Temporal hold, as of the API's clock: entries started through the API on a real dev server, a
 * real worker writing to a record of their own (PGlite), the API's clock moved forward to make
 * stages overdue and entries in breach. A record or a Temporal that does not answer is a 0 in its
 * `up` gauge, never a failed scrape.
 */
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { deliveryOf } from '../../activities/notifications';
import { createRecordActivities, stampingDeliveries } from '../../activities/record';
import { DELIVERY_STATUS, type DeliveryReport } from '../../activities/types';
import { PATH } from '../../api/endpoints';
import { mintToken, TokenStore } from '../../api/tokens';
import { NOTIFICATION_KIND, type Notification } from '../../domain/types';
import { BODY, COHORT, ENTRY_STATUS } from '../../domain/vocabulary';
import { openRecord } from '../../record/db';
import { startBody } from '../../testkit/api-fixtures';
import { call, eventually, listenApp, type ListeningApp } from '../../testkit/api-harness';
import { parseMetrics, sampleValue, type MetricSample } from '../../testkit/prometheus-text';
import { useMigratedRecord, useTemporal } from '../../testkit/suites';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { ensureReconcileSchedule, RECONCILE_SCHEDULE_ID } from '../../worker/reconcile-schedule';

const DAY_MS = 86_400_000;
let app: ListeningApp | undefined;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
// declared first so that it runs before the dev server and the record are stopped
afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
});

const env = useTemporal(startDevServer);
const record = useMigratedRecord('pglite');
const taskQueue = uniqueTaskQueue('business-metrics');
const tokens = new TokenStore([]);
const { token: opsToken, record: opsRecord } = mintToken({ body: BODY.OPS, id: 'ops-officer', name: 'Olive Ops' });
tokens.add(opsRecord);

let clockOffsetMs = 0;
const now = () => Date.now() + clockOffsetMs;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const farOff = isoDate(Date.now() + 3 * 365 * DAY_MS);
const soon = isoDate(Date.now() + 12 * DAY_MS);

/** Deliveries succeed, but those telling the Party its entry started fail (nothing reaches anyone). */
function deliveries() {
  return deliveryOf(async (n: Notification): Promise<DeliveryReport> => {
    const status = n.kind === NOTIFICATION_KIND.ENTRY_STARTED ? DELIVERY_STATUS.FAILED : DELIVERY_STATUS.DELIVERED;
    return { notificationId: n.id, kind: n.kind, status, attempts: 1, targets: [] };
  });
}

async function scrape(baseUrl = app!.baseUrl): Promise<MetricSample[]> {
  const answer = await call(baseUrl, 'GET', PATH.metrics);
  expect(answer.status).toBe(200);
  return parseMetrics(answer.text);
}

async function start(partyId: string, cohort: string, mandateDeadline: string): Promise<void> {
  const answer = await call(app!.baseUrl, 'POST', PATH.entries, { token: opsToken, body: startBody(partyId, { cohort: cohort as never, mandateDeadline }) });
  expect(answer.status).toBe(201);
}

beforeAll(async () => {
  worker = await createTestWorker(env(), { taskQueue, activities: { ...createRecordActivities(record.db), ...stampingDeliveries(record.db, deliveries()) } });
  running = worker.run();
  app = await listenApp(env().client, { TEMPORAL_TASK_QUEUE: taskQueue }, tokens, { record: record.db, now });
  await start(uniquePartyId('LARGE'), COHORT.LARGE_SUPPLIER, farOff);
  await start(uniquePartyId('SMALL'), COHORT.SMALL_DOMESTIC_SUPPLIER, soon);
  const withdrawn = uniquePartyId('GONE');
  await start(withdrawn, COHORT.SMALL_DOMESTIC_SUPPLIER, farOff);
  const w = await call(app.baseUrl, 'POST', PATH.withdrawal.replace(':partyId', withdrawn), { token: opsToken, body: { reason: 'no longer seeks to be a DCC User' } });
  expect(w.status).toBe(200);
}, 120_000);

test('entries by status and cohort, at risk by cohort, and what each body has on its desk, as of now', async () => {
  const m = await eventually(scrape, (s) => sampleValue(s, 'uep_entries', { status: ENTRY_STATUS.WITHDRAWN, cohort: COHORT.SMALL_DOMESTIC_SUPPLIER }) === 1, 30_000);
  expect(sampleValue(m, 'uep_entries', { status: ENTRY_STATUS.IN_PROGRESS, cohort: COHORT.LARGE_SUPPLIER })).toBe(1);
  expect(sampleValue(m, 'uep_entries', { status: ENTRY_STATUS.IN_PROGRESS, cohort: COHORT.SMALL_DOMESTIC_SUPPLIER })).toBe(1);
  // every status and cohort has its series, zeros included
  expect(sampleValue(m, 'uep_entries', { status: ENTRY_STATUS.COMPLETE, cohort: COHORT.OTHER })).toBe(0);
  // the entry due in 12 days cannot make it; the one due in three years can
  expect(sampleValue(m, 'uep_entries_at_risk', { cohort: COHORT.SMALL_DOMESTIC_SUPPLIER })).toBe(1);
  expect(sampleValue(m, 'uep_entries_at_risk', { cohort: COHORT.LARGE_SUPPLIER })).toBe(0);
  expect(sampleValue(m, 'uep_entries_in_breach', { cohort: COHORT.SMALL_DOMESTIC_SUPPLIER })).toBe(0);
  // both entries in progress open with the security assessment, awaiting SECAS; nothing overdue yet
  expect(sampleValue(m, 'uep_stages_awaiting', { body: BODY.SECAS })).toBe(2);
  expect(sampleValue(m, 'uep_stages_overdue', { body: BODY.SECAS })).toBe(0);
  expect(sampleValue(m, 'uep_stages_awaiting', { body: BODY.DCC })).toBe(0);
  expect(sampleValue(m, 'uep_stage_oldest_wait_seconds', { body: BODY.SECAS })).toBeLessThan(120);
  expect(sampleValue(m, 'uep_record_up')).toBe(1);
  expect(sampleValue(m, 'uep_record_lag_seconds')).toBeGreaterThanOrEqual(0);
  expect(sampleValue(m, 'uep_record_lag_seconds')).toBeLessThan(30);
  expect(sampleValue(m, 'uep_temporal_up')).toBe(1);
  expect(sampleValue(m, 'uep_worker_pollers', { task_queue: taskQueue, type: 'workflow' })).toBeGreaterThanOrEqual(1);
  expect(sampleValue(m, 'uep_worker_pollers', { task_queue: taskQueue, type: 'activity' })).toBeGreaterThanOrEqual(1);
});

test('an hour on, the notices that reached nobody count as undelivered; delivered ones do not', async () => {
  clockOffsetMs = 60 * 60_000;
  // the withdrawal's notice is delivered a moment after the record shows the entry withdrawn
  const m = await eventually(scrape, (s) => sampleValue(s, 'uep_notices_undelivered', { kind: NOTIFICATION_KIND.ENTRY_WITHDRAWN }) === 0, 30_000);
  expect(sampleValue(m, 'uep_notices_undelivered', { kind: NOTIFICATION_KIND.ENTRY_STARTED })).toBe(3);
  expect(sampleValue(m, 'uep_notices_undelivered', { kind: NOTIFICATION_KIND.AT_RISK })).toBe(0);
});

test('two months on, the stages are overdue, the short entry is in breach and the wait is two months long', async () => {
  clockOffsetMs = 60 * DAY_MS;
  const m = await scrape();
  expect(sampleValue(m, 'uep_stages_overdue', { body: BODY.SECAS })).toBe(2);
  expect(sampleValue(m, 'uep_entries_in_breach', { cohort: COHORT.SMALL_DOMESTIC_SUPPLIER })).toBe(1);
  expect(sampleValue(m, 'uep_entries_in_breach', { cohort: COHORT.LARGE_SUPPLIER })).toBe(0);
  expect(sampleValue(m, 'uep_stage_oldest_wait_seconds', { body: BODY.SECAS })).toBeGreaterThanOrEqual((60 * DAY_MS) / 1000);
  // undelivered notices older than the week deliveries retry for are given up, no longer counted
  expect(sampleValue(m, 'uep_notices_undelivered', { kind: NOTIFICATION_KIND.ENTRY_STARTED })).toBe(0);
  clockOffsetMs = 0;
});

test("the reconciler: never passed (0) while no schedule exists; then its last pass, its interval and whether it is paused", async () => {
  clockOffsetMs += 10_000; // past the snapshot's lifetime
  let m = await scrape();
  expect(sampleValue(m, 'uep_reconciler_last_pass_timestamp_seconds')).toBe(0);
  expect(sampleValue(m, 'uep_reconciler_interval_seconds')).toBe(0);

  await ensureReconcileSchedule(env().client, { taskQueue, intervalMs: 3_600_000 });
  const handle = env().client.schedule.getHandle(RECONCILE_SCHEDULE_ID);
  await handle.trigger();
  const described = await eventually(() => handle.describe(), (d) => d.info.recentActions.length > 0, 30_000);
  const takenAt = described.info.recentActions.at(-1)!.takenAt.getTime();
  clockOffsetMs += 10_000;
  m = await scrape();
  expect(sampleValue(m, 'uep_reconciler_last_pass_timestamp_seconds')).toBe(takenAt / 1000);
  expect(sampleValue(m, 'uep_reconciler_interval_seconds')).toBe(3600);
  expect(sampleValue(m, 'uep_reconciler_paused')).toBe(0);

  await handle.pause('metrics test');
  clockOffsetMs += 10_000;
  expect(sampleValue(await scrape(), 'uep_reconciler_paused')).toBe(1);
  await handle.delete();
});

test('a record or a Temporal that does not answer is a 0 in its up gauge, and the scrape still answers', async () => {
  const deadRecord = openRecord('postgres://nobody@127.0.0.1:1/none?sslmode=disable', { maxConnections: 1 });
  const connection = await Connection.connect({ address: env().address });
  const closedClient = new Client({ connection });
  await connection.close(); // every call on it fails
  const broken = await listenApp(closedClient, { TEMPORAL_TASK_QUEUE: taskQueue }, tokens, { record: deadRecord });
  try {
    const m = await scrape(broken.baseUrl);
    expect(sampleValue(m, 'uep_record_up')).toBe(0);
    expect(sampleValue(m, 'uep_temporal_up')).toBe(0);
    expect(sampleValue(m, 'uep_worker_pollers', { type: 'workflow' })).toBeUndefined();
    expect(sampleValue(m, 'uep_entries', { status: ENTRY_STATUS.IN_PROGRESS, cohort: COHORT.LARGE_SUPPLIER })).toBeUndefined();
  } finally {
    await broken.close();
    await deadRecord.destroy();
  }
});
