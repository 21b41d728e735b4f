/**
 * The Temporal dev server stopped mid-run and started again on the same port and SQLite file:
 * every entry resumes and completes, with nothing lost or doubled, in Temporal and in the record. The worker process and the
 * client ride through the outage on their own reconnection.
 */
import { ENTRY_STATUS } from '../../domain/vocabulary';
import { uniquePartyId } from '../../testkit/temporal';
import { awaitClosed, driveAll, pause, within, type Progress } from './chaos';
import { auditDeliveries, describeAudit, expectNothingLost } from './delivery-check';
import { useFaultStack } from './fault-stack';
import { compareRecordWithTemporal, describeRecordComparison, recordedUpdateIds } from './ledger';

const ENTRIES = 40;
const CONCURRENCY = 10;
const OUTAGE_MS = 5_000;
const BUDGET_MS = 5 * 60_000;

const faultStack = useFaultStack();

test(`${ENTRIES} entries through a dev server restart on its SQLite file`, async () => {
  const stack = faultStack();
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const partyIds = Array.from({ length: ENTRIES }, () => uniquePartyId('R'));
  const progress: Progress = { accepted: 0, finished: 0 };
  const driving = driveAll(stack.client, stack.taskQueue, partyIds, CONCURRENCY, deadline, progress);

  // Stop once a fair share of the work is done, but well before the end.
  for (let i = 0; i < 600 && progress.accepted < ENTRIES * 3; i++) await pause(50);
  const atStop = { ...progress };
  await stack.stopServer();
  await pause(OUTAGE_MS);
  await stack.startServer();

  const driven = await within('driving', BUDGET_MS, driving);
  await within('every workflow closed', 120_000, awaitClosed(stack.client, partyIds));
  console.log(`server stopped at ${atStop.accepted} accepted updates / ${atStop.finished} entries done; ${Date.now() - started} ms; worker alive: ${stack.worker()?.child.exitCode === null}`);

  expect(atStop.finished).toBeLessThan(ENTRIES);
  expect(atStop.accepted).toBeGreaterThan(0);
  for (const d of driven) {
    expect(d.final.status).toBe(ENTRY_STATUS.COMPLETE);
    expect(await recordedUpdateIds(stack.client, d.partyId)).toEqual(d.accepted);
  }
  const record = await compareRecordWithTemporal(stack.client, stack.record, partyIds, ENTRY_STATUS.COMPLETE);
  console.log(describeRecordComparison(record));
  expect(record.differing).toEqual([]);
  const audit = await auditDeliveries(stack.client, partyIds, stack.smtp, stack.webhooks);
  console.log(describeAudit(audit));
  expectNothingLost(audit);
  expect(audit.scheduledTwice).toEqual([]);
}, 8 * 60_000);
