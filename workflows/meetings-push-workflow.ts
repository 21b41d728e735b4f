/**
 * A version of the meeting calendar on its way to the running entries: one workflow per version,
 * id `uep-meetings-push-v<version>` (messages.ts), started by PUT /v1/meetings once the record
 * holds the version, or by a reconcile pass that finds running entries behind the current one
 * (reconcile-workflow.ts). Its one activity asks the record who is behind and sends them the
 * version (worker/meetings-push.ts); Temporal retries it until every one holds it, or a newer
 * version supersedes it.
 */
import { proxyActivities } from '@temporalio/workflow';
import { MEETINGS_PUSH_ACTIVITY_OPTIONS, type MeetingsPushActivities, type MeetingsPushInput, type MeetingsPushReport } from '../activities/types';

const { pushMeetingCalendar } = proxyActivities<MeetingsPushActivities>(MEETINGS_PUSH_ACTIVITY_OPTIONS);

export async function meetingCalendarPushWorkflow(input: MeetingsPushInput): Promise<MeetingsPushReport> {
  return pushMeetingCalendar(input);
}
