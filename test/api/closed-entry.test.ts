/**
 * A change sent to an entry the engine closed is answered from the record: a retry of what it
 * recorded is `duplicate: true`, anything else ENTRY_CLOSED or ID_REUSED, at once and with no
 * worker running. Querying the closed run instead made a worker replay its whole history per
 * question, and the SDK dropped the questions still waiting when it evicted the replayed run:
 * the API fuzzing run found updates to a withdrawn entry answered 503 after 5 s.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { ErrorResponse, UpdateResponse, type EntryResponse } from '../../api/schemas';
import { mintToken, TokenStore } from '../../api/tokens';
import { entryIdFor } from '../../domain';
import { BODY, ENTRY_STATUS, STAGE } from '../../domain/vocabulary';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { call, eventually, listenApp, recordingActivities, type Answer, type ListeningApp } from '../../testkit/api-harness';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';

const RPC_TIMEOUT_MS = 3000;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void> | undefined;
let app: ListeningApp;
const { token: ops, record: opsRecord } = mintToken({ body: BODY.OPS, id: 'ops-1', name: 'Olive Ops' });
const { token: secas, record: secasRecord } = mintToken({ body: BODY.SECAS, id: 'secas-1', name: 'Sam Secas' });

beforeAll(async () => {
  env = await startDevServer();
  const taskQueue = uniqueTaskQueue('closed');
  worker = await createTestWorker(env, { taskQueue, activities: recordingActivities([]) });
  running = worker.run();
  app = await listenApp(env.client, { TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) }, new TokenStore([opsRecord, secasRecord]));
});

afterAll(async () => {
  await app?.close();
  if (running) {
    worker.shutdown();
    await running;
  }
  await env?.teardown();
});

const api = (method: string, p: string, opts: Parameters<typeof call>[3] = {}) => call(app.baseUrl, method, p, opts);
const codeOf = (r: Answer) => ErrorResponse.safeParse(r.json).data?.error.code;

test('changes sent to a withdrawn entry are answered from the record, many at once, with no worker running', async () => {
  const partyId = uniquePartyId('CLOSED');
  expect((await api('POST', '/v1/entries', { token: ops, body: startBodyAcceded(partyId) })).status).toBe(201);
  const decision = { decisionId: 'closed-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'EV-1' };
  const decided = await api('POST', `/v1/entries/${partyId}/decisions`, { token: secas, body: decision });
  expect(decided.status).toBe(200);
  expect((await api('POST', `/v1/entries/${partyId}/withdrawal`, { token: ops, body: { reason: 'no longer needed' } })).status).toBe(200);
  await env.client.workflow.getHandle(entryIdFor(partyId)).result();
  await eventually(
    () => api('GET', `/v1/entries/${partyId}`, { token: ops }),
    (r) => (r.json as EntryResponse).entry.status === ENTRY_STATUS.WITHDRAWN,
  );

  // nothing can answer a query to the closed run now
  worker.shutdown();
  await running;
  running = undefined;

  const path = `/v1/entries/${partyId}/decisions`;
  const sent = [
    ...Array.from({ length: 8 }, () => api('POST', path, { token: secas, body: decision })),
    ...Array.from({ length: 8 }, (_, i) => api('POST', path, { token: secas, body: { ...decision, decisionId: `closed-new-${i}` } })),
    ...Array.from({ length: 8 }, () => api('POST', path, { token: secas, body: { ...decision, evidence: 'EV-OTHER' } })),
    ...Array.from({ length: 8 }, (_, i) => api('POST', `/v1/entries/${partyId}/withdrawal`, { token: ops, body: { reason: `again ${i}` } })),
  ];
  const answers = await Promise.all(sent);
  const retries = answers.slice(0, 8);
  const fresh = [...answers.slice(8, 16), ...answers.slice(24)];
  const reused = answers.slice(16, 24);

  for (const retry of retries) {
    expect(retry.status).toBe(200);
    expect(UpdateResponse.parse(retry.json)).toMatchObject({ duplicate: true, status: ENTRY_STATUS.WITHDRAWN, record: UpdateResponse.parse(decided.json).record });
  }
  for (const refused of fresh) {
    expect([refused.status, codeOf(refused)]).toEqual([409, 'ENTRY_CLOSED']);
    expect(ErrorResponse.parse(refused.json).error.message).toBe('The entry was withdrawn: it takes no more changes');
  }
  for (const refused of reused) expect([refused.status, codeOf(refused)]).toEqual([409, 'ID_REUSED']);
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(RPC_TIMEOUT_MS);
}, 120_000);
