/**
 * The Temporal Schedule that runs the record's reconciler: a reconcileRecordWorkflow every
 * RECONCILE_INTERVAL_MS (15 min by default) on the worker's task queue, one at a time (a pass
 * still running when the next is due makes the schedule skip that one), and one at once on demand
 * (reconcileNow: npm run record:reconcile, or the schedule's Trigger in the Temporal UI). Each pass
 * is a workflow in the namespace's list beside the entries: a pass every 2 minutes buried them,
 * and what cannot wait does not wait for it (a reset is recorded by the new run's first write;
 * an operator who terminates a run can reconcile at once). Every worker ensures it at start:
 * created when missing, otherwise brought to the worker's configuration (interval, task queue)
 * while keeping its state, so a schedule an operator paused in the Temporal UI stays paused.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { RECONCILE_SCHEDULE_ID } from '../config/temporal';
import { reconcileRecordWorkflow } from '../workflows/reconcile-workflow';

export { RECONCILE_SCHEDULE_ID };

export interface ReconcileScheduleOptions {
  taskQueue: string;
  intervalMs: number;
}

function definition(opts: ReconcileScheduleOptions) {
  return {
    spec: { intervals: [{ every: opts.intervalMs }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: reconcileRecordWorkflow,
      taskQueue: opts.taskQueue,
      // each run's id is this plus the time it was due
      workflowId: RECONCILE_SCHEDULE_ID,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  };
}

/** Starts a reconcile pass now (the schedule's overlap policy applies: none while one runs). */
export async function reconcileNow(client: Client): Promise<void> {
  await client.schedule.getHandle(RECONCILE_SCHEDULE_ID).trigger();
}

/** Creates the schedule, or updates it to `opts`: answers which. */
export async function ensureReconcileSchedule(client: Client, opts: ReconcileScheduleOptions): Promise<'created' | 'updated'> {
  const wanted = definition(opts);
  try {
    await client.schedule.create({
      scheduleId: RECONCILE_SCHEDULE_ID,
      ...wanted,
      state: { note: 'Marks in the record the entries Temporal closed outside the engine, and tells OPS (UEP worker).' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(RECONCILE_SCHEDULE_ID).update((previous) => ({ ...previous, ...wanted, policies: { ...previous.policies, ...wanted.policies } }));
  return 'updated';
}
