/**
 * The ops view on the real dev server: entries found by visibility queries on their search
 * attributes, the Web UI's current details, and a refused sign-off leaving history untouched.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { entryIdFor, type EntrySummary } from '../../domain';
import { BODY, COHORT, STAGE, USER_ROLE } from '../../domain/vocabulary';
import type { entryWorkflow } from '../../workflows';
import { getStatusQuery, recordDecisionUpdate } from '../../workflows/messages';
import { SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import { actOn, openStages, principalFor, startEntryWorkflow } from '../../testkit/entry-driver';
import { eventually } from '../../testkit/api-harness';
import { recordingNotifier } from '../../testkit/recording-notifier';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('ops-view');

beforeAll(async () => {
  env = await startDevServer();
  worker = await createTestWorker(env, { taskQueue, activities: recordingNotifier().activities });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function start(partyId: string, mandateDeadline: string | null): Promise<WorkflowHandle<typeof entryWorkflow>> {
  return startEntryWorkflow(env.client, taskQueue, {
    partyId,
    partyName: `Ops View ${partyId}`,
    cohort: COHORT.OTHER,
    roles: [USER_ROLE.GAS_SUPPLIER],
    mandateDeadline,
    uepContact: { name: 'Sam', email: 'sam@example.org' },
    startedBy: principalFor(BODY.OPS, 'ops'),
  });
}

/** The workflow ids a visibility query finds among the given parties, waiting for the index to catch up. */
async function find(where: string, parties: string[], expected: string[]): Promise<string[]> {
  const query = `${where} AND ${SEARCH_ATTRIBUTE.partyId.name} IN (${parties.map((p) => `'${p}'`).join(', ')})`;
  let found: string[] = [];
  for (let i = 0; i < 50; i++) {
    found = [];
    for await (const wf of env.client.workflow.list({ query })) found.push(wf.workflowId);
    found.sort();
    if (JSON.stringify(found) === JSON.stringify([...expected].sort())) break;
    await delay(100);
  }
  return found;
}

test('list queries find entries by awaited body, at-risk flag and mandate deadline range', async () => {
  const now = Date.now();
  const [far, soon, moving] = [uniquePartyId('FAR'), uniquePartyId('SOON'), uniquePartyId('MOVE')];
  const farDeadline = isoDate(now + 400 * DAY);
  const hFar = await start(far, farDeadline);
  const hSoon = await start(soon, isoDate(now + 20 * DAY));
  const hMoving = await start(moving, null);
  const s: EntrySummary = await hMoving.query(getStatusQuery);
  const accession = await actOn(hMoving, s, openStages(s)[0]!); // SECAS accedes: DCC, the Party and SECAS are awaited next
  expect(accession.awaitedBodies).toEqual(expect.arrayContaining([BODY.DCC]));
  const parties = [far, soon, moving];

  const a = SEARCH_ATTRIBUTE;
  expect(await find(`${a.awaitedBodies.name} = 'DCC'`, parties, [hMoving.workflowId])).toEqual([hMoving.workflowId]);
  expect(await find(`${a.awaitedBodies.name} = 'SECAS' AND ${a.openStages.name} = 'ACCESSION'`, parties, [hFar.workflowId, hSoon.workflowId])).toEqual(
    [hFar.workflowId, hSoon.workflowId].sort(),
  );
  expect((await hSoon.query(getStatusQuery)).atRisk).toBe(true);
  expect(await find(`${a.atRisk.name} = true`, parties, [hSoon.workflowId])).toEqual([hSoon.workflowId]);
  const from = `${isoDate(now + 300 * DAY)}T00:00:00Z`;
  const to = `${isoDate(now + 500 * DAY)}T00:00:00Z`;
  expect(await find(`${a.mandateDeadline.name} BETWEEN '${from}' AND '${to}'`, parties, [hFar.workflowId])).toEqual([hFar.workflowId]);
  expect(await find(`${a.status.name} = 'IN_PROGRESS' AND ${a.cohort.name} = 'OTHER' AND ${a.roles.name} = 'GAS_SUPPLIER'`, parties, parties.map(entryIdFor))).toEqual(
    parties.map(entryIdFor).sort(),
  );

  const described = await hFar.describe();
  expect(described.typedSearchAttributes.get(a.mandateDeadline)?.toISOString()).toBe(`${farDeadline}T00:00:00.000Z`);
  const metadata = await hFar.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toContain((await hFar.query(getStatusQuery)).headline);
  for (const h of [hFar, hSoon, hMoving]) await h.terminate('test over');
});

/**
 * The history's length once nothing is in flight: no activity pending (the start's notices
 * delivered) and the last workflow task completed. Read earlier, it would still be growing.
 */
async function settledHistoryLength(handle: WorkflowHandle): Promise<number> {
  const settled = await eventually(
    async () => ({ pending: (await handle.describe()).raw.pendingActivities ?? [], events: (await handle.fetchHistory()).events ?? [] }),
    ({ pending, events }) => pending.length === 0 && events.at(-1)?.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    15_000,
  );
  return settled.events.length;
}

test("a wrong body's decision is refused with its reason and adds nothing to history", async () => {
  const handle = await start(uniquePartyId('WRONG'), null);
  const before = await settledHistoryLength(handle);
  const statusBefore = await handle.query(getStatusQuery);
  for (const [principal, outcome, code] of [
    [principalFor(BODY.DCC, 'x'), 'ACCEDED', 'WRONG_BODY'],
    [principalFor(BODY.OPS, 'x'), 'ACCEDED', 'WRONG_BODY'],
    [principalFor(BODY.SECAS, 'x'), 'MAYBE', 'UNKNOWN_OUTCOME'],
  ] as const) {
    const err = await handle
      .executeUpdate(recordDecisionUpdate, { args: [{ decisionId: `d-${code}-${principal.body}`, stage: STAGE.ACCESSION, outcome, evidence: 'x', principal }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: code });
  }
  const ahead = await handle
    .executeUpdate(recordDecisionUpdate, { args: [{ decisionId: 'd-early', stage: STAGE.UEPT, role: USER_ROLE.GAS_SUPPLIER, outcome: 'PASSED', evidence: 'x', principal: principalFor(BODY.DCC, 'x') }] })
    .catch((e: unknown) => e);
  expect((ahead as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'NOT_AWAITING' });
  expect((await handle.fetchHistory()).events?.length).toBe(before);
  expect(await handle.query(getStatusQuery)).toEqual(statusBefore);
  await handle.terminate('test over');
});
