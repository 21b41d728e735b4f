/**
 * Meetings as data: a stage decided at a meeting (catalogue v2) waits for the first meeting whose
 * paper cut-off follows its submission; its forecast, its chasers and its words follow that
 * meeting; a new calendar version moves it and tells the Party and SECAS.
 */
import { applyCommand, entryView, startEntry, summarise, workingDaysBetween, type EntryState, type MeetingCalendar, type StageId, type StartEntryInput } from '../../domain';
import { calendarHeldIn, calendarProblem, meetingFor, meetingPhrase } from '../../domain/meetings';
import { pendingTimedItems } from '../../domain/reminders';
import { at, input, must, OPS, PANEL, PARTY, SECAS, stageOf, submit } from './domain-fixtures';

const PANEL_JAN = { id: 'PANEL-2027-01', body: 'SEC_PANEL', date: '2027-01-14', papersBy: '2027-01-05' } as const;
const PANEL_FEB = { id: 'PANEL-2027-02', body: 'SEC_PANEL', date: '2027-02-11', papersBy: '2027-02-02' } as const;
const SSC_JAN = { id: 'SSC-2027-01', body: 'SSC', date: '2027-01-06', papersBy: '2026-12-30' } as const;
const calendar = (version: number, ...meetings: MeetingCalendar['meetings']): MeetingCalendar => ({ version, meetings });
const CAL1 = calendar(1, PANEL_JAN, PANEL_FEB, SSC_JAN);

/** A one-role v2 entry whose security fieldwork is done: the Party's Response is due next. */
function atResponse(overrides: Partial<StartEntryInput> = {}): EntryState {
  return startEntry(
    input({
      catalogueVersion: 'v2',
      roles: ['IMPORT_SUPPLIER'],
      mandateDeadline: null,
      meetings: CAL1,
      completedStages: [
        { stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' },
        { stage: 'SECURITY_FIELDWORK', outcome: 'REPORT_ISSUED', at: '2026-11-20' },
        ...(['ID_ALLOCATION:ALLOCATED', 'CREDIT_COVER:LODGED', 'DCC_GATEWAY:LIVE', 'SMKI_SREPT:PASSED'] as const).map((s) => ({
          stage: s.split(':')[0] as StageId,
          outcome: s.split(':')[1]!,
          at: '2026-11-20',
        })),
        { stage: 'USER_ID', role: 'IMPORT_SUPPLIER', outcome: 'ACCEPTED', at: '2026-11-21' },
        { stage: 'UEPT', role: 'IMPORT_SUPPLIER', outcome: 'PASSED', at: '2026-11-22' },
      ],
      ...overrides,
    }),
    at('2026-12-01'),
  ).state;
}

describe('the meeting a decision waits for', () => {
  it('is the first of its body, not cancelled, whose cut-off is on or after the submission', () => {
    expect(meetingFor(CAL1, 'SEC_PANEL', '2027-01-05')?.id).toBe('PANEL-2027-01');
    expect(meetingFor(CAL1, 'SEC_PANEL', '2027-01-06')?.id).toBe('PANEL-2027-02');
    expect(meetingFor(calendar(2, { ...PANEL_JAN, cancelled: true }, PANEL_FEB), 'SEC_PANEL', '2026-12-01')?.id).toBe('PANEL-2027-02');
    expect(meetingFor(CAL1, 'SEC_PANEL', '2027-02-03')).toBeUndefined();
    expect(meetingFor(undefined, 'SEC_PANEL', '2027-01-01')).toBeUndefined();
  });

  it('reads as people write it', () => {
    expect(meetingPhrase(PANEL_JAN)).toBe('next Panel 14 Jan 2027 (papers by 5 Jan)');
    expect(meetingPhrase(SSC_JAN)).toBe('next SSC 6 Jan 2027 (papers by 30 Dec 2026)');
  });

  it('a calendar with papers due after its meeting, or an id twice, is refused', () => {
    expect(calendarProblem(calendar(1, { ...PANEL_JAN, papersBy: '2027-01-15' }))).toMatch(/after the meeting/);
    expect(calendarProblem(calendar(1, PANEL_JAN, PANEL_JAN))).toMatch(/twice/);
    expect(calendarProblem(CAL1)).toBeUndefined();
  });
});

describe('a security status submitted for a Panel meeting', () => {
  it('submitted before the cut-off: due and forecast at that meeting, shown with it in the inbox line and the headline', () => {
    const state = must(atResponse(), submit('SECURITY_ASSESSMENT'), at('2027-01-04')).state;
    expect(stageOf(state, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'AWAITING_DECISION', slaDue: '2027-01-14', meeting: { id: 'PANEL-2027-01' } });
    const summary = summarise(state, at('2027-01-04'));
    const stage = summary.partyStages.find((s) => s.stage === 'SECURITY_ASSESSMENT');
    expect(stage?.meeting).toEqual({ body: 'SEC_PANEL', date: '2027-01-14', papersBy: '2027-01-05' });
    expect(stage?.expected).toBe('The SEC Panel decides at the next Panel 14 Jan 2027 (papers by 5 Jan): Approved, Approved subject to, Deferred or Rejected');
    // the rest of the role is done but completion (20 WD after the status): the forecast follows the meeting
    expect(entryView(state, at('2027-01-04')).roleRemaining.get('IMPORT_SUPPLIER')).toBe(workingDaysBetween('2027-01-04', '2027-01-14') + 20);
    expect(summary.headline).toContain('next Panel 14 Jan 2027 (papers by 5 Jan)');
  });

  it('submitted after the cut-off: due and forecast at the next meeting', () => {
    const before = must(atResponse(), submit('SECURITY_ASSESSMENT'), at('2027-01-05')).state;
    const after = must(atResponse(), submit('SECURITY_ASSESSMENT'), at('2027-01-06')).state;
    expect(stageOf(before, 'SECURITY_ASSESSMENT').slaDue).toBe('2027-01-14');
    expect(stageOf(after, 'SECURITY_ASSESSMENT')).toMatchObject({ slaDue: '2027-02-11', meeting: { id: 'PANEL-2027-02' } });
    const security = (s: EntryState) => entryView(s, at('2027-01-06')).roleRemaining.get('IMPORT_SUPPLIER') ?? 0;
    // the February meeting is 20 working days after the January one: the forecast is that much later
    expect(security(after) - security(before)).toBe(20);
  });

  it('the Panel is chased the working day after its meeting, not after a number of working days', () => {
    const state = must(atResponse(), submit('SECURITY_ASSESSMENT'), at('2027-01-04')).state;
    const reminder = pendingTimedItems(state, at('2027-01-04')).find((i) => i.id.includes('SLA_REMINDER:SECURITY_ASSESSMENT'));
    expect(new Date(reminder?.at ?? 0).toISOString()).toBe('2027-01-15T09:00:00.000Z');
    expect(reminder?.build().body).toContain('ran to 14 Jan 2027');
  });

  it('without a meeting in the calendar, the response time applies', () => {
    const state = must(atResponse({ meetings: calendar(1) }), submit('SECURITY_ASSESSMENT'), at('2027-01-04')).state;
    expect(stageOf(state, 'SECURITY_ASSESSMENT').meeting).toBeUndefined();
    expect(stageOf(state, 'SECURITY_ASSESSMENT').slaDue).toBe('2027-02-01'); // 20 working days
  });
});

describe('a new version of the calendar', () => {
  const waiting = () => must(atResponse(), submit('SECURITY_ASSESSMENT'), at('2027-01-04')).state;

  it('a meeting moved moves the decision and its forecast, and tells the Party and SECAS once', () => {
    const moved = must(waiting(), { type: 'UPDATE_MEETINGS', calendar: calendar(2, { ...PANEL_JAN, date: '2027-01-21', papersBy: '2027-01-12' }, PANEL_FEB), principal: SECAS }, at('2027-01-07'));
    expect(stageOf(moved.state, 'SECURITY_ASSESSMENT')).toMatchObject({ slaDue: '2027-01-21', meeting: { date: '2027-01-21' } });
    const told = moved.notifications.filter((n) => n.kind === 'MEETING_MOVED');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ id: 'uep-P1:MEETING_MOVED:SECURITY_ASSESSMENT:m2', recipients: [{ kind: 'PARTY_CONTACT' }, { kind: 'BODY', body: 'SECAS' }], deadline: '2027-01-21' });
    expect(told[0]?.body).toContain('was expected at the Panel 14 Jan 2027 (papers by 5 Jan); it is now expected at the next Panel 21 Jan 2027 (papers by 12 Jan)');
    const days = (s: EntryState) => entryView(s, at('2027-01-07')).roleRemaining.get('IMPORT_SUPPLIER') ?? 0;
    expect(days(moved.state) - days(waiting())).toBe(5);
    expect(moved.state.audit.at(-1)).toMatchObject({ action: 'MEETINGS_UPDATED', principal: { body: 'SECAS' } });
  });

  it('a meeting cancelled sends the decision to the next one; a change elsewhere tells no one', () => {
    const cancelled = must(waiting(), { type: 'UPDATE_MEETINGS', calendar: calendar(2, { ...PANEL_JAN, cancelled: true }, PANEL_FEB, SSC_JAN), principal: OPS }, at('2027-01-07'));
    expect(stageOf(cancelled.state, 'SECURITY_ASSESSMENT').slaDue).toBe('2027-02-11');
    expect(cancelled.notifications.filter((n) => n.kind === 'MEETING_MOVED')).toHaveLength(1);
    const elsewhere = must(waiting(), { type: 'UPDATE_MEETINGS', calendar: calendar(2, PANEL_JAN, PANEL_FEB, { ...SSC_JAN, date: '2027-01-07' }), principal: SECAS }, at('2027-01-07'));
    expect(elsewhere.notifications.filter((n) => n.kind === 'MEETING_MOVED')).toEqual([]);
  });

  it('only SECAS or OPS, only a newer version, only a sound calendar', () => {
    const state = waiting();
    const refusal = (principal: typeof SECAS, cal: MeetingCalendar) => {
      const r = applyCommand(state, { type: 'UPDATE_MEETINGS', calendar: cal, principal }, at('2027-01-07'));
      return r.ok ? null : r.refusal.code;
    };
    expect(refusal(PANEL, calendar(2))).toBe('WRONG_BODY');
    expect(refusal(PARTY, calendar(2))).toBe('WRONG_BODY');
    expect(refusal(SECAS, calendar(1))).toBe('INVALID_INPUT');
    expect(refusal(SECAS, calendar(2, { ...PANEL_JAN, papersBy: '2027-02-01' }))).toBe('INVALID_INPUT');
    expect(refusal(SECAS, calendar(2))).toBeNull();
  });

  it('a version held already, or an older one, is refused in words that say which it holds (a push counts it done); no other refusal says so', () => {
    const state = must(waiting(), { type: 'UPDATE_MEETINGS', calendar: calendar(3), principal: SECAS }, at('2027-01-07')).state;
    const message = (principal: typeof SECAS, cal: MeetingCalendar) => {
      const r = applyCommand(state, { type: 'UPDATE_MEETINGS', calendar: cal, principal }, at('2027-01-08'));
      return r.ok ? null : r.refusal.message;
    };
    expect([3, 2].map((v) => calendarHeldIn(message(SECAS, calendar(v)) ?? ''))).toEqual([3, 3]);
    expect(calendarHeldIn(message(PANEL, calendar(4)) ?? '')).toBeUndefined();
    expect(calendarHeldIn(message(SECAS, calendar(4, { ...PANEL_JAN, papersBy: '2027-02-01' })) ?? '')).toBeUndefined();
  });

  it('a v1 entry takes the calendar and nothing of it changes', () => {
    const v1 = startEntry(input({ meetings: CAL1, mandateDeadline: null }), at('2026-12-01')).state;
    const r = must(v1, { type: 'UPDATE_MEETINGS', calendar: calendar(2), principal: SECAS }, at('2026-12-02'));
    expect(r.notifications).toEqual([]);
    expect(r.state.stages).toEqual(v1.stages);
  });
});

describe('the Party’s turn names the meeting', () => {
  it('SUBMISSION_DUE says the decision is taken at the first meeting whose cut-off follows the submission, and which one that is today', () => {
    let state = startEntry(
      input({ catalogueVersion: 'v2', roles: ['IMPORT_SUPPLIER'], mandateDeadline: null, meetings: CAL1, completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' }] }),
      at('2026-12-01'),
    ).state;
    state = must(state, submit('SECURITY_FIELDWORK'), at('2026-12-02')).state;
    const due = must(state, { type: 'RECORD_DECISION', decisionId: 'cio-1', stage: 'SECURITY_FIELDWORK', outcome: 'REPORT_ISSUED', evidence: 'USAR-1', principal: SECAS }, at('2026-12-03')).notifications.find(
      (n) => n.kind === 'SUBMISSION_DUE',
    );
    expect(due?.body).toContain('the SEC Panel on User Security Assessment: the Party’s Response and the Panel’s status at the first meeting whose paper cut-off follows your submission (submitted today: the next Panel 14 Jan 2027 (papers by 5 Jan))');
  });
});
