/**
 * Retried sign-offs through the API: a retry (same id, same content) is `duplicate: true` with the
 * entry as it is now, in a run, after continue-as-new and after the entry closed; the same id with
 * any other content (the comment included) is ID_REUSED everywhere. The dev server suggests
 * continue-as-new after a few dozen events, so one entry spans runs.
 */
import { UpdateResponse, type EntryResponse } from '../../api/schemas';
import { entryIdFor } from '../../domain';
import { BODY, ENTRY_STATUS, STAGE, STAGE_STATE } from '../../domain/vocabulary';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { eventually } from '../../testkit/api-harness';
import { useApiHarness } from '../../testkit/suites';
import { actOn, driveToCompletion, openStages } from '../../testkit/entry-driver';
import { uniquePartyId } from '../../testkit/temporal';
import { bearer, party, refusalOf, type Schemas } from '../../testkit/typed-api';
import { getStatusQuery } from '../../workflows/messages';

const suite = useApiHarness({ devServer: { extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=40'] } });
let ops: string;
let secas: string;

beforeAll(async () => {
  ops = suite.h.tokenFor(BODY.OPS);
  secas = suite.h.tokenFor(BODY.SECAS);
});

const decide = (partyId: string, body: Schemas['DecisionRequest']) => suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body });
const submit = (partyId: string, body: Schemas['EvidenceRequest']) => suite.api.POST('/v1/entries/{partyId}/evidence', { ...party(partyId), ...bearer(suite.h.partyToken(partyId)), body });

/** A started entry whose workflow has run (a cold worker's first task can take seconds on a loaded machine). */
async function started(): Promise<string> {
  const partyId = uniquePartyId('RETRY');
  expect((await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) })).response.status).toBe(201);
  await eventually(() => suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) }), (r) => r.response.status === 200, 60_000);
  return partyId;
}

async function entryNow(partyId: string): Promise<EntryResponse['entry']> {
  return (await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data!.entry;
}

const stagesDone = (entry: EntryResponse['entry']) =>
  [...entry.partyStages, ...entry.roleStages.flatMap((r) => r.stages)].filter((s) => s.state === STAGE_STATE.DONE).length;

/** Moves the entry on through its open stages (as the bodies would) until `until` holds. */
async function moveOn(partyId: string, until: () => Promise<boolean>): Promise<void> {
  const handle = suite.env.client.workflow.getHandle(entryIdFor(partyId));
  for (let round = 0; !(await until()); round++) {
    if (round > 60) throw new Error('the entry never got there');
    const summary = await handle.query(getStatusQuery);
    const stage = openStages(summary)[0];
    if (!stage || summary.status !== ENTRY_STATUS.IN_PROGRESS) throw new Error(`nothing left to act on: ${summary.headline}`);
    await actOn(handle, summary, stage);
  }
}

const decision = { decisionId: 'd-retry-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'ID-RANGE-9', comment: 'range 9' };

test('a retried decision is duplicate: true with the entry as it is now, while running and once complete', async () => {
  const partyId = await started();
  const first = UpdateResponse.parse((await decide(partyId, decision)).data);
  expect(first.duplicate).toBe(false);

  const retried = await decide(partyId, decision);
  expect(retried.response.status).toBe(200);
  expect(UpdateResponse.parse(retried.data)).toMatchObject({ duplicate: true, record: first.record });

  const doneBefore = stagesDone(await entryNow(partyId));
  await moveOn(partyId, async () => stagesDone(await entryNow(partyId)) > doneBefore);
  const later = UpdateResponse.parse((await decide(partyId, decision)).data);
  expect(later).toMatchObject({ duplicate: true, record: first.record });
  const now = await entryNow(partyId);
  expect([later.status, later.headline, later.awaitedBodies, later.openStages.map((s) => s.stage)]).toEqual([now.status, now.headline, now.awaitedBodies, openStages(now).map((s) => s.stage)]);
  expect(later.version).toBeGreaterThan(first.version);

  const handle = suite.env.client.workflow.getHandle(entryIdFor(partyId));
  expect((await driveToCompletion(handle)).status).toBe(ENTRY_STATUS.COMPLETE);
  await handle.result();
  const afterClose = await decide(partyId, decision);
  expect(afterClose.response.status).toBe(200);
  const closed = UpdateResponse.parse(afterClose.data);
  expect(closed).toMatchObject({ duplicate: true, record: first.record });
  expect([closed.status, closed.openStages]).toEqual([ENTRY_STATUS.COMPLETE, []]);
  expect(closed.stage).toMatchObject({ stage: STAGE.ID_ALLOCATION, state: STAGE_STATE.DONE });

  expect(refusalOf(await decide(partyId, { ...decision, comment: 'another range' }))).toEqual({ status: 409, code: 'ID_REUSED' });
  expect(refusalOf(await decide(partyId, { ...decision, decisionId: 'd-retry-new' }))).toEqual({ status: 409, code: 'ENTRY_CLOSED' });
});

test('a retried submission is duplicate: true with the entry as it is now, also after withdrawal', async () => {
  const partyId = await started();
  const awaitingParty = openStages(await entryNow(partyId)).find((s) => s.state === STAGE_STATE.AWAITING_PARTY);
  if (!awaitingParty) throw new Error('the started entry awaits nothing from the Party');
  const submission = { submissionId: 's-retry-1', stage: awaitingParty.stage, ...(awaitingParty.role ? { role: awaitingParty.role } : {}), reference: 'DOC-1' };
  const first = UpdateResponse.parse((await submit(partyId, submission)).data);
  expect(first.duplicate).toBe(false);
  expect(UpdateResponse.parse((await submit(partyId, submission)).data)).toMatchObject({ duplicate: true, record: first.record });

  expect((await suite.api.POST('/v1/entries/{partyId}/withdrawal', { ...party(partyId), ...bearer(ops), body: { reason: 'no longer needed' } })).response.status).toBe(200);
  await suite.env.client.workflow.getHandle(entryIdFor(partyId)).result();
  const afterClose = UpdateResponse.parse((await submit(partyId, submission)).data);
  expect(afterClose).toMatchObject({ duplicate: true, record: first.record });
  expect(afterClose.status).toBe(ENTRY_STATUS.WITHDRAWN);
  expect(refusalOf(await submit(partyId, { ...submission, reference: 'DOC-2' }))).toEqual({ status: 409, code: 'ID_REUSED' });
});

test('the same id with another comment is ID_REUSED inside a run and after continue-as-new; a retry is duplicate: true in both', async () => {
  const partyId = await started();
  const first = UpdateResponse.parse((await decide(partyId, decision)).data);
  const otherComment = { ...decision, comment: 'a different range' };
  expect(refusalOf(await decide(partyId, otherComment))).toEqual({ status: 409, code: 'ID_REUSED' });

  const handle = suite.env.client.workflow.getHandle(entryIdFor(partyId));
  const firstRunId = (await handle.describe()).runId;
  await moveOn(partyId, async () => (await handle.describe()).runId !== firstRunId);
  expect((await entryNow(partyId)).status).toBe(ENTRY_STATUS.IN_PROGRESS);

  expect(refusalOf(await decide(partyId, otherComment))).toEqual({ status: 409, code: 'ID_REUSED' });
  const retried = await decide(partyId, decision);
  expect(retried.response.status).toBe(200);
  expect(UpdateResponse.parse(retried.data)).toMatchObject({ duplicate: true, record: first.record });
});
