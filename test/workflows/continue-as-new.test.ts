/**
 * Long life: when the server suggests it, an entry continues as new carrying its whole state.
 * The dev server is told to suggest it after a few dozen events, so one lifecycle spans runs.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { AUDIT_ACTION } from '../../domain/types';
import { BODY, COHORT, ENTRY_STATUS, USER_ROLE } from '../../domain/vocabulary';
import { getAuditTrailQuery } from '../../workflows/messages';
import { driveToCompletion, principalFor, startEntryWorkflow } from '../../testkit/entry-driver';
import { recordingNotifier } from '../../testkit/recording-notifier';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('can');
const notifier = recordingNotifier();

beforeAll(async () => {
  env = await startDevServer({ extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=40'] });
  worker = await createTestWorker(env, { taskQueue, activities: notifier.activities });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

test('an entry continues as new with its full state and completes', async () => {
  const partyId = uniquePartyId('CAN');
  const handle = await startEntryWorkflow(env.client, taskQueue, {
    partyId,
    partyName: 'Long Life Energy',
    cohort: COHORT.OTHER,
    roles: [USER_ROLE.IMPORT_SUPPLIER, USER_ROLE.OTHER_USER],
    mandateDeadline: null,
    uepContact: { name: 'Lee', email: 'lee@example.org' },
    startedBy: principalFor(BODY.OPS, 'ops'),
  });
  const firstRunId = handle.firstExecutionRunId;
  const final = await driveToCompletion(handle);
  expect(final.status).toBe(ENTRY_STATUS.COMPLETE);

  const latest = env.client.workflow.getHandle(handle.workflowId);
  await latest.result();
  const description = await latest.describe();
  expect(description.runId).not.toBe(firstRunId);
  expect(description.status.name).toBe('COMPLETED');
  const history = await env.client.workflow.getHandle(handle.workflowId, firstRunId).fetchHistory();
  expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();

  // The audit trail of the last run still holds every sign-off since the start, once each.
  const audit = await latest.query(getAuditTrailQuery);
  expect(audit[0]!.action).toBe(AUDIT_ACTION.STARTED);
  const ids = audit.filter((a) => a.id !== undefined).map((a) => a.id);
  expect(new Set(ids).size).toBe(ids.length);
  const stages = final.partyStages.length + final.roleStages.reduce((n, r) => n + r.stages.length, 0);
  expect(audit.filter((a) => a.action === AUDIT_ACTION.DECISION)).toHaveLength(stages);
  expect(audit.map((a) => a.seq)).toEqual(audit.map((_, i) => audit[0]!.seq + i));
  const notificationIds = notifier.sent.map((r) => r.notification.id);
  expect(new Set(notificationIds).size).toBe(notificationIds.length);
});
