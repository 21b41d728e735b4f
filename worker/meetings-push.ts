/**
 * The meeting calendar's push (workflows/meetings-push-workflow.ts) carried out: the version goes,
 * through each entry's updateMeetings update, to every running entry of catalogue v2 on that the
 * record shows behind it, PUSH_LANES at a time. An entry is done when it takes the version, or
 * refuses it because it holds that version or a newer one (domain/meetings.ts, calendarHeldWords).
 * Anything else leaves it behind, and the attempt fails once all were tried: Temporal retries it
 * (MEETINGS_PUSH_ACTIVITY_OPTIONS), and the retry asks the record again who is behind (an entry
 * whose run has since closed is no longer running there). A newer version saved meanwhile stops
 * it: that version's own push sends the newer calendar to everyone. It lives beside the worker's
 * other activities that hold a Temporal client (activities/ may not import the workflow's update
 * definitions).
 */
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MEETINGS_PUSH_INCOMPLETE, type MeetingsPushActivities, type MeetingsPushReport } from '../activities/types';
import { entryIdFor } from '../domain';
import { calendarHeldIn, type MeetingCalendar } from '../domain/meetings';
import type { Principal } from '../domain/vocabulary';
import type { RecordDb } from '../record/db';
import { meetingCalendarVersion, newestCalendarVersion, partiesBehind } from '../record/meetings';
import { updateMeetingsUpdate } from '../workflows/messages';

/** How many entries are sent the calendar at once. */
export const PUSH_LANES = 8;
/** How long one entry's update may take before it counts as not taken (this attempt). */
export const PUSH_UPDATE_TIMEOUT_MS = 10_000;

type Sent = 'SENT' | 'HELD' | { reason: string };

export function createMeetingsPushActivities(deps: { client: Client; db: RecordDb }): MeetingsPushActivities {
  const { client, db } = deps;

  async function send(partyId: string, calendar: MeetingCalendar, principal: Principal): Promise<Sent> {
    const handle = client.workflow.getHandle(entryIdFor(partyId));
    const signal = AbortSignal.timeout(PUSH_UPDATE_TIMEOUT_MS);
    try {
      await client.withAbortSignal(signal, () =>
        client.withDeadline(Date.now() + PUSH_UPDATE_TIMEOUT_MS, () => handle.executeUpdate(updateMeetingsUpdate, { args: [{ calendar, principal }] })),
      );
      return 'SENT';
    } catch (err) {
      const refusal = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause.message : undefined;
      const held = refusal === undefined ? undefined : calendarHeldIn(refusal);
      if (held !== undefined && held >= calendar.version) return 'HELD';
      return { reason: refusal ?? (err instanceof Error ? `${err.name}: ${err.message}` : String(err)) };
    }
  }

  return {
    async pushMeetingCalendar({ version, principal }) {
      const calendar = await meetingCalendarVersion(db, version);
      if (!calendar) throw ApplicationFailure.nonRetryable(`the record holds no meeting calendar version ${version}`, 'MeetingsPushUnknownVersion');
      const behind = await partiesBehind(db, version);
      const report: MeetingsPushReport = { version, outcome: 'DONE', behind: behind.length, sent: 0, alreadyHeld: 0 };
      const failed: { partyId: string; reason: string }[] = [];
      let next = 0;
      const lane = async () => {
        while (next < behind.length && report.outcome === 'DONE') {
          const partyId = behind[next++]!;
          const newest = await newestCalendarVersion(db);
          if (newest > version) {
            report.outcome = 'SUPERSEDED';
            report.supersededBy = newest;
            break;
          }
          const sent = await send(partyId, { version, meetings: calendar.meetings }, principal);
          if (sent === 'SENT') report.sent++;
          else if (sent === 'HELD') report.alreadyHeld++;
          else failed.push({ partyId, ...sent });
          Context.current().heartbeat({ ...report, failed: failed.length });
        }
      };
      await Promise.all(Array.from({ length: Math.min(PUSH_LANES, behind.length) }, lane));
      if (report.outcome === 'DONE' && failed.length > 0) {
        const some = failed.slice(0, 5).map((f) => `${f.partyId} (${f.reason})`);
        throw ApplicationFailure.retryable(
          `${failed.length} of ${behind.length} running entries did not take meeting calendar version ${version} yet: ${some.join('; ')}${failed.length > 5 ? '; …' : ''}`,
          MEETINGS_PUSH_INCOMPLETE,
          { failed },
        );
      }
      return report;
    },
  };
}
