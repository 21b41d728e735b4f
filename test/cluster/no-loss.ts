/**
 * The checks every cluster test ends with: each entry COMPLETE, each accepted submission and
 * decision in its audit trail exactly once and in order, the record (PostgreSQL) equal to Temporal's
 * audit trails, each notification scheduled once and
 * received by its targets (expected = found). Returns the line the CI log shows.
 */
import type { Client } from '@temporalio/client';
import { ENTRY_STATUS } from '../../domain/vocabulary';
import type { SmtpCatcher } from '../../testkit/smtp-catcher';
import type { WebhookReceiver } from '../../testkit/webhook-receiver';
import { auditDeliveries, describeAudit, expectNothingLost } from '../faults/delivery-check';
import type { RecordDb } from '../../record/db';
import { compareRecordWithTemporal, describeRecordComparison, recordedUpdateIds } from '../faults/ledger';

export interface Driven {
  partyId: string;
  /** Update ids (= submission and decision ids) the engine accepted, in order. */
  accepted: string[];
  status: string;
}

export async function expectNothingLostNothingDoubled(client: Client, driven: readonly Driven[], stack: { smtp: SmtpCatcher; webhooks: WebhookReceiver; record: RecordDb }): Promise<string> {
  const complete = driven.filter((d) => d.status === ENTRY_STATUS.COMPLETE).length;
  let expectedRecords = 0;
  let foundRecords = 0;
  for (const d of driven) {
    const recorded = await recordedUpdateIds(client, d.partyId);
    expect({ partyId: d.partyId, recorded }).toEqual({ partyId: d.partyId, recorded: d.accepted });
    expectedRecords += d.accepted.length;
    foundRecords += recorded.length;
  }
  const record = await compareRecordWithTemporal(client, stack.record, driven.map((d) => d.partyId), ENTRY_STATUS.COMPLETE);
  expect(record.differing).toEqual([]);
  const audit = await auditDeliveries(client, driven.map((d) => d.partyId), stack.smtp, stack.webhooks);
  expect(complete).toBe(driven.length);
  expect(audit.scheduled).toBeGreaterThanOrEqual(driven.length);
  expectNothingLost(audit);
  expect(audit.scheduledTwice).toEqual([]);
  expect(audit.permanentFailures).toEqual([]);
  expect(audit.unverifiedWebhooks).toBe(0);
  return (
    `entries complete ${complete}/${driven.length}; audit records ${foundRecords}/${expectedRecords}; ${describeRecordComparison(record)}; ` +
    `notifications ${audit.receivedEmails.length + audit.receivedWebhooks.length}/${audit.expectedEmails.length + audit.expectedWebhooks.length} (${describeAudit(audit)})`
  );
}
