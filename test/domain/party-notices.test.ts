/**
 * What the Party is told it can act on (rules version 3): its entry started, its turn to submit,
 * a decision that sends its stage back. Each goes to the Party's UEP contact only, once.
 */
import { advanceTime, applyCommand, RULES_VERSION, startEntry, type Notification, type Principal } from '../../domain';
import { at, DCC, decide, input, must, PARTY, SECAS, started, stageOf, submit, withGroundwork } from './domain-fixtures';

const PANEL_MEMBER: Principal = { body: 'SEC_PANEL', id: 'panel-1', name: 'Pat Jones' };
const toParty = [{ kind: 'PARTY_CONTACT', name: 'Ann Smith', email: 'ann@acme.example' }];
const partyKinds = (ns: Notification[]) => ns.map((n) => n.kind).filter((k) => ['ENTRY_STARTED', 'SUBMISSION_DUE', 'DECISION_NEEDS_ACTION'].includes(k));

/** An entry whose security assessment awaits the SEC Panel's decision. */
function awaitingPanel() {
  let state = started({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2027-09-30' });
  state = must(state, decide('ACCESSION', 'ACCEDED', SECAS), at('2026-11-03')).state;
  return must(state, submit('SECURITY_ASSESSMENT'), at('2026-11-10')).state;
}

describe('ENTRY_STARTED', () => {
  it('tells the Party its entry started, what is under way and what it submits first', () => {
    const { effects } = startEntry(input({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2027-09-30' }), at('2026-11-02'));
    const [n] = effects.notifications;
    expect(n).toMatchObject({
      id: 'uep-P1:ENTRY_STARTED',
      kind: 'ENTRY_STARTED',
      recipients: toParty,
      subject: 'ACME Energy: your User Entry Process has started (Gas Supplier)',
      deadline: '2027-09-30',
    });
    expect(n?.body).toBe(
      'Your User Entry Process has started for Gas Supplier; the DCC User mandate deadline is 30 Sep 2027. Nothing is awaited from you yet. ' +
        'Your first submissions will be: User Security Assessment (FUSA): the User Security Assessment report; ' +
        'Credit Cover: confirmation that Credit Support is lodged; you will be told when each is due. Under way: SECAS (Accession to the SEC, due 16 Nov 2026).',
    );
  });

  it('names the submissions due at once when stages done before the start open them', () => {
    const { effects } = startEntry(input({ roles: ['GAS_SUPPLIER'], completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' }] }), at('2026-11-02'));
    const started = effects.notifications.filter((n) => n.kind === 'ENTRY_STARTED');
    expect(started).toHaveLength(1);
    expect(started[0]?.body).toContain(
      'Submit first, in the console: User Security Assessment (FUSA): the User Security Assessment report; Credit Cover: confirmation that Credit Support is lodged.',
    );
    expect(effects.notifications.filter((n) => n.kind === 'SUBMISSION_DUE')).toEqual([]); // the start message says it
  });

  it('is not sent under older rules, nor for an entry complete at its start', () => {
    expect(startEntry(input(), at('2026-11-02'), RULES_VERSION.V2).effects.notifications.filter((n) => n.kind === 'ENTRY_STARTED')).toEqual([]);
    const done = startEntry(
      input({
        roles: ['OTHER_USER'],
        completedStages: [{ stage: 'UEP_COMPLETION', role: 'OTHER_USER', outcome: 'CONFIRMED', at: '2026-10-01' }],
      }),
      at('2026-11-02'),
    );
    expect(done.state.status).toBe('COMPLETE');
    expect(partyKinds(done.effects.notifications)).toEqual([]);
  });
});

describe('SUBMISSION_DUE', () => {
  it('tells the Party in one message which submissions a decision opened, and who decides them', () => {
    const state = started({ roles: ['GAS_SUPPLIER'] });
    const { notifications } = must(state, decide('ACCESSION', 'ACCEDED', SECAS), at('2026-11-03'));
    const due = notifications.filter((n) => n.kind === 'SUBMISSION_DUE');
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({
      id: 'uep-P1:SUBMISSION_DUE:s2',
      recipients: toParty,
      awaitedBody: 'PARTY',
      subject: 'ACME Energy: your turn: 2 submissions are due',
      body:
        'SECAS recorded Acceded on Accession to the SEC. It is now your turn to submit, in the console: User Security Assessment (FUSA): the User Security Assessment report; ' +
        "Credit Cover: confirmation that Credit Support is lodged. After your submission the decision is due from the SEC Panel on User Security Assessment (FUSA) within 20 working days (this deployment's service level); the DCC on Credit Cover within 10 working days (this deployment's service level). The SEC sets no time for these decisions: the service levels are this deployment's.",
    });
    expect(due[0]?.stage).toBeUndefined();
  });

  it('names the stage and role when one submission is due', () => {
    let state = withGroundwork({ roles: ['GAS_SUPPLIER'] });
    state = must(state, submit('USER_ID', 'GAS_SUPPLIER'), at('2026-11-03')).state;
    const { notifications } = must(state, decide('DCC_GATEWAY', 'LIVE', DCC), at('2026-11-04'));
    const due = notifications.filter((n) => n.kind === 'SUBMISSION_DUE');
    expect(due.map((n) => [n.stage, n.role, n.subject])).toEqual([['SMKI_SREPT', undefined, 'ACME Energy: your turn: submit test readiness for SMKI and Repository Entry Process Tests']]);
    expect(due[0]?.body).toContain('The DCC recorded Live on DCC Gateway Connection. It is now your turn to submit, in the console: SMKI and Repository Entry Process Tests: test readiness.');
  });

  it('is sent for a role added whose first stage awaits the Party', () => {
    const state = withGroundwork({ roles: ['GAS_SUPPLIER'] });
    const { notifications } = must(state, { type: 'ADD_ROLE', role: 'IMPORT_SUPPLIER', principal: SECAS }, at('2026-11-03'));
    const due = notifications.filter((n) => n.kind === 'SUBMISSION_DUE');
    expect(due.map((n) => [n.stage, n.role])).toEqual([['USER_ID', 'IMPORT_SUPPLIER']]);
    expect(due[0]?.body).toMatch(/^The role Import Supplier was added to your entry\. It is now your turn/);
  });

  it('is not sent for a submission, nor when nothing new awaits the Party', () => {
    let state = started({ roles: ['GAS_SUPPLIER'] });
    state = must(state, decide('ACCESSION', 'ACCEDED', SECAS), at('2026-11-03')).state;
    expect(partyKinds(must(state, submit('CREDIT_COVER'), at('2026-11-04')).notifications)).toEqual([]);
    expect(partyKinds(must(state, decide('ID_ALLOCATION', 'ALLOCATED', SECAS), at('2026-11-04')).notifications)).toEqual(['SUBMISSION_DUE']); // USER_ID opens
    expect(partyKinds(must(state, decide('DCC_GATEWAY', 'LIVE', DCC), at('2026-11-04')).notifications)).toEqual(['SUBMISSION_DUE']); // SMKI_SREPT opens
    const both = must(must(state, decide('ID_ALLOCATION', 'ALLOCATED', SECAS), at('2026-11-04')).state, submit('USER_ID', 'GAS_SUPPLIER'), at('2026-11-05'));
    expect(partyKinds(must(both.state, decide('USER_ID', 'ACCEPTED', DCC, 'GAS_SUPPLIER'), at('2026-11-06')).notifications)).toEqual([]); // UEPT still waits for SMKI
  });
});

describe('DECISION_NEEDS_ACTION', () => {
  it('a Panel REJECTED: which stage, who decided, the comment, what to do next; one message to the Party', () => {
    const { state, notifications } = must(awaitingPanel(), decide('SECURITY_ASSESSMENT', 'REJECTED', PANEL_MEMBER, undefined, { comment: 'Section 4 lacks a risk treatment plan' }), at('2026-11-12'));
    expect(partyKinds(notifications)).toEqual(['DECISION_NEEDS_ACTION']);
    expect(notifications.filter((n) => n.recipients.some((r) => r.kind === 'PARTY_CONTACT'))).toHaveLength(1);
    const [n] = notifications.filter((x) => x.kind === 'DECISION_NEEDS_ACTION');
    expect(n).toMatchObject({
      id: 'uep-P1:DECISION_NEEDS_ACTION:SECURITY_ASSESSMENT:a1',
      recipients: toParty,
      stage: 'SECURITY_ASSESSMENT',
      awaitedBody: 'PARTY',
      subject: 'ACME Energy: User Security Assessment (FUSA): the SEC Panel decided Rejected: action needed',
    });
    expect(n?.body).toMatch(/^The SEC Panel \(Pat Jones\) recorded Rejected on User Security Assessment \(FUSA\) \(SEC G8 \(FUSA, G8\.34 status\)\), evidence ev-\d+\. /);
    expect(n?.body).toContain(
      'Comment: "Section 4 lacks a risk treatment plan". What to do next: the stage starts again from the beginning: submit afresh (the User Security Assessment report) in the console; this will be attempt 2.',
    );
    expect(stageOf(state, 'SECURITY_ASSESSMENT').state).toBe('AWAITING_PARTY');
  });

  it('a DEFERRED asks for the comment to be addressed; no comment is said so', () => {
    const { notifications } = must(awaitingPanel(), decide('SECURITY_ASSESSMENT', 'DEFERRED', PANEL_MEMBER), at('2026-11-12'));
    expect(notifications.map((n) => n.kind)).toEqual(['DECISION_NEEDS_ACTION']);
    expect(notifications[0]?.body).toContain('Comment: none given. What to do next: address the comment and submit again (the User Security Assessment report) in the console; this will be attempt 2.');
  });

  it('a DCC FAILED on a role stage names the role; each attempt has its own id', () => {
    let state = withGroundwork({ roles: ['GAS_SUPPLIER'] });
    state = must(state, submit('USER_ID', 'GAS_SUPPLIER'), at('2026-11-03')).state;
    const first = must(state, decide('USER_ID', 'REJECTED', DCC, 'GAS_SUPPLIER', { comment: 'ID outside your range' }), at('2026-11-04'));
    expect(first.notifications.map((n) => [n.id, n.role, n.subject])).toEqual([
      ['uep-P1:DECISION_NEEDS_ACTION:USER_ID.GAS_SUPPLIER:a1', 'GAS_SUPPLIER', 'ACME Energy: User ID acceptance for Gas Supplier: the DCC decided Rejected: action needed'],
    ]);
    const again = must(must(first.state, submit('USER_ID', 'GAS_SUPPLIER'), at('2026-11-05')).state, decide('USER_ID', 'REJECTED', DCC, 'GAS_SUPPLIER'), at('2026-11-06'));
    expect(again.notifications.map((n) => n.id)).toEqual(['uep-P1:DECISION_NEEDS_ACTION:USER_ID.GAS_SUPPLIER:a2']);
  });

  it('is not sent for a decision that completes the stage, nor under older rules', () => {
    expect(partyKinds(must(awaitingPanel(), decide('SECURITY_ASSESSMENT', 'APPROVED', PANEL_MEMBER), at('2026-11-12')).notifications)).toEqual([]);
    let old = started({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2027-09-30' }, at('2026-11-02'), RULES_VERSION.V2);
    old = must(old, decide('ACCESSION', 'ACCEDED', SECAS), at('2026-11-03')).state;
    old = must(old, submit('SECURITY_ASSESSMENT', undefined, PARTY), at('2026-11-10')).state;
    expect(must(old, decide('SECURITY_ASSESSMENT', 'REJECTED', PANEL_MEMBER), at('2026-11-12')).notifications).toEqual([]);
  });
});

describe('the Party told of its own breach (rules version 4)', () => {
  // input()'s mandate deadline for SMALL_DOMESTIC_SUPPLIER is the cohort's, long passed by 2026
  const late = () => startEntry(input({ cohort: 'SMALL_DOMESTIC_SUPPLIER', roles: ['GAS_SUPPLIER'] }), at('2026-11-02T10:00:00Z'));

  it('an entry started past its deadline: the start notice says it in words, and a breach notice written for the Party', () => {
    const { effects } = late();
    const toPartyOnly = effects.notifications.filter((n) => n.recipients.some((r) => r.kind === 'PARTY_CONTACT'));
    expect(toPartyOnly.map((n) => n.id)).toEqual(['uep-P1:ENTRY_STARTED', 'uep-P1:MANDATE_BREACH:party:v1']);
    const [startNotice, breach] = toPartyOnly;
    const deadline = startNotice?.deadline ?? '';
    expect(deadline).toBe('2017-11-25');
    expect(startNotice?.body).toContain(`Your User Entry Process has started for Gas Supplier; your DCC User mandate deadline, 25 Nov 2017, has already passed: you are in breach of the mandate until every role you seek is complete.`);
    expect(breach).toMatchObject({ kind: 'MANDATE_BREACH', recipients: toParty, subject: 'ACME Energy: your DCC User mandate deadline (25 Nov 2017) has passed', deadline });
    expect(breach?.body).toBe(
      'Your DCC User mandate deadline, 25 Nov 2017, had already passed when your User Entry Process started, with 1 of 1 role still to complete (Gas Supplier). ' +
        'You are in breach of the mandate until every role you seek is complete, or SECAS agrees a new deadline; SECAS and UEP operations have been told. ' +
        'Nothing is awaited from you at the moment; you will be told as soon as it is your turn.',
    );
    expect(effects.notifications.map((n) => n.kind)).not.toContain('AT_RISK');
  });

  it('the breach notice says what the Party can submit now', () => {
    const s0 = withGroundwork({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2026-11-30' }, at('2026-11-02'));
    const tr = advanceTime(s0, at('2026-12-01T00:00:00Z'));
    const breach = tr.effects.notifications.find((n) => n.id === 'uep-P1:MANDATE_BREACH:party:v1');
    expect(breach?.body).toContain('Your DCC User mandate deadline, 30 Nov 2026, has passed, with 1 of 1 role still to complete (Gas Supplier).');
    expect(breach?.body).toContain('What you can do now, in the console: submit ');
  });

  it('an amendment to a deadline already passed: in breach, not "at risk"; an amendment out of the breach says it is at risk', () => {
    const onTrack = withGroundwork({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2028-06-30' }, at('2026-11-02'));
    const amend = (state: typeof onTrack, deadline: string, now: number) => {
      const outcome = applyCommand(state, { type: 'AMEND_DEADLINE', deadline, reason: 'panel agreed', principal: SECAS }, now);
      if (!outcome.ok) throw new Error('refused');
      return outcome;
    };
    const intoBreach = amend(onTrack, '2026-10-30', at('2026-11-03T10:00:00Z'));
    expect(intoBreach.effects.notifications.map((n) => n.id)).toEqual(['uep-P1:DEADLINE_AMENDED:v2', 'uep-P1:MANDATE_BREACH:party:v2', 'uep-P1:MANDATE_BREACH:v2']);
    expect(intoBreach.effects.notifications[0]?.body).not.toContain('at risk');
    expect(intoBreach.effects.notifications[1]?.body).toContain('Your DCC User mandate deadline, 30 Oct 2026, has passed');
    // rules version 3 told the Party, in the same message, that it was at risk
    const v3 = amend(withGroundwork({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2028-06-30' }, at('2026-11-02'), RULES_VERSION.V3), '2026-10-30', at('2026-11-03T10:00:00Z'));
    expect(v3.effects.notifications[0]?.body).toContain('the entry is at risk');
    const outOfBreach = amend(intoBreach.state, '2026-12-20', at('2026-11-04T10:00:00Z'));
    expect(outOfBreach.effects.notifications.map((n) => n.kind)).toEqual(['DEADLINE_AMENDED']);
    expect(outOfBreach.effects.notifications[0]?.body).toContain('is now after the mandate deadline: the entry is at risk.');
  });
});
