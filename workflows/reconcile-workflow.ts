/**
 * The record's reconciler, started by the Temporal Schedule `uep-record-reconciler` every
 * RECONCILE_INTERVAL_MS (worker/reconcile-schedule.ts): one pass over the record, then each notice
 * to OPS it answers handed to a delivery workflow of its own whose workflow id is the notice's id.
 * Temporal refuses a second workflow with that id, so a notice is delivered once however many
 * passes (or retried passes) find it undelivered; and a pass does not wait for deliveries, so an
 * OPS route down for hours (retried for up to a week) holds up no later pass.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import {
  NOTIFICATION_ACTIVITY_OPTIONS,
  RECONCILE_ACTIVITY_OPTIONS,
  type DeliveryReport,
  type NotificationActivities,
  type ReconcilerActivities,
} from '../activities/types';
import type { Notification } from '../domain/types';

const { reconcileRecord } = proxyActivities<ReconcilerActivities>(RECONCILE_ACTIVITY_OPTIONS);
const { deliverNotification } = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

export interface ReconcilePassResult {
  /** The notices this pass handed to delivery (those already handed over by an earlier pass are not listed). */
  handedOver: string[];
}

export async function reconcileRecordWorkflow(): Promise<ReconcilePassResult> {
  const notices = await reconcileRecord();
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
  return { handedOver };
}

/** One notice delivered (the worker stamps its delivery in the record). */
export async function noticeDeliveryWorkflow(notice: Notification): Promise<DeliveryReport> {
  return deliverNotification(notice);
}
