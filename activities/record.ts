/**
 * The record's activities: the workflow's projection written to PostgreSQL, and each delivered
 * notification stamped with its delivery time.
 */
import type { RecordDb } from '../record/db';
import { stampDelivered } from '../record/deliveries';
import { writeProjection } from '../record/write';
import { DELIVERY_STATUS, type NotificationActivities, type RecordActivities } from './types';

export function createRecordActivities(db: RecordDb): RecordActivities {
  return {
    async recordEntry(projection) {
      await writeProjection(db, projection);
    },
  };
}

/** The notification activities, with every delivery that reached someone stamped in the record. */
export function stampingDeliveries(db: RecordDb, activities: NotificationActivities): NotificationActivities {
  return {
    async deliverNotification(notification) {
      const report = await activities.deliverNotification(notification);
      if (report.status === DELIVERY_STATUS.DELIVERED || report.status === DELIVERY_STATUS.PARTIAL) {
        await stampDelivered(db, notification, new Date());
      }
      return report;
    },
  };
}
