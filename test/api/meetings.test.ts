/**
 * The meeting calendar through the API, against a real dev server, worker and a record of their
 * own (PGlite, so that its counts are this file's entries): SECAS keeps it; a PUT keeps the version
 * and hands its push to Temporal, which sends it to every running entry in the background; a
 * decision waiting on a moved meeting moves with it and the Party and SECAS are told. The push
 * needs no worker to be answered, waits for one, is superseded by a newer version, and a version
 * Temporal did not take is pushed by the reconciler. The catalogue marks every duration sourced or
 * assumed.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { MeetingsPushReport } from '../../activities/types';
import {
  AuditTrailResponse,
  CatalogueResponse,
  EntryResponse,
  MeetingCalendarChangeResponse,
  MeetingCalendarResponse,
  StartEntryResponse,
} from '../../api/schemas';
import { mintToken, TokenStore } from '../../api/tokens';
import { addDays, toDate } from '../../domain/dates';
import type { Meeting } from '../../domain/meetings';
import { BODY, STAGE, STAGE_STATE, type Principal } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { eventually, listenApp, recordingActivities, TEST_RPC_TIMEOUT_MS, type ListeningApp } from '../../testkit/api-harness';
import { startEntryWorkflow } from '../../testkit/entry-driver';
import { freePort } from '../../testkit/ports';
import { useMigratedRecord, useTemporal } from '../../testkit/suites';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { bearer, clocked, party, refusalOf, typedApi, type TypedApi } from '../../testkit/typed-api';
import { createReconcilerActivities } from '../../worker/reconciler';
import { reconcileRecordWorkflow } from '../../workflows';

let app: ListeningApp | undefined;
let worker: { worker: Worker; running: Promise<void> } | undefined;
// declared first so that it runs before the dev server and the record are stopped
afterAll(async () => {
  await app?.close();
  await stopWorker();
});

const env = useTemporal(startDevServer);
const record = useMigratedRecord('pglite');
const taskQueue = uniqueTaskQueue('meetings');
const tokens = new TokenStore([]);
const tokenOf = (principal: Principal & { name: string }): string => {
  const minted = mintToken(principal);
  tokens.add(minted.record);
  return minted.token;
};
const secas = tokenOf({ body: BODY.SECAS, id: 'secas-officer', name: 'Sam Secas' });
const dcc = tokenOf({ body: BODY.DCC, id: 'dcc-officer', name: 'Dee Dcc' });
const panelToken = tokenOf({ body: BODY.SEC_PANEL, id: 'panel-officer', name: 'Pat Panel' });
const partyTokens = new Map<string, string>();
const partyToken = (partyId: string): string => {
  if (!partyTokens.has(partyId)) partyTokens.set(partyId, tokenOf({ body: BODY.PARTY, id: `contact@${partyId}`, partyId, name: 'Uma Lead' }));
  return partyTokens.get(partyId)!;
};

/** A worker as worker/main.ts composes it: the entry workflows, the record, the push, the reconciler. */
async function startWorker(): Promise<void> {
  const w = await createTestWorker(env(), {
    taskQueue,
    record: record.db,
    activities: { ...recordingActivities([]), ...createReconcilerActivities({ client: env().client, db: record.db }) },
  });
  worker = { worker: w, running: w.run() };
}
async function stopWorker(): Promise<void> {
  if (!worker) return;
  worker.worker.shutdown();
  await worker.running;
  worker = undefined;
}

beforeAll(async () => {
  await startWorker();
  app = await listenApp(env().client, { TEMPORAL_TASK_QUEUE: taskQueue }, tokens, { record: record.db });
  api = typedApi(app.baseUrl);
});
let api: TypedApi;
const today = toDate(Date.now());
const panelOn = (id: string, papersIn: number, meetsIn: number): Meeting => ({ id, body: 'SEC_PANEL', papersBy: addDays(today, papersIn), date: addDays(today, meetsIn) });
const calendarNow = async () => MeetingCalendarResponse.parse((await api.GET('/v1/meetings', bearer(dcc))).data);
const put = async (version: number, meetings: Meeting[], client = api) => {
  const answer = await clocked(() => client.PUT('/v1/meetings', { ...bearer(secas), body: { version, meetings } }));
  expect(answer.response.status).toBe(200);
  return { ...MeetingCalendarChangeResponse.parse(answer.data), ms: answer.ms };
};
/** Every running entry holds the current version, as the record shows it. */
const noneBehind = () => eventually(calendarNow, (c) => c.entriesToTake === 0, 60_000);
const securityOf = async (partyId: string) =>
  EntryResponse.parse((await api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(secas) })).data).entry.partyStages.find((s) => s.stage === STAGE.SECURITY_ASSESSMENT);
const calendarVersionsOf = async (partyId: string) =>
  AuditTrailResponse.parse((await api.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...bearer(secas) })).data)
    .records.filter((r) => r.action === 'MEETINGS_UPDATED')
    .map((r) => r.comment);
const pushResult = (version: number) => env().client.workflow.getHandle(`uep-meetings-push-v${version}`).result() as Promise<MeetingsPushReport>;

/** An entry whose security fieldwork is done and whose Response the Party sent: its status is decided at the next Panel. */
async function waitingOnThePanel(prefix: string): Promise<string> {
  const partyId = uniquePartyId(prefix);
  const done = [
    { stage: STAGE.ACCESSION, outcome: 'ACCEDED', at: addDays(today, -5) },
    { stage: STAGE.SECURITY_FIELDWORK, outcome: 'REPORT_ISSUED', at: addDays(today, -5) },
  ];
  expect((await api.POST('/v1/entries', { ...bearer(secas), body: startBody(partyId, { completedStages: done }) })).response.status).toBe(201);
  const sent = await api.POST('/v1/entries/{partyId}/evidence', {
    ...party(partyId),
    ...bearer(partyToken(partyId)),
    body: { submissionId: 'response-1', stage: STAGE.SECURITY_ASSESSMENT, reference: 'USAR-response.pdf' },
  });
  expect(sent.response.status).toBe(200);
  return partyId;
}
/** Each entry's security status is due at `meeting`. */
async function expectDueAt(partyIds: string[], meeting: Meeting): Promise<void> {
  for (const partyId of partyIds) expect([partyId, (await securityOf(partyId))?.dueBy]).toEqual([partyId, meeting.date]);
}

test('GET /v1/catalogue marks every duration of every version sourced (with its source) or assumed', async () => {
  for (const version of ['v1', 'v2']) {
    const r = await api.GET('/v1/catalogue', { params: { query: { version } }, ...bearer(partyToken(uniquePartyId('READER'))) });
    const catalogue = CatalogueResponse.parse(r.data);
    for (const stage of catalogue.stages) {
      for (const d of [stage.sla, stage.estimate]) {
        const ok = d.basis === 'SOURCED' ? d.source !== null && d.source.length > 10 && d.setting === null : d.basis === 'ASSUMED' && d.note !== null && d.source === null;
        expect([version, stage.id, ok]).toEqual([version, stage.id, true]);
        if (version === 'v2' && d.basis === 'ASSUMED') expect([stage.id, d.setting]).toEqual([stage.id, expect.stringMatching(/^[A-Z_]+$/)]);
      }
    }
  }
  const v2 = CatalogueResponse.parse((await api.GET('/v1/catalogue', bearer(dcc))).data);
  expect(v2.version).toBe('v2');
  expect(v2.stages.find((s) => s.id === STAGE.ACCESSION)?.sla).toMatchObject({ workingDays: 2, basis: 'SOURCED' });
  // what a start applies when it gives no mandateDeadline, so the start form can show it before anyone starts
  const defaults = Object.fromEntries(v2.defaultMandateDeadlines.map((d) => [d.cohort, d.deadline]));
  expect(defaults).toMatchObject({ LARGE_SUPPLIER: '2017-11-25', SMALL_DOMESTIC_SUPPLIER: '2017-11-25', ELECTRICITY_DNO: '2018-01-21', GAS_TRANSPORTER: null });
});

test('a start that would apply a past default deadline is refused unless confirmed; a date or null starts at once', async () => {
  const { mandateDeadline: _given, ...withoutDeadline } = startBody(uniquePartyId(), { cohort: 'LARGE_SUPPLIER' });
  const refused = await api.POST('/v1/entries', { ...bearer(secas), body: withoutDeadline });
  expect(refusalOf(refused)).toEqual({ status: 422, code: 'INVALID_DEADLINE' });
  expect(refused.error?.error.message).toContain("The large supplier cohort's default mandate deadline is 25 Nov 2017, already passed");
  const confirmed = await api.POST('/v1/entries', { ...bearer(secas), body: { ...withoutDeadline, confirmPastDefaultDeadline: true } });
  expect(confirmed.response.status).toBe(201);
  expect(StartEntryResponse.parse(confirmed.data).warnings.map((w) => w.code)).toEqual(['MANDATE_DEADLINE_PASSED']);
});

test('SECAS keeps the calendar; every running entry takes a new version, and a moved Panel meeting moves the decision waiting on it', async () => {
  const before = await calendarNow();
  const panel = panelOn('PANEL-NEXT', 10, 20);
  const later = panelOn('PANEL-AFTER', 40, 50);

  expect(refusalOf(await api.PUT('/v1/meetings', { ...bearer(panelToken), body: { version: before.version + 1, meetings: [panel] } }))).toEqual({ status: 403, code: 'FORBIDDEN' });
  expect(refusalOf(await api.PUT('/v1/meetings', { ...bearer(secas), body: { version: before.version + 1, meetings: [{ ...panel, papersBy: addDays(today, 30) }] } }))).toEqual({ status: 422, code: 'INVALID_INPUT' });
  const first = await put(before.version + 1, [panel, later]);
  expect([first.calendar.version, first.calendar.changedBy?.startsWith('SECAS:')]).toEqual([before.version + 1, true]);
  expect(refusalOf(await api.PUT('/v1/meetings', { ...bearer(secas), body: { version: before.version + 1, meetings: [] } }))).toEqual({ status: 422, code: 'INVALID_INPUT' });

  // an entry started now is handed the calendar at its start; its Response is decided at the next Panel
  const partyId = await waitingOnThePanel('MEET');
  expect(await securityOf(partyId)).toMatchObject({ state: STAGE_STATE.AWAITING_DECISION, dueBy: panel.date, meeting: { date: panel.date, papersBy: panel.papersBy } });
  expect((await securityOf(partyId))?.expected).toMatch(/^The SEC Panel decides at the next Panel \d+ \w+ \d{4} \(papers by /);

  const moved = { ...panel, papersBy: addDays(today, 12), date: addDays(today, 22) };
  const change = await put(before.version + 2, [moved, later]);
  expect(change.push).toEqual({ workflowId: `uep-meetings-push-v${before.version + 2}`, started: true });
  expect(change.calendar.entriesToTake).toBeGreaterThanOrEqual(1);
  const after = await eventually(() => securityOf(partyId), (s) => s?.dueBy === moved.date, 30_000);
  expect(after).toMatchObject({ dueBy: moved.date, meeting: { date: moved.date, papersBy: moved.papersBy } });
  expect(await calendarVersionsOf(partyId)).toEqual([`meeting calendar version ${before.version + 2}`]);
  const read = MeetingCalendarResponse.parse((await api.GET('/v1/meetings', bearer(partyToken(partyId)))).data);
  expect(read.meetings).toEqual([moved, later]);
  expect((await noneBehind()).entriesHolding).toBeGreaterThanOrEqual(1);
});

describe('the push, in the background', () => {
  let parties: string[] = [];
  let running = 0;
  beforeAll(async () => {
    const c = await calendarNow();
    if (!c.meetings.some((m) => m.id === 'PANEL-NEXT')) await put(c.version + 1, [panelOn('PANEL-NEXT', 10, 20)]);
    // more than one batch of the old in-request fan-out (8 at a time)
    parties = [];
    for (let i = 0; i < 9; i++) parties.push(await waitingOnThePanel(`PUSH${i}`));
    running = (await noneBehind()).entriesHolding;
  }, 120_000);

  test('with no worker running, a PUT answers at once and keeps the version; once a worker starts, every running entry takes it and none is behind', async () => {
    const c = await calendarNow();
    const held = c.meetings.find((m) => m.id === 'PANEL-NEXT')!;
    await stopWorker();
    const moved = panelOn('PANEL-NEXT', 14, 25);
    const change = await put(c.version + 1, [moved]);
    expect(change.ms).toBeLessThan(2000);
    expect(change.push).toEqual({ workflowId: `uep-meetings-push-v${c.version + 1}`, started: true });
    expect([change.calendar.version, change.calendar.entriesToTake]).toEqual([c.version + 1, running]);
    const saved = await calendarNow();
    expect([saved.version, saved.meetings, saved.entriesHolding, saved.entriesToTake]).toEqual([c.version + 1, [moved], 0, running]);
    await expectDueAt(parties, held); // nothing moves without a worker

    await startWorker();
    expect((await noneBehind()).entriesHolding).toBe(running);
    await expectDueAt(parties, moved);
    expect(await pushResult(c.version + 1)).toMatchObject({ version: c.version + 1, outcome: 'DONE' });
  });

  test('a second PUT while the first push is still pending (no worker yet) supersedes it: every entry takes the newer version, none the older', async () => {
    const c = await calendarNow();
    await stopWorker();
    const first = await put(c.version + 1, [panelOn('PANEL-NEXT', 15, 26)]);
    const newer = panelOn('PANEL-NEXT', 16, 27);
    const second = await put(c.version + 2, [newer]);
    expect([first.ms, second.ms].every((ms) => ms < 2000)).toBe(true);
    expect([first.push.started, second.push.started]).toEqual([true, true]);

    await startWorker();
    expect((await noneBehind()).entriesHolding).toBe(running);
    await expectDueAt(parties, newer);
    expect(await pushResult(c.version + 1)).toMatchObject({ outcome: 'SUPERSEDED', supersededBy: c.version + 2, sent: 0 });
    expect(await pushResult(c.version + 2)).toMatchObject({ outcome: 'DONE', sent: running });
    for (const partyId of parties) {
      const versions = await calendarVersionsOf(partyId);
      expect([partyId, versions.includes(`meeting calendar version ${c.version + 2}`), versions.includes(`meeting calendar version ${c.version + 1}`)]).toEqual([partyId, true, false]);
    }
  });

  test('a version Temporal did not take is kept, and the reconciler pushes it; a pass finding an entry missed after the push was done runs it again', async () => {
    const c = await calendarNow();
    // an API whose Temporal does not answer: nothing listens on its port
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const cutOff = await listenApp(new Client({ connection }), { TEMPORAL_TASK_QUEUE: taskQueue }, tokens, { record: record.db });
    const moved = panelOn('PANEL-NEXT', 17, 28);
    let change: Awaited<ReturnType<typeof put>>;
    try {
      change = await put(c.version + 1, [moved], typedApi(cutOff.baseUrl));
    } finally {
      await cutOff.close();
      await connection.close();
    }
    const workflowId = `uep-meetings-push-v${c.version + 1}`;
    expect(change.push).toEqual({ workflowId, started: false });
    expect(change.ms).toBeLessThan(TEST_RPC_TIMEOUT_MS + 1500);
    expect(await calendarNow()).toMatchObject({ version: c.version + 1, meetings: [moved], entriesHolding: 0, entriesToTake: running });
    await expect(env().client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const pass = () => env().client.workflow.execute(reconcileRecordWorkflow, { taskQueue, workflowId: `uep-record-reconciler-${uniquePartyId('PASS')}` });
    expect((await pass()).meetingsPush).toBe(workflowId);
    expect((await noneBehind()).entriesHolding).toBe(running);
    await expectDueAt(parties, moved);
    expect(await pushResult(c.version + 1)).toMatchObject({ outcome: 'DONE', sent: running });
    expect((await pass()).meetingsPush).toBeUndefined(); // none behind: nothing started

    // an entry handed the previous version at its start, its first write to the record after the push listed who was behind
    const missed = uniquePartyId('MISSED');
    await startEntryWorkflow(env().client, taskQueue, {
      ...startBody(missed),
      startedBy: { body: BODY.OPS, id: 'ops-officer' },
      meetings: { version: c.version, meetings: c.meetings },
    });
    await eventually(calendarNow, (now) => now.entriesToTake === 1, 30_000);
    expect((await pass()).meetingsPush).toBe(workflowId);
    expect((await noneBehind()).entriesHolding).toBe(running + 1);
    expect(await calendarVersionsOf(missed)).toEqual([`meeting calendar version ${c.version + 1}`]);
    const runsOf = async () => {
      const runs: string[] = [];
      for await (const run of env().client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run.status.name);
      return runs;
    };
    expect(await eventually(runsOf, (runs) => runs.length === 2 && runs.every((s) => s === 'COMPLETED'))).toEqual(['COMPLETED', 'COMPLETED']);
  });
});
