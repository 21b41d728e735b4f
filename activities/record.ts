/**
 * The record's activities: the workflow's projection written to PostgreSQL, and each delivered
 * notification stamped with its delivery time (and never sent twice).
 */
import type { RecordDb } from '../record/db';
import { Context } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import { claimDelivery, markDelivered, writeProjection } from '../record/write';
import type { Notification } from '../domain/types';
import type { NotificationDelivery } from './notifications';
import { DELIVERY_STATUS, type DeliveryReport, type NotificationActivities, type RecordActivities } from './types';

export function createRecordActivities(db: RecordDb): RecordActivities {
  return {
    async recordEntry(projection) {
      await writeProjection(db, projection);
    },
  };
}

/**
 * The notification activities, with every delivery that reached someone stamped in the record,
 * and none sent twice: a notification's id is derived from what it is about, so a run a reset
 * created, deciding it again, hands the same id to delivery, perhaps while the rewound run's
 * delivery of it is still under way. Each delivery first claims the notification in the record:
 * one already delivered is not sent again; one another delivery is sending waits (a retry) for
 * its stamp, or for its claim to lapse if that delivery died.
 */
export function stampingDeliveries(db: RecordDb, activities: NotificationDelivery): NotificationActivities {
  async function stamped(notification: Notification, deliver: () => Promise<DeliveryReport>): Promise<DeliveryReport> {
    const claim = await claimDelivery(db, notification, claimant());
    if (claim.outcome === 'DELIVERED') {
      return { notificationId: notification.id, kind: notification.kind, status: DELIVERY_STATUS.DELIVERED, attempts: 0, targets: [], deliveredBeforeAt: claim.at.toISOString() };
    }
    if (claim.outcome === 'BUSY') throw new Error(`notification ${notification.id} is being delivered by ${claim.by}: waiting for its delivery`);
    const report = await deliver();
    if (report.status === DELIVERY_STATUS.DELIVERED || report.status === DELIVERY_STATUS.PARTIAL) {
      await markDelivered(db, notification.id, new Date());
    }
    return report;
  }
  return {
    deliverNotification: (notification) => stamped(notification, () => activities.deliverNotification(notification)),
    // each notification of the batch stamped as soon as it is delivered, whatever the others do
    deliverNotifications: (notifications) => activities.deliverEach(notifications, stamped),
  };
}

/** Who delivers: this activity (its run and id, the same across its retries), or a one-off outside one. */
function claimant(): string {
  try {
    const { workflowExecution, activityId } = Context.current().info;
    return `${workflowExecution?.runId ?? 'no-run'}/${activityId}`;
  } catch {
    return randomUUID();
  }
}
