/**
 * The record's activities: the workflow's projection written to PostgreSQL, and each delivered
 * notification stamped with its delivery time (and never sent twice).
 */
import type { RecordDb } from '../record/db';
import { deliveredAt } from '../record/read';
import { markDelivered, writeProjection } from '../record/write';
import { DELIVERY_STATUS, type NotificationActivities, type RecordActivities } from './types';

export function createRecordActivities(db: RecordDb): RecordActivities {
  return {
    async recordEntry(projection) {
      await writeProjection(db, projection);
    },
  };
}

/**
 * The notification activities, with every delivery that reached someone stamped in the record; a
 * notification the record already holds as delivered is not sent again (its id is derived from
 * what it is about, so a run a reset rewound, deciding it again, hands over the same id).
 */
export function stampingDeliveries(db: RecordDb, activities: NotificationActivities): NotificationActivities {
  return {
    async deliverNotification(notification) {
      const before = await deliveredAt(db, notification.id);
      if (before) {
        return { notificationId: notification.id, kind: notification.kind, status: DELIVERY_STATUS.DELIVERED, attempts: 0, targets: [], deliveredBeforeAt: before.toISOString() };
      }
      const report = await activities.deliverNotification(notification);
      if (report.status === DELIVERY_STATUS.DELIVERED || report.status === DELIVERY_STATUS.PARTIAL) {
        await markDelivered(db, notification.id, new Date());
      }
      return report;
    },
  };
}
