/** The floor run: the raw Temporal SDK starts each floor workflow and sends it K updates. */
import type { Client } from '@temporalio/client';
import { runLifecycles, type RunResult } from '../lifecycle-run';
import { timed } from '../stats';
import { FLOOR_WORKFLOW_TYPE, floorStepUpdate, type floorWorkflow } from './workflows';

export async function runFloor(client: Client, opts: { taskQueue: string; n: number; k: number; concurrency: number; runId: string }): Promise<RunResult> {
  return runLifecycles('floor (raw SDK)', opts.n, opts.concurrency, async (i, samples) => {
    const workflowId = `floor-${opts.runId}-${i}`;
    const handle = await timed(samples.starts, () =>
      client.workflow.start<typeof floorWorkflow>(FLOOR_WORKFLOW_TYPE, { taskQueue: opts.taskQueue, workflowId, args: [opts.k] }),
    );
    for (let step = 1; step <= opts.k; step++) {
      const result = await timed(samples.updates, () => handle.executeUpdate(floorStepUpdate, { args: [`s${step}`], updateId: `${workflowId}-${step}` }));
      if (result.step !== step) throw new Error(`${workflowId}: step ${step} answered ${result.step}`);
    }
    return opts.k;
  });
}
