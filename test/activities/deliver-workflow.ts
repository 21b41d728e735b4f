/** Test-only workflow: runs deliverNotification with the recommended options, optionally with a faster retry. */
import { type ActivityOptions, proxyActivities } from '@temporalio/workflow';
import type { Notification } from '../../domain/types';
import { type DeliveryReport, NOTIFICATION_ACTIVITY_OPTIONS, type NotificationActivities } from '../../activities/types';

export async function deliverNotificationWorkflow(notification: Notification, overrides: ActivityOptions = {}): Promise<DeliveryReport> {
  const { deliverNotification } = proxyActivities<NotificationActivities>({
    ...NOTIFICATION_ACTIVITY_OPTIONS,
    ...overrides,
    retry: { ...NOTIFICATION_ACTIVITY_OPTIONS.retry, ...overrides.retry },
  });
  return deliverNotification(notification);
}

/** Test-only workflow: runs deliverNotifications (a step's notifications in one activity) with the recommended options and `overrides`. */
export async function deliverNotificationsWorkflow(notifications: Notification[], overrides: ActivityOptions = {}): Promise<DeliveryReport[]> {
  const { deliverNotifications } = proxyActivities<NotificationActivities>({
    ...NOTIFICATION_ACTIVITY_OPTIONS,
    ...overrides,
    retry: { ...NOTIFICATION_ACTIVITY_OPTIONS.retry, ...overrides.retry },
  });
  return deliverNotifications(notifications);
}
