/**
 * The notification activities as workflow code sees them: the interface, the report, the error
 * types and the recommended activity options. Importable from workflow code: types and plain
 * constants only (no Node built-ins, no nodemailer).
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';
import { words, type Body } from '../domain/vocabulary';
import type { Notification, NotificationKind } from '../domain/types';
import type { Principal } from '../domain/vocabulary';
import type { EntryProjection } from '../domain/projection';

/** Error types thrown by the notification activities, each declared once. */
export const NOTIFICATION_ERROR = {
  /** Some target failed for a reason that may pass (SMTP down, 4xx reply, webhook 5xx/408/429, timeout): retry. */
  DELIVERY_INCOMPLETE: 'NotificationDeliveryIncomplete',
  /** A failure that a retry cannot fix (invalid address, 5xx reject, webhook 4xx). Never retried. */
  PERMANENT: 'NotificationPermanentFailure',
  /** The notification itself cannot be delivered as given (malformed input). Never retried. */
  INVALID: 'NotificationInvalid',
  /**
   * A body the notification names has no email address and no webhook configured: an error in
   * the worker's configuration. Retried like a transient failure, so the notice goes out once the
   * route is configured and the worker restarted; targets already reached are not sent again.
   */
  UNROUTED: 'NotificationUnrouted',
} as const;
export type NotificationErrorType = (typeof NOTIFICATION_ERROR)[keyof typeof NOTIFICATION_ERROR];

export const CHANNEL = words('EMAIL', 'WEBHOOK');
export type Channel = (typeof CHANNEL)[keyof typeof CHANNEL];

export const TARGET_STATUS = {
  DELIVERED: 'DELIVERED',
  /** Refused for good (e.g. 550 unknown user, webhook 400); recorded, logged, not retried. */
  FAILED_PERMANENT: 'FAILED_PERMANENT',
} as const;
export type TargetStatus = (typeof TARGET_STATUS)[keyof typeof TARGET_STATUS];

export interface TargetResult {
  /** Stable key of the target: `email:<address>` or `webhook:<url>`. */
  target: string;
  channel: Channel;
  /** Who the target stands for: PARTY_CONTACT or a body (SECAS, DCC, ...). */
  recipient: 'PARTY_CONTACT' | Body;
  status: TargetStatus;
  /** The activity attempt in which the outcome happened (1-based). */
  attempt: number;
  /** ISO instant of the outcome. */
  at: string;
  /** Message-ID, HTTP status, or the reason of a failure. */
  detail: string;
}

export const DELIVERY_STATUS = {
  /** Every target delivered. */
  DELIVERED: 'DELIVERED',
  /** Some delivered, some failed permanently. */
  PARTIAL: 'PARTIAL',
  /** Nothing delivered: every target failed permanently. */
  FAILED: 'FAILED',
} as const;
export type DeliveryStatus = (typeof DELIVERY_STATUS)[keyof typeof DELIVERY_STATUS];

export interface DeliveryReport {
  notificationId: string;
  kind: NotificationKind;
  status: DeliveryStatus;
  /** Attempts the activity took (1 when everything went through at once). */
  attempts: number;
  targets: TargetResult[];
  /**
   * Set when nothing was sent because the record already holds this notification as delivered (a
   * run a Temporal reset created hands its rewound notifications, same ids, to delivery again).
   */
  deliveredBeforeAt?: string;
}

export interface NotificationActivities {
  /**
   * Delivers one notification to every target (emails and webhooks) concurrently. Returns when
   * every target is delivered or permanently failed; throws a retryable
   * NotificationDeliveryIncomplete after the others are done when any target failed transiently.
   * Targets already delivered in an earlier attempt are skipped (heartbeat details).
   */
  deliverNotification(notification: Notification): Promise<DeliveryReport>;
  /**
   * Delivers the notifications of one step of an entry in one activity, each as deliverNotification
   * would, side by side; reports in their order. Throws after all are done when any is not: a
   * retryable failure when one may still go through (a retry sends only what is not done), else
   * the first that cannot.
   */
  deliverNotifications(notifications: Notification[]): Promise<DeliveryReport[]>;
}

/** The delivery activities' names, as a history shows them. */
export const DELIVERY_ACTIVITIES: ReadonlyArray<keyof NotificationActivities> = ['deliverNotification', 'deliverNotifications'];

/** What a delivery activity was given (its decoded input) or answered (its decoded result), as a list: one notification's or a step's. */
export const asList = <T>(decoded: T | T[] | undefined): T[] => (decoded === undefined ? [] : Array.isArray(decoded) ? decoded : [decoded]);

/**
 * Recommended options for proxyActivities<NotificationActivities>. A transient failure retries
 * at 10 s, 20 s, 40 s, ... up to every 10 minutes, for up to a week: an hour's outage of SMTP or of
 * a webhook receiver delays a reminder by at most ~10 minutes after it ends and never loses it.
 */
export const NOTIFICATION_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '15 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [NOTIFICATION_ERROR.PERMANENT, NOTIFICATION_ERROR.INVALID],
  },
};

/** The record's activity as workflow code sees it (record/ writes it to PostgreSQL). */
export interface RecordActivities {
  /** Writes the entry's new state, audit records, notifications and closure; idempotent. */
  recordEntry(projection: EntryProjection): Promise<void>;
}

/**
 * The record must catch up whatever happens: a database outage only delays it (retries for ever,
 * every 10 s at most), and a retry writes nothing twice. The API waits (RECORD_CATCH_UP_MS at
 * most) for the record to hold an accepted update before it answers, so a read that follows a
 * write sees it.
 */
export const RECORD_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};

/** Generation v7 of the workflow handed its projections to a local activity (workflows/entry-workflow.ts). */
export const RECORD_LOCAL_ACTIVITY_OPTIONS: LocalActivityOptions = RECORD_ACTIVITY_OPTIONS;

/** The record's reconciler as workflow code sees it (worker/reconciler.ts carries it out). */
export interface ReconcilerActivities {
  /**
   * One reconcile pass: marks in the record every entry whose run Temporal closed outside the
   * engine, then answers the notices to OPS of such runs not delivered yet (those of this pass,
   * and any an earlier pass marked but did not get delivered).
   */
  reconcileRecord(): Promise<Notification[]>;
  /**
   * The push the current meeting calendar needs: its version (and its keeper, as the record names
   * them) when running entries of catalogue v2 on still hold an older one, else null.
   */
  meetingsPushDue(): Promise<MeetingsPushInput | null>;
}

/** A pass lists visibility and writes the record: retried (every 30 s at most) until it gets through. */
export const RECONCILE_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/** A version of the meeting calendar to send to the running entries, and who sends it (the audit trail names them). */
export interface MeetingsPushInput {
  version: number;
  principal: Principal;
}

export interface MeetingsPushReport {
  version: number;
  /**
   * DONE: every running entry the record showed behind it holds it now. SUPERSEDED: a newer
   * version was saved first; its own push sends it to everyone (an entry refuses an older one).
   */
  outcome: 'DONE' | 'SUPERSEDED';
  supersededBy?: number;
  /** Running entries the record showed behind it when the last attempt began. */
  behind: number;
  /** Of those, the ones that took it from that attempt, and those that already held it (or a newer one). */
  sent: number;
  alreadyHeld: number;
}

/** The meeting calendar's push as workflow code sees it (worker/meetings-push.ts carries it out). */
export interface MeetingsPushActivities {
  /**
   * Sends the version to every running entry the record shows behind it, a few at a time,
   * heartbeating its progress; stops when a newer version is saved. Throws a retryable
   * MeetingsPushIncomplete, after trying all of them, when some did not take it: a retry asks the
   * record again who is still behind, so an entry that took it is not sent it again (one the
   * record had not caught up on yet refuses it as held).
   */
  pushMeetingCalendar(input: MeetingsPushInput): Promise<MeetingsPushReport>;
}

export const MEETINGS_PUSH_INCOMPLETE = 'MeetingsPushIncomplete';

/**
 * An attempt sends to every entry behind (each update bounded, a heartbeat after each); one that
 * leaves some behind is retried at 10 s, 20 s, 40 s, ... then every 10 minutes, for a day from
 * the push's start (worker outages included). A push still incomplete then fails, and the
 * reconciler's next pass starts it again while entries are behind the current version.
 */
export const MEETINGS_PUSH_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/** A person who chose the daily digest, as its workflow hands them on. */
export interface DigestRecipient {
  body: Body;
  id: string;
}

export interface DigestReport {
  /** SENT; ALREADY_SENT (this person's digest of this day went out before); NOTHING_WAITS (no mail: nothing waits for them); NO_EMAIL (the record knows no address) */
  outcome: 'SENT' | 'ALREADY_SENT' | 'NOTHING_WAITS' | 'NO_EMAIL';
  items: number;
}

/** The daily digest's activities (activities/digests.ts): who gets one, and one person's, read from the record and mailed. */
export interface DigestActivities {
  /** The day ('YYYY-MM-DD' in DIGEST_TIME_ZONE) the instant `atMs` falls on, and who chose the digest. */
  digestRecipients(atMs: number): Promise<{ day: string; people: DigestRecipient[] }>;
  /** Reads what waits for the person now and mails it; once per person and day (the record keeps which went out). */
  sendNoticeDigest(person: DigestRecipient, day: string): Promise<DigestReport>;
}

/** A digest is one mail: retried like a notification, for up to a day (tomorrow's digest lists it all again). */
export const DIGEST_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: [NOTIFICATION_ERROR.PERMANENT] },
};
