/** The engine run: N entries started and driven to completion through the HTTP API. */
import type { Client } from '@temporalio/client';
import { entryIdFor } from '../domain';
import { ENTRY_STATUS } from '../domain/vocabulary';
import { startBody } from '../testkit/api-fixtures';
import type { ApiStack } from '../testkit/api-stack';
import { driveOverHttp, startEntryOverHttp, type DriveResult } from '../testkit/http-entry-driver';
import { runLifecycles, type LifecycleSamples, type RunResult } from './lifecycle-run';
import { planOf, totalsOf } from './floor/run';
import type { HistoryTotals, WorkPlan } from './floor/work-plan';
import { getStatusQuery } from '../workflows/messages';

export const benchPartyId = (runId: string, what: string, i: number) => `B${runId}-${what}-${i}`;
/** What every entry id of one series starts with (uep-B<run>-<what>-), for LIKE queries of the record. */
export const benchEntryIdPrefix = (runId: string, what: string) => entryIdFor(benchPartyId(runId, what, 0)).replace(/0$/, '');

/** One entry through the API, start to completion; returns what it took. */
export async function oneEntry(api: ApiStack, partyId: string, samples: LifecycleSamples): Promise<DriveResult> {
  await startEntryOverHttp(api, startBody(partyId), samples.starts);
  const result = await driveOverHttp(api, partyId, samples.updates, samples);
  if (result.final.status !== ENTRY_STATUS.COMPLETE) throw new Error(`${partyId} ended ${result.final.status}`);
  return result;
}

export async function runEngine(api: ApiStack, opts: { n: number; concurrency: number; runId: string }): Promise<RunResult> {
  return runLifecycles('engine (HTTP API)', opts.n, opts.concurrency, async (i, samples) => {
    const { updates } = await oneEntry(api, benchPartyId(opts.runId, 'e', i), samples);
    return updates;
  });
}

/**
 * What a completed entry asked of Temporal, as the equal-work floor's plan. The status answer's
 * size (not in a history) is read with the query the API's GET makes.
 */
export async function planOfEntry(client: Client, partyId: string): Promise<WorkPlan> {
  const handle = client.workflow.getHandle(entryIdFor(partyId));
  await handle.result();
  const statusBytes = Buffer.byteLength(JSON.stringify(await handle.query(getStatusQuery)));
  return planOf(handle, statusBytes);
}

export const totalsOfEntry = (client: Client, partyId: string): Promise<HistoryTotals> => totalsOf(client.workflow.getHandle(entryIdFor(partyId)));
