/**
 * The notification activities: one notification, or the notifications of one step of an entry
 * (since 'one-delivery-per-step'), each delivered to every target at once.
 *
 * Retries and deduplication:
 * - Each target's outcome (delivered, or failed for good) is recorded in the activity's heartbeat
 *   details as soon as it is known (in a batch, keyed by notification id and target). A retry reads `info.heartbeatDetails` and only delivers to the
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

/**
 * A batch's delivery, each notification wrapped by `around` (the record's claim and stamp, in
 * activities/record.ts) in one attempt of one activity.
 */
export interface BatchDelivery {
  deliverEach(notifications: Notification[], around: (notification: Notification, deliver: () => Promise<DeliveryReport>) => Promise<DeliveryReport>): Promise<DeliveryReport[]>;
}
export type NotificationDelivery = NotificationActivities & BatchDelivery;

/**
 * Runs every delivery to its end, then answers their reports in order, or throws what failed: a
 * retryable failure naming each one that may still go through, else the first that cannot.
 */
export async function settleDeliveries(deliveries: Array<Promise<DeliveryReport>>): Promise<DeliveryReport[]> {
  const settled = await Promise.allSettled(deliveries);
  const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failed.length === 0) return settled.map((s) => (s as PromiseFulfilledResult<DeliveryReport>).value);
  const retryable = failed.filter((e) => !(e instanceof ApplicationFailure && e.nonRetryable));
  if (retryable.length === 0) throw failed[0];
  // one cause (e.g. every failure a body with no route) keeps its type, for the Web UI and the alerts
  const types = new Set(retryable.map((e) => (e instanceof ApplicationFailure ? e.type : undefined)));
  const [type] = types;
  throw ApplicationFailure.retryable(
    `${retryable.length} of ${deliveries.length} notifications not delivered yet: ${retryable.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')}`,
    types.size === 1 && type ? type : NOTIFICATION_ERROR.DELIVERY_INCOMPLETE,
  );
}

/** The activities of a delivery made of `deliverOne` (a batch: each delivered so, side by side), e.g. a test's recording one. */
export function deliveryOf(deliverOne: (notification: Notification) => Promise<DeliveryReport>): NotificationDelivery {
  const deliverEach: BatchDelivery['deliverEach'] = (notifications, around) => settleDeliveries(notifications.map((n) => around(n, () => deliverOne(n))));
  return { deliverNotification: deliverOne, deliverNotifications: (notifications) => deliverEach(notifications, (_n, deliver) => deliver()), deliverEach };
}

/** One attempt of a delivery activity: its number, the outcomes of earlier attempts and a heartbeat that keeps them. */
interface Attempt {
  ctx: Context;
  attempt: number;
  progress: DeliveryProgress;
  beat: () => void;
}

/**
 * Starts an attempt. A heartbeat is a billed action: sent only where it buys something. A retry
 * carries the earlier outcomes into this attempt's details at once, so they survive even if this
 * attempt records nothing; a slow target in flight keeps the attempt alive (the SDK throttles).
 */
async function withAttempt<T>(run: (a: Attempt) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  const progress = readProgress(ctx.info.heartbeatDetails);
  const beat = () => ctx.heartbeat(progress);
  if (Object.keys(progress.outcomes).length > 0) beat();
  const ticker = setInterval(beat, Math.max(1000, Math.floor((ctx.info.heartbeatTimeoutMs ?? 15_000) / 3)));
  try {
    return await run({ ctx, attempt: ctx.info.attempt, progress, beat });
  } finally {
    clearInterval(ticker);
  }
}

export function createNotificationActivities(deps: NotificationDeps): NotificationDelivery {
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

  /**
   * Delivers `notification` to every target with no outcome in the attempt's progress yet (its keys
   * there prefixed with `prefix`, so a batch's notifications keep theirs apart).
   */
  async function deliverTargets(notification: Notification, a: Attempt, prefix: string): Promise<DeliveryReport> {
    const valid = notificationSchema.safeParse(notification);
    if (!valid.success) {
      throw ApplicationFailure.nonRetryable(`notification cannot be delivered: ${z.prettifyError(valid.error)}`, NOTIFICATION_ERROR.INVALID);
    }
    const { ctx, attempt, progress, beat } = a;
    const { targets, unrouted } = resolveTargets(notification, deps.routes);
    const keyOf = (t: DeliveryTarget) => `${prefix}${t.key}`;
    const pending = targets.filter((t) => !progress.outcomes[keyOf(t)]);
    const meta = { notificationId: notification.id, kind: notification.kind, attempt };
    let inFlight = pending.length;

    const transient: string[] = [];
    await Promise.all(
      pending.map(async (target) => {
        const base = { target: target.key, channel: target.channel, recipient: target.recipient, attempt };
        try {
          const detail = await deliverTo(notification, target, attempt, ctx.cancellationSignal);
          progress.outcomes[keyOf(target)] = { ...base, status: TARGET_STATUS.DELIVERED, at: new Date(now()).toISOString(), detail };
          log.info('notification delivered', { ...meta, target: target.key, detail });
        } catch (err) {
          const failure = asDeliveryError(err);
          if (!failure.permanent) {
            transient.push(failure.message);
            log.warn('notification delivery failed, will retry', { ...meta, target: target.key, error: failure.message });
            return;
          }
          const at = new Date(now()).toISOString();
          progress.outcomes[keyOf(target)] = { ...base, status: TARGET_STATUS.FAILED_PERMANENT, at, detail: failure.message };
          log.error('notification delivery failed permanently, not retrying this target', { ...meta, target: target.key, error: failure.message });
        } finally {
          // an outcome is kept at once while other targets are still in flight (a worker dying then
          // would otherwise send this target a second copy); the last one goes with the result
          if (--inFlight > 0) beat();
        }
      }),
    );

    if (unrouted.length > 0) {
      ctx.metricMeter.createCounter('uep_notifications_unrouted', 'notifications', 'Delivery attempts that found a body with no route').add(1, { kind: notification.kind });
      log.error('notification names bodies with no route: set their email or webhook in NOTIFY_ROUTES_FILE or NOTIFY_ROUTES_JSON and restart the worker; it is retried until then', { ...meta, unrouted });
    }
    if (transient.length > 0 || unrouted.length > 0) beat(); // the next attempt reads them
    const outcomes = targets.flatMap((t) => progress.outcomes[keyOf(t)] ?? []);
    if (transient.length > 0) {
      const delivered = outcomes.filter((o) => o.status === TARGET_STATUS.DELIVERED).length;
      throw ApplicationFailure.retryable(
        `${transient.length} of ${targets.length} targets not reached yet (${delivered} delivered): ${transient.join('; ')}`,
        NOTIFICATION_ERROR.DELIVERY_INCOMPLETE,
      );
    }
    if (unrouted.length > 0) {
      throw ApplicationFailure.retryable(`no route configured for ${unrouted.join(', ')}`, NOTIFICATION_ERROR.UNROUTED);
    }

    const report: DeliveryReport = {
      notificationId: notification.id,
      kind: notification.kind,
      status: reportStatus(outcomes),
      attempts: attempt,
      targets: outcomes,
    };
    log.info('notification delivery finished', { ...meta, status: report.status, targets: outcomes.length });
    return report;
  }

  const deliverEach: BatchDelivery['deliverEach'] = (notifications, around) =>
    withAttempt(async (a) => {
      try {
        return await settleDeliveries(notifications.map((n) => around(n, () => deliverTargets(n, a, `${n.id} `))));
      } catch (err) {
        a.beat(); // every outcome of this attempt, the others' last ones too, for the retry to read
        throw err;
      }
    });

  return {
    deliverNotification: (notification) => withAttempt((a) => deliverTargets(notification, a, '')),
    deliverNotifications: (notifications) => deliverEach(notifications, (_n, deliver) => deliver()),
    deliverEach,
  };
}
