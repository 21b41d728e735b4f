/**
 * The recovery command's work (npm run record:rebuild): every entry run Temporal's visibility still
 * holds, open or closed, written into the record through the record's own idempotent writers. An
 * entry's runs are written oldest first, so its run chains keep their order in its one audit trail;
 * a run Temporal closed outside the engine is marked as the reconciler would, and a run a reset
 * replaced has its reset recorded as the reconciler would, before the run it created. A second
 * pass changes nothing.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { RecordDb } from '../record/db';
import { isCurrentRunningRun } from '../record/read';
import { changedRecord, markClosedOutsideEngine, markDelivered, markReset, writeProjection } from '../record/write';
import { ENTRY_WORKFLOW_TYPE } from '../workflows/messages';
import { resetOf } from './reconciler';
import { readRunProjection } from './run-projection';

export const ENTRY_RUNS_QUERY = `WorkflowType = '${ENTRY_WORKFLOW_TYPE}'`;

/** Statuses of a run the engine ended itself, or that still runs: any other was closed outside it. */
const ENGINE_STATUSES = new Set(['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW']);

export const ENTRY_OUTCOME = { WRITTEN: 'written', UNCHANGED: 'unchanged', SKIPPED: 'skipped' } as const;
export type EntryOutcome = { entryId: string } & (
  | { outcome: typeof ENTRY_OUTCOME.WRITTEN | typeof ENTRY_OUTCOME.UNCHANGED; runs: number }
  | { outcome: typeof ENTRY_OUTCOME.SKIPPED; reason: string }
);

export interface RebuildSummary {
  seen: number;
  /** Runs of the entries seen (a Party started again, or continued as new, has several). */
  runs: number;
  written: number;
  unchanged: number;
  skipped: { entryId: string; reason: string }[];
  /** Runs whose projection came from their history because the query went unanswered. */
  fromHistory: number;
}

export interface RebuildOptions {
  /** Entries rebuilt at once (each entry's runs one after the other). */
  concurrency: number;
  queryTimeoutMs: number;
  /** Called once the runs are listed, with the number of entries. */
  onListed?: (entries: number) => void;
  onEntry?: (outcome: EntryOutcome) => void;
}

/** Every entry run in visibility, grouped by entry, each entry's runs oldest first. */
export async function listEntryRuns(client: Client): Promise<Map<string, WorkflowExecutionInfo[]>> {
  const byEntry = new Map<string, WorkflowExecutionInfo[]>();
  for await (const run of client.workflow.list({ query: ENTRY_RUNS_QUERY })) {
    const runs = byEntry.get(run.workflowId) ?? [];
    runs.push(run);
    byEntry.set(run.workflowId, runs);
  }
  for (const runs of byEntry.values()) runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  return byEntry;
}

export async function rebuildRecord(client: Client, db: RecordDb, opts: RebuildOptions): Promise<RebuildSummary> {
  const byEntry = await listEntryRuns(client);
  opts.onListed?.(byEntry.size);
  const runs = [...byEntry.values()].reduce((n, r) => n + r.length, 0);
  const summary: RebuildSummary = { seen: byEntry.size, runs, written: 0, unchanged: 0, skipped: [], fromHistory: 0 };
  const queue = [...byEntry.entries()];
  const next = async (): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const [entryId, runs] = item;
      const outcome = await rebuildEntry(client, db, entryId, runs, opts.queryTimeoutMs, summary).catch(
        (err: unknown): EntryOutcome => ({ entryId, outcome: ENTRY_OUTCOME.SKIPPED, reason: `not written: ${err instanceof Error ? err.message : String(err)}` }),
      );
      if (outcome.outcome === ENTRY_OUTCOME.SKIPPED) summary.skipped.push({ entryId, reason: outcome.reason });
      else summary[outcome.outcome]++;
      opts.onEntry?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, next));
  return summary;
}

async function rebuildEntry(client: Client, db: RecordDb, entryId: string, runs: WorkflowExecutionInfo[], queryTimeoutMs: number, summary: RebuildSummary): Promise<EntryOutcome> {
  let changed = false;
  for (const run of runs) {
    const read = await readRunProjection(client, run, queryTimeoutMs);
    if (!read.ok) return { entryId, outcome: ENTRY_OUTCOME.SKIPPED, reason: `run ${run.runId}: ${read.reason}` };
    if (read.source === 'history') summary.fromHistory++;
    changed = changedRecord(await writeProjection(db, read.projection)) || changed;
    for (const d of read.deliveries) changed = (await markDelivered(db, d.notificationId, d.at)) || changed;
    if (!ENGINE_STATUSES.has(run.status.name) && (await isCurrentRunningRun(db, entryId, run.runId))) {
      // a run reset away is not closed: the reset is recorded as the reconciler would, the run it created comes next
      const reset = await resetOf(client, { entryId, chainId: read.projection.chainId }, run);
      if (reset) {
        changed = (await markReset(db, reset)) || changed;
        continue;
      }
      changed = (await markClosedOutsideEngine(db, { entryId, runId: run.runId, temporalStatus: run.status.name, closedAt: run.closeTime ?? new Date() })) || changed;
    }
  }
  return { entryId, outcome: changed ? ENTRY_OUTCOME.WRITTEN : ENTRY_OUTCOME.UNCHANGED, runs: runs.length };
}
