/**
 * The bodies told when work arrives (rules version 6): a stage that starts awaiting the DCC's, the
 * SEC Panel's or SECAS's decision sends that body one DECISION_DUE: the Party, the stage and role
 * in words, what the Party submitted, when the decision is due (or the meeting it is taken at).
 * Once per attempt; never under older rules.
 */
import { applyCommand, RULES_VERSION, startEntry, upgradeRules, type EntryCommand, type EntryState, type MeetingCalendar, type Notification, type RulesVersion } from '../../domain';
import { at, decide, drive, input, must, PANEL, SECAS, started, stageOf, submit } from './domain-fixtures';

const dueNotices = (ns: Notification[]) => ns.filter((n) => n.kind === 'DECISION_DUE');
const idsOf = (ns: Notification[]) => dueNotices(ns).map((n) => n.id);

/** Acceded on 2026-11-03 (one role): credit cover and the security assessment await the Party's submissions. */
function acceded(rules?: RulesVersion): EntryState {
  const state = started({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2027-09-30' }, at('2026-11-02'), rules);
  return must(state, decide('ACCESSION', 'ACCEDED', SECAS), at('2026-11-03')).state;
}

describe('DECISION_DUE: a body told when a stage starts awaiting its decision', () => {
  it('at the start: SECAS, for the accession it decides first; nothing for the stages awaiting the Party', () => {
    const { effects, state } = startEntry(input({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2027-09-30' }), at('2026-11-02'));
    expect(effects.notifications.map((n) => n.kind)).toEqual(['ENTRY_STARTED', 'DECISION_DUE']);
    const [n] = dueNotices(effects.notifications);
    expect(n).toMatchObject({
      id: 'uep-P1:DECISION_DUE:ACCESSION:a1',
      recipients: [{ kind: 'BODY', body: 'SECAS' }],
      stage: 'ACCESSION',
      awaitedBody: 'SECAS',
      deadline: '2026-11-16',
      workingDaysLeft: 10,
      subject: "ACME Energy: Accession to the SEC awaits SECAS's decision, due 16 Nov 2026",
    });
    expect(stageOf(state, 'ACCESSION').slaDue).toBe('2026-11-16');
    expect(n).not.toHaveProperty('reference');
    expect(n?.body).toBe(
      "Accession to the SEC (SEC B1, H1.2) for ACME Energy (P1) now awaits SECAS's decision. Nothing is submitted by the Party for this stage: the next step is yours. " +
        "Your decision is due by 16 Nov 2026, within 10 working days (this deployment's service level). Decide in the console, on the entry's page (the link below), with the outcome and its evidence.",
    );
  });

  it('a decision that opens stages for their owners: each owner told of each, beside the Party told of its turn', () => {
    const state = started({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2027-09-30' });
    const { notifications } = must(state, decide('ACCESSION', 'ACCEDED', SECAS), at('2026-11-03'));
    expect(notifications.map((n) => n.id)).toEqual(['uep-P1:SUBMISSION_DUE:s2', 'uep-P1:DECISION_DUE:ID_ALLOCATION:a1', 'uep-P1:DECISION_DUE:DCC_GATEWAY:a1']);
    expect(dueNotices(notifications).map((n) => n.recipients)).toEqual([[{ kind: 'BODY', body: 'SECAS' }], [{ kind: 'BODY', body: 'DCC' }]]);
  });

  it('the Party submits its credit cover: the DCC gets one notice naming the Party, the stage, the reference and the due date', () => {
    const { notifications, state } = must(acceded(), { ...(submit('CREDIT_COVER') as Extract<EntryCommand, { type: 'SUBMIT_EVIDENCE' }>), comment: 'letter of credit attached' }, at('2026-11-05'));
    expect(notifications.map((n) => n.kind)).toEqual(['DECISION_DUE']);
    const [n] = notifications;
    const reference = stageOf(state, 'CREDIT_COVER').reference;
    expect(n).toMatchObject({ id: 'uep-P1:DECISION_DUE:CREDIT_COVER:a1', recipients: [{ kind: 'BODY', body: 'DCC' }], stage: 'CREDIT_COVER', awaitedBody: 'DCC', reference, deadline: '2026-11-19' });
    expect(n?.subject).toBe("ACME Energy: Credit Cover awaits the DCC's decision, due 19 Nov 2026");
    expect(n?.body).toBe(
      `Credit Cover (SEC J3) for ACME Energy (P1) now awaits the DCC's decision. ACME Energy submitted confirmation that Credit Support is lodged on 5 Nov 2026: reference "${reference ?? ''}", with the comment "letter of credit attached". ` +
        "Your decision is due by 19 Nov 2026, within 10 working days (this deployment's service level). Decide in the console, on the entry's page (the link below), with the outcome and its evidence.",
    );
  });

  it('a role stage names its role in words; a submission SECAS made for the Party says so', () => {
    let state = acceded();
    state = must(state, decide('ID_ALLOCATION', 'ALLOCATED', SECAS), at('2026-11-04')).state;
    const { notifications } = must(state, submit('USER_ID', 'GAS_SUPPLIER', SECAS), at('2026-11-05'));
    const [n] = dueNotices(notifications);
    expect(n?.id).toBe('uep-P1:DECISION_DUE:USER_ID.GAS_SUPPLIER:a1');
    expect(n?.role).toBe('GAS_SUPPLIER');
    expect(n?.subject).toMatch(/^ACME Energy: .+, for the Gas Supplier role awaits the DCC's decision, due /);
    expect(n?.body).toContain(', for the Gas Supplier role (SEC ');
    expect(n?.body).toContain('SECAS, for ACME Energy, submitted ');
  });

  it('a decision taken at a meeting (catalogue v2): the notice names the meeting, and its date is the deadline', () => {
    const meetings: MeetingCalendar = { version: 1, meetings: [{ id: 'PANEL-2027-01', body: 'SEC_PANEL', date: '2027-01-14', papersBy: '2027-01-05' }] };
    const start = startEntry(
      input({
        catalogueVersion: 'v2',
        roles: ['IMPORT_SUPPLIER'],
        mandateDeadline: null,
        meetings,
        completedStages: [
          { stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' },
          { stage: 'SECURITY_FIELDWORK', outcome: 'REPORT_ISSUED', at: '2026-11-20' },
        ],
      }),
      at('2026-12-01'),
    );
    const { notifications } = must(start.state, submit('SECURITY_ASSESSMENT'), at('2027-01-04'));
    const [n] = dueNotices(notifications);
    expect(n).toMatchObject({ recipients: [{ kind: 'BODY', body: 'SEC_PANEL' }], deadline: '2027-01-14' });
    expect(n?.subject).toBe("ACME Energy: User Security Assessment: the Party’s Response and the Panel’s status awaits the SEC Panel's decision, at the next Panel 14 Jan 2027 (papers by 5 Jan)");
    expect(n?.body).toContain('It is decided at the next Panel 14 Jan 2027 (papers by 5 Jan).');
  });

  it('once per attempt: later acts never repeat it; the stage sent back and submitted again is a new attempt, told again', () => {
    const state = must(acceded(), submit('SECURITY_ASSESSMENT'), at('2026-11-05')).state;
    expect(state.sentNotificationIds.filter((id) => id.includes(':DECISION_DUE:SECURITY_ASSESSMENT:'))).toEqual(['uep-P1:DECISION_DUE:SECURITY_ASSESSMENT:a1']);
    // acts that leave it awaiting the Panel tell nobody of it again
    const amended = must(state, { type: 'AMEND_DEADLINE', deadline: '2027-10-31', reason: 'consultation', principal: SECAS }, at('2026-11-06'));
    expect(idsOf(amended.notifications)).toEqual([]);
    const credit = must(amended.state, submit('CREDIT_COVER'), at('2026-11-06'));
    expect(idsOf(credit.notifications)).toEqual(['uep-P1:DECISION_DUE:CREDIT_COVER:a1']);
    // the Panel rejects: the Party's turn again (attempt 2), no body told; its new report: the Panel told again, attempt 2
    const rejected = must(credit.state, decide('SECURITY_ASSESSMENT', 'REJECTED', PANEL), at('2026-11-10'));
    expect(idsOf(rejected.notifications)).toEqual([]);
    const resubmitted = must(rejected.state, submit('SECURITY_ASSESSMENT'), at('2026-11-12'));
    expect(idsOf(resubmitted.notifications)).toEqual(['uep-P1:DECISION_DUE:SECURITY_ASSESSMENT:a2']);
    expect(dueNotices(resubmitted.notifications)[0]?.subject).toBe("ACME Energy: User Security Assessment (FUSA) awaits the SEC Panel's decision (attempt 2), due 10 Dec 2026");
  });

  it('a retried command (the same id) is answered with no notice', () => {
    const command = submit('CREDIT_COVER');
    const first = must(acceded(), command, at('2026-11-05'));
    const again = applyCommand(first.state, command, at('2026-11-06'));
    expect(again).toMatchObject({ ok: true, duplicate: true });
    if (again.ok) expect(again.effects.notifications).toEqual([]);
  });

  it('an entry complete at its start tells no body of the stages left open in it', () => {
    const done = startEntry(input({ roles: ['OTHER_USER'], completedStages: [{ stage: 'UEP_COMPLETION', role: 'OTHER_USER', outcome: 'CONFIRMED', at: '2026-10-01' }] }), at('2026-11-02'));
    expect(done.state.status).toBe('COMPLETE');
    expect(stageOf(done.state, 'ACCESSION').state).toBe('AWAITING_DECISION');
    expect(idsOf(done.effects.notifications)).toEqual([]);
  });
});

describe('DECISION_DUE and older rules', () => {
  it('is never sent under rules version 5 (an entry not yet moved on)', () => {
    const { state, notifications } = drive({ input: input({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2027-09-30' }), now: at('2026-11-02'), rules: RULES_VERSION.V5 }, [
      { now: at('2026-11-03'), command: decide('ACCESSION', 'ACCEDED', SECAS) },
      { now: at('2026-11-05'), command: submit('CREDIT_COVER') },
      { now: at('2026-11-05'), command: submit('SECURITY_ASSESSMENT') },
    ]);
    expect(stageOf(state, 'CREDIT_COVER').state).toBe('AWAITING_DECISION');
    expect(idsOf(notifications)).toEqual([]);
    expect(state.sentNotificationIds.filter((id) => id.includes('DECISION_DUE'))).toEqual([]);
  });

  it('an entry moved onto version 6 while running is told of the stages that start awaiting from then on, not of those already waiting', () => {
    const v5 = acceded(RULES_VERSION.V5);
    expect(['ID_ALLOCATION', 'DCC_GATEWAY'].map((s) => stageOf(v5, s as 'ID_ALLOCATION' | 'DCC_GATEWAY').state)).toEqual(['AWAITING_DECISION', 'AWAITING_DECISION']);
    const moved = upgradeRules(v5, RULES_VERSION.V6);
    const { notifications } = must(moved, submit('CREDIT_COVER'), at('2026-11-05'));
    expect(idsOf(notifications)).toEqual(['uep-P1:DECISION_DUE:CREDIT_COVER:a1']);
  });
});
