/**
 * The reconciler: what a workflow cannot see of its own end. An entry run that Temporal closed
 * behind the engine's back (terminated, reset away, failed, timed out, or cancelled before
 * cancellations became withdrawals) still says IN_PROGRESS in the record; each pass finds such
 * runs in Temporal's visibility and marks them CLOSED_OUTSIDE_ENGINE, with Temporal's status, one
 * audit row and a notice to OPS (record/write.ts markClosedOutsideEngine, idempotent: passes may
 * overlap or repeat). The passes run as workflows on a Temporal Schedule (worker/reconcile-schedule.ts).
 */
import { log } from '@temporalio/activity';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { ReconcilerActivities } from '../activities/types';
import type { RecordDb } from '../record/db';
import { runningEntries, undeliveredOutsideClosureNotices } from '../record/read';
import { markClosedOutsideEngine, type OutsideClosure } from '../record/write';
import { ENTRY_WORKFLOW_TYPE } from '../workflows/messages';

/** Closed, and not by the engine: a run the engine ends is COMPLETED, or CONTINUED_AS_NEW into the next one. */
export const CLOSED_OUTSIDE_ENGINE_QUERY = `WorkflowType = '${ENTRY_WORKFLOW_TYPE}' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'ContinuedAsNew'`;

/**
 * How long a marked run's notice is handed to delivery while undelivered: a delivery retries for
 * up to 7 days (NOTIFICATION_ACTIVITY_OPTIONS); after that it is given up like any other notice.
 */
export const NOTICE_HANDOVER_WINDOW_MS = 8 * 86_400_000;

/** One pass: answers the runs it marked (each once, across passes and workers). */
export async function reconcileOnce(client: Client, db: RecordDb): Promise<OutsideClosure[]> {
  const running = new Map((await runningEntries(db)).map((e) => [e.runId, e]));
  if (running.size === 0) return [];
  const marked: OutsideClosure[] = [];
  for await (const run of client.workflow.list({ query: CLOSED_OUTSIDE_ENGINE_QUERY })) {
    const entry = running.get(run.runId);
    if (!entry) continue; // not the run the record holds (an older run, or an entry closed on record)
    const closure = outsideClosure(entry.entryId, run);
    if (await markClosedOutsideEngine(db, closure)) marked.push(closure);
  }
  return marked;
}

function outsideClosure(entryId: string, run: WorkflowExecutionInfo): OutsideClosure {
  return { entryId, runId: run.runId, temporalStatus: run.status.name, closedAt: run.closeTime ?? new Date() };
}

/** The reconcile pass as an activity: marks, logs each mark at ERROR, and answers the notices to deliver. */
export function createReconcilerActivities(deps: { client: Client; db: RecordDb; now?: () => number }): ReconcilerActivities {
  const now = deps.now ?? Date.now;
  return {
    async reconcileRecord() {
      for (const c of await reconcileOnce(deps.client, deps.db)) {
        log.error('entry closed outside the engine: marked in the record', { ...c, closedAt: c.closedAt.toISOString() });
      }
      return undeliveredOutsideClosureNotices(deps.db, new Date(now() - NOTICE_HANDOVER_WINDOW_MS));
    },
  };
}
