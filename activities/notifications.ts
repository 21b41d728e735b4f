/**
 * The notification activity: one activity per notification, delivering to every target at once.
 *
 * Retries and deduplication:
 * - Each target's outcome (delivered, or failed for good) is recorded in the activity's heartbeat
 *   details as soon as it is known. A retry reads `info.heartbeatDetails` and only delivers to the
 *   targets with no outcome yet. On a failed attempt the worker flushes the last (throttled)
 *   heartbeat to the server and the failure report carries it too, so the next attempt sees every
 *   outcome of the one before.
 * - If the worker dies mid-attempt, only the heartbeats already sent survive: a target may then
 *   get a second copy. Every copy carries the notification id (Message-ID, X-UEP-Notification-Id,
 *   webhook-id), so a receiver can drop it.
 * - Transient failures make the attempt throw a retryable ApplicationFailure after all the other
 *   targets are done; permanent ones are reported, logged and never retried.
 * - A body with no route is a configuration error, never a quiet "nothing to do": logged at ERROR,
 *   counted (uep_notifications_unrouted, `_total` on /metrics), and the attempt fails (retryably) after the routed
 *   targets are done, so the notice reaches the body once its route is configured.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { z } from 'zod';
import { NOTIFICATION_KIND, type Notification } from '../domain/types';
import { ALL_BODIES } from '../domain/vocabulary';
import type { LinkBases, NotificationRoutes } from './config';
import { type MailTransport, sendEmail } from './email';
import { asDeliveryError } from './errors';
import { type DeliveryTarget, resolveTargets } from './recipients';
import { notificationLinks, webhookPayload } from './render';
import {
  CHANNEL,
  DELIVERY_STATUS,
  type DeliveryReport,
  type DeliveryStatus,
  NOTIFICATION_ERROR,
  type NotificationActivities,
  TARGET_STATUS,
  type TargetResult,
} from './types';
import { postWebhook } from './webhook';

export interface NotificationDeps {
  mailer: MailTransport;
  routes: NotificationRoutes;
  mailFrom: string;
  links: LinkBases;
  /** Upper bound of one webhook POST; SMTP waits are bounded by the transport. Default 10 s. */
  targetTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Epoch ms; default Date.now. */
  now?: () => number;
}

/** What an attempt records in its heartbeat details: every target with an outcome, by key. */
export interface DeliveryProgress {
  v: 1;
  outcomes: Record<string, TargetResult>;
}

const targetResultSchema = z.object({
  target: z.string(),
  channel: z.enum(Object.values(CHANNEL)),
  recipient: z.union([z.literal('PARTY_CONTACT'), z.enum(ALL_BODIES)]),
  status: z.enum(Object.values(TARGET_STATUS)),
  attempt: z.number(),
  at: z.string(),
  detail: z.string(),
});
const progressSchema = z.object({ v: z.literal(1), outcomes: z.record(z.string(), targetResultSchema) });

/** The outcomes of earlier attempts; anything unreadable counts as none (deliveries are idempotent for receivers). */
export function readProgress(details: unknown): DeliveryProgress {
  const parsed = progressSchema.safeParse(details);
  return parsed.success ? parsed.data : { v: 1, outcomes: {} };
}

const notificationSchema = z.looseObject({
  id: z.string().min(1),
  kind: z.enum(Object.values(NOTIFICATION_KIND)),
  entryId: z.string().min(1),
  partyId: z.string().min(1),
  partyName: z.string(),
  dueAt: z.string(),
  subject: z.string(),
  body: z.string(),
  recipients: z
    .array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('PARTY_CONTACT'), name: z.string(), email: z.string() }),
      z.object({ kind: z.literal('BODY'), body: z.enum(ALL_BODIES) }),
      z.object({ kind: z.literal('PERSON'), body: z.enum(ALL_BODIES), id: z.string().min(1), name: z.string(), email: z.string().optional() }),
      ]),
    )
    .min(1, 'a notification needs at least one recipient'),
});

function reportStatus(targets: TargetResult[]): DeliveryStatus {
  const delivered = targets.filter((t) => t.status === TARGET_STATUS.DELIVERED).length;
  if (delivered === targets.length) return DELIVERY_STATUS.DELIVERED;
  return delivered === 0 ? DELIVERY_STATUS.FAILED : DELIVERY_STATUS.PARTIAL;
}

export function createNotificationActivities(deps: NotificationDeps): NotificationActivities {
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.targetTimeoutMs ?? 10_000;

  async function deliverTo(n: Notification, target: DeliveryTarget, attempt: number, signal: AbortSignal): Promise<string> {
    const links = notificationLinks(n, deps.links, target.recipient);
    if (target.channel === CHANNEL.EMAIL) {
      // One SMTP exchange is several waits of up to timeoutMs each; bound the whole of it inside startToClose.
      const budget = AbortSignal.timeout(Math.min(2 * timeoutMs, 25_000));
      return sendEmail(deps.mailer, n, target, { mailFrom: deps.mailFrom, links }, AbortSignal.any([budget, signal]));
    }
    const body = JSON.stringify(webhookPayload(n, target.recipient, links));
    const fetchWithSignal: typeof fetch = (url, init) =>
      (deps.fetch ?? fetch)(url, { ...init, signal: AbortSignal.any([init?.signal ?? signal, signal]) });
    const { status } = await postWebhook(target, n.id, body, { timeoutMs, attempt, now, fetch: fetchWithSignal });
    return `HTTP ${status}`;
  }

  return {
    async deliverNotification(notification: Notification): Promise<DeliveryReport> {
      const valid = notificationSchema.safeParse(notification);
      if (!valid.success) {
        throw ApplicationFailure.nonRetryable(`notification cannot be delivered: ${z.prettifyError(valid.error)}`, NOTIFICATION_ERROR.INVALID);
      }
      const ctx = Context.current();
      const { attempt } = ctx.info;
      const progress = readProgress(ctx.info.heartbeatDetails);
      const { targets, unrouted } = resolveTargets(notification, deps.routes);
      const pending = targets.filter((t) => !progress.outcomes[t.key]);
      const meta = { notificationId: notification.id, kind: notification.kind, attempt };

      // A heartbeat is a billed action: sent only where it buys something. A retry carries the earlier
      // outcomes into this attempt's details at once, so they survive even if this attempt records nothing.
      const beat = () => ctx.heartbeat(progress);
      if (Object.keys(progress.outcomes).length > 0) beat();
      // Keep heartbeating while a slow target is in flight (the SDK throttles the sends).
      const ticker = setInterval(beat, Math.max(1000, Math.floor((ctx.info.heartbeatTimeoutMs ?? 15_000) / 3)));
      let inFlight = pending.length;

      const transient: string[] = [];
      try {
        await Promise.all(
          pending.map(async (target) => {
            const base = { target: target.key, channel: target.channel, recipient: target.recipient, attempt };
            try {
              const detail = await deliverTo(notification, target, attempt, ctx.cancellationSignal);
              progress.outcomes[target.key] = { ...base, status: TARGET_STATUS.DELIVERED, at: new Date(now()).toISOString(), detail };
              log.info('notification delivered', { ...meta, target: target.key, detail });
            } catch (err) {
              const failure = asDeliveryError(err);
              if (!failure.permanent) {
                transient.push(failure.message);
                log.warn('notification delivery failed, will retry', { ...meta, target: target.key, error: failure.message });
                return;
              }
              const at = new Date(now()).toISOString();
              progress.outcomes[target.key] = { ...base, status: TARGET_STATUS.FAILED_PERMANENT, at, detail: failure.message };
              log.error('notification delivery failed permanently, not retrying this target', { ...meta, target: target.key, error: failure.message });
            } finally {
              // an outcome is kept at once while other targets are still in flight (a worker dying then
              // would otherwise send this target a second copy); the last one goes with the result
              if (--inFlight > 0) beat();
            }
          }),
        );
      } finally {
        clearInterval(ticker);
      }

      if (unrouted.length > 0) {
        ctx.metricMeter.createCounter('uep_notifications_unrouted', 'notifications', 'Delivery attempts that found a body with no route').add(1, { kind: notification.kind });
        log.error('notification names bodies with no route: set their email or webhook in NOTIFY_ROUTES_FILE or NOTIFY_ROUTES_JSON and restart the worker; it is retried until then', { ...meta, unrouted });
      }
      if (transient.length > 0 || unrouted.length > 0) beat(); // the next attempt reads them
      if (transient.length > 0) {
        const delivered = Object.values(progress.outcomes).filter((o) => o.status === TARGET_STATUS.DELIVERED).length;
        throw ApplicationFailure.retryable(
          `${transient.length} of ${targets.length} targets not reached yet (${delivered} delivered): ${transient.join('; ')}`,
          NOTIFICATION_ERROR.DELIVERY_INCOMPLETE,
        );
      }
      if (unrouted.length > 0) {
        throw ApplicationFailure.retryable(`no route configured for ${unrouted.join(', ')}`, NOTIFICATION_ERROR.UNROUTED);
      }

      const order = new Map(targets.map((t, i) => [t.key, i]));
      const results = Object.values(progress.outcomes).sort((a, b) => (order.get(a.target) ?? 1e9) - (order.get(b.target) ?? 1e9));
      const report: DeliveryReport = {
        notificationId: notification.id,
        kind: notification.kind,
        status: reportStatus(results),
        attempts: attempt,
        targets: results,
      };
      log.info('notification delivery finished', { ...meta, status: report.status, targets: results.length });
      return report;
    },
  };
}
