/**
 * An entry whose workflow task keeps failing (a worker built from a deliberately broken bundle):
 * Temporal refuses its queries and updates ("Workflow Task in failed state"); the API answers
 * 503 ENTRY_NOT_READY in the one error shape, never a 500, and the same request succeeds once a
 * good worker completes the task.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { ErrorResponse, UpdateResponse } from '../../api/schemas';
import { mintToken, TokenStore } from '../../api/tokens';
import type { Notification } from '../../domain/types';
import { BODY, STAGE, STAGE_STATE } from '../../domain/vocabulary';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { eventually, listenApp, recordingActivities, type ListeningApp } from '../../testkit/api-harness';
import { bundleWorkflows, createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { bearer, party, typedApi } from '../../testkit/typed-api';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServer();
});
afterAll(async () => {
  await env?.teardown();
});

const running = (worker: Worker) => ({ worker, done: worker.run() });

test('a failing workflow task is 503 ENTRY_NOT_READY (retryable), and the retry succeeds after a good release', async () => {
  const taskQueue = uniqueTaskQueue('broken');
  const notifications: Notification[] = [];
  const broken = running(
    await createTestWorker(env, { taskQueue, activities: recordingActivities(notifications), workflowBundle: await bundleWorkflows(require.resolve('./broken-workflow')) }),
  );
  const { token: ops, record: opsRecord } = mintToken({ body: BODY.OPS, id: 'ops-1', name: 'Olive Ops' });
  const { token: secas, record: secasRecord } = mintToken({ body: BODY.SECAS, id: 'secas-1', name: 'Sam Secas' });
  let app: ListeningApp | undefined;
  let good: ReturnType<typeof running> | undefined;
  try {
    app = await listenApp(env.client, { TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_RPC_TIMEOUT_MS: '3000' }, new TokenStore([opsRecord, secasRecord]));
    const api = typedApi(app.baseUrl);
    const partyId = uniquePartyId('BROKEN');
    expect((await api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) })).response.status).toBe(201);

    const decision = { decisionId: 'after-the-fix', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'ID-RANGE-1' };
    const decide = () => api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body: decision });
    const seen: { response: Response; error?: unknown }[] = [];
    const notReady = (r: Awaited<ReturnType<typeof decide>>) => (seen.push(r), r.response.status === 503 && ErrorResponse.parse(r.error).error.code === 'ENTRY_NOT_READY');
    // until Temporal counts the task as failing, an update waits (503 TEMPORAL_UNAVAILABLE at the bound)
    const refused = await eventually(decide, notReady, 60_000);
    const status = await api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) });
    for (const r of [...seen, status]) {
      expect(r.response.status).toBe(503);
      expect(JSON.stringify(r.error)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    expect(ErrorResponse.parse(status.error).error.code).toBe('ENTRY_NOT_READY');
    const { error } = ErrorResponse.parse(refused.error);
    expect([error.code, error.details]).toEqual(['ENTRY_NOT_READY', []]);
    expect(error.message).toMatch(/workflow.*task failed.*retry later/i);

    // the fix: the broken worker goes, a good one takes the task queue; the same request now succeeds
    broken.worker.shutdown();
    await broken.done;
    good = running(await createTestWorker(env, { taskQueue, activities: recordingActivities(notifications) }));
    const decided = await eventually(decide, (r) => r.response.status !== 503, 90_000);
    expect(decided.response.status).toBe(200);
    expect(UpdateResponse.parse(decided.data)).toMatchObject({ duplicate: false, stage: { stage: STAGE.ID_ALLOCATION, state: STAGE_STATE.DONE } });
  } finally {
    await app?.close(); // the calls that timed out may still be retrying in the SDK
    if (broken.worker.getState() === 'RUNNING') broken.worker.shutdown();
    await broken.done.catch(() => undefined);
    good?.worker.shutdown();
    await good?.done.catch(() => undefined);
  }
});
