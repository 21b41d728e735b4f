/**
 * A six-month lifecycle on the time-skipping server: an entry started with a mandate deadline
 * about seven months ahead, driven stage by stage with simulated weeks between rounds so that it
 * completes about six months in (reminders fire on the way). Reports wall time, history size and
 * the billable actions in the history (reminders' timers, notices and record hand-overs included).
 */
import { temporal } from '@temporalio/proto';
import { billableActionsOf, type BillableActions } from '../testkit/billable-actions';
import { entryIdFor } from '../domain';
import { BODY, ENTRY_STATUS } from '../domain/vocabulary';
import { DAY_MS, toDate } from '../domain/dates';
import { startBody } from '../testkit/api-fixtures';
import { driveToCompletion, principalFor } from '../testkit/entry-driver';
import { recordingNotifier } from '../testkit/recording-notifier';
import { createTestWorker, startTimeSkippingServer, uniquePartyId, uniqueTaskQueue } from '../testkit/temporal';
import { ENTRY_WORKFLOW_TYPE, type EntryWorkflowInput } from '../workflows/messages';

export const LIFECYCLE_DAYS = 182;

export interface TimeSkippingResult {
  simulatedDays: number;
  rounds: number;
  wallMs: number;
  historyEvents: number;
  historyBytes?: number;
  /** as far as the history shows them: not the heartbeats (this run's notifier sends none) */
  actions?: BillableActions;
  notifications: number;
}

/** `rounds`: how many rounds a one-role entry takes (measured in the engine run). */
export async function runTimeSkippingLifecycle(rounds: number): Promise<TimeSkippingResult> {
  const env = await startTimeSkippingServer();
  try {
    const taskQueue = uniqueTaskQueue('bench-ts');
    const partyId = uniquePartyId('TS');
    const { activities, sent } = recordingNotifier();
    const worker = await createTestWorker(env, { taskQueue, activities });
    const stepDays = Math.max(1, Math.floor(LIFECYCLE_DAYS / Math.max(1, rounds)));
    return await worker.runUntil(async () => {
      const wallStart = performance.now();
      const startedAt = await env.currentTimeMs();
      const body = startBody(partyId, { mandateDeadline: toDate(startedAt + (LIFECYCLE_DAYS + 30) * DAY_MS) });
      const args: [EntryWorkflowInput] = [{ start: { ...body, startedBy: principalFor(BODY.OPS, '') } }];
      const handle = await env.client.workflow.start(ENTRY_WORKFLOW_TYPE, { taskQueue, workflowId: entryIdFor(partyId), args });
      let taken = 0;
      const final = await driveToCompletion(handle, async (round) => {
        taken = round + 1;
        await env.sleep(`${stepDays} days`);
      });
      if (final.status !== ENTRY_STATUS.COMPLETE) throw new Error(`time-skipping lifecycle ended ${final.status}`);
      await handle.result();
      const wallMs = performance.now() - wallStart;
      const events = (await handle.fetchHistory()).events ?? [];
      return {
        simulatedDays: Math.round(((await env.currentTimeMs()) - startedAt) / DAY_MS),
        rounds: taken,
        wallMs: Math.round(wallMs),
        historyEvents: events.length,
        historyBytes: events.reduce((n, e) => n + temporal.api.history.v1.HistoryEvent.encode(e).finish().length, 0),
        actions: billableActionsOf(events),
        notifications: sent.length,
      };
    });
  } finally {
    await env.teardown();
  }
}
