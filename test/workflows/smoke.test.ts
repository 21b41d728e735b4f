import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { setTimeout as delay } from 'node:timers/promises';
import { useTemporal } from '../../testkit/suites';
import { bundleWorkflows, startDevServer, startTimeSkippingServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { ninetyDaysWorkflow, searchableWorkflow } from './smoke-workflows';

const DAY_MS = 24 * 60 * 60 * 1000;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  workflowBundle = await bundleWorkflows(require.resolve('./smoke-workflows'));
});

describe('time-skipping server', () => {
  const env = useTemporal(startTimeSkippingServer);

  test('a workflow sleeping 90 days completes (time skips: without it this would outlast the test timeout)', async () => {
    const taskQueue = uniqueTaskQueue('smoke');
    const worker = await Worker.create({ connection: env().nativeConnection, taskQueue, workflowBundle });
    const slept = await worker.runUntil(
      env().client.workflow.execute(ninetyDaysWorkflow, { taskQueue, workflowId: uniqueTaskQueue('sleep') }),
    );
    expect(slept).toBeGreaterThanOrEqual(90 * DAY_MS);
  });
});

describe('dev server', () => {
  const env = useTemporal(startDevServer);

  test('a custom search attribute query finds the workflow', async () => {
    const taskQueue = uniqueTaskQueue('smoke');
    const partyId = uniquePartyId();
    const worker = await Worker.create({ connection: env().nativeConnection, taskQueue, workflowBundle });
    await worker.runUntil(async () => {
      const handle = await env().client.workflow.start(searchableWorkflow, { taskQueue, workflowId: `smoke-${partyId}`, args: [partyId] });
      const query = `UepPartyId = '${partyId}' AND UepAwaitedBodies = 'DCC'`;
      let found: string[] = [];
      for (let i = 0; i < 50 && found.length === 0; i++) {
        found = [];
        for await (const wf of env().client.workflow.list({ query })) found.push(wf.workflowId);
        if (found.length === 0) await delay(100);
      }
      expect(found).toEqual([handle.workflowId]);
      const none: string[] = [];
      for await (const wf of env().client.workflow.list({ query: `UepPartyId = '${partyId}' AND UepAwaitedBodies = 'OPS'` })) none.push(wf.workflowId);
      expect(none).toEqual([]);
      await handle.terminate('test over');
    });
  });
});
