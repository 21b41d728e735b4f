/**
 * The reconciler: what a workflow cannot see of its own end. An entry run that Temporal closed
 * behind the engine's back (terminated, failed, timed out, or cancelled before cancellations became
 * withdrawals) still says IN_PROGRESS in the record; each pass finds such runs in Temporal's
 * visibility and marks them CLOSED_OUTSIDE_ENGINE, with Temporal's status, one audit row and a
 * notice to OPS (record/write.ts markClosedOutsideEngine, idempotent: passes may overlap or repeat).
 * A run Temporal terminated to reset it is not closed: the entry carries on in the run the reset
 * created (Temporal names it: the old run's reset run id). Unless that run has written to the
 * record already (its first projection records the reset), the pass records the reset: a
 * RUN_RESET audit row, a notice to OPS, the entry row on the new run (record/write.ts markReset).
 * A pass also answers the push the current meeting calendar needs, when running entries are behind
 * it (workflows/reconcile-workflow.ts starts it). The passes run as workflows on a Temporal
 * Schedule (worker/reconcile-schedule.ts).
 */
import { log } from '@temporalio/activity';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { ReconcilerActivities } from '../activities/types';
import type { RecordDb } from '../record/db';
import { calendarReach, currentMeetingCalendar, principalOfChangedBy } from '../record/meetings';
import { runningEntries, undeliveredOutsideClosureNotices, undeliveredResetNotices } from '../record/read';
import { markClosedOutsideEngine, markReset, type FoundReset, type OutsideClosure } from '../record/write';
import { msOf } from '../config/sdk-internals';
import { ENTRY_WORKFLOW_TYPE } from '../workflows/messages';

/** Closed, and not by the engine: a run the engine ends is COMPLETED, or CONTINUED_AS_NEW into the next one. */
export const CLOSED_OUTSIDE_ENGINE_QUERY = `WorkflowType = '${ENTRY_WORKFLOW_TYPE}' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'ContinuedAsNew'`;

/**
 * How long a marked run's notice is handed to delivery while undelivered: a delivery retries for
 * up to 7 days (NOTIFICATION_ACTIVITY_OPTIONS); after that it is given up like any other notice.
 */
export const NOTICE_HANDOVER_WINDOW_MS = 8 * 86_400_000;

/** One pass: answers the runs it marked closed and the resets it recorded (each once, across passes and workers). */
export async function reconcileOnce(client: Client, db: RecordDb): Promise<OutsideClosure[]> {
  return (await reconcilePass(client, db)).closed;
}

export async function reconcilePass(client: Client, db: RecordDb): Promise<{ closed: OutsideClosure[]; resets: FoundReset[] }> {
  const running = new Map((await runningEntries(db)).map((e) => [e.runId, e]));
  const found = { closed: [] as OutsideClosure[], resets: [] as FoundReset[] };
  if (running.size === 0) return found;
  for await (const run of client.workflow.list({ query: CLOSED_OUTSIDE_ENGINE_QUERY })) {
    const entry = running.get(run.runId);
    if (!entry) continue; // not the run the record holds (an older run, or an entry closed on record)
    const reset = await resetOf(client, entry, run);
    if (reset) {
      if (await markReset(db, reset)) found.resets.push(reset);
      continue;
    }
    const closure = outsideClosure(entry.entryId, run);
    if (await markClosedOutsideEngine(db, closure)) found.closed.push(closure);
  }
  return found;
}

/**
 * The reset that closed `run`, if one did: Temporal names the run it created (the closed run's
 * reset run id) and when (its last reset time). Only a TERMINATED run can have been reset away.
 */
export async function resetOf(client: Client, entry: { entryId: string; chainId: string }, run: WorkflowExecutionInfo): Promise<FoundReset | undefined> {
  if (run.status.name !== 'TERMINATED') return undefined;
  const described = await client.workflow.getHandle(run.workflowId, run.runId).describe();
  const extended = described.raw.workflowExtendedInfo;
  if (!extended?.resetRunId) return undefined;
  const at = msOf(extended.lastResetTime) ?? run.closeTime?.getTime() ?? Date.now();
  return { entryId: entry.entryId, chainId: entry.chainId, previousRunId: run.runId, runId: extended.resetRunId, at: new Date(at) };
}

function outsideClosure(entryId: string, run: WorkflowExecutionInfo): OutsideClosure {
  return { entryId, runId: run.runId, temporalStatus: run.status.name, closedAt: run.closeTime ?? new Date() };
}

/** The reconcile pass as an activity: marks, logs each mark (a closure at ERROR, a reset at WARN), and answers the notices to deliver. */
export function createReconcilerActivities(deps: { client: Client; db: RecordDb; now?: () => number }): ReconcilerActivities {
  const now = deps.now ?? Date.now;
  return {
    async reconcileRecord() {
      const { closed, resets } = await reconcilePass(deps.client, deps.db);
      for (const c of closed) log.error('entry closed outside the engine: marked in the record', { ...c, closedAt: c.closedAt.toISOString() });
      for (const r of resets) log.warn('entry reset in Temporal: recorded', { ...r, at: r.at.toISOString() });
      const since = new Date(now() - NOTICE_HANDOVER_WINDOW_MS);
      return [...(await undeliveredOutsideClosureNotices(deps.db, since)), ...(await undeliveredResetNotices(deps.db, since))];
    },
    async meetingsPushDue() {
      const current = await currentMeetingCalendar(deps.db);
      if (!current || (await calendarReach(deps.db, current.version)).toTake === 0) return null;
      return { version: current.version, principal: principalOfChangedBy(current.changedBy) };
    },
  };
}
