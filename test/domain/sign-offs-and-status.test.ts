/**
 * Issue 15, "Sign-offs and status": what an entry says about itself must be true. Each test
 * failed under rules version 1 (the behaviour kept for entries started before the
 * uep-rules-v2 patch) and passes under version 2.
 */
import {
  advanceTime,
  applyCommand,
  isWorkingDay,
  startWarnings,
  summarise,
  workingDaysBetween,
  RULES_VERSION,
  type EntryState,
  type Notification,
} from '../../domain';
import { at, decide, input, must, OPS, PANEL, started, submit, withGroundwork } from './domain-fixtures';

function runUntil(state: EntryState, from: number, until: number): { state: EntryState; notifications: Notification[] } {
  let s = state;
  let wake = advanceTime(s, from).effects.wakeAt;
  const notifications: Notification[] = [];
  while (wake !== null && wake <= until) {
    const tr = advanceTime(s, wake);
    s = tr.state;
    notifications.push(...tr.effects.notifications);
    wake = tr.effects.wakeAt;
  }
  return { state: s, notifications };
}

describe('next deadline', () => {
  // ELECTRICITY_DNO's default mandate date, 2018-01-21, is long past: the entry is in breach from its start.
  const dno = { cohort: 'ELECTRICITY_DNO' as const, roles: ['ELECTRICITY_DISTRIBUTOR' as const] };

  it('an entry in breach shows the next thing due, never the passed mandate date', () => {
    const s0 = started(dno, at('2026-11-02T10:00:00Z'), RULES_VERSION.V2);
    const first = advanceTime(s0, at('2026-11-02T10:00:00Z'));
    expect(first.effects.searchAttributes.inBreach).toBe(true);
    // the first weekly breach reminder (Monday 2026-11-09) comes before SECAS's accession decision (due 2026-11-16)
    expect(first.effects.searchAttributes.nextDeadline).toBe('2026-11-09T00:00:00.000Z');
    expect(summarise(s0, at('2026-11-02T10:00:00Z')).nextDeadline).toEqual({ at: '2026-11-09T00:00:00.000Z', what: 'weekly breach reminder (week 1)' });
    const later = runUntil(s0, at('2026-11-02T10:00:00Z'), at('2026-11-10T10:00:00Z'));
    expect(summarise(later.state, at('2026-11-10T10:00:00Z')).nextDeadline).toEqual({ at: '2026-11-16T00:00:00.000Z', what: 'SECAS decision on ACCESSION' });
    // once the decision is overdue, what is next is the day it is twice over its target (OPS is told)
    const overdue = runUntil(later.state, at('2026-11-10T10:00:00Z'), at('2026-11-17T10:00:00Z'));
    expect(summarise(overdue.state, at('2026-11-17T10:00:00Z')).nextDeadline).toEqual({ at: '2026-11-23T00:00:00.000Z', what: 'weekly breach reminder (week 3)' });
    expect(summarise(overdue.state, at('2026-11-24T10:00:00Z')).nextDeadline).toEqual({ at: '2026-11-30T00:00:00.000Z', what: 'SECAS decision on ACCESSION, twice over its response target' });
  });

  it('breached entries sort by what is next for each, not all on the mandate date', () => {
    const a = started({ ...dno, partyId: 'A' }, at('2026-11-02T10:00:00Z'), RULES_VERSION.V2);
    const b = started({ ...dno, partyId: 'B' }, at('2026-11-05T10:00:00Z'), RULES_VERSION.V2);
    const now = at('2026-11-05T11:00:00Z');
    expect(advanceTime(a, now).effects.searchAttributes.nextDeadline).not.toBe(advanceTime(b, now).effects.searchAttributes.nextDeadline);
  });

  it('under rules version 1 (entries started before the patch) it stays the earliest outstanding date', () => {
    const s0 = started(dno, at('2026-11-02T10:00:00Z'), RULES_VERSION.V1);
    expect(advanceTime(s0, at('2026-11-02T10:00:00Z')).effects.searchAttributes.nextDeadline).toBe('2018-01-21T00:00:00.000Z');
  });
});

describe('weekly breach reminders', () => {
  it('land on working days: a Saturday moves to the Monday, Christmas and New Year to the next working day', () => {
    // deadline Friday 2030-07-05: breach Saturday 2030-07-06; weekly Saturdays move to Mondays
    const summer = withGroundwork({ mandateDeadline: '2030-07-05', reminderOffsetsDays: [], roles: ['GAS_SUPPLIER'] }, at('2030-06-03'), RULES_VERSION.V2);
    const july = runUntil(summer, at('2030-06-03'), at('2030-07-30T23:00:00Z')).notifications.filter((n) => n.kind === 'BREACH_REMINDER');
    expect(july.map((n) => `${n.dueAt} ${n.id}`)).toEqual([
      '2030-07-15T09:00:00.000Z uep-P1:BREACH_REMINDER:w1:v1',
      '2030-07-22T09:00:00.000Z uep-P1:BREACH_REMINDER:w2:v1',
      '2030-07-29T09:00:00.000Z uep-P1:BREACH_REMINDER:w3:v1',
    ]);
    // deadline 2030-12-17: breach Wednesday 12-18; 12-25 and 2031-01-01 are bank holidays (12-26 too)
    const winter = withGroundwork({ mandateDeadline: '2030-12-17', reminderOffsetsDays: [], roles: ['GAS_SUPPLIER'] }, at('2030-11-04'), RULES_VERSION.V2);
    const christmas = runUntil(winter, at('2030-11-04'), at('2031-01-09T23:00:00Z')).notifications.filter((n) => n.kind === 'BREACH_REMINDER');
    expect(christmas.map((n) => n.dueAt.slice(0, 10))).toEqual(['2030-12-27', '2031-01-02', '2031-01-08']);
    for (const n of [...july, ...christmas]) expect(isWorkingDay(n.dueAt.slice(0, 10), winter.calendarVersion)).toBe(true);
  });

  it('under rules version 1 they fell on Saturdays', () => {
    const summer = withGroundwork({ mandateDeadline: '2030-07-05', reminderOffsetsDays: [], roles: ['GAS_SUPPLIER'] }, at('2030-06-03'), RULES_VERSION.V1);
    const july = runUntil(summer, at('2030-06-03'), at('2030-07-21T23:00:00Z')).notifications.filter((n) => n.kind === 'BREACH_REMINDER');
    expect(july.map((n) => n.dueAt)).toEqual(['2030-07-13T09:00:00.000Z', '2030-07-20T09:00:00.000Z']);
  });
});

describe('forecast after a rework', () => {
  const otherUser = {
    roles: ['OTHER_USER' as const],
    mandateDeadline: '2028-01-01',
    completedStages: [
      { stage: 'ACCESSION' as const, outcome: 'ACCEDED', at: '2026-10-01' },
      { stage: 'ID_ALLOCATION' as const, outcome: 'ALLOCATED', at: '2026-10-10' },
      { stage: 'DCC_GATEWAY' as const, outcome: 'LIVE', at: '2026-10-10' },
      { stage: 'SMKI_SREPT' as const, outcome: 'PASSED', at: '2026-10-10' },
    ],
  };
  const forecast = (s: EntryState, date: string) => summarise(s, at(date)).forecastCompletion ?? '';

  it('a DEFERRED privacy assessment never makes the forecast earlier', () => {
    let s = started(otherUser, at('2026-11-02'), RULES_VERSION.V2);
    s = must(s, submit('PRIVACY_ASSESSMENT', 'OTHER_USER'), at('2026-11-03')).state;
    const before = forecast(s, '2026-11-04');
    s = must(s, decide('PRIVACY_ASSESSMENT', 'DEFERRED', PANEL, 'OTHER_USER'), at('2026-11-04')).state;
    expect(forecast(s, '2026-11-04') >= before).toBe(true);
    // and the same for the second deferral, and for the security assessment's DEFERRED
    s = must(s, submit('PRIVACY_ASSESSMENT', 'OTHER_USER'), at('2026-11-05')).state;
    const again = forecast(s, '2026-11-06');
    s = must(s, decide('PRIVACY_ASSESSMENT', 'PROVISIONALLY_APPROVED', PANEL, 'OTHER_USER'), at('2026-11-06')).state;
    expect(forecast(s, '2026-11-06') >= again).toBe(true);
    let g = withGroundwork({ roles: ['GAS_SUPPLIER'], mandateDeadline: null }, at('2026-11-02'), RULES_VERSION.V2);
    g = must(g, submit('SECURITY_ASSESSMENT'), at('2026-11-03')).state;
    const security = forecast(g, '2026-11-04');
    g = must(g, decide('SECURITY_ASSESSMENT', 'DEFERRED', PANEL), at('2026-11-04')).state;
    expect(forecast(g, '2026-11-04') >= security).toBe(true);
  });

  it('under rules version 1 the deferral brought it 20 working days forward (the rework counted only its 20-day SLA, not its 80)', () => {
    let s = started(otherUser, at('2026-11-02'), RULES_VERSION.V1);
    s = must(s, submit('PRIVACY_ASSESSMENT', 'OTHER_USER'), at('2026-11-03')).state;
    const before = forecast(s, '2026-11-04');
    s = must(s, decide('PRIVACY_ASSESSMENT', 'DEFERRED', PANEL, 'OTHER_USER'), at('2026-11-04')).state;
    // privacy 80 + completion 20 -> the security assessment's 60 + completion 20
    expect(workingDaysBetween(forecast(s, '2026-11-04'), before)).toBe(20);
  });
});

describe('deadline amendment', () => {
  it('one act, one message: the change of at-risk state is said in the DEADLINE_AMENDED message itself', () => {
    const s0 = withGroundwork({ mandateDeadline: '2030-12-31', roles: ['GAS_SUPPLIER'] }, at('2030-01-07'), RULES_VERSION.V2);
    expect(s0.atRisk).toBe(false);
    const near = applyCommand(s0, { type: 'AMEND_DEADLINE', deadline: '2030-03-01', reason: 'licence change', principal: OPS }, at('2030-01-08'));
    if (!near.ok) throw new Error(near.refusal.message);
    expect(near.effects.notifications.map((n) => n.kind)).toEqual(['DEADLINE_AMENDED']);
    expect(near.effects.notifications[0]?.body).toMatch(/licence change\. The forecast completion \d{4}-\d{2}-\d{2} is now after the mandate deadline: the entry is at risk\.$/);
    expect(near.effects.searchAttributes.atRisk).toBe(true);
    const far = applyCommand(near.state, { type: 'AMEND_DEADLINE', deadline: '2031-06-30', reason: 'consultation', principal: OPS }, at('2030-01-09'));
    if (!far.ok) throw new Error(far.refusal.message);
    expect(far.effects.notifications.map((n) => n.kind)).toEqual(['DEADLINE_AMENDED']);
    expect(far.effects.notifications[0]?.body).toMatch(/back on track\.$/);
    // and nothing about it afterwards either
    const after = runUntil(far.state, at('2030-01-09'), at('2030-01-20'));
    expect(after.notifications.filter((n) => n.kind === 'AT_RISK' || n.kind === 'BACK_ON_TRACK')).toEqual([]);
  });

  it('under rules version 1 it sent DEADLINE_AMENDED and AT_RISK at the same instant', () => {
    const s0 = withGroundwork({ mandateDeadline: '2030-12-31', roles: ['GAS_SUPPLIER'] }, at('2030-01-07'), RULES_VERSION.V1);
    const near = applyCommand(s0, { type: 'AMEND_DEADLINE', deadline: '2030-03-01', reason: 'licence change', principal: OPS }, at('2030-01-08'));
    if (!near.ok) throw new Error(near.refusal.message);
    expect(near.effects.notifications.map((n) => n.kind)).toEqual(['DEADLINE_AMENDED', 'AT_RISK']);
  });
});

describe('start warnings', () => {
  it('a cohort default long past is said plainly: the entry starts in breach', () => {
    expect(startWarnings(input({ cohort: 'ELECTRICITY_DNO' }), at('2026-11-02'))).toEqual([
      {
        code: 'MANDATE_DEADLINE_PASSED',
        message:
          "The electricity DNO cohort's default mandate deadline, 21 Jan 2018, has already passed: the entry starts in breach and SECAS and OPS are told at once. Give mandateDeadline (a later date, or null for none) to start otherwise.",
      },
    ]);
    expect(startWarnings(input({ mandateDeadline: '2026-11-01' }), at('2026-11-02'))[0]?.message).toMatch(/^The mandate deadline given, 1 Nov 2026, has already passed/);
  });

  it('no warning for a deadline still ahead (the last permitted day included), or none at all', () => {
    expect(startWarnings(input({ mandateDeadline: '2026-11-02' }), at('2026-11-02'))).toEqual([]);
    expect(startWarnings(input({ cohort: 'ELECTRICITY_DNO', mandateDeadline: null }), at('2026-11-02'))).toEqual([]);
    expect(startWarnings(input({ cohort: 'LARGE_SUPPLIER' }), at('2026-11-02'))).toEqual([]);
  });
});
