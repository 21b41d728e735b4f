/** Bounded helpers of the fault tests: pauses, a deadline race, many entries at once. */
import { mapLimited } from '../../api/map-limited';
import type { Client } from '@temporalio/client';
import { entryIdFor } from '../../domain';
import { driveResiliently, startEntryResiliently, type DrivenEntry } from './steady-driver';

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));

/** fn's result, or an error naming `what` once ms have passed. */
export async function within<T>(what: string, ms: number, fn: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Progress {
  accepted: number;
  finished: number;
}

/** Starts and drives every entry, `concurrency` at a time, counting progress as it goes. */
export function driveAll(client: Client, taskQueue: string, partyIds: readonly string[], concurrency: number, deadline: number, progress: Progress): Promise<DrivenEntry[]> {
  return mapLimited(partyIds, concurrency, async (partyId) => {
    const handle = await startEntryResiliently(client, taskQueue, partyId, deadline);
    const driven = await driveResiliently(handle, partyId, deadline, () => void progress.accepted++);
    progress.finished++;
    return driven;
  });
}

/** Waits for every entry's workflow to close (after its notifications are delivered). */
export async function awaitClosed(client: Client, partyIds: readonly string[]): Promise<void> {
  await mapLimited(partyIds, 16, (partyId) => client.workflow.getHandle(entryIdFor(partyId)).result());
}
