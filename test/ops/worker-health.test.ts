/**
 * The worker's container healthcheck (the exact command of docker-compose.yml) against the real
 * worker process with metrics off: unhealthy until Temporal lists the worker as polling its task
 * queue, healthy then, and unhealthy again once Temporal is gone.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ENGINE_WORKER_ENTRY, startWorkerProcess, type WorkerProcess } from '../../testkit/worker-process';
import { eventually } from '../../testkit/api-harness';
import { startDevServer, uniqueTaskQueue } from '../../testkit/temporal';

const ROOT = path.resolve(__dirname, '..', '..');
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: { worker: { healthcheck: { test: string[] } } };
};
const [kind, ...healthcheck] = compose.services.worker.healthcheck.test;
const INTERVAL_MS = 500;

let env: TestWorkflowEnvironment | undefined;
let worker: WorkerProcess | undefined;
const healthFile = path.join(mkdtempSync(path.join(tmpdir(), 'uep-worker-health-')), 'health');

/** The compose healthcheck's exit code, run as the container would run it. */
function healthcheckExitCode(): number | null {
  const r = spawnSync(healthcheck[0]!, healthcheck.slice(1), {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', WORKER_HEALTH_FILE: healthFile, WORKER_HEALTH_INTERVAL_MS: String(INTERVAL_MS) },
  });
  return r.status;
}

beforeAll(async () => {
  env = await startDevServer();
});

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await env?.teardown();
});

test('the healthcheck is an exec command (no shell) run with node', () => {
  expect(kind).toBe('CMD');
  expect(healthcheck[0]).toBe('node');
});

test('unhealthy before the worker runs; healthy once Temporal lists it as polling, with metrics off', async () => {
  expect(healthcheckExitCode()).toBe(1);
  worker = await startWorkerProcess({
    entry: ENGINE_WORKER_ENTRY,
    // It bundles the workflows at start (webpack): slow on a loaded machine.
    readyTimeoutMs: 120_000,
    env: {
      TEMPORAL_ADDRESS: env!.address,
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('health'),
      WORKER_METRICS_ENABLED: 'false',
      WORKER_HEALTH_FILE: healthFile,
      WORKER_HEALTH_INTERVAL_MS: String(INTERVAL_MS),
      LOG_LEVEL: 'INFO',
    },
  });
  const code = await eventually(async () => healthcheckExitCode(), (c) => c === 0, 30_000);
  expect(code).toBe(0);
  expect(JSON.parse(readFileSync(healthFile, 'utf8'))).toMatchObject({ identity: expect.stringMatching(/^uep-worker@/) as unknown });
}, 200_000);

test('unhealthy again once the worker can no longer reach Temporal', async () => {
  await env!.teardown();
  env = undefined;
  const code = await eventually(async () => healthcheckExitCode(), (c) => c === 1, 30_000);
  expect(code).toBe(1);
});
