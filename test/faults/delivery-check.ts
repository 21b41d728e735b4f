/**
 * Notifications the engine scheduled (from history) against what the receivers got: every
 * delivered email target and webhook must have arrived, and nothing may have arrived that no
 * report accounts for. Copies of one id (a crash between delivery and heartbeat) are counted
 * apart: a deduplicating receiver keeps one.
 */
import type { Client } from '@temporalio/client';
import { CHANNEL, TARGET_STATUS } from '../../activities/types';
import type { SmtpCatcher } from '../../testkit/smtp-catcher';
import type { WebhookReceiver } from '../../testkit/webhook-receiver';
import { notificationLedger } from './ledger';

const EMAIL_TARGET_PREFIX = 'email:';

export interface DeliveryAudit {
  scheduled: number;
  /** Notification ids scheduled more than once across all entries (must be none). */
  scheduledTwice: string[];
  /** Scheduled, but no completed activity (must be none once every entry has closed). */
  unreported: string[];
  failed: string[];
  /** Targets a report calls failed for good (none expected: every receiver is real and up in the end). */
  permanentFailures: string[];
  expectedEmails: string[];
  receivedEmails: string[];
  expectedWebhooks: string[];
  receivedWebhooks: string[];
  /** Transport-level copies beyond the first, per channel. */
  emailCopies: number;
  webhookCopies: number;
  /** Webhook deliveries whose signature did not verify. */
  unverifiedWebhooks: number;
  historyEvents: number[];
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

export async function auditDeliveries(client: Client, partyIds: readonly string[], smtp: SmtpCatcher, webhooks: WebhookReceiver): Promise<DeliveryAudit> {
  const seen = new Map<string, number>();
  const audit: DeliveryAudit = {
    scheduled: 0, scheduledTwice: [], unreported: [], failed: [], permanentFailures: [],
    expectedEmails: [], receivedEmails: [], expectedWebhooks: [], receivedWebhooks: [],
    emailCopies: 0, webhookCopies: 0, unverifiedWebhooks: 0, historyEvents: [],
  };
  const expectedEmails: string[] = [];
  const expectedWebhooks: string[] = [];
  const emailKeys = smtp.messages.flatMap((m) => m.envelopeTo.map((to) => `${m.notificationId ?? '?'} ${to.toLowerCase()}`));
  const webhookIds = webhooks.unique().map((r) => r.id ?? '?');
  for (const partyId of partyIds) {
    const ledger = await notificationLedger(client, partyId);
    audit.historyEvents.push(ledger.historyEvents);
    audit.failed.push(...ledger.failed);
    for (const n of ledger.scheduled) {
      audit.scheduled++;
      seen.set(n.id, (seen.get(n.id) ?? 0) + 1);
      const report = ledger.reports.get(n.id);
      if (!report) {
        audit.unreported.push(n.id);
        continue;
      }
      if (report.deliveredBeforeAt !== undefined) {
        // an earlier attempt delivered it and stamped the record, then its worker died before the
        // activity completed: the retry sent nothing and names no target. What that attempt sent
        // is what arrived; that something did is the check.
        const arrived = emailKeys.filter((k) => k.startsWith(`${n.id} `));
        expectedEmails.push(...(arrived.length > 0 ? arrived : [`${n.id} (delivered before, yet no mail arrived)`]));
        expectedWebhooks.push(...webhookIds.filter((id) => id === n.id));
        continue;
      }
      for (const t of report.targets) {
        if (t.status !== TARGET_STATUS.DELIVERED) audit.permanentFailures.push(`${n.id} ${t.target}: ${t.detail}`);
        else if (t.channel === CHANNEL.EMAIL) expectedEmails.push(`${n.id} ${t.target.slice(EMAIL_TARGET_PREFIX.length).toLowerCase()}`);
        else expectedWebhooks.push(n.id);
      }
    }
  }
  audit.scheduledTwice = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  audit.expectedEmails = sorted(expectedEmails);
  audit.expectedWebhooks = sorted(expectedWebhooks);

  audit.receivedEmails = sorted(emailKeys);
  audit.emailCopies = emailKeys.length - audit.receivedEmails.length;
  const delivered = webhooks.delivered();
  audit.receivedWebhooks = sorted(webhooks.unique().map((r) => r.id ?? '?'));
  audit.webhookCopies = delivered.length - audit.receivedWebhooks.length;
  audit.unverifiedWebhooks = delivered.filter((r) => !r.verified?.ok).length;
  return audit;
}

/** One line for the test log. */
/** The no-loss core every fault and cluster test asserts: nothing failed or unreported, every receiver got what was addressed to it. */
export function expectNothingLost(audit: DeliveryAudit): void {
  expect(audit.unreported).toEqual([]);
  expect(audit.failed).toEqual([]);
  expect(audit.receivedEmails).toEqual(audit.expectedEmails);
  expect(audit.receivedWebhooks).toEqual(audit.expectedWebhooks);
}

export function describeAudit(a: DeliveryAudit): string {
  const events = [...a.historyEvents].sort((x, y) => x - y);
  return (
    `${a.scheduled} notifications scheduled; emails ${a.receivedEmails.length}/${a.expectedEmails.length} (+${a.emailCopies} transport copies), ` +
    `webhooks ${a.receivedWebhooks.length}/${a.expectedWebhooks.length} (+${a.webhookCopies} copies); history events per entry ${events[0]}..${events[events.length - 1]}`
  );
}
