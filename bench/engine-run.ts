/** The engine run: N entries started and driven to completion through the HTTP API. */
import { ENTRY_STATUS } from '../domain/vocabulary';
import { startBody } from '../testkit/api-fixtures';
import type { ApiStack } from '../testkit/api-stack';
import { driveOverHttp, startEntryOverHttp, type DriveResult } from './http-driver';
import { runLifecycles, type RunResult } from './lifecycle-run';

export const benchPartyId = (runId: string, what: string, i: number) => `B${runId}-${what}-${i}`;

/** One entry through the API, start to completion; returns what it took. */
export async function oneEntry(api: ApiStack, partyId: string, samples: { updates: number[]; starts: number[] }): Promise<DriveResult> {
  await startEntryOverHttp(api, startBody(partyId), samples.starts);
  const result = await driveOverHttp(api, partyId, samples.updates);
  if (result.final.status !== ENTRY_STATUS.COMPLETE) throw new Error(`${partyId} ended ${result.final.status}`);
  return result;
}

export async function runEngine(api: ApiStack, opts: { n: number; concurrency: number; runId: string }): Promise<RunResult> {
  return runLifecycles('engine (HTTP API)', opts.n, opts.concurrency, async (i, samples) => {
    const { updates } = await oneEntry(api, benchPartyId(opts.runId, 'e', i), samples);
    return updates;
  });
}
