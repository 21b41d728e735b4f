/**
 * The record's activities: the workflow's projection written to PostgreSQL, and each delivered
 * notification stamped with its delivery time (and never sent twice).
 */
import type { RecordDb } from '../record/db';
import { Context } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import { claimDelivery, markDelivered, writeProjection } from '../record/write';
import { DELIVERY_STATUS, type NotificationActivities, type RecordActivities } from './types';

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
export function stampingDeliveries(db: RecordDb, activities: NotificationActivities): NotificationActivities {
  return {
    async deliverNotification(notification) {
      const claim = await claimDelivery(db, notification, claimant());
      if (claim.outcome === 'DELIVERED') {
        return { notificationId: notification.id, kind: notification.kind, status: DELIVERY_STATUS.DELIVERED, attempts: 0, targets: [], deliveredBeforeAt: claim.at.toISOString() };
      }
      if (claim.outcome === 'BUSY') throw new Error(`notification ${notification.id} is being delivered by ${claim.by}: waiting for its delivery`);
      const report = await activities.deliverNotification(notification);
      if (report.status === DELIVERY_STATUS.DELIVERED || report.status === DELIVERY_STATUS.PARTIAL) {
        await markDelivered(db, notification.id, new Date());
      }
      return report;
    },
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
