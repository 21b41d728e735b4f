/**
 * The Temporal Schedule that sends the daily digest: a noticeDigestWorkflow every day at
 * DIGEST_TIME in DIGEST_TIME_ZONE (Temporal applies the zone's daylight saving), one at a time.
 * Every worker ensures it at start, as the reconciler's (worker/reconcile-schedule.ts): created
 * when missing, otherwise brought to the worker's configuration, keeping its state (paused stays
 * paused). A run missed while Temporal was down is caught up within a day (catchupWindow).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { noticeDigestWorkflow } from '../workflows/digest-workflow';

export const DIGEST_SCHEDULE_ID = 'uep-notice-digest';

export interface DigestScheduleOptions {
  taskQueue: string;
  /** 'HH:MM' */
  time: string;
  timeZone: string;
}

function definition(opts: DigestScheduleOptions) {
  const [hour, minute] = opts.time.split(':').map(Number) as [number, number];
  return {
    spec: { calendars: [{ hour, minute, comment: `the daily digest at ${opts.time} ${opts.timeZone}` }], timezone: opts.timeZone },
    action: { type: 'startWorkflow' as const, workflowType: noticeDigestWorkflow, taskQueue: opts.taskQueue, workflowId: DIGEST_SCHEDULE_ID },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 86_400_000 },
  };
}

/** Creates the schedule, or updates it to `opts`: answers which. */
export async function ensureDigestSchedule(client: Client, opts: DigestScheduleOptions): Promise<'created' | 'updated'> {
  const wanted = definition(opts);
  try {
    await client.schedule.create({ scheduleId: DIGEST_SCHEDULE_ID, ...wanted, state: { note: 'Mails each person who chose the daily digest what waits for them (UEP worker).' } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(DIGEST_SCHEDULE_ID).update((previous) => ({ ...previous, ...wanted, policies: { ...previous.policies, ...wanted.policies } }));
  return 'updated';
}
