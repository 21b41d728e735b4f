/**
 * The ops view on the real dev server: entries found by visibility queries on their search
 * attributes, the Web UI's current details, and a refused sign-off leaving history untouched.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { entryIdFor, openStagesOf, workingDaysBetween, type EntrySummary } from '../../domain';
import { BODY, COHORT, STAGE, USER_ROLE } from '../../domain/vocabulary';
import type { entryWorkflow } from '../../workflows';
import { getStatusQuery, recordDecisionUpdate, type StatusAnswer } from '../../workflows/messages';
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
  // as of one instant, before and after: an instant before a change would be refused (asOf before the entry's last change)
  const asOf = { asOf: new Date().toISOString() };
  const statusBefore = await handle.query(getStatusQuery, asOf);
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
  expect(await handle.query(getStatusQuery, asOf)).toEqual(statusBefore);
  await handle.terminate('test over');
});

test("getStatus answers as of the instant asked and says which; the Web UI's details say when they were set", async () => {
  const handle = await start(uniquePartyId('ASOF'), isoDate(Date.now() + 400 * DAY));
  const woken: StatusAnswer = await handle.query(getStatusQuery);
  // without an instant: the workflow's last wake-up, which stands still while the entry sleeps, and says so
  expect(Date.parse(woken.asOf)).toBeGreaterThanOrEqual(Date.parse(woken.startedAt));
  expect(Date.parse(woken.asOf)).toBeLessThanOrEqual(Date.now());
  const twelveDaysOn = new Date(Date.parse(woken.asOf) + 12 * DAY).toISOString();
  const idle: StatusAnswer = await handle.query(getStatusQuery, { asOf: twelveDaysOn });
  expect(idle.asOf).toBe(twelveDaysOn);
  // twelve idle days push the forecast as many working days later (8 or so, fewer over a bank holiday)
  expect(workingDaysBetween(woken.forecastCompletion ?? '', idle.forecastCompletion ?? '', idle.calendarVersion)).toBeGreaterThanOrEqual(6);
  for (const asOf of ['2020-01-01T00:00:00Z', 'yesterday']) {
    const refused = await handle.query(getStatusQuery, { asOf }).catch((e: unknown) => e);
    expect(String((refused as Error).message)).toContain("asOf must be an ISO 8601 instant no earlier than");
  }
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toContain(`As of ${woken.startedAt.slice(0, 16).replace('T', ' ')} UTC, the entry's last change`);
  await handle.terminate('test over');
});

/** The runbook's queries (docs/operations.md, section 2): each `text` block's lines, with the comment above each. */
function runbookQueries(): { claim: string; query: string }[] {
  const doc = readFileSync(path.resolve(__dirname, '../../docs/operations.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## 2. Finding entries in the Temporal Web UI'), doc.indexOf('## 3.'));
  const out: { claim: string; query: string }[] = [];
  for (const block of section.matchAll(/```text\n([\s\S]*?)```/g)) {
    let claim = '';
    for (const line of block[1]!.split('\n').map((l) => l.trim())) {
      if (line.startsWith('#')) claim = line.slice(1).trim();
      else if (line !== '') out.push({ claim, query: line });
    }
  }
  return out;
}

test("every visibility query in the runbook parses and finds the entries it claims (docs/operations.md, section 2)", async () => {
  const queries = runbookQueries();
  const window = /UepMandateDeadline BETWEEN '(\d{4}-\d{2}-\d{2})T[^']*' AND '(\d{4}-\d{2}-\d{2})T/.exec(queries.map((q) => q.query).join('\n'));
  expect(window).not.toBeNull();
  const inWindow = isoDate((Date.parse(`${window![1]}T00:00:00Z`) + Date.parse(`${window![2]}T00:00:00Z`)) / 2);
  const today = isoDate(Date.now());
  const groundwork = [
    { stage: STAGE.ACCESSION, outcome: 'ACCEDED', at: isoDate(Date.now() - 60 * DAY) },
    { stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', at: isoDate(Date.now() - 59 * DAY) },
    { stage: STAGE.DCC_GATEWAY, outcome: 'LIVE', at: isoDate(Date.now() - 58 * DAY) },
  ];
  const base = { roles: [USER_ROLE.IMPORT_SUPPLIER], uepContact: { name: 'Sam', email: 'sam@example.org' }, startedBy: principalFor(BODY.OPS, 'ops') };
  const inputs = [
    { ...base, partyId: 'ACME-ENERGY', partyName: 'Acme Energy Ltd', cohort: COHORT.LARGE_SUPPLIER, mandateDeadline: inWindow },
    // its deadline is today: healthy, it next acts at 00:00 tomorrow (the breach), yet 00:00 today is already past
    { ...base, partyId: uniquePartyId('TODAY'), partyName: 'Due Today plc', cohort: COHORT.OTHER, mandateDeadline: today },
    { ...base, partyId: uniquePartyId('LATE'), partyName: 'Late Gas Ltd', cohort: COHORT.GAS_TRANSPORTER, mandateDeadline: isoDate(Date.now() - 30 * DAY) },
    // nothing scheduled: no deadline, only the Party awaited
    { ...base, partyId: uniquePartyId('QUIET'), partyName: 'Quiet Data', cohort: COHORT.OTHER, roles: [USER_ROLE.OTHER_USER], mandateDeadline: null, completedStages: groundwork },
    // terminated: Temporal closed it outside the engine, its UepStatus still says IN_PROGRESS
    { ...base, partyId: uniquePartyId('GONE'), partyName: 'Gone Energy', cohort: COHORT.LARGE_SUPPLIER, mandateDeadline: inWindow },
  ];
  const handles = [];
  for (const input of inputs) handles.push(await startEntryWorkflow(env.client, taskQueue, input));
  const moving = await start(uniquePartyId('MOVING'), null);
  const first: StatusAnswer = await moving.query(getStatusQuery);
  await actOn(moving, first, openStages(first)[0]!); // SECAS accedes: the DCC is awaited next
  handles.push(moving);
  const ended = handles[4]!;
  await ended.terminate('runbook test: ended abnormally');
  const ours = handles.map((h) => h.workflowId);
  const now = new Date().toISOString();
  const status = new Map<string, StatusAnswer>();
  for (const h of handles) if (h !== ended) status.set(h.workflowId, await h.query(getStatusQuery, { asOf: now }));
  const running = [...status.values()];
  const ids = (entries: StatusAnswer[]) => entries.map((s) => s.entryId).sort();

  /** What each documented query claims to find, among this test's entries. */
  const CLAIMS: Record<string, string[]> = {
    'Entries (saved view): every entry, newest first, without the maintenance workflows': [...ours],
    "Maintenance (saved view): the reconciler's passes, the notices they hand to delivery, the meeting calendar's pushes": [],
    'every running entry': ids(running),
    'at risk of missing the mandate deadline': ids(running.filter((s) => s.atRisk)),
    'in breach (running or not)': ids(running.filter((s) => s.inBreach)),
    'waiting for a given body (what the DCC has on its desk)': ids(running.filter((s) => s.awaitedBodies.includes(BODY.DCC))),
    'waiting at a given stage': ids(running.filter((s) => openStagesOf(s).some((o) => o.stage === STAGE.SECURITY_ASSESSMENT))),
    'mandate deadline inside a window (e.g. this quarter)': ids(running.filter((s) => s.mandateDeadline !== null && s.mandateDeadline >= window![1]! && s.mandateDeadline <= window![2]!)),
    "a cohort's progress": ids(running.filter((s) => s.cohort === COHORT.LARGE_SUPPLIER)),
    'by party (exact id, or words of the name)': [entryIdFor('ACME-ENERGY')],
    'its next deadline passed but it has not moved on: no worker is running, or its workflow task fails': [],
    'running with nothing scheduled: fine while a body is awaited, a logic hole worth a look otherwise': [handles[3]!.workflowId],
    'ended abnormally (should be none: business outcomes end as COMPLETE or WITHDRAWN; a run a reset replaced is listed Terminated too, its entry going on in the new run)': [ended.workflowId],
  };
  for (const claim of ['at risk of missing the mandate deadline', 'in breach (running or not)', 'mandate deadline inside a window (e.g. this quarter)']) expect([claim, CLAIMS[claim]!.length > 0]).toEqual([claim, true]);
  expect(queries.map((q) => q.claim).filter((c, i, all) => all.indexOf(c) === i).sort()).toEqual(Object.keys(CLAIMS).sort());

  const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const { claim, query } of queries) {
    // the runbook says to replace the stuck query's instant with now minus a few minutes
    const asRun = query.replace(/UepNextDeadline < '[^']*'/, `UepNextDeadline < '${fiveMinutesAgo}'`);
    const expected = [...CLAIMS[claim]!].sort();
    const found = await findAmong(asRun, ours, expected);
    expect({ claim, query: asRun, found }).toEqual({ claim, query: asRun, found: expected });
  }
  for (const h of handles) if (h !== ended) await h.terminate('test over');
});

/** The workflow ids among `ours` a visibility query finds (run verbatim), waiting for the index to catch up. */
async function findAmong(query: string, ours: string[], expected: string[]): Promise<string[]> {
  let found: string[] = [];
  for (let i = 0; i < 50; i++) {
    found = [];
    for await (const wf of env.client.workflow.list({ query })) if (ours.includes(wf.workflowId)) found.push(wf.workflowId);
    found.sort();
    if (JSON.stringify(found) === JSON.stringify(expected)) break;
    await delay(100);
  }
  return found;
}
