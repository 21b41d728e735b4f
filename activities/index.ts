/**
 * Every activity of the UEP engine, built from injected dependencies: the worker builds the real
 * ones from its configuration, tests build real local ones (an SMTP catcher, an HTTP receiver).
 */
import { type NotificationEnv, notificationSettings } from './config';
import { createSmtpTransport } from './email';
import { type NotificationDelivery, type NotificationDeps, createNotificationActivities } from './notifications';

export interface ActivityDeps {
  notifications: NotificationDeps;
}

export type Activities = NotificationDelivery;

export function createActivities(deps: ActivityDeps): Activities {
  return { ...createNotificationActivities(deps.notifications) };
}

/** The real dependencies from the worker's parsed configuration (SMTP transport, routes, link bases). */
export function activityDepsFromConfig(env: NotificationEnv): ActivityDeps {
  const settings = notificationSettings(env);
  return {
    notifications: {
      mailer: createSmtpTransport({ smtpUrl: settings.smtpUrl, timeoutMs: settings.targetTimeoutMs, poolSize: settings.smtpPoolSize }),
      routes: settings.routes,
      mailFrom: settings.mailFrom,
      links: settings.links,
      targetTimeoutMs: settings.targetTimeoutMs,
    },
  };
}

export { notificationEnvSchema, notificationRoutesSchema, type NotificationEnv, type NotificationRoutes } from './config';
export { type NotificationDelivery, type NotificationDeps, createNotificationActivities, deliveryOf } from './notifications';
export { WEBHOOK_HEADER, signWebhook, verifyWebhookSignature, newWebhookSecret, type VerifyWebhookResult } from './webhook-signature';
export * from './types';
