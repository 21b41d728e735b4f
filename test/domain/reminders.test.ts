import { addWorkingDays, advanceTime, applyCommand, startEntry, summarise, workingDaysBetween, RULES_VERSION, type EntryState, type Notification } from '../../domain';
import { roleRemainingWorkingDays, remainingOf } from '../../domain/forecast';
import { atRiskFromDate } from '../../domain/entry-view';
import { at, DCC, decide, drive, input, must, OPS, PANEL, SECAS, stageOf, started, submit, withGroundwork } from './domain-fixtures';

const ids = (ns: Notification[]) => ns.map((n) => `${n.dueAt} ${n.id}`);

/** Wakes the entry at every wakeAt up to `until`, collecting notifications. */
function runUntil(state: EntryState, from: number, until: number): { state: EntryState; notifications: Notification[] } {
  let s = state;
  let wake: number | null = advanceTime(s, from).effects.wakeAt;
  const out: Notification[] = [];
  while (wake !== null && wake <= until) {
    const tr = advanceTime(s, wake);
    s = tr.state;
    out.push(...tr.effects.notifications);
    expect(tr.effects.wakeAt === null || tr.effects.wakeAt > wake).toBe(true);
    wake = tr.effects.wakeAt;
  }
  return { state: s, notifications: out };
}

// A party-level-done entry with a far deadline keeps the forecast out of the way.
const quiet = { mandateDeadline: '2030-06-30', roles: ['GAS_SUPPLIER' as const] };

describe('mandate reminders', () => {
  it('fire at 09:00 UTC on deadline minus k days, once each, only those still ahead at start', () => {
    const s0 = withGroundwork({ ...quiet }, at('2030-04-15T10:00:00Z'));
    const { notifications } = runUntil(s0, at('2030-04-15T10:00:00Z'), at('2030-06-30T23:00:00Z'));
    expect(ids(notifications.filter((n) => n.kind === 'MANDATE_REMINDER'))).toEqual([
      '2030-05-01T09:00:00.000Z uep-P1:MANDATE_REMINDER:d60:v1',
      '2030-05-31T09:00:00.000Z uep-P1:MANDATE_REMINDER:d30:v1',
      '2030-06-16T09:00:00.000Z uep-P1:MANDATE_REMINDER:d14:v1',
      '2030-06-23T09:00:00.000Z uep-P1:MANDATE_REMINDER:d7:v1',
      '2030-06-29T09:00:00.000Z uep-P1:MANDATE_REMINDER:d1:v1',
    ]);
    const d1 = notifications.find((n) => n.id.endsWith('d1:v1'));
    expect(d1).toMatchObject({ deadline: '2030-06-30', calendarDaysLeft: 1, workingDaysLeft: 0 });
    expect(d1?.subject).toContain('1 day to');
    expect(d1?.body).toContain('1 of 1 roles pending (Gas Supplier)');
  });

  it('a reminder due exactly at the start is sent', () => {
    const { effects } = startEntry(input({ ...quiet, reminderOffsetsDays: [10] }), at('2030-06-20T09:00:00Z'));
    expect(effects.notifications.map((n) => n.id)).toContain('uep-P1:MANDATE_REMINDER:d10:v1');
  });

  it('uses the entry’s own offsets', () => {
    const s0 = withGroundwork({ ...quiet, reminderOffsetsDays: [3, 45] }, at('2030-01-01'));
    const { notifications } = runUntil(s0, at('2030-01-01'), at('2030-06-30T23:00:00Z'));
    expect(notifications.filter((n) => n.kind === 'MANDATE_REMINDER').map((n) => n.id)).toEqual([
      'uep-P1:MANDATE_REMINDER:d45:v1',
      'uep-P1:MANDATE_REMINDER:d3:v1',
    ]);
  });

  it('none without a deadline', () => {
    const s0 = withGroundwork({ mandateDeadline: null }, at('2030-01-01'));
    const { notifications } = runUntil(s0, at('2030-01-01'), at('2031-01-01'));
    expect(notifications.filter((n) => n.kind.startsWith('MANDATE') || n.kind.startsWith('BREACH') || n.kind === 'AT_RISK')).toEqual([]);
  });
});

describe('breach', () => {
  it('fires at 00:00 UTC the day after the deadline, to SECAS and OPS and (in its own words) to the Party, then weekly at 09:00 until withdrawn', () => {
    const s0 = withGroundwork({ ...quiet, reminderOffsetsDays: [] }, at('2030-06-01'));
    const first = runUntil(s0, at('2030-06-01'), at('2030-07-22T00:00:00Z'));
    expect(ids(first.notifications.filter((n) => n.kind === 'MANDATE_BREACH' || n.kind === 'BREACH_REMINDER'))).toEqual([
      '2030-07-01T00:00:00.000Z uep-P1:MANDATE_BREACH:party:v1',
      '2030-07-01T00:00:00.000Z uep-P1:MANDATE_BREACH:v1',
      '2030-07-08T09:00:00.000Z uep-P1:BREACH_REMINDER:w1:v1',
      '2030-07-15T09:00:00.000Z uep-P1:BREACH_REMINDER:w2:v1',
    ]);
    const breach = first.notifications.find((n) => n.id === 'uep-P1:MANDATE_BREACH:v1');
    expect(breach?.recipients).toEqual([{ kind: 'BODY', body: 'SECAS' }, { kind: 'BODY', body: 'OPS' }]);
    const toParty = first.notifications.find((n) => n.id === 'uep-P1:MANDATE_BREACH:party:v1');
    expect(toParty?.recipients).toEqual([{ kind: 'PARTY_CONTACT', name: 'Ann Smith', email: 'ann@acme.example' }]);
    expect(toParty?.body).toContain('Your DCC User mandate deadline, 30 Jun 2030, has passed, with 1 of 1 role still to complete (Gas Supplier).');
    expect(summarise(first.state, at('2030-07-21')).inBreach).toBe(true);
    expect(summarise(first.state, at('2030-07-21')).headline).toContain('IN BREACH');
    const withdrawn = applyCommand(first.state, { type: 'WITHDRAW', reason: 'exit', principal: OPS }, at('2030-07-21'));
    if (!withdrawn.ok) throw new Error('refused');
    expect(withdrawn.effects.notifications.map((n) => n.kind)).toEqual(['ENTRY_WITHDRAWN']);
    expect(withdrawn.effects.wakeAt).toBeNull();
    expect(withdrawn.effects.searchAttributes).toMatchObject({ status: 'WITHDRAWN', inBreach: false, atRisk: false });
    expect(advanceTime(withdrawn.state, at('2031-01-01')).effects.notifications).toEqual([]);
    expect(summarise(withdrawn.state, at('2031-01-01')).headline).toBe('ACME Energy: withdrawn on 21 Jul 2030 (exit)');
  });

  it('catches up every missed notification once when woken late', () => {
    const s0 = withGroundwork({ ...quiet, reminderOffsetsDays: [1] }, at('2030-06-01'));
    const late = advanceTime(s0, at('2030-07-16'));
    expect(late.effects.notifications.filter((n) => !n.kind.startsWith('SLA') && !n.kind.startsWith('AT_RISK')).map((n) => n.id)).toEqual([
      'uep-P1:MANDATE_REMINDER:d1:v1',
      'uep-P1:MANDATE_BREACH:party:v1',
      'uep-P1:MANDATE_BREACH:v1',
      'uep-P1:BREACH_REMINDER:w1:v1',
      'uep-P1:BREACH_REMINDER:w2:v1',
    ]);
    expect(late.effects.wakeAt).toBe(at('2030-07-22T09:00:00Z'));
    const again = advanceTime(late.state, at('2030-07-16'));
    expect(again.effects.notifications).toEqual([]);
  });

  it('an entry started after its deadline is in breach at once, never told it is "at risk"; weekly reminders from then on', () => {
    const { state, effects } = startEntry(input({ cohort: 'SMALL_DOMESTIC_SUPPLIER', roles: ['GAS_SUPPLIER'] }), at('2026-11-02T10:00:00Z'));
    expect(ids(effects.notifications)).toEqual([
      '2026-11-02T10:00:00.000Z uep-P1:ENTRY_STARTED',
      '2026-11-02T10:00:00.000Z uep-P1:DECISION_DUE:ACCESSION:a1', // rules version 6: SECAS told its accession decision awaits
      '2026-11-02T10:00:00.000Z uep-P1:MANDATE_BREACH:party:v1',
      '2026-11-02T10:00:00.000Z uep-P1:MANDATE_BREACH:v1',
    ]);
    // rules version 3 (entries started before version 4) told the Party neither, but that it was at risk
    const v3 = startEntry(input({ cohort: 'SMALL_DOMESTIC_SUPPLIER', roles: ['GAS_SUPPLIER'] }), at('2026-11-02T10:00:00Z'), RULES_VERSION.V3);
    expect(v3.effects.notifications.map((n) => n.id)).toEqual(['uep-P1:ENTRY_STARTED', 'uep-P1:MANDATE_BREACH:v1', 'uep-P1:AT_RISK:c1']);
    expect(effects.wakeAt).toBe(at('2026-11-09T09:00:00Z'));
    const next = advanceTime(state, at('2026-11-09T09:00:00Z'));
    expect(next.effects.notifications.map((n) => n.id)).toEqual(['uep-P1:BREACH_REMINDER:w1:v1']);
  });
});

describe('amending the deadline', () => {
  it('sends DEADLINE_AMENDED, recomputes reminders for the new version, and reminders may go again', () => {
    const s0 = withGroundwork({ ...quiet, mandateDeadline: '2030-03-31' }, at('2030-01-01'));
    const before = runUntil(s0, at('2030-01-01'), at('2030-03-05'));
    expect(before.notifications.filter((n) => n.kind === 'MANDATE_REMINDER').map((n) => n.id)).toEqual(['uep-P1:MANDATE_REMINDER:d60:v1', 'uep-P1:MANDATE_REMINDER:d30:v1']);
    const amended = applyCommand(before.state, { type: 'AMEND_DEADLINE', deadline: '2030-06-30', reason: 'consultation', principal: SECAS }, at('2030-03-05'));
    if (!amended.ok) throw new Error('refused');
    expect(amended.effects.notifications.map((n) => n.id)).toEqual(['uep-P1:DEADLINE_AMENDED:v2']);
    expect(amended.effects.notifications[0]?.body).toContain('from 31 Mar 2030 to 30 Jun 2030 by SECAS (secas-1): consultation');
    const after = runUntil(amended.state, at('2030-03-05'), at('2030-07-01T00:00:00Z'));
    expect(after.notifications.filter((n) => n.kind === 'MANDATE_REMINDER' || n.kind === 'MANDATE_BREACH').map((n) => n.id)).toEqual([
      'uep-P1:MANDATE_REMINDER:d90:v2',
      'uep-P1:MANDATE_REMINDER:d60:v2',
      'uep-P1:MANDATE_REMINDER:d30:v2',
      'uep-P1:MANDATE_REMINDER:d14:v2',
      'uep-P1:MANDATE_REMINDER:d7:v2',
      'uep-P1:MANDATE_REMINDER:d1:v2',
      'uep-P1:MANDATE_BREACH:party:v2',
      'uep-P1:MANDATE_BREACH:v2',
    ]);
  });

  it('amending to a passed date is a breach at once, under the new version (rules version 1: a separate AT_RISK)', () => {
    const s0 = withGroundwork({ ...quiet }, at('2030-01-01'), RULES_VERSION.V1);
    const amended = applyCommand(s0, { type: 'AMEND_DEADLINE', deadline: '2029-12-01', reason: 'licence', principal: OPS }, at('2030-01-02'));
    if (!amended.ok) throw new Error('refused');
    expect(amended.effects.notifications.map((n) => n.kind)).toEqual(['DEADLINE_AMENDED', 'MANDATE_BREACH', 'AT_RISK']);
    expect(amended.effects.notifications[1]?.id).toBe('uep-P1:MANDATE_BREACH:v2');
    expect(amended.effects.searchAttributes.inBreach).toBe(true);
    const cleared = applyCommand(amended.state, { type: 'AMEND_DEADLINE', deadline: null, reason: 'exempted', principal: OPS }, at('2030-01-03'));
    if (!cleared.ok) throw new Error('refused');
    expect(cleared.effects.notifications.map((n) => n.kind)).toEqual(['DEADLINE_AMENDED', 'BACK_ON_TRACK']);
    expect(cleared.effects.searchAttributes).toMatchObject({ inBreach: false, atRisk: false, mandateDeadline: null });
  });
});

describe('SLA', () => {
  it('reminds the owner the working day after the due date, and tells OPS at twice the SLA', () => {
    // DCC_GATEWAY opened at start (groundwork done): SLA 20 WD from 2030-01-07
    const s0 = withGroundwork({ mandateDeadline: null, roles: ['GAS_SUPPLIER'] }, at('2030-01-07'));
    expect(stageOf(s0, 'DCC_GATEWAY').slaDue).toBe('2030-02-04');
    const { notifications, state } = runUntil(s0, at('2030-01-07'), at('2030-03-31'));
    expect(ids(notifications)).toEqual([
      '2030-02-05T09:00:00.000Z uep-P1:SLA_REMINDER:DCC_GATEWAY:a1',
      '2030-03-05T09:00:00.000Z uep-P1:SLA_ESCALATION:DCC_GATEWAY:a1',
    ]);
    expect(notifications[0]).toMatchObject({ recipients: [{ kind: 'BODY', body: 'DCC' }], awaitedBody: 'DCC', stage: 'DCC_GATEWAY', deadline: '2030-02-04' });
    expect(notifications[1]).toMatchObject({ recipients: [{ kind: 'BODY', body: 'OPS' }], deadline: '2030-03-04' });
    expect(notifications[1]?.subject).toContain("twice over this deployment's service level");
    // nothing else pending: everything else awaits the Party
    expect(advanceTime(state, at('2030-03-31')).effects.wakeAt).toBeNull();
  });

  it('no reminder once decided; a rework starts a new attempt with its own ids', () => {
    let s = withGroundwork({ mandateDeadline: null, roles: ['GAS_SUPPLIER'] }, at('2030-01-07'));
    s = must(s, decide('DCC_GATEWAY', 'LIVE', DCC), at('2030-01-08')).state;
    s = must(s, submit('USER_ID', 'GAS_SUPPLIER'), at('2030-01-08')).state;
    s = must(s, decide('USER_ID', 'REJECTED', DCC, 'GAS_SUPPLIER'), at('2030-01-09')).state;
    s = must(s, submit('USER_ID', 'GAS_SUPPLIER'), at('2030-01-10')).state;
    const { notifications } = runUntil(s, at('2030-01-10'), at('2030-01-20'));
    expect(ids(notifications)).toEqual(['2030-01-18T09:00:00.000Z uep-P1:SLA_REMINDER:USER_ID.GAS_SUPPLIER:a2']);
  });
});

describe('forecast and at risk', () => {
  it('remaining work (rules version 1): full estimate, SLA after REWORK, full estimate after RESTART; SR provider shortens UEPT', () => {
    const s = started({ mandateDeadline: null, roles: ['GAS_SUPPLIER'] });
    expect(roleRemainingWorkingDays(s, 'GAS_SUPPLIER')).toBe(140);
    expect(roleRemainingWorkingDays(started({ mandateDeadline: null, sharedResourceProvider: 'SR Ltd', roles: ['GAS_SUPPLIER'] }), 'GAS_SUPPLIER')).toBe(120);
    let g = withGroundwork({ mandateDeadline: null, roles: ['GAS_SUPPLIER'] }, at('2026-11-02'), RULES_VERSION.V1);
    g = must(g, submit('SECURITY_ASSESSMENT'), at('2026-11-03')).state;
    g = must(g, decide('SECURITY_ASSESSMENT', 'DEFERRED', PANEL), at('2026-11-04')).state;
    expect(remainingOf(g, { stage: 'SECURITY_ASSESSMENT' })).toBe(20);
    g = must(g, submit('SECURITY_ASSESSMENT'), at('2026-11-05')).state;
    g = must(g, decide('SECURITY_ASSESSMENT', 'REJECTED', PANEL), at('2026-11-06')).state;
    expect(remainingOf(g, { stage: 'SECURITY_ASSESSMENT' })).toBe(60);
    expect(remainingOf(g, { stage: 'ACCESSION' })).toBe(0);
    expect(remainingOf(g, { stage: 'UEPT', role: 'OTHER_USER' })).toBe(0);
  });

  it('per role and entry: the latest role', () => {
    const s = withGroundwork({ mandateDeadline: '2027-06-30', roles: ['GAS_SUPPLIER', 'OTHER_USER'] }, at('2026-11-02'));
    const summary = summarise(s, at('2026-11-02'));
    const gas = summary.roleStages.find((r) => r.role === 'GAS_SUPPLIER')?.forecast;
    const other = summary.roleStages.find((r) => r.role === 'OTHER_USER')?.forecast;
    // gas: gateway 40 + SREPT 20 + UEPT 40 + completion 20 = 120 WD; other user: privacy 80 + completion 20 = 100 < 120
    expect(workingDaysBetween('2026-11-02', gas ?? '')).toBe(120);
    expect(other).toBe(gas);
    expect(summary.forecastCompletion).toBe(gas);
    expect(summary.atRisk).toBe(false);
  });

  it('tells the Party and SECAS once per change, and wakes on the day time alone makes it at risk', () => {
    const { state, effects } = startEntry(input({ mandateDeadline: '2027-05-10', roles: ['GAS_SUPPLIER'], completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' }] }), at('2026-11-02'));
    // 120 WD from 2026-11-02 is 2027-04-27: 9 working days of slack
    // not at risk yet (rules version 6: the bodies told of the two decisions awaited from the start)
    expect(effects.notifications.map((n) => n.kind)).toEqual(['ENTRY_STARTED', 'DECISION_DUE', 'DECISION_DUE']);
    const flip = atRiskFromDate(state, '2026-11-02');
    expect(flip).toBe('2026-11-16');
    expect(effects.wakeAt).toBe(at('2026-11-16T00:00:00Z'));
    const tr = advanceTime(state, at('2026-11-16T00:00:00Z'));
    expect(tr.effects.notifications.map((n) => [n.id, n.kind])).toEqual([['uep-P1:AT_RISK:c1', 'AT_RISK']]);
    expect(tr.effects.notifications[0]?.recipients).toEqual([{ kind: 'PARTY_CONTACT', name: 'Ann Smith', email: 'ann@acme.example' }, { kind: 'BODY', body: 'SECAS' }]);
    expect(tr.effects.searchAttributes.atRisk).toBe(true);
    expect(advanceTime(tr.state, at('2026-11-17')).effects.notifications.map((n) => n.kind)).toEqual(['SLA_REMINDER']); // ID_ALLOCATION, not a second AT_RISK
    const back = applyCommand(tr.state, decide('DCC_GATEWAY', 'LIVE', DCC), at('2026-11-17'));
    if (!back.ok) throw new Error('refused');
    expect(back.effects.notifications.map((n) => n.id)).toEqual(['uep-P1:SLA_REMINDER:ID_ALLOCATION:a1', 'uep-P1:SUBMISSION_DUE:s3', 'uep-P1:BACK_ON_TRACK:c2']);
  });
});

describe('effects', () => {
  it('applyCommand emits what fell due before the command, so nothing is lost', () => {
    const s0 = withGroundwork({ ...quiet, reminderOffsetsDays: [30] }, at('2030-01-01'));
    const out = applyCommand(s0, decide('DCC_GATEWAY', 'LIVE', DCC), at('2030-06-10'));
    if (!out.ok) throw new Error('refused');
    expect(out.effects.notifications.map((n) => n.id)).toEqual([
      'uep-P1:SLA_REMINDER:DCC_GATEWAY:a1',
      'uep-P1:SLA_ESCALATION:DCC_GATEWAY:a1',
      'uep-P1:MANDATE_REMINDER:d30:v1',
      'uep-P1:AT_RISK:c1', // 120 working days from 2030-06-10 end after 2030-06-30
      'uep-P1:SUBMISSION_DUE:s4', // the act itself opened SMKI_SREPT for the Party
    ]);
  });

  it('wakeAt is never in the past, even for a duplicate answered late', () => {
    const s0 = withGroundwork({ ...quiet }, at('2030-01-01'));
    const cmd = decide('DCC_GATEWAY', 'LIVE', DCC);
    const first = must(s0, cmd, at('2030-01-02')).state;
    const dup = applyCommand(first, cmd, at('2030-06-29'));
    if (!dup.ok) throw new Error('refused');
    expect(dup.duplicate).toBe(true);
    expect(dup.effects.wakeAt).toBe(at('2030-06-29'));
  });

  it('search attributes are complete', () => {
    const s = withGroundwork({ mandateDeadline: '2027-06-30' }, at('2026-11-02'));
    const { searchAttributes: sa, wakeAt } = advanceTime(s, at('2026-11-02')).effects;
    expect(sa).toEqual({
      partyId: 'P1',
      partyName: 'ACME Energy',
      cohort: 'SMALL_NON_DOMESTIC_SUPPLIER',
      roles: ['IMPORT_SUPPLIER', 'GAS_SUPPLIER'],
      status: 'IN_PROGRESS',
      awaitedBodies: ['DCC', 'PARTY'],
      openStages: ['SECURITY_ASSESSMENT', 'CREDIT_COVER', 'DCC_GATEWAY', 'USER_ID'],
      mandateDeadline: '2027-06-30T00:00:00.000Z',
      // the instant it next acts: the DCC's reminder at 09:00 the working day after its decision was due (2026-11-30)
      nextDeadline: '2026-12-01T09:00:00.000Z',
      atRisk: false,
      inBreach: false,
    });
    expect(sa.nextDeadline).toBe(new Date(wakeAt ?? 0).toISOString());
    // rules version 3 wrote 00:00 of the due date, hours before the entry would act: "UepNextDeadline < now" listed it as stuck
    const v3 = withGroundwork({ mandateDeadline: '2027-06-30' }, at('2026-11-02'), RULES_VERSION.V3);
    expect(advanceTime(v3, at('2026-11-02')).effects.searchAttributes.nextDeadline).toBe('2026-11-30T00:00:00.000Z');
  });
});

describe('summary', () => {
  it('headline, awaited, next deadline, stages with dates', () => {
    let s = withGroundwork({ mandateDeadline: '2027-06-30' }, at('2026-11-02'));
    s = must(s, submit('USER_ID', 'GAS_SUPPLIER'), at('2026-11-03')).state;
    const sum = summarise(s, at('2026-11-04'));
    const forecast = addWorkingDays('2026-11-04', 120);
    expect(forecast).toBe('2027-04-28');
    expect(sum.headline).toBe(
      'ACME Energy: 2/2 roles pending; awaiting the DCC (User ID acceptance for Gas Supplier, due 10 Nov 2026) (+4 more open); forecast 28 Apr 2027; mandate 30 Jun 2027',
    );
    expect(sum.nextDeadline).toEqual({ at: '2026-11-10T00:00:00.000Z', what: "the DCC's decision on User ID acceptance for Gas Supplier" });
    // an entry under rules version 6 keeps its codes and ISO dates
    const v6 = summarise({ ...s, rulesVersion: RULES_VERSION.V6 }, at('2026-11-04'));
    expect(v6.headline).toBe(`ACME Energy: 2/2 roles pending; awaiting DCC (USER_ID for GAS_SUPPLIER, due 2026-11-10) (+4 more open); forecast ${forecast}; mandate 2027-06-30`);
    expect(v6.nextDeadline).toEqual({ at: '2026-11-10T00:00:00.000Z', what: 'DCC decision on USER_ID for GAS_SUPPLIER' });
    expect(sum.awaitedBodies).toEqual(['DCC', 'PARTY']);
    const userId = sum.roleStages[1]?.stages.find((x) => x.stage === 'USER_ID');
    expect(userId).toMatchObject({ state: 'AWAITING_DECISION', awaiting: 'DCC', awaitingSince: '2026-11-03T10:00:00.000Z', dueBy: '2026-11-10', owner: 'DCC', secRef: 'H1 (User IDs)' });
    expect(sum.partyStages[0]).toMatchObject({ stage: 'ACCESSION', state: 'DONE', doneAt: '2026-10-01', outcome: 'ACCEDED' });
    expect(sum).toMatchObject({ entryId: 'uep-P1', catalogueVersion: 'v1', calendarVersion: 'ew-2026-11', deadlineVersion: 1, startedAt: '2026-11-02T10:00:00.000Z' });
  });

  it('headline when only the party is awaited, and with a shared resource provider', () => {
    const s = withGroundwork({ mandateDeadline: null, sharedResourceProvider: 'SR Ltd', roles: ['GAS_SUPPLIER'] }, at('2026-11-02'));
    const s1 = must(s, decide('DCC_GATEWAY', 'VIA_SHARED_RESOURCE', DCC), at('2026-11-02')).state;
    const sum = summarise(s1, at('2026-11-02'));
    expect(sum.headline).toMatch(/^ACME Energy: 1\/1 roles pending; awaiting the Party \(User Security Assessment \(FUSA\): the User Security Assessment report\) \(\+3 more open\); forecast \d{1,2} [A-Z][a-z]{2} \d{4}; mandate none$/);
    expect(sum.sharedResourceProvider).toBe('SR Ltd');
    expect(sum.nextDeadline).toBeNull();
    expect(sum.awaitedBodies).toEqual(['PARTY']);
  });

  it('headline when nothing is awaited cannot happen in v1 while in progress; AT RISK flag shows', () => {
    const s = started({ mandateDeadline: '2027-01-10', roles: ['GAS_SUPPLIER'] }, at('2026-11-02'));
    expect(summarise(s, at('2026-11-02')).headline).toContain('; AT RISK');
  });

  it('drive helper runs a whole entry without refusals', () => {
    const r = drive({ input: input({ roles: ['GAS_SUPPLIER'], mandateDeadline: null }), now: at('2026-11-02') }, [{ now: at('2026-11-03'), command: decide('ACCESSION', 'ACCEDED', SECAS) }]);
    expect(r.state.stages.find((x) => x.stage === 'ACCESSION')?.state).toBe('DONE');
  });
});
