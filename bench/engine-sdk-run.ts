/**
 * A diagnostic run: the same entries driven with the Temporal client directly (no HTTP), to tell
 * the API's share of the engine's cost from the workflow's.
 */
import type { Client } from '@temporalio/client';
import { entryIdFor } from '../domain';
import { BODY, ENTRY_STATUS } from '../domain/vocabulary';
import { startBody } from '../testkit/api-fixtures';
import { actOn, openStages, principalFor } from '../testkit/entry-driver';
import { getStatusQuery, ENTRY_WORKFLOW_TYPE, type EntryUpdateResult, type EntryWorkflowInput } from '../workflows/messages';
import { benchPartyId } from './engine-run';
import { runLifecycles, type RunResult } from './lifecycle-run';
import { retryWhenBusy } from '../testkit/retry-when-busy';
import { timed } from '../testkit/timed';

const MAX_ROUNDS = 60;

const workflowTaskFailed = (err: unknown) => /Workflow Task in failed state/.test(`${String(err)} ${String((err as { cause?: unknown } | null)?.cause)}`);

export async function runEngineViaSdk(client: Client, opts: { taskQueue: string; n: number; concurrency: number; runId: string }): Promise<RunResult> {
  return runLifecycles('engine (raw SDK, no HTTP)', opts.n, opts.concurrency, async (i, samples) => {
    const partyId = benchPartyId(opts.runId, 'd', i);
    const args: [EntryWorkflowInput] = [{ start: { ...startBody(partyId), startedBy: principalFor(BODY.OPS, '') } }];
    const handle = await timed(samples.starts, () => client.workflow.start(ENTRY_WORKFLOW_TYPE, { taskQueue: opts.taskQueue, workflowId: entryIdFor(partyId), args }));
    const summary = await handle.query(getStatusQuery);
    // each answer (the compact result) says what to do next
    let now: Pick<EntryUpdateResult, 'status' | 'openStages'> = { status: summary.status, openStages: openStages(summary) };
    let updates = 0;
    for (let round = 0; now.status === ENTRY_STATUS.IN_PROGRESS; round++) {
      if (round > MAX_ROUNDS) throw new Error(`${partyId} did not complete`);
      for (const stage of now.openStages) {
        // refused before it was accepted (a workflow task timed out under load): safe to send again
        now = await timed(samples.updates, () => retryWhenBusy(samples, workflowTaskFailed, () => actOn(handle, summary, stage)));
        updates++;
      }
    }
    return updates;
  });
}
