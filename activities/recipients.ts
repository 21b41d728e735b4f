/**
 * Who a notification reaches: the party's UEP contact named in the notification, the email
 * addresses and webhook subscribers configured for each body, and a person (an officer a stage was
 * assigned to) at their own address plus their body's webhooks. One target per address or URL.
 */
import type { Notification } from '../domain/types';
import type { Body } from '../domain/vocabulary';
import { ROUTED_BODIES, type NotificationRoutes, type RoutedBody, type WebhookSubscriber } from './config';
import { CHANNEL } from './types';

export type TargetRecipient = 'PARTY_CONTACT' | Body;

export interface EmailTarget {
  key: string;
  channel: typeof CHANNEL.EMAIL;
  recipient: TargetRecipient;
  address: string;
  name?: string;
}

export interface WebhookTarget {
  key: string;
  channel: typeof CHANNEL.WEBHOOK;
  recipient: TargetRecipient;
  subscriber: WebhookSubscriber;
}

export type DeliveryTarget = EmailTarget | WebhookTarget;

export interface ResolvedTargets {
  targets: DeliveryTarget[];
  /** BODY recipients with nothing configured. */
  unrouted: Body[];
}

export const emailKey = (address: string) => `email:${address.trim().toLowerCase()}`;
export const webhookKey = (url: string) => `webhook:${url}`;

const isRouted = (body: Body): body is RoutedBody => (ROUTED_BODIES as readonly Body[]).includes(body);

/** Targets in recipient order; an address or URL named twice is delivered to once. */
export function resolveTargets(notification: Notification, routes: NotificationRoutes): ResolvedTargets {
  const byKey = new Map<string, DeliveryTarget>();
  const unrouted: Body[] = [];
  const add = (t: DeliveryTarget) => {
    if (!byKey.has(t.key)) byKey.set(t.key, t);
  };
  for (const r of notification.recipients) {
    if (r.kind === 'PARTY_CONTACT') {
      add({ key: emailKey(r.email), channel: CHANNEL.EMAIL, recipient: 'PARTY_CONTACT', address: r.email.trim(), name: r.name });
      continue;
    }
    if (r.kind === 'PERSON') {
      // the person at their own address (none known, or on the daily digest: none given), and their
      // body's webhooks the same event; never the body's shared mailbox, and no route is no error
      if (r.email) add({ key: emailKey(r.email), channel: CHANNEL.EMAIL, recipient: r.body, address: r.email.trim(), name: r.name });
      const route = isRouted(r.body) ? routes[r.body] : undefined;
      for (const subscriber of route?.webhooks ?? []) add({ key: webhookKey(subscriber.url), channel: CHANNEL.WEBHOOK, recipient: r.body, subscriber });
      continue;
    }
    const route = isRouted(r.body) ? routes[r.body] : undefined;
    if (!route || (route.email.length === 0 && route.webhooks.length === 0)) {
      if (!unrouted.includes(r.body)) unrouted.push(r.body);
      continue;
    }
    for (const address of route.email) {
      add({ key: emailKey(address), channel: CHANNEL.EMAIL, recipient: r.body, address });
    }
    for (const subscriber of route.webhooks) {
      add({ key: webhookKey(subscriber.url), channel: CHANNEL.WEBHOOK, recipient: r.body, subscriber });
    }
  }
  return { targets: [...byKey.values()], unrouted };
}
