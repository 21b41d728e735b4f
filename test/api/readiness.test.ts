/**
 * /readyz tells the truth: Temporal answering is not enough, a worker must poll the engine's task
 * queue (Temporal's task-queue description), or entries would be accepted and never move.
 * A real dev server and a real worker.
 */
import type { Worker } from '@temporalio/worker';
import { TokenStore } from '../../api/tokens';
import { ErrorResponse, ReadyResponse } from '../../api/schemas';
import { call, eventually, listenApp, recordingActivities, type ListeningApp } from '../../testkit/api-harness';
import { useTemporal } from '../../testkit/suites';
import { createTestWorker, startDevServer, uniqueTaskQueue } from '../../testkit/temporal';

const env = useTemporal(startDevServer);
let app: ListeningApp;
let baseUrl: string;
const taskQueue = uniqueTaskQueue('readiness');

beforeAll(async () => {
  app = await listenApp(env().client, { TEMPORAL_TASK_QUEUE: taskQueue }, new TokenStore([]));
  baseUrl = app.baseUrl;
});

afterAll(async () => {
  await app?.close();
});

test('503 NO_WORKER while no worker polls the task queue, though Temporal answers', async () => {
  const answer = await call(baseUrl, 'GET', '/readyz');
  expect(answer.status).toBe(503);
  const { error } = ErrorResponse.parse(answer.json);
  expect(error.code).toBe('NO_WORKER');
  expect(error.message).toBe(`No worker polls task queue ${taskQueue} (workflow pollers: 0, activity pollers: 0): entries would not move`);
  // Liveness is another question: the process answers.
  expect((await call(baseUrl, 'GET', '/healthz')).status).toBe(200);
});

test('200 once a worker polls it, with the pollers counted', async () => {
  const worker: Worker = await createTestWorker(env(), { taskQueue, activities: recordingActivities([]) });
  const running = worker.run();
  try {
    const answer = await eventually(() => call(baseUrl, 'GET', '/readyz'), (a) => a.status === 200, 30_000);
    expect(answer.status).toBe(200);
    const ready = ReadyResponse.parse(answer.json);
    expect(ready.worker.taskQueue).toBe(taskQueue);
    expect(ready.worker.workflowPollers).toBeGreaterThanOrEqual(1);
    expect(ready.worker.activityPollers).toBeGreaterThanOrEqual(1);
  } finally {
    worker.shutdown();
    await running;
  }
});
