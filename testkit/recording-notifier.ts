/**
 * A notification activity for workflow tests that records what the workflow asked to send and
 * when the (possibly time-skipped) server scheduled it. Delivery itself is tested in
 * test/activities against real SMTP and HTTP receivers.
 */
import { Context } from '@temporalio/activity';
import type { Notification } from '../domain/types';
import { deliveryOf } from '../activities/notifications';
import { DELIVERY_STATUS, type DeliveryReport, type NotificationActivities } from '../activities/types';

export interface Recorded {
  notification: Notification;
  /** Server time (epoch ms) at which the activity was scheduled. */
  scheduledAt: number;
}

export function recordingNotifier(): { activities: NotificationActivities; sent: Recorded[] } {
  const sent: Recorded[] = [];
  const activities = deliveryOf(async (notification: Notification): Promise<DeliveryReport> => {
    sent.push({ notification, scheduledAt: Context.current().info.currentAttemptScheduledTimestampMs });
    return { notificationId: notification.id, kind: notification.kind, status: DELIVERY_STATUS.DELIVERED, attempts: 1, targets: [] };
  });
  return { activities, sent };
}
