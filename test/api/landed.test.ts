/**
 * A change that landed is never answered as unavailable: Temporal takes a start or a decision and
 * its answer comes back after TEMPORAL_RPC_TIMEOUT_MS (a slow network between the API and Temporal,
 * for real: a proxy holds Temporal's answers). The API asks the record, which the worker keeps, and
 * answers the change as it landed; a change that did not land is still a 503.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { ErrorResponse, StartEntryResponse, UpdateResponse } from '../../api/schemas';
import { mintToken, TokenStore } from '../../api/tokens';
import { BODY, STAGE } from '../../domain/vocabulary';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { connectClient, listenApp, recordingActivities, type ListeningApp } from '../../testkit/api-harness';
import { startAnswerHold, type AnswerHold } from '../../testkit/held-answers';
import { freePort } from '../../testkit/ports';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { bearer, clocked, party, typedApi, type Schemas, type TypedApi } from '../../testkit/typed-api';

const RPC_TIMEOUT_MS = 1000;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let proxy: AnswerHold;
let app: ListeningApp;
let api: TypedApi;
let closeConnection: () => Promise<void>;
const { token: ops, record: opsRecord } = mintToken({ body: BODY.OPS, id: 'ops-1', name: 'Olive Ops' });
const { token: secas, record: secasRecord } = mintToken({ body: BODY.SECAS, id: 'secas-1', name: 'Sam Secas' });

beforeAll(async () => {
  const port = await freePort();
  env = await startDevServer({ port });
  const taskQueue = uniqueTaskQueue('landed');
  worker = await createTestWorker(env, { taskQueue, activities: recordingActivities([]) }); // straight to Temporal: not slowed
  running = worker.run();
  proxy = await startAnswerHold(port);
  const { client, connection } = await connectClient(`127.0.0.1:${proxy.port}`);
  closeConnection = () => connection.close();
  app = await listenApp(client, { TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS), RECORD_CATCH_UP_MS: '10000' }, new TokenStore([opsRecord, secasRecord]));
  api = typedApi(app.baseUrl);
});

afterAll(async () => {
  proxy?.release();
  await app?.close();
  await closeConnection?.();
  await proxy?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** The call, with Temporal's answers held until it is over. */
async function whileAnswersHeld<T>(fn: () => Promise<T>): Promise<T> {
  proxy.hold();
  try {
    return await fn();
  } finally {
    proxy.release();
  }
}

test('a start and a decision that Temporal took, answered late, are answered as they landed', async () => {
  const partyId = uniquePartyId('LATE');
  const started = await whileAnswersHeld(() => clocked(() => api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) })));
  expect(started.ms).toBeGreaterThan(RPC_TIMEOUT_MS); // Temporal's answer did not come in time
  expect([started.response.status, started.data]).toEqual([201, expect.any(Object)]);
  const description = await env.client.workflow.getHandle(`uep-${partyId}`).describe();
  expect(StartEntryResponse.parse(started.data)).toMatchObject({ partyId, runId: description.runId, status: 'IN_PROGRESS' });
  expect(started.response.headers.get('location')).toBe(`${app.baseUrl}/v1/entries/${partyId}`);

  const decision = { decisionId: 'late-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'EV-LATE' };
  const decide = (body: Schemas['DecisionRequest']) => clocked(() => api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body }));
  const decided = await whileAnswersHeld(() => decide(decision));
  expect(decided.ms).toBeGreaterThan(RPC_TIMEOUT_MS);
  expect([decided.response.status, decided.data]).toEqual([200, expect.any(Object)]);
  expect(UpdateResponse.parse(decided.data)).toMatchObject({ duplicate: false, record: { id: 'late-1', evidence: 'EV-LATE', action: 'DECISION' } });

  const retried = await decide(decision);
  expect(UpdateResponse.parse(retried.data)).toMatchObject({ duplicate: true, record: UpdateResponse.parse(decided.data).record });

  // refused by the workflow, so never recorded: the 503 stands
  const refused = await whileAnswersHeld(() => decide({ ...decision, decisionId: 'late-2', stage: STAGE.UEP_COMPLETION, outcome: 'COMPLETE' }));
  expect([refused.response.status, ErrorResponse.parse(refused.error).error.code]).toEqual([503, 'TEMPORAL_UNAVAILABLE']);
});
