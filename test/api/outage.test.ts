/**
 * Temporal stopped mid-test: what needs Temporal (readiness, writes) answers 503 within
 * TEMPORAL_RPC_TIMEOUT_MS (never a hang, never a stack trace), reads still answer from the
 * record, and everything recovers when the server is back on the same port and SQLite file.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mintToken, TokenStore } from '../../api/tokens';
import { EntryResponse, ErrorResponse } from '../../api/schemas';
import type { Notification } from '../../domain/types';
import { BODY, STAGE } from '../../domain/vocabulary';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { freePort } from '../../testkit/ports';
import { connectClient, eventually, listenApp, recordingActivities, TEST_RPC_TIMEOUT_MS, type ListeningApp } from '../../testkit/api-harness';
import { bearer, clocked, party, typedApi } from '../../testkit/typed-api';

/** The bound plus what HTTP and the event loop may add on a busy 2-core machine. */
const MARGIN_MS = 1500;

test('while Temporal is down reads answer from the record and the rest is 503 within the bound, then recovery on the same port and database', async () => {
  const port = await freePort();
  const dbFilename = path.join(mkdtempSync(path.join(tmpdir(), 'uep-outage-')), 'temporal.db');
  const taskQueue = uniqueTaskQueue('outage');
  const notifications: Notification[] = [];
  const startWorker = async (e: TestWorkflowEnvironment): Promise<{ worker: Worker; running: Promise<void> }> => {
    const worker = await createTestWorker(e, { taskQueue, activities: recordingActivities(notifications) });
    return { worker, running: worker.run() };
  };

  let env = await startDevServer({ port, dbFilename });
  let w = await startWorker(env);
  const { client, connection } = await connectClient(`127.0.0.1:${port}`);
  const { token: ops, record: opsRecord } = mintToken({ body: BODY.OPS, id: 'ops-1', name: 'Olive Ops' });
  const { token: secas, record: secasRecord } = mintToken({ body: BODY.SECAS, id: 'secas-1', name: 'Sam Secas' });
  let app: ListeningApp | undefined;
  try {
    app = await listenApp(client, { TEMPORAL_TASK_QUEUE: taskQueue }, new TokenStore([opsRecord, secasRecord]));
    const api = typedApi(app.baseUrl);
    const partyId = uniquePartyId();
    const entry = () => api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) });
    const decide = (decisionId: string) =>
      api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body: { decisionId, stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'e' } });
    expect((await api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) })).response.status).toBe(201);
    expect((await entry()).response.status).toBe(200);

    // Temporal goes away
    w.worker.shutdown();
    await w.running;
    await env.teardown();

    // reads answer from the record
    const read = await entry();
    expect([read.response.status, EntryResponse.parse(read.data).entry.partyId]).toEqual([200, partyId]);
    expect((await api.GET('/v1/entries', bearer(ops))).response.status).toBe(200);
    const down = [
      await clocked(() => api.GET('/readyz')),
      await clocked(() => decide('outage-1')),
      await clocked(() => api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(uniquePartyId()) })),
    ];
    for (const r of down) {
      expect(r.response.status).toBe(503);
      expect(ErrorResponse.parse(r.error).error.code).toBe('TEMPORAL_UNAVAILABLE');
      expect(r.ms).toBeLessThan(TEST_RPC_TIMEOUT_MS + MARGIN_MS);
      expect(JSON.stringify(r.error)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    expect((await api.GET('/healthz')).response.status).toBe(200); // alive, just not ready

    // Temporal comes back on the same port and file: the entry is still there
    env = await startDevServer({ port, dbFilename });
    w = await startWorker(env);
    const ready = await eventually(() => api.GET('/readyz'), (r) => r.response.status === 200, 30_000);
    expect(ready.response.status).toBe(200);
    const again = await eventually(entry, (r) => r.response.status === 200, 30_000);
    expect(EntryResponse.parse(again.data).entry.partyId).toBe(partyId);
    expect((await decide('after-1')).response.status).toBe(200);
  } finally {
    await app?.close(); // calls abandoned during the outage may still be backing off in the SDK's retry interceptor
    await connection.close();
    if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await w.running.catch(() => undefined);
    await env.teardown();
  }
});
