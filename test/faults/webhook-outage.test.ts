/**
 * The webhook receiver unreachable (connection refused) while entries complete: their
 * notifications wait, retried by Temporal (first retry after 10 s, then 20 s, 40 s: see
 * NOTIFICATION_ACTIVITY_OPTIONS), and arrive once the receiver is back. Emails, delivered on the
 * first attempt, are not sent again by the retries.
 */
import { NOTIFICATION_ACTIVITY_OPTIONS } from '../../activities/types';
import { ENTRY_STATUS } from '../../domain/vocabulary';
import { uniquePartyId } from '../../testkit/temporal';
import { awaitClosed, driveAll, pause, within, type Progress } from './chaos';
import { auditDeliveries, describeAudit, expectNothingLost } from './delivery-check';
import { useFaultStack } from './fault-stack';

const ENTRIES = 10;
/** Longer than the first retry interval (10 s), so at least one retry meets the closed gate. */
const OUTAGE_MS = 25_000;
const BUDGET_MS = 3 * 60_000;

const faultStack = useFaultStack();

test(`webhooks held back by a ${OUTAGE_MS / 1000} s outage arrive once the receiver is back`, async () => {
  const stack = faultStack();
  expect(NOTIFICATION_ACTIVITY_OPTIONS.retry?.initialInterval).toBe('10 seconds');
  const started = Date.now();
  await stack.gate.close();
  const partyIds = Array.from({ length: ENTRIES }, () => uniquePartyId('W'));
  const progress: Progress = { accepted: 0, finished: 0 };
  const driven = await within('driving', BUDGET_MS, driveAll(stack.client, stack.taskQueue, partyIds, ENTRIES, started + BUDGET_MS, progress));
  for (const d of driven) expect(d.final.status).toBe(ENTRY_STATUS.COMPLETE);

  // Mail is not held up by the webhook outage: it arrives while the gate is still closed (the
  // last notifications' activities may still be running when the entries report COMPLETE).
  await stack.smtp.waitFor(() => true, { count: 1, timeoutMs: 15_000 });
  await pause(Math.max(0, OUTAGE_MS - (Date.now() - started)));
  expect(stack.webhooks.requests).toHaveLength(0); // nothing got through the closed gate
  expect(stack.smtp.messages.length).toBeGreaterThan(0);
  await stack.gate.open();
  const reopenedAt = Date.now();

  await within('every workflow closed after the outage', 120_000, awaitClosed(stack.client, partyIds));
  console.log(`outage ${OUTAGE_MS} ms; all delivered ${Date.now() - reopenedAt} ms after the receiver came back`);

  const audit = await auditDeliveries(stack.client, partyIds, stack.smtp, stack.webhooks);
  console.log(describeAudit(audit));
  expectNothingLost(audit);
  expect(audit.permanentFailures).toEqual([]);
  expect(audit.expectedWebhooks.length).toBeGreaterThanOrEqual(ENTRIES);
  expect(audit.emailCopies).toBe(0); // retries skip targets already delivered
  expect(audit.webhookCopies).toBe(0);
  // Every webhook arrived after the outage, on a retry.
  for (const r of stack.webhooks.delivered()) expect(r.receivedAt.getTime()).toBeGreaterThanOrEqual(reopenedAt);
}, 5 * 60_000);
