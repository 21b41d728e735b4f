/**
 * The record's reconciler, started by the Temporal Schedule `uep-record-reconciler` every
 * RECONCILE_INTERVAL_MS (worker/reconcile-schedule.ts): one pass over the record, then each notice
 * to OPS it answers handed to a delivery workflow of its own whose workflow id is the notice's id.
 * Temporal refuses a second workflow with that id, so a notice is delivered once however many
 * passes (or retried passes) find it undelivered; and a pass does not wait for deliveries, so an
 * OPS route down for hours (retried for up to a week) holds up no later pass. Before the notices,
 * when running entries are behind the current meeting calendar, the pass starts its push (below).
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, patched, proxyActivities, startChild } from '@temporalio/workflow';
import {
  NOTIFICATION_ACTIVITY_OPTIONS,
  RECONCILE_ACTIVITY_OPTIONS,
  type DeliveryReport,
  type NotificationActivities,
  type ReconcilerActivities,
} from '../activities/types';
import type { Notification } from '../domain/types';
import { meetingCalendarPushWorkflow } from './meetings-push-workflow';
import { meetingsPushWorkflowId } from './messages';

const { reconcileRecord, meetingsPushDue } = proxyActivities<ReconcilerActivities>(RECONCILE_ACTIVITY_OPTIONS);
const { deliverNotification } = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

export interface ReconcilePassResult {
  /** The notices this pass handed to delivery (those already handed over by an earlier pass are not listed). */
  handedOver: string[];
  /** The workflow id of the meeting calendar's push this pass started, if it started one. */
  meetingsPush?: string;
}

export async function reconcileRecordWorkflow(): Promise<ReconcilePassResult> {
  const notices = await reconcileRecord();
  // behind a patch, as every added activity call (docs/versioning.md): a pass begun before it replays without it
  const meetingsPush = patched('uep-meetings-push') ? await startDueMeetingsPush() : undefined;
  const handedOver: string[] = [];
  for (const notice of notices) {
    try {
      await startChild(noticeDeliveryWorkflow, {
        workflowId: notice.id,
        args: [notice],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      handedOver.push(notice.id);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { handedOver, ...(meetingsPush ? { meetingsPush } : {}) };
}

/**
 * The current calendar's push, when running entries are behind it: the PUT that saved it could not
 * hand it to Temporal (a timeout), its push gave up (a day of failures), or an entry was missed.
 * Same workflow id as the PUT's start. Reuse policy ALLOW_DUPLICATE: a push of that version still
 * running is not duplicated (Temporal refuses a second run while one runs); a closed one (failed,
 * or done) runs again. Running again after a done push is sound and needed: an entry started after
 * a version was saved is handed that version at its start, so one still behind after its push
 * completed was missed (started while the PUT was saving it, its first write to the record after
 * the push had listed who was behind). A run asks the record again and sends only to those behind;
 * nothing is behind, nothing is started.
 */
async function startDueMeetingsPush(): Promise<string | undefined> {
  const due = await meetingsPushDue();
  if (!due) return undefined;
  const workflowId = meetingsPushWorkflowId(due.version);
  try {
    await startChild(meetingCalendarPushWorkflow, {
      workflowId,
      args: [due],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    return workflowId;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return undefined;
  }
}

/** One notice delivered (the worker stamps its delivery in the record). */
export async function noticeDeliveryWorkflow(notice: Notification): Promise<DeliveryReport> {
  return deliverNotification(notice);
}
