/**
 * The worker SIGKILLed at random moments while 200 entries progress, and started again each
 * time: every entry completes, every accepted submission and decision is in its audit trail
 * exactly once, the record (PostgreSQL) holds every audit record of Temporal's trails once and in
 * order, and every notification reaches its receivers (exactly once after deduplication
 * by id; transport-level copies across a crash are counted and reported).
 */
import { ENTRY_STATUS } from '../../domain/vocabulary';
import { uniquePartyId } from '../../testkit/temporal';
import { awaitClosed, between, driveAll, pause, within, type Progress } from './chaos';
import { auditDeliveries, describeAudit, expectNothingLost } from './delivery-check';
import { useFaultStack } from './fault-stack';
import { compareRecordWithTemporal, describeRecordComparison, recordedUpdateIds } from './ledger';

const ENTRIES = Number(process.env.FAULT_ENTRIES ?? 200);
const CONCURRENCY = 20;
const KILLS = 4;
const BUDGET_MS = 8 * 60_000;

const faultStack = useFaultStack();

test(`${ENTRIES} entries through ${KILLS} worker SIGKILLs: nothing lost, nothing doubled`, async () => {
  const stack = faultStack();
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const partyIds = Array.from({ length: ENTRIES }, () => uniquePartyId('K'));
  const progress: Progress = { accepted: 0, finished: 0 };
  let done = false;
  const driving = driveAll(stack.client, stack.taskQueue, partyIds, CONCURRENCY, deadline, progress).finally(() => {
    done = true;
  });

  const kills: string[] = [];
  for (let i = 0; i < KILLS && !done; i++) {
    await pause(between(2_000, 7_000));
    if (done) break;
    const at = `${progress.accepted} updates accepted, ${progress.finished} entries done`;
    await stack.killWorker();
    await pause(between(0, 2_000));
    await stack.startWorker();
    kills.push(at);
  }
  const driven = await within('driving', BUDGET_MS, driving);
  await within('every workflow closed', 120_000, awaitClosed(stack.client, partyIds));
  console.log(`kills at: ${kills.join(' | ')}; retries by the driver: ${driven.reduce((a, d) => a + d.retries, 0)}; ${Date.now() - started} ms`);

  // The faults happened while the entries were in progress.
  expect(kills).toHaveLength(KILLS);

  for (const d of driven) {
    expect(d.final.status).toBe(ENTRY_STATUS.COMPLETE);
    expect(await recordedUpdateIds(stack.client, d.partyId)).toEqual(d.accepted);
  }

  const record = await compareRecordWithTemporal(stack.client, stack.record, partyIds, ENTRY_STATUS.COMPLETE);
  console.log(describeRecordComparison(record));
  expect(record.differing).toEqual([]);
  expect(record.recordRows).toBe(record.temporalRecords);

  const audit = await auditDeliveries(stack.client, partyIds, stack.smtp, stack.webhooks);
  console.log(describeAudit(audit));
  expect(audit.scheduled).toBeGreaterThanOrEqual(ENTRIES);
  expectNothingLost(audit);
  expect(audit.scheduledTwice).toEqual([]);
  expect(audit.permanentFailures).toEqual([]);
  expect(audit.expectedWebhooks.length).toBeGreaterThanOrEqual(ENTRIES);
  expect(audit.unverifiedWebhooks).toBe(0);
}, 12 * 60_000);
