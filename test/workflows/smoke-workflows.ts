import { sleep, upsertSearchAttributes, condition } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';

/** Sleeps 90 days: on the time-skipping server this completes in seconds. */
export async function ninetyDaysWorkflow(): Promise<number> {
  const started = Date.now();
  await sleep('90 days');
  return Date.now() - started;
}

/** Marks itself with a party id and an awaited body, then waits forever. */
export async function searchableWorkflow(partyId: string): Promise<void> {
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTE.partyId, value: partyId },
    { key: SEARCH_ATTRIBUTE.awaitedBodies, value: ['DCC', 'SECAS'] },
  ]);
  await condition(() => false);
}
