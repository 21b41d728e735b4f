/**
 * The entry workflow over months, on the time-skipping server: reminders on the right days,
 * deadline amendments, SLA chasers, breach, rework loops, withdrawal, duplicate and refused
 * sign-offs, a worker restart. Time moves with env.sleep; nothing is shortened.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import {
  addWorkingDays,
  nextWorkingDay,
  isWorkingDay,
  workingDayOnOrAfter,
  CURRENT_CALENDAR_VERSION,
  type StageId,
  type StartEntryInput,
  type StageSummary,
  type Notification,
} from '../../domain';
import { BODY, COHORT, ENTRY_STATUS, STAGE, STAGE_STATE, USER_ROLE, type Cohort, type UserRole } from '../../domain/vocabulary';
import { NOTIFICATION_KIND } from '../../domain/types';
import {
  amendMandateDeadlineUpdate,
  getAuditTrailQuery,
  getStatusQuery,
  recordDecisionUpdate,
  updateMeetingsUpdate,
  withdrawUpdate,
} from '../../workflows/messages';
import type { entryWorkflow } from '../../workflows';
import { actOn, compactResult, driveToCompletion, openStages, principalFor, startEntryWorkflow } from '../../testkit/entry-driver';
import { captureHistory } from '../../testkit/histories';
import { recordingNotifier, type Recorded } from '../../testkit/recording-notifier';
import { createTestWorker, startTimeSkippingServer, terminateWhenIdle, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const at = (date: string, hourUtc: number) => Date.parse(`${date}T00:00:00Z`) + hourUtc * HOUR;
const addDays = (date: string, days: number) => isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY);
const OPS = principalFor(BODY.OPS, 'ops');

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingServer();
});
afterAll(() => env?.teardown());

interface Running {
  handle: WorkflowHandle<typeof entryWorkflow>;
  worker: Worker;
  sent: Recorded[];
  taskQueue: string;
  partyId: string;
  startedAt: number;
}

function input(partyId: string, overrides: Partial<StartEntryInput> = {}): StartEntryInput {
  return {
    partyId,
    partyName: `Energy ${partyId}`,
    cohort: COHORT.SMALL_DOMESTIC_SUPPLIER,
    roles: [USER_ROLE.IMPORT_SUPPLIER],
    uepContact: { name: 'Pat Contact', email: `uep@${partyId.toLowerCase()}.example` },
    startedBy: OPS,
    ...overrides,
  };
}

/** Starts an entry and a worker for it; `run` gets the running entry while the worker polls. */
async function withEntry(overrides: Partial<StartEntryInput>, run: (r: Running) => Promise<void>): Promise<void> {
  const taskQueue = uniqueTaskQueue('lifecycle');
  const partyId = uniquePartyId();
  const { activities, sent } = recordingNotifier();
  const worker = await createTestWorker(env, { taskQueue, activities });
  await worker.runUntil(async () => {
    const startedAt = await env.currentTimeMs();
    const handle = await startEntryWorkflow(env.client, taskQueue, input(partyId, overrides));
    try {
      await run({ handle, worker, sent, taskQueue, partyId, startedAt });
    } finally {
      // An entry left open without a worker would stall time skipping for the tests after it.
      await terminateWhenIdle(handle);
    }
  });
}

const ofKind = (sent: Recorded[], kind: string) => sent.filter((r) => r.notification.kind === kind);
const ids = (sent: Recorded[]) => sent.map((r) => r.notification.id);

/** The notification was scheduled at the instant it was due (within the few seconds a task takes). */
function expectSentAt(record: Recorded | undefined, dueMs: number): void {
  expect(record).toBeDefined();
  expect(Date.parse(record!.notification.dueAt)).toBe(dueMs);
  expect(record!.scheduledAt).toBeGreaterThanOrEqual(dueMs);
  expect(record!.scheduledAt - dueMs).toBeLessThan(60_000);
}

async function historyLength(handle: WorkflowHandle): Promise<number> {
  return (await handle.fetchHistory()).events?.length ?? 0;
}

describe.each([COHORT.SMALL_DOMESTIC_SUPPLIER, COHORT.ELECTRICITY_DNO, COHORT.SMALL_NON_DOMESTIC_SUPPLIER] as Cohort[])(
  'a six-month lifecycle of a %s',
  (cohort) => {
    test('completes, with every mandate reminder on its day and none twice', async () => {
      const wallStart = Date.now();
      const startedAt = await env.currentTimeMs();
      const deadline = isoDate(startedAt + 200 * DAY);
      await withEntry({ cohort, mandateDeadline: deadline }, async ({ handle, sent }) => {
        const final = await driveToCompletion(handle, () => env.sleep('3 weeks'));
        expect(final.status).toBe(ENTRY_STATUS.COMPLETE);
        expect(final.roleStages.every((r) => r.complete)).toBe(true);
        const completedAt = await env.currentTimeMs();
        expect(completedAt - startedAt).toBeGreaterThan(150 * DAY);

        const expectedOffsets = [90, 60, 30, 14, 7, 1].filter((k) => at(addDays(deadline, -k), 9) < completedAt);
        expect(expectedOffsets.length).toBeGreaterThan(0);
        const reminders = ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER);
        expect(reminders.map((r) => r.notification.id)).toEqual(expectedOffsets.map((k) => `${handle.workflowId}:MANDATE_REMINDER:d${k}:v1`));
        for (const k of expectedOffsets) {
          expectSentAt(reminders.find((r) => r.notification.id.endsWith(`:d${k}:v1`)), at(addDays(deadline, -k), 9));
        }
        expect(ofKind(sent, NOTIFICATION_KIND.MANDATE_BREACH)).toEqual([]);
        expect(ofKind(sent, NOTIFICATION_KIND.ROLE_COMPLETE)).toHaveLength(1);
        expect(new Set(ids(sent)).size).toBe(sent.length);
        // the workflow's result is the final summary: the business outcome shows in the UI and the history
        const result = await handle.result();
        expect([result?.status, result?.headline, typeof result?.closedAt]).toEqual([ENTRY_STATUS.COMPLETE, final.headline, 'string']);
        expect(result?.headline).toContain('UEP complete for all 1 role');

        const events = await historyLength(handle);
        console.log(`${cohort}: one-role lifecycle over ${Math.round((completedAt - startedAt) / DAY)} days: ${events} history events, ${Date.now() - wallStart} ms wall time`);
        // about 260 events of its own (300 allowed before the record), 6 more for each of its ~25
        // transitions handed to the record (its activity and the workflow task its completion makes),
        // and from rules version 6 about 3 for each of its ~10 DECISION_DUE notices (one activity each)
        expect(events).toBeLessThan(500);
        if (cohort === COHORT.SMALL_DOMESTIC_SUPPLIER) await captureHistory(handle, 'full-lifecycle');
      });
    });
  },
);

test('an entry started after its cohort default deadline is in breach at once and reminded weekly; the Party is told, never "at risk"', async () => {
  await withEntry({ cohort: COHORT.ELECTRICITY_DNO }, async ({ handle, sent, startedAt }) => {
    await env.sleep('19 days'); // two weekly reminders, each on a working day (a weekend or holiday moves it up to 4 days)
    const summary = await handle.query(getStatusQuery);
    expect(summary.mandateDeadline).toBe('2018-01-21');
    expect(summary.inBreach).toBe(true);
    const breach = ofKind(sent, NOTIFICATION_KIND.MANDATE_BREACH);
    expect(breach.map((b) => b.notification.id).sort()).toEqual([`${handle.workflowId}:MANDATE_BREACH:party:v1`, `${handle.workflowId}:MANDATE_BREACH:v1`]);
    for (const b of breach) expect(b.scheduledAt - startedAt).toBeLessThan(60_000);
    const [toParty, toBodies] = [breach.find((b) => b.notification.id.includes(':party:')), breach.find((b) => !b.notification.id.includes(':party:'))];
    expect(toBodies!.notification.recipients).toEqual(
      expect.arrayContaining([{ kind: 'BODY', body: BODY.SECAS }, { kind: 'BODY', body: BODY.OPS }]),
    );
    expect(toParty!.notification.recipients.map((r) => r.kind)).toEqual(['PARTY_CONTACT']);
    expect(toParty!.notification.body).toContain('Your DCC User mandate deadline, 21 Jan 2018, had already passed when your User Entry Process started');
    expect(ofKind(sent, NOTIFICATION_KIND.AT_RISK)).toEqual([]);
    expect(ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER)).toEqual([]);
    expect(ofKind(sent, NOTIFICATION_KIND.BREACH_REMINDER).length).toBeGreaterThanOrEqual(2);
  });
});

test('breach the day after the deadline, then a breach reminder every week on a working day', async () => {
  const startedAt = await env.currentTimeMs();
  const deadline = isoDate(startedAt + 20 * DAY);
  await withEntry({ mandateDeadline: deadline }, async ({ handle, sent }) => {
    await env.sleep('45 days');
    const breachAt = at(addDays(deadline, 1), 0);
    const [breach] = ofKind(sent, NOTIFICATION_KIND.MANDATE_BREACH);
    expectSentAt(breach, breachAt);
    const weekly = ofKind(sent, NOTIFICATION_KIND.BREACH_REMINDER);
    const weekDays = [7, 14, 21].map((d) => workingDayOnOrAfter(addDays(deadline, 1 + d), CURRENT_CALENDAR_VERSION));
    expect(weekly.map((r) => r.notification.dueAt)).toEqual(weekDays.map((date) => new Date(at(date, 9)).toISOString()));
    for (const date of weekDays) expect(isWorkingDay(date, CURRENT_CALENDAR_VERSION)).toBe(true);
    for (const r of weekly) expectSentAt(r, Date.parse(r.notification.dueAt));
    expect(ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER).map((r) => r.notification.id.split(':')[2])).toEqual(['d14', 'd7', 'd1']);
    const summary = await handle.query(getStatusQuery);
    expect(summary.inBreach).toBe(true);
    expect(new Set(ids(sent)).size).toBe(sent.length);
  });
});

test('a deadline moved later and then earlier: reminders recomputed, none sent twice', async () => {
  const t0 = await env.currentTimeMs();
  const d1 = isoDate(t0 + 100 * DAY);
  const d2 = isoDate(t0 + 200 * DAY);
  const d3 = isoDate(t0 + 160 * DAY);
  await withEntry({ mandateDeadline: d1 }, async ({ handle, sent }) => {
    await env.sleep('15 days'); // d1 - 90 passes
    expect(ids(ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER))).toEqual([`${handle.workflowId}:MANDATE_REMINDER:d90:v1`]);

    const later = compactResult(await handle.executeUpdate(amendMandateDeadlineUpdate, { args: [{ deadline: d2, reason: 'consultation outcome', principal: OPS }] }));
    expect([later.record.deadline, later.duplicate]).toEqual([d2, false]);
    expect(await handle.query(getStatusQuery)).toMatchObject({ mandateDeadline: d2, deadlineVersion: 2 });
    await env.sleep('105 days'); // t0 + 120: d2 - 90 (t0 + 110) passes
    const amendedAt = await env.currentTimeMs();

    const earlier = compactResult(await handle.executeUpdate(amendMandateDeadlineUpdate, { args: [{ deadline: d3, reason: 'licence change', principal: OPS }] }));
    expect(earlier.version).toBe(later.version + 1);
    expect((await handle.query(getStatusQuery)).deadlineVersion).toBe(3);
    await env.sleep('50 days'); // t0 + 170: past d3

    const reminders = ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER);
    const expected = [
      `d90:v1`,
      `d90:v2`,
      ...[60, 30, 14, 7, 1].filter((k) => at(addDays(d3, -k), 9) >= amendedAt).map((k) => `d${k}:v3`),
    ];
    expect(reminders.map((r) => r.notification.id.split(':').slice(2).join(':'))).toEqual(expected);
    for (const r of reminders) expectSentAt(r, Date.parse(r.notification.dueAt));
    expect(ofKind(sent, NOTIFICATION_KIND.MANDATE_BREACH).map((r) => r.notification.id).sort()).toEqual([`${handle.workflowId}:MANDATE_BREACH:party:v3`, `${handle.workflowId}:MANDATE_BREACH:v3`]);
    expect(ofKind(sent, NOTIFICATION_KIND.DEADLINE_AMENDED)).toHaveLength(2);
    expect(new Set(ids(sent)).size).toBe(sent.length);

    const audit = await handle.query(getAuditTrailQuery);
    const amendments = audit.filter((a) => a.action === 'DEADLINE_AMENDED');
    expect(amendments.map((a) => [a.previousDeadline, a.deadline, a.reason, a.principal.body])).toEqual([
      [d1, d2, 'consultation outcome', BODY.OPS],
      [d2, d3, 'licence change', BODY.OPS],
    ]);
    await captureHistory(handle, 'deadline-amended');
  });
});

test('an overdue decision: the owner is reminded after its SLA and OPS is told at twice the SLA', async () => {
  await withEntry({ mandateDeadline: null }, async ({ handle, sent, startedAt }) => {
    const summary = await handle.query(getStatusQuery);
    const accession = summary.partyStages.find((s) => s.stage === STAGE.ACCESSION)!;
    expect(accession.state).toBe(STAGE_STATE.AWAITING_DECISION);
    expect(accession.awaiting).toBe(BODY.SECAS);
    const startDate = isoDate(startedAt);
    // catalogue v2: SECAS reviews an accession application in about 2 working days (sourced)
    expect(accession.dueBy).toBe(addWorkingDays(startDate, 2, CURRENT_CALENDAR_VERSION));

    await env.sleep('40 days');
    const reminder = ofKind(sent, NOTIFICATION_KIND.SLA_REMINDER).find((r) => r.notification.stage === STAGE.ACCESSION);
    expectSentAt(reminder, at(nextWorkingDay(addWorkingDays(startDate, 2, CURRENT_CALENDAR_VERSION), CURRENT_CALENDAR_VERSION), 9));
    expect(reminder!.notification.recipients).toEqual([{ kind: 'BODY', body: BODY.SECAS }]);
    expect(reminder!.notification.body).toContain('2 working days (SECAS reviews an accession application in about 2 working days');
    const escalation = ofKind(sent, NOTIFICATION_KIND.SLA_ESCALATION).find((r) => r.notification.stage === STAGE.ACCESSION);
    expectSentAt(escalation, at(nextWorkingDay(addWorkingDays(startDate, 4, CURRENT_CALENDAR_VERSION), CURRENT_CALENDAR_VERSION), 9));
    expect(escalation!.notification.recipients).toEqual([{ kind: 'BODY', body: BODY.OPS }]);
    expect(ofKind(sent, NOTIFICATION_KIND.SLA_REMINDER)).toHaveLength(1);
    expect(ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER)).toEqual([]);
  });
});

/**
 * The entry's wake-up timers as its history has them: each one started (the instant it fires at),
 * how many fired or were cancelled, and the commands of the workflow task each firing woke (by event kind).
 */
async function wakeTimers(handle: WorkflowHandle): Promise<{ firesAt: number[]; fired: number; cancelled: number; wokenTasks: string[][] }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  // a command names its task by the task's completed event (the time-skipping server: by its started event, the one after its scheduled)
  const commandsOf = (task: temporal.api.history.v1.IHistoryEvent) => {
    const ids = [Number(task.eventId), Number(task.workflowTaskCompletedEventAttributes?.scheduledEventId) + 1];
    return events.flatMap((e) => {
      const [kind, attributes] = Object.entries(e).find(([key, value]) => key.endsWith('EventAttributes') && value) ?? [];
      const by = (attributes as { workflowTaskCompletedEventId?: unknown } | undefined)?.workflowTaskCompletedEventId;
      return by !== undefined && by !== null && ids.includes(Number(by)) ? [String(kind).replace('EventAttributes', '')] : [];
    });
  };
  const wokenTasks = events.flatMap((e, i) => {
    if (!e.timerFiredEventAttributes) return [];
    const task = events.slice(i).find((later) => later.workflowTaskCompletedEventAttributes);
    return task ? [commandsOf(task)] : [];
  });
  return {
    firesAt: events.flatMap((e) => (e.timerStartedEventAttributes ? [ms(e.eventTime) + ms(e.timerStartedEventAttributes.startToFireTimeout)] : [])),
    fired: events.filter((e) => e.timerFiredEventAttributes).length,
    cancelled: events.filter((e) => e.timerCanceledEventAttributes).length,
    wokenTasks,
  };
}

test('one wake timer: sign-offs back to back start one timer for the whole lifecycle (none cancelled)', async () => {
  const t0 = await env.currentTimeMs();
  await withEntry({ mandateDeadline: isoDate(t0 + 200 * DAY) }, async ({ handle }) => {
    const final = await driveToCompletion(handle);
    expect(final.status).toBe(ENTRY_STATUS.COMPLETE);
    await handle.result();
    const timers = await wakeTimers(handle);
    expect([timers.firesAt.length, timers.cancelled]).toEqual([1, 0]);
  });
});

test('one wake timer: a sign-off moving the next wake-up later keeps the armed timer, which wakes the entry early without a step; the reminder comes on its day', async () => {
  await withEntry({ mandateDeadline: null }, async ({ handle, sent }) => {
    const summary = await handle.query(getStatusQuery);
    const accession = summary.partyStages.find((s) => s.stage === STAGE.ACCESSION)!;
    await actOn(handle, summary, accession);
    const signedOff = await wakeTimers(handle);
    // the accession's SLA reminder was the next instant; the stages it opens are due later: the timer is kept
    expect([signedOff.firesAt.length, signedOff.fired, signedOff.cancelled]).toEqual([1, 0, 0]);
    const early = signedOff.firesAt[0]!;

    await env.sleep(early - (await env.currentTimeMs()) + HOUR);
    const woken = await wakeTimers(handle);
    // it fired early: no step (no notice, no upsert, nothing handed to the record); the one timer is armed for the instant due now
    expect([woken.fired, woken.cancelled, woken.firesAt.length]).toEqual([1, 0, 2]);
    expect(woken.wokenTasks).toEqual([['timerStarted']]);
    const due = woken.firesAt[1]!;
    expect(due).toBeGreaterThan(early);

    await env.sleep(due - (await env.currentTimeMs()) + HOUR);
    expect(sent.filter((r) => r.scheduledAt >= early && r.scheduledAt < due)).toEqual([]);
    const reminders = sent.filter((r) => r.scheduledAt >= due && r.notification.kind === NOTIFICATION_KIND.SLA_REMINDER);
    expect(reminders.length).toBeGreaterThan(0);
    for (const reminder of reminders) expectSentAt(reminder, Date.parse(reminder.notification.dueAt));
    // the instant the timer was armed for is the reminders' (a timer fires a few ms after its instant)
    expect(due - Date.parse(reminders[0]!.notification.dueAt)).toBeLessThan(1_000);
    expect((await wakeTimers(handle)).fired).toBe(2);
  });
});

test('a security deferral and a failed UEPT are reworked, then the entry completes', async () => {
  const t0 = await env.currentTimeMs();
  await withEntry({ mandateDeadline: isoDate(t0 + 300 * DAY) }, async ({ handle }) => {
    const outcomesFor: Partial<Record<string, string[]>> = { [STAGE.SECURITY_ASSESSMENT]: ['DEFERRED'], [STAGE.UEPT]: ['FAILED'] };
    let summary = await handle.query(getStatusQuery);
    for (let round = 0; summary.status === ENTRY_STATUS.IN_PROGRESS && round < 40; round++) {
      for (const stage of openStages(summary)) {
        const scripted = stage.state === STAGE_STATE.AWAITING_DECISION ? outcomesFor[stage.stage]?.shift() : undefined;
        await actOn(handle, summary, stage, scripted);
      }
      await env.sleep('5 days');
      summary = await handle.query(getStatusQuery);
    }
    expect(summary.status).toBe(ENTRY_STATUS.COMPLETE);
    const security = summary.partyStages.find((s) => s.stage === STAGE.SECURITY_ASSESSMENT)!;
    const uept = summary.roleStages[0]!.stages.find((s) => s.stage === STAGE.UEPT)!;
    expect([security.attempts, security.outcome]).toEqual([2, 'APPROVED']);
    expect([uept.attempts, uept.outcome]).toEqual([2, 'PASSED']);
    const decisions = (await handle.query(getAuditTrailQuery)).filter((a) => a.action === 'DECISION');
    expect(decisions.filter((d) => d.stage === STAGE.SECURITY_ASSESSMENT).map((d) => d.outcome)).toEqual(['DEFERRED', 'APPROVED']);
    expect(decisions.filter((d) => d.stage === STAGE.UEPT).map((d) => d.outcome)).toEqual(['FAILED', 'PASSED']);
    await captureHistory(handle, 'rework-loops');
  });
});

test('a Rejected security status (catalogue v2) means a new assessment: the booking opens again, the status waits for the new report, then the entry completes', async () => {
  const t0 = await env.currentTimeMs();
  await withEntry({ mandateDeadline: isoDate(t0 + 400 * DAY) }, async ({ handle, sent }) => {
    const outcomesFor: Partial<Record<string, string[]>> = { [STAGE.SECURITY_ASSESSMENT]: ['REJECTED'] };
    let summary = await handle.query(getStatusQuery);
    let afterRejection: typeof summary | undefined;
    for (let round = 0; summary.status === ENTRY_STATUS.IN_PROGRESS && round < 60; round++) {
      for (const stage of openStages(summary)) {
        const scripted = stage.state === STAGE_STATE.AWAITING_DECISION ? outcomesFor[stage.stage]?.shift() : undefined;
        await actOn(handle, summary, stage, scripted);
        if (scripted === 'REJECTED') afterRejection = await handle.query(getStatusQuery);
      }
      await env.sleep('5 days');
      summary = await handle.query(getStatusQuery);
    }
    await captureHistory(handle, 'rejected-reassessment');
    expect(summary.status).toBe(ENTRY_STATUS.COMPLETE);
    const stage = (s: typeof summary, id: StageId) => s.partyStages.find((p) => p.stage === id);
    expect(stage(afterRejection!, STAGE.SECURITY_FIELDWORK)).toMatchObject({ state: STAGE_STATE.AWAITING_PARTY, attempts: 2 });
    expect(stage(afterRejection!, STAGE.SECURITY_ASSESSMENT)).toMatchObject({ state: STAGE_STATE.BLOCKED, attempts: 2 });
    expect(stage(summary, STAGE.SECURITY_ASSESSMENT)).toMatchObject({ outcome: 'APPROVED', attempts: 2 });
    const decisions = (await handle.query(getAuditTrailQuery)).filter((a) => a.action === 'DECISION');
    expect(decisions.filter((d) => d.stage === STAGE.SECURITY_FIELDWORK).map((d) => d.outcome)).toEqual(['REPORT_ISSUED', 'REPORT_ISSUED']);
    expect(decisions.filter((d) => d.stage === STAGE.SECURITY_ASSESSMENT).map((d) => d.outcome)).toEqual(['REJECTED', 'APPROVED']);
    const told = ofKind(sent, NOTIFICATION_KIND.DECISION_NEEDS_ACTION);
    expect(told.map((r) => [r.notification.stage, r.notification.awaitedBody])).toEqual([[STAGE.SECURITY_ASSESSMENT, BODY.PARTY]]);
    expect(told[0]?.notification.body).toContain('It starts over from User Security Assessment: booking');
  });
});

test('withdrawal mid-way stops every reminder and closes the entry', async () => {
  const t0 = await env.currentTimeMs();
  await withEntry({ mandateDeadline: isoDate(t0 + 100 * DAY) }, async ({ handle, sent }) => {
    await env.sleep('12 days');
    const before = sent.length;
    expect(ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER)).toHaveLength(1);
    const result = compactResult(await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'Party exits the market', principal: OPS }] }));
    expect([result.status, result.openStages, result.record.reason]).toEqual([ENTRY_STATUS.WITHDRAWN, [], 'Party exits the market']);
    const outcome = await handle.result();
    expect([outcome?.status, outcome?.withdrawnReason, outcome?.closedAt]).toEqual([ENTRY_STATUS.WITHDRAWN, 'Party exits the market', result.record.at]);
    await env.sleep('120 days');
    expect(sent.slice(before).map((r) => r.notification.kind)).toEqual([NOTIFICATION_KIND.ENTRY_WITHDRAWN]);
    const refused = handle.executeUpdate(recordDecisionUpdate, {
      args: [{ decisionId: 'late', stage: STAGE.ACCESSION, outcome: 'ACCEDED', evidence: 'x', principal: principalFor(BODY.SECAS, 'x') }],
    });
    await expect(refused).rejects.toThrow();
    await captureHistory(handle, 'withdrawn');
  });
});

test('the same decision id twice: the first answer, one audit record', async () => {
  await withEntry({ mandateDeadline: null }, async ({ handle }) => {
    const decision = { decisionId: 'dec-accession-1', stage: STAGE.ACCESSION, outcome: 'ACCEDED', evidence: 'accession-agreement.pdf', principal: principalFor(BODY.SECAS, 'x') };
    const first = await handle.executeUpdate(recordDecisionUpdate, { args: [decision] });
    const second = await handle.executeUpdate(recordDecisionUpdate, { args: [{ ...decision }], updateId: 'another-transport-id' });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.record).toEqual(first.record);
    const audit = await handle.query(getAuditTrailQuery);
    expect(audit.filter((a) => a.id === 'dec-accession-1')).toHaveLength(1);
  });
});

test('a worker restarted mid-entry picks the entry up: timers and decisions carry on', async () => {
  const taskQueue = uniqueTaskQueue('restart');
  const partyId = uniquePartyId();
  const t0 = await env.currentTimeMs();
  const deadline = isoDate(t0 + 100 * DAY);
  const first = recordingNotifier();
  let handle!: WorkflowHandle<typeof entryWorkflow>;
  // Without a cache the first worker holds no sticky queue, so the server hands the next task to
  // whichever worker polls (the time-skipping server would otherwise wait on the dead sticky queue).
  const worker1 = await createTestWorker(env, { taskQueue, activities: first.activities, maxCachedWorkflows: 0 });
  await worker1.runUntil(async () => {
    handle = await startEntryWorkflow(env.client, taskQueue, input(partyId, { mandateDeadline: deadline }));
    const s = await handle.query(getStatusQuery);
    await actOn(handle, s, openStages(s)[0]!);
    await env.sleep('3 days');
  });
  // A new worker, with nothing cached, takes over by replaying the history: the d90 reminder falls due under it.
  const second = recordingNotifier();
  const worker2 = await createTestWorker(env, { taskQueue, activities: second.activities });
  await worker2.runUntil(async () => {
    await env.sleep('20 days');
    expect(ids(second.sent)).toContain(`${handle.workflowId}:MANDATE_REMINDER:d90:v1`);
    const final = await driveToCompletion(handle, () => env.sleep('7 days'));
    expect(final.status).toBe(ENTRY_STATUS.COMPLETE);
    const audit = await handle.query(getAuditTrailQuery);
    expect(audit.filter((a) => a.stage === STAGE.ACCESSION && a.action === 'DECISION')).toHaveLength(1);
  });
  const all = [...first.sent, ...second.sent];
  const reminders = ofKind(all, NOTIFICATION_KIND.MANDATE_REMINDER);
  expect(reminders.map((r) => r.notification.id.split(':')[2])).toEqual(['d90', 'd60', 'd30', 'd14', 'd7', 'd1'].slice(0, reminders.length));
  expectSentAt(reminders[0], at(addDays(deadline, -90), 9));
  expect(new Set(ids(all)).size).toBe(all.length);
});

test('three roles: each completes on its own, history stays small', async () => {
  const t0 = await env.currentTimeMs();
  const roles: UserRole[] = [USER_ROLE.IMPORT_SUPPLIER, USER_ROLE.GAS_SUPPLIER, USER_ROLE.OTHER_USER];
  await withEntry({ roles, mandateDeadline: isoDate(t0 + 250 * DAY) }, async ({ handle, sent }) => {
    const initial = await handle.query(getStatusQuery);
    const privacy = (role: UserRole): StageSummary | undefined =>
      initial.roleStages.find((r) => r.role === role)!.stages.find((s) => s.stage === STAGE.PRIVACY_ASSESSMENT);
    expect(privacy(USER_ROLE.OTHER_USER)).toBeDefined();
    expect(privacy(USER_ROLE.GAS_SUPPLIER)).toBeUndefined();
    const final = await driveToCompletion(handle, () => env.sleep('7 days'));
    expect(final.status).toBe(ENTRY_STATUS.COMPLETE);
    expect(ofKind(sent, NOTIFICATION_KIND.ROLE_COMPLETE).map((r) => r.notification.role).sort()).toEqual([...roles].sort());
    const events = await historyLength(handle);
    console.log(`three-role lifecycle: ${events} history events`);
    expect(events).toBeLessThan(600);
    await captureHistory(handle, 'three-roles');
  });
});

// A notification's fields are what a person acts on: check one reminder's content end to end.
test('a mandate reminder says which party, what is pending and how long is left', async () => {
  const t0 = await env.currentTimeMs();
  const deadline = isoDate(t0 + 95 * DAY);
  await withEntry({ mandateDeadline: deadline }, async ({ sent }) => {
    await env.sleep('6 days');
    const reminder: Notification | undefined = ofKind(sent, NOTIFICATION_KIND.MANDATE_REMINDER)[0]?.notification;
    expect(reminder).toMatchObject({ deadline, calendarDaysLeft: 90 });
    expect(reminder!.subject).toContain('90 days');
    expect(reminder!.recipients).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'PARTY_CONTACT' })]));
    expect(reminder!.workingDaysLeft).toBeGreaterThan(55);
  });
});

test('a catalogue v1 entry keeps its v1 rules to the end while a new entry runs v2', async () => {
  const acceded = { completedStages: [{ stage: STAGE.ACCESSION, outcome: 'ACCEDED', at: '2020-01-02' }], mandateDeadline: null };
  const stagesOf = async (handle: WorkflowHandle<typeof entryWorkflow>) => {
    const summary = await handle.query(getStatusQuery);
    return { version: summary.catalogueVersion, stages: Object.fromEntries(summary.partyStages.map((s) => [s.stage, s.state])) };
  };
  await withEntry({ ...acceded, catalogueVersion: 'v1' }, async ({ handle, sent }) => {
    const v1 = await stagesOf(handle);
    expect(v1.version).toBe('v1');
    expect(v1.stages).toMatchObject({ SMKI_SREPT: STAGE_STATE.BLOCKED, SECURITY_ASSESSMENT: STAGE_STATE.AWAITING_PARTY, DCC_GATEWAY: STAGE_STATE.AWAITING_DECISION });
    expect(v1.stages).not.toHaveProperty('SECURITY_FIELDWORK');
    // its DCC Gateway response time is v1's 20 working days (counted from the day it began waiting,
    // whatever day the test server's clock has reached), and nothing is chased before it runs out
    const gateway = (await handle.query(getStatusQuery)).partyStages.find((s) => s.stage === STAGE.DCC_GATEWAY)!;
    expect(gateway.dueBy).toBe(addWorkingDays(gateway.awaitingSince!.slice(0, 10), 20));
    expect(ofKind(sent, NOTIFICATION_KIND.SLA_REMINDER).filter((r) => r.notification.stage === STAGE.DCC_GATEWAY)).toEqual([]);
    const summary = await handle.query(getStatusQuery);
    await actOn(handle, summary, summary.partyStages.find((s) => s.stage === STAGE.DCC_GATEWAY)!, 'LIVE');
    expect((await stagesOf(handle)).stages).toMatchObject({ SMKI_SREPT: STAGE_STATE.AWAITING_PARTY });
  });
  await withEntry(acceded, async ({ handle }) => {
    const v2 = await stagesOf(handle);
    expect(v2.version).toBe('v2');
    expect(v2.stages).toMatchObject({ SMKI_SREPT: STAGE_STATE.AWAITING_PARTY, SECURITY_FIELDWORK: STAGE_STATE.AWAITING_PARTY, SECURITY_ASSESSMENT: STAGE_STATE.BLOCKED });
  });
});

describe('meetings as data (catalogue v2)', () => {
  const DONE_BEFORE = [
    ...(['ACCESSION:ACCEDED', 'ID_ALLOCATION:ALLOCATED', 'SECURITY_FIELDWORK:REPORT_ISSUED', 'CREDIT_COVER:LODGED', 'DCC_GATEWAY:LIVE', 'SMKI_SREPT:PASSED'] as const).map((s) => ({
      stage: s.split(':')[0] as StageId,
      outcome: s.split(':')[1]!,
      at: '2020-01-02',
    })),
    { stage: STAGE.USER_ID, role: USER_ROLE.IMPORT_SUPPLIER, outcome: 'ACCEPTED', at: '2020-01-02' },
    { stage: STAGE.UEPT, role: USER_ROLE.IMPORT_SUPPLIER, outcome: 'PASSED', at: '2020-01-02' },
  ];

  test('a security Response sent after a Panel meeting’s cut-off is forecast at the next meeting; the meeting moved moves the forecast and tells the entry', async () => {
    const startDate = isoDate(await env.currentTimeMs());
    const first = { id: 'PANEL-A', body: 'SEC_PANEL' as const, papersBy: addDays(startDate, 10), date: addDays(startDate, 20) };
    const second = { id: 'PANEL-B', body: 'SEC_PANEL' as const, papersBy: addDays(startDate, 40), date: addDays(startDate, 50) };
    await withEntry({ completedStages: DONE_BEFORE, mandateDeadline: null, meetings: { version: 1, meetings: [first, second] } }, async ({ handle, sent, partyId }) => {
      await env.sleep('15 days'); // past the first meeting's cut-off
      let summary = await handle.query(getStatusQuery);
      const response = summary.partyStages.find((s) => s.stage === STAGE.SECURITY_ASSESSMENT)!;
      expect(response.state).toBe(STAGE_STATE.AWAITING_PARTY);
      await actOn(handle, summary, response);
      summary = await handle.query(getStatusQuery);
      const waiting = summary.partyStages.find((s) => s.stage === STAGE.SECURITY_ASSESSMENT)!;
      expect(waiting).toMatchObject({ state: STAGE_STATE.AWAITING_DECISION, dueBy: second.date, meeting: { date: second.date, papersBy: second.papersBy } });
      expect(summary.forecastCompletion).toBe(addWorkingDays(second.date, 20, CURRENT_CALENDAR_VERSION)); // then completion (20 WD, assumed)
      expect(summary.headline).toContain('next Panel');

      const moved = { ...second, papersBy: addDays(startDate, 47), date: addDays(startDate, 57) };
      await handle.executeUpdate(updateMeetingsUpdate, { args: [{ calendar: { version: 2, meetings: [first, moved] }, principal: principalFor(BODY.SECAS, partyId) }] });
      summary = await handle.query(getStatusQuery);
      expect(summary.partyStages.find((s) => s.stage === STAGE.SECURITY_ASSESSMENT)).toMatchObject({ dueBy: moved.date, meeting: { date: moved.date } });
      expect(summary.forecastCompletion).toBe(addWorkingDays(moved.date, 20, CURRENT_CALENDAR_VERSION));
      const told = ofKind(sent, NOTIFICATION_KIND.MEETING_MOVED);
      expect(told.map((r) => r.notification.recipients)).toEqual([[{ kind: 'PARTY_CONTACT', name: 'Pat Contact', email: `uep@${partyId.toLowerCase()}.example` }, { kind: 'BODY', body: BODY.SECAS }]]);
      expect(told[0]?.notification.body).toContain('it is now expected at the next Panel');

      // the Panel is chased the working day after the (moved) meeting, not before
      await env.sleep('50 days');
      const chaser = ofKind(sent, NOTIFICATION_KIND.SLA_REMINDER).find((r) => r.notification.stage === STAGE.SECURITY_ASSESSMENT);
      expectSentAt(chaser, at(nextWorkingDay(moved.date, CURRENT_CALENDAR_VERSION), 9));
    });
  });
});
