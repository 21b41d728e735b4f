/**
 * The reconciler: what a workflow cannot see of its own end. An entry run that Temporal closed
 * behind the engine's back (terminated, reset away, failed, timed out, or cancelled before
 * cancellations became withdrawals) still says IN_PROGRESS in the record; each pass finds such
 * runs in Temporal's visibility and marks them CLOSED_OUTSIDE_ENGINE, with Temporal's status and
 * one audit row (record/write.ts markClosedOutsideEngine, idempotent: every worker may run it).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { RecordDb } from '../record/db';
import { runningEntries } from '../record/read';
import { markClosedOutsideEngine, type OutsideClosure } from '../record/write';
import { ENTRY_WORKFLOW_TYPE } from '../workflows/messages';

/** Closed, and not by the engine: a run the engine ends is COMPLETED, or CONTINUED_AS_NEW into the next one. */
export const CLOSED_OUTSIDE_ENGINE_QUERY = `WorkflowType = '${ENTRY_WORKFLOW_TYPE}' AND ExecutionStatus != 'Running' AND ExecutionStatus != 'Completed' AND ExecutionStatus != 'ContinuedAsNew'`;

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

export interface ReconcilerOptions {
  client: Client;
  db: RecordDb;
  intervalMs: number;
  onMarked: (closure: OutsideClosure) => void;
  onError: (err: unknown) => void;
}

/** Runs a pass every intervalMs until stopped (stop waits for a pass in progress). */
export function startReconciler(opts: ReconcilerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const run = () => {
    pass = reconcileOnce(opts.client, opts.db)
      .then((marked) => marked.forEach(opts.onMarked), opts.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, opts.intervalMs);
      });
  };
  timer = setTimeout(run, opts.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
