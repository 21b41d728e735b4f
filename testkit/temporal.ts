/**
 * Real Temporal servers for tests: the CLI dev server (visibility, search attributes, updates)
 * and the time-skipping test server (months of timers in seconds). Binaries come from the
 * project's toolchain (config/temporal-toolchain.ts); nothing here mocks Temporal.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { serverExecutable, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../config/temporal-toolchain';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';
import { addSearchAttributes } from './register-search-attributes';
import { DEFAULT_NAMESPACE } from '../config/temporal';
import { createRecordActivities } from '../activities/record';
import type { RecordDb } from '../record/db';
import { createMeetingsPushActivities } from '../worker/meetings-push';
import { sharedTestRecord } from './record';

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function startDevServer(opts: { dbFilename?: string; port?: number; extraArgs?: string[] } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: serverExecutable(TEMPORAL_CLI),
      ip: '127.0.0.1',
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'pretty', level: 'error' },
      ...opts,
    },
  });
}

/** The time-skipping server, with the engine's search attributes registered. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: serverExecutable(TEMPORAL_TEST_SERVER) } });
  await addSearchAttributes(env.connection, env.namespace ?? DEFAULT_NAMESPACE);
  return env;
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

export function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

/** The entry workflows' bundle jest's global setup built for the whole run (testkit/jest-global-bundle.mjs). */
export const TEST_WORKFLOW_BUNDLE_ENV = 'UEP_TEST_WORKFLOW_BUNDLE';

let bundle: Promise<WorkflowBundle> | undefined;
/** The entry workflows bundled: the run's bundle under jest, else once per process. */
export function entryWorkflowBundle(): Promise<WorkflowBundle> {
  const built = process.env[TEST_WORKFLOW_BUNDLE_ENV];
  bundle ??= built ? readFile(built, 'utf8').then((code) => ({ code })) : bundleWorkflows(WORKFLOWS_PATH);
  return bundle;
}

export function uniqueTaskQueue(name = 'test'): string {
  return `${name}-${randomUUID()}`;
}

export function uniquePartyId(prefix = 'P'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createTestWorker(
  env: TestWorkflowEnvironment,
  options: { taskQueue: string; activities: object; workflowBundle?: WorkflowBundle; maxCachedWorkflows?: number; record?: RecordDb },
): Promise<Worker> {
  const record = options.record ?? (await sharedTestRecord());
  return Worker.create({
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await entryWorkflowBundle()),
    // as the worker composes them (worker/main.ts): every entry workflow hands its transitions to the
    // record (`record`, default the shared one), a meeting calendar's push reads it; the test's activities may replace them
    activities: { ...createRecordActivities(record), ...createMeetingsPushActivities({ client: env.client, db: record }), ...options.activities },
  });
}

const WFT = temporal.api.enums.v1.EventType;
const WORKFLOW_TASK_EVENTS = new Set([
  WFT.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  WFT.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  WFT.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  WFT.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  WFT.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

/** A workflow task is scheduled or started and not yet over: read from history, since the time-skipping server's describe never reports one. */
async function workflowTaskInFlight(handle: WorkflowHandle): Promise<boolean> {
  const events = (await handle.fetchHistory()).events ?? [];
  const last = events.filter((e) => WORKFLOW_TASK_EVENTS.has(e.eventType ?? 0)).at(-1);
  return last?.eventType === WFT.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED || last?.eventType === WFT.EVENT_TYPE_WORKFLOW_TASK_STARTED;
}

/** Nothing of the run is in flight: no pending activity (e.g. its record activity) and no workflow task. */
async function idle(handle: WorkflowHandle, raw: temporal.api.workflowservice.v1.IDescribeWorkflowExecutionResponse): Promise<boolean> {
  return (raw.pendingActivities?.length ?? 0) === 0 && raw.pendingWorkflowTask == null && !(await workflowTaskInFlight(handle));
}

/** Waits until a running workflow has nothing in flight (or is closed); throws after timeoutMs. */
export async function untilIdle(handle: WorkflowHandle, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { status, raw } = await handle.describe();
    if (status.name !== 'RUNNING' || (await idle(handle, raw))) return;
    if (Date.now() > until) throw new Error(`${handle.workflowId} still busy after ${timeoutMs} ms`);
    await delay(50);
  }
}

/** Deletes a schedule the test made, if it is there. */
export async function deleteScheduleIfAny(client: Client, scheduleId: string): Promise<void> {
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
}

/**
 * Terminates a running entry once nothing of it is in flight. The time-skipping server stops
 * skipping time while a task is scheduled and, when the entry is terminated under a workflow task,
 * never starts again: every test after it would hang at its first sleep. Terminates anyway after timeoutMs.
 */
export async function terminateWhenIdle(handle: WorkflowHandle, reason = 'test over', timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { status, raw } = await handle.describe();
    if (status.name !== 'RUNNING') return;
    if (Date.now() > until || (await idle(handle, raw))) return void (await handle.terminate(reason));
    await delay(50);
  }
}
