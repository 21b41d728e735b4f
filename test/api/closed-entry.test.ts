/**
 * A change sent to an entry the engine closed is answered from the record: a retry of what it
 * recorded is `duplicate: true`, anything else ENTRY_CLOSED or ID_REUSED, at once and with no
 * worker running. Querying the closed run instead made a worker replay its whole history per
 * question, and the SDK dropped the questions still waiting when it evicted the replayed run:
 * the API fuzzing run found updates to a withdrawn entry answered 503 after 5 s.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { ErrorResponse, UpdateResponse } from '../../api/schemas';
import { mintToken, TokenStore } from '../../api/tokens';
import { entryIdFor } from '../../domain';
import { BODY, ENTRY_STATUS, STAGE } from '../../domain/vocabulary';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { eventually, listenApp, recordingActivities, type ListeningApp } from '../../testkit/api-harness';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { bearer, clocked, party, refusalOf, typedApi, type TypedApi } from '../../testkit/typed-api';

const RPC_TIMEOUT_MS = 3000;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void> | undefined;
let app: ListeningApp;
let api: TypedApi;
const { token: ops, record: opsRecord } = mintToken({ body: BODY.OPS, id: 'ops-1', name: 'Olive Ops' });
const { token: secas, record: secasRecord } = mintToken({ body: BODY.SECAS, id: 'secas-1', name: 'Sam Secas' });

beforeAll(async () => {
  env = await startDevServer();
  const taskQueue = uniqueTaskQueue('closed');
  worker = await createTestWorker(env, { taskQueue, activities: recordingActivities([]) });
  running = worker.run();
  app = await listenApp(env.client, { TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) }, new TokenStore([opsRecord, secasRecord]));
  api = typedApi(app.baseUrl);
});

afterAll(async () => {
  await app?.close();
  if (running) {
    worker.shutdown();
    await running;
  }
  await env?.teardown();
});


test('changes sent to a withdrawn entry are answered from the record, many at once, with no worker running', async () => {
  const partyId = uniquePartyId('CLOSED');
  expect((await api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) })).response.status).toBe(201);
  const decision = { decisionId: 'closed-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'EV-1' };
  const decide = (body: typeof decision) => clocked(() => api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body }));
  const withdraw = (reason: string) => clocked(() => api.POST('/v1/entries/{partyId}/withdrawal', { ...party(partyId), ...bearer(ops), body: { reason } }));
  const decided = await decide(decision);
  expect(decided.response.status).toBe(200);
  expect((await withdraw('no longer needed')).response.status).toBe(200);
  await env.client.workflow.getHandle(entryIdFor(partyId)).result();
  await eventually(
    () => api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) }),
    (r) => r.data?.entry.status === ENTRY_STATUS.WITHDRAWN,
  );

  // nothing can answer a query to the closed run now
  worker.shutdown();
  await running;
  running = undefined;

  const sent = [
    ...Array.from({ length: 8 }, () => decide(decision)),
    ...Array.from({ length: 8 }, (_, i) => decide({ ...decision, decisionId: `closed-new-${i}` })),
    ...Array.from({ length: 8 }, () => decide({ ...decision, evidence: 'EV-OTHER' })),
    ...Array.from({ length: 8 }, (_, i) => withdraw(`again ${i}`)),
  ];
  const answers = await Promise.all(sent);
  const retries = answers.slice(0, 8);
  const fresh = [...answers.slice(8, 16), ...answers.slice(24)];
  const reused = answers.slice(16, 24);

  for (const retry of retries) {
    expect(retry.response.status).toBe(200);
    expect(UpdateResponse.parse(retry.data)).toMatchObject({ duplicate: true, status: ENTRY_STATUS.WITHDRAWN, record: UpdateResponse.parse(decided.data).record });
  }
  for (const refused of fresh) {
    expect(refusalOf(refused)).toEqual({ status: 409, code: 'ENTRY_CLOSED' });
    expect(ErrorResponse.parse(refused.error).error.message).toBe('The entry was withdrawn: it takes no more changes');
  }
  for (const refused of reused) expect(refusalOf(refused)).toEqual({ status: 409, code: 'ID_REUSED' });
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(RPC_TIMEOUT_MS);
}, 120_000);
