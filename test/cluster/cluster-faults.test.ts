/**
 * The engine on a PostgreSQL-backed Temporal cluster (frontend, matching, worker and two history
 * hosts as separate processes, built from the official source), through the faults a cluster
 * meets: an engine worker SIGKILLed while two share the load, a history host SIGKILLed and
 * restarted, PostgreSQL restarted. Each time: every entry completes, nothing lost, nothing doubled.
 */
import type { Client } from '@temporalio/client';
import { entryIdFor } from '../../domain';
import { uniquePartyId } from '../../testkit/temporal';
import { awaitClosed, between, driveAll, pause, within, type Progress } from '../faults/chaos';
import { startFaultStack, type FaultStack } from '../faults/fault-stack';
import { expectNothingLostNothingDoubled } from './no-loss';
import { useCluster } from './use-cluster';

const BUDGET_MS = 6 * 60_000;
const cluster = useCluster();

/** Worker identities that completed workflow tasks, across the entries' histories. */
async function workflowTaskWorkers(client: Client, partyIds: readonly string[]): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const partyId of partyIds) {
    const { events } = await client.workflow.getHandle(entryIdFor(partyId)).fetchHistory();
    for (const e of events ?? []) if (e.workflowTaskCompletedEventAttributes?.identity) identities.add(e.workflowTaskCompletedEventAttributes.identity);
  }
  return identities;
}

/**
 * Drives `entries` entries on a fault stack with two workers; `fault` runs once some work is done.
 * `shared`: both workers must have completed workflow tasks (sticky queues may leave every entry
 * with the worker that polled first, so only the worker-kill test, which moves entries, asks it).
 */
async function underFault(
  name: string,
  entries: number,
  concurrency: number,
  fault: (stack: FaultStack, progress: Progress) => Promise<string>,
  shared = false,
): Promise<void> {
  const stack = await startFaultStack({ address: cluster().address, recordUrl: cluster().recordUrl });
  try {
    await stack.startWorker();
    await stack.startWorker();
    const started = Date.now();
    const partyIds = Array.from({ length: entries }, () => uniquePartyId(name.slice(0, 1).toUpperCase()));
    const progress: Progress = { accepted: 0, finished: 0 };
    const driving = driveAll(stack.client, stack.taskQueue, partyIds, concurrency, started + BUDGET_MS, progress);

    for (let i = 0; i < 1200 && progress.accepted < entries * 3; i++) await pause(50);
    const at = { ...progress };
    const what = await fault(stack, progress);
    const driven = await within('driving', BUDGET_MS, driving);
    await within('every workflow closed', 180_000, awaitClosed(stack.client, partyIds));

    expect(at.accepted).toBeGreaterThan(0);
    expect(at.finished).toBeLessThan(entries);
    const line = await expectNothingLostNothingDoubled(
      stack.client,
      driven.map((d) => ({ partyId: d.partyId, accepted: d.accepted, status: d.final.status })),
      stack,
    );
    // the stack restarted any worker that exited by itself, as compose does; none should have to be
    expect(stack.crashes().map((c) => `worker ${c.pid} exited (${String(c.exit)}):\n${c.outputTail.slice(-1500)}`)).toEqual([]);
    const workers = await workflowTaskWorkers(stack.client, partyIds);
    if (shared) expect(workers.size).toBeGreaterThanOrEqual(2);
    console.log(
      `cluster fault survived: ${name}: ${what} (fault began at ${at.accepted} accepted updates, ${at.finished} entries done); ` +
        `${line}; workflow tasks by ${workers.size} worker processes; driver retries ${driven.reduce((a, d) => a + d.retries, 0)}; ${Date.now() - started} ms`,
    );
  } finally {
    await stack.close();
  }
}

test('an engine worker SIGKILLed twice while two workers share the load', async () => {
  await underFault('worker-sigkill', 60, 12, async (stack, progress) => {
    const kills: string[] = [];
    for (let i = 0; i < 2; i++) {
      if (i > 0) await pause(between(2_000, 5_000));
      kills.push(`${progress.accepted}`);
      await stack.killWorker();
      await pause(between(500, 2_000));
      await stack.startWorker();
    }
    return `worker SIGKILLed at ${kills.join(' and ')} accepted updates, restarted each time`;
  }, true);
}, 10 * 60_000);

test('a history host SIGKILLed and restarted under load', async () => {
  await underFault('history-sigkill', 40, 10, async () => {
    const c = cluster();
    await c.killHistoryHost(2);
    await pause(5_000);
    await c.startHistoryHost(2);
    return 'history-2 SIGKILLed, down 5 s, restarted';
  });
}, 10 * 60_000);

test('PostgreSQL restarted under load', async () => {
  await underFault('postgres-restart', 40, 10, async () => {
    await cluster().restartPostgres(5_000);
    return 'PostgreSQL fast shutdown, down 5 s, started again';
  });
}, 10 * 60_000);
