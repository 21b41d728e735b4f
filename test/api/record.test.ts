/**
 * Every read answers from the record (PostgreSQL), not from Temporal: an entry deleted from
 * Temporal is still served in full, a cancellation through Temporal is a withdrawal on record,
 * (a run terminated in Temporal is marked by the reconciler: reconciler.test.ts), a Party withdrawn and started again
 * has one audit trail, answers are as of the API's clock,
 * and the bulk audit export streams every record of a date range.
 */
import type { Server } from 'node:http';
import { ComplianceReport, EntryResponse } from '../../api/schemas';
import { entryIdFor } from '../../domain';
import { AUDIT_ACTION, NOTIFICATION_KIND } from '../../domain/types';
import { BODY, ENTRY_STATUS } from '../../domain/vocabulary';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { daysFromToday } from '../../testkit/dates';
import { eventually, listenApp } from '../../testkit/api-harness';
import { driveToCompletion } from '../../testkit/entry-driver';
import { useApiHarness } from '../../testkit/suites';
import { uniquePartyId } from '../../testkit/temporal';
import { entryOf, party, trailOf, typedApi, type TypedApi } from '../../testkit/typed-api';

const DAY = 86_400_000;
const suite = useApiHarness();
let ops: string;
/** The API as OPS. */
let api: TypedApi;
beforeAll(() => {
  ops = suite.h.tokenFor(BODY.OPS);
  api = typedApi(suite.h.baseUrl, ops);
});

async function start(partyId: string): Promise<void> {
  const r = await api.POST('/v1/entries', { body: startBodyAcceded(partyId) });
  expect(r.response.status).toBe(201);
}

const statusOf = async (partyId: string) => (await entryOf(api, partyId)).entry;
const complianceReport = async () => ComplianceReport.parse((await api.GET('/v1/reports/compliance')).data);

test('an entry completed, then deleted from Temporal, is still served in full: status, audit trail (JSON and CSV), compliance row', async () => {
  const partyId = uniquePartyId('DELETED');
  await start(partyId);
  const handle = suite.env.client.workflow.getHandle(entryIdFor(partyId));
  await driveToCompletion(handle);
  const before = await eventually(() => statusOf(partyId), (s) => s.status === ENTRY_STATUS.COMPLETE);
  const trailBefore = await trailOf(api, partyId);

  await handle.result(); // closed (its last notices delivered, its record written), then deleted
  await suite.env.client.workflowService.deleteWorkflowExecution({ namespace: suite.env.namespace ?? 'default', workflowExecution: { workflowId: entryIdFor(partyId) } });
  await eventually(
    () => handle.describe().then(() => 'still there', () => 'gone'),
    (s) => s === 'gone',
    90_000,
  );

  const after = await statusOf(partyId);
  expect(after.status).toBe(ENTRY_STATUS.COMPLETE);
  expect(after.closedAt).toBe(before.closedAt);
  const trail = await trailOf(api, partyId);
  expect(trail).toEqual(trailBefore);
  expect(trail.map((r) => r.action)).toContain(AUDIT_ACTION.ROLE_COMPLETE);
  const csv = await api.GET('/v1/entries/{partyId}/audit-trail.csv', { ...party(partyId), parseAs: 'text' });
  expect(csv.response.status).toBe(200);
  expect(csv.data!.trim().split('\r\n')).toHaveLength(trail.length + 1);
  const report = await complianceReport();
  expect(report.rows.find((r) => r.partyId === partyId)).toMatchObject({ status: ENTRY_STATUS.COMPLETE, completedAt: before.closedAt });
});

test('a cancellation requested through Temporal withdraws the entry: WITHDRAWN, with its audit record and notices', async () => {
  const partyId = uniquePartyId('CANCEL');
  await start(partyId);
  await suite.env.client.workflow.getHandle(entryIdFor(partyId)).cancel();
  const s = await eventually(() => statusOf(partyId), (e) => e.status === ENTRY_STATUS.WITHDRAWN, 20_000);
  expect(s.withdrawnReason).toBe('cancelled through Temporal');
  const last = (await trailOf(api, partyId)).at(-1);
  expect(last).toMatchObject({ action: AUDIT_ACTION.WITHDRAWN, reason: 'cancelled through Temporal', principal: { body: BODY.OPS, id: 'temporal' } });
  await eventually(
    async () => suite.h.notifications.filter((n) => n.partyId === partyId && n.kind === NOTIFICATION_KIND.ENTRY_WITHDRAWN).length,
    (n) => n === 1,
  );
  const report = await complianceReport();
  expect(report.rows.find((r) => r.partyId === partyId)?.compliance).toBe('WITHDRAWN');
});

test('withdraw, then start the same Party again: one continuous audit trail across both runs', async () => {
  const partyId = uniquePartyId('AGAIN');
  await start(partyId);
  const firstTrail = await trailOf(api, partyId);
  expect((await api.POST('/v1/entries/{partyId}/withdrawal', { ...party(partyId), body: { reason: 'wrong cohort' } })).response.status).toBe(200);
  const firstRun = suite.env.client.workflow.getHandle(entryIdFor(partyId));
  await eventually(() => firstRun.describe().then((d) => d.status.name), (status) => status === 'COMPLETED', 20_000);
  await start(partyId);
  const amended = await api.PUT('/v1/entries/{partyId}/mandate-deadline', { ...party(partyId), body: { deadline: daysFromToday(3 * 365), reason: 'panel agreed' } });
  expect(amended.response.status).toBe(200);
  // each run starts with the same records (STARTED, the accession done before it), then its own
  const perStart = firstTrail.length;
  const trail = await eventually(() => trailOf(api, partyId), (t) => t.length === 2 * perStart + 2);
  expect(trail.map((r) => r.seq)).toEqual(Array.from({ length: trail.length }, (_, i) => i + 1));
  expect(trail.map((r) => r.action)).toEqual([
    ...firstTrail.map((r) => r.action),
    AUDIT_ACTION.WITHDRAWN,
    ...firstTrail.map((r) => r.action),
    AUDIT_ACTION.DEADLINE_AMENDED,
  ]);
  expect((await statusOf(partyId)).status).toBe(ENTRY_STATUS.IN_PROGRESS);

  const today = new Date().toISOString().slice(0, 10);
  const ndjson = await api.GET('/v1/audit-export', { params: { query: { from: today, to: today } }, parseAs: 'text' });
  expect(ndjson.response.status).toBe(200);
  expect(ndjson.response.headers.get('content-type')).toContain('application/x-ndjson');
  const exported = ndjson
    .data!.trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { partyId: string; seq: number; at: string });
  expect(exported.filter((r) => r.partyId === partyId).map((r) => r.seq)).toEqual(trail.map((r) => r.seq));
  expect(exported.map((r) => r.at)).toEqual([...exported.map((r) => r.at)].sort());
  const csv = (await api.GET('/v1/audit-export', { params: { query: { from: today, to: today, format: 'csv' } }, parseAs: 'text' })).data!;
  expect(csv.split('\r\n')[0]).toContain('"entryId","partyId","seq","at","action"');
  expect(csv.split('\r\n').filter((l) => l.includes(`"${partyId}"`))).toHaveLength(trail.length);
  expect((await api.GET('/v1/audit-export', { params: { query: { from: today, to: '2000-01-01' } } })).response.status).toBe(400);
});

test('an entry left idle answers as of the API clock: weeks later its forecast moves with the calendar', async () => {
  const partyId = uniquePartyId('IDLE');
  await start(partyId);
  const now = await eventually(() => statusOf(partyId), (s) => s.forecastCompletion !== null);
  const sixWeeks = 42 * DAY;
  // the same record read by an API whose clock is six weeks on: the workflow has not woken up since
  const later: { server: Server; baseUrl: string } = await listenApp(suite.env.client, { TEMPORAL_TASK_QUEUE: suite.h.config.TEMPORAL_TASK_QUEUE }, suite.h.tokens, {
    now: () => Date.now() + sixWeeks,
  });
  try {
    const then = EntryResponse.parse((await typedApi(later.baseUrl, ops).GET('/v1/entries/{partyId}', party(partyId))).data).entry;
    expect(then.forecastCompletion! > now.forecastCompletion!).toBe(true);
    const shift = (Date.parse(then.forecastCompletion!) - Date.parse(now.forecastCompletion!)) / DAY;
    expect(shift).toBeGreaterThanOrEqual(35);
  } finally {
    later.server.closeAllConnections();
    await new Promise<void>((resolve) => later.server.close(() => resolve()));
  }
});

test('readiness reports the record, how far it trails the workflows, and how the API waits for it', async () => {
  const r = await api.GET('/readyz');
  expect(r.response.status).toBe(200);
  const { record } = r.data!;
  expect(record.recordLagMs).toBeGreaterThanOrEqual(0);
  expect(record.latencyMs).toBeGreaterThanOrEqual(0);
  expect(record.catchUp).toBe('POLLING'); // this harness's app is given no notices
});
