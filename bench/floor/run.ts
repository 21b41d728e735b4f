/**
 * The floor runs, with the raw Temporal SDK: the bare floor (K updates, nothing else) and the
 * equal-work floor (the engine's Temporal work per lifecycle, ./equal-work.ts). Also: reading the
 * equal-work plan off an engine history, and the module the floor worker bundles with it.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runLifecycles, type RunResult } from '../lifecycle-run';
import { retryWhenBusy } from '../../testkit/retry-when-busy';
import { timed } from '../../testkit/timed';
import { EQUAL_WORK_WORKFLOW_TYPE, equalWorkStatusQuery, equalWorkStepUpdate } from './equal-work';
import { historyTotals, paddedString, planFromHistory, searchAttributePair, type HistoryTotals, type WorkPlan } from './work-plan';
import { FLOOR_WORKFLOW_TYPE, floorStepUpdate, type floorWorkflow } from './workflows';

/** A workflow task in a failed state (timed out on a loaded machine) or an unanswered call: try again. */
export function temporalBusy(err: unknown): boolean {
  const text = `${String(err)} ${String((err as { cause?: unknown } | null)?.cause)}`;
  return /Workflow Task in failed state|DEADLINE_EXCEEDED|UNAVAILABLE|aborted/i.test(text);
}

export const floorWorkflowId = (runId: string, i: number) => `floor-${runId}-${i}`;
export const equalWorkWorkflowId = (runId: string, i: number) => `floor-eq-${runId}-${i}`;

export async function runFloor(client: Client, opts: { taskQueue: string; n: number; k: number; concurrency: number; runId: string }): Promise<RunResult> {
  return runLifecycles('floor (raw SDK)', opts.n, opts.concurrency, async (i, samples) => {
    const workflowId = floorWorkflowId(opts.runId, i);
    const handle = await timed(samples.starts, () =>
      client.workflow.start<typeof floorWorkflow>(FLOOR_WORKFLOW_TYPE, { taskQueue: opts.taskQueue, workflowId, args: [opts.k] }),
    );
    for (let step = 1; step <= opts.k; step++) {
      const result = await timed(samples.updates, () =>
        retryWhenBusy(samples, temporalBusy, () => handle.executeUpdate(floorStepUpdate, { args: [`s${step}`], updateId: `${workflowId}-${step}` })),
      );
      if (result.step !== step) throw new Error(`${workflowId}: step ${step} answered ${result.step}`);
    }
    return opts.k;
  });
}

/**
 * The equal-work floor: each lifecycle started with the engine's start search attributes and
 * input and summary sizes, its status queried once (the API's one GET), then sent the plan's
 * updates with requests of the engine's sizes.
 */
export async function runEqualWorkFloor(
  client: Client,
  plan: WorkPlan,
  opts: { taskQueue: string; n: number; concurrency: number; runId: string },
): Promise<RunResult> {
  const typedSearchAttributes = plan.startSearchAttributes.map(searchAttributePair).filter(
    (pair): pair is typeof pair & { value: NonNullable<typeof pair.value> } => pair.value !== null,
  );
  return runLifecycles('floor (equal Temporal work)', opts.n, opts.concurrency, async (i, samples) => {
    const workflowId = equalWorkWorkflowId(opts.runId, i);
    const handle = await timed(samples.starts, () =>
      client.workflow.start(EQUAL_WORK_WORKFLOW_TYPE, {
        taskQueue: opts.taskQueue,
        workflowId,
        args: [paddedString(plan.startInputBytes)],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        ...(typedSearchAttributes.length > 0 ? { typedSearchAttributes } : {}),
        ...(plan.staticSummaryBytes > 0 ? { staticSummary: 'x'.repeat(plan.staticSummaryBytes) } : {}),
      }),
    );
    await handle.query(equalWorkStatusQuery);
    for (const [s, step] of plan.updates.entries()) {
      const updateId = `${workflowId}-${s + 1}`;
      const result = await timed(samples.updates, () =>
        retryWhenBusy(samples, temporalBusy, () => handle.executeUpdate(equalWorkStepUpdate, { args: [paddedString(step.requestBytes)], updateId })),
      );
      if (result.step !== s + 1) throw new Error(`${workflowId}: step ${s + 1} answered ${result.step}`);
    }
    return plan.updates.length;
  });
}

const eventBytes = (e: temporal.api.history.v1.IHistoryEvent) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length;

/** Counts and sizes of a workflow's history, once it has closed. */
export async function totalsOf(handle: WorkflowHandle): Promise<HistoryTotals> {
  await handle.result();
  return historyTotals((await handle.fetchHistory()).events ?? [], eventBytes);
}

/** The equal-work plan, read off an engine entry's history once it has closed; `statusBytes` measured by the caller. */
export async function planOf(handle: WorkflowHandle, statusBytes: number): Promise<WorkPlan> {
  await handle.result();
  return planFromHistory((await handle.fetchHistory()).events ?? [], statusBytes);
}

/**
 * The module the floor worker bundles (FLOOR_WORKFLOWS_PATH): both floor workflows, the equal-work
 * one bound to this plan. Written into `dir`; returns its path.
 */
export function writeFloorWorkflows(dir: string, plan: WorkPlan): string {
  const file = path.join(dir, 'floor-workflows.ts');
  const lib = (name: string) => JSON.stringify(path.join(__dirname, name));
  writeFileSync(
    file,
    [
      `import { equalWorkFloorFor } from ${lib('equal-work')};`,
      `export { floorWorkflow } from ${lib('workflows')};`,
      `export const ${EQUAL_WORK_WORKFLOW_TYPE} = equalWorkFloorFor(${JSON.stringify(plan)});`,
      '',
    ].join('\n'),
  );
  return file;
}
