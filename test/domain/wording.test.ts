/**
 * Rules version 7: words, not codes, in what people read (headline, notices, refusals, audit
 * details); an entry under version 6 keeps its codes and ISO dates byte for byte.
 */
import { applyCommand, auditTrail, summarise, upgradeRules, RULES_VERSION, type EntryCommand, type EntryState, type RulesVersion } from '../../domain';
import { at, DCC, decide, must, PANEL, SECAS, submit, withGroundwork } from './domain-fixtures';

/** The entry with the DCC's decision on the Gas Supplier's User ID awaited, under `rules`. */
function userIdAwaited(rules: RulesVersion): EntryState {
  const s = withGroundwork({ mandateDeadline: '2027-06-30' }, at('2026-11-02'), rules);
  return must(s, submit('USER_ID', 'GAS_SUPPLIER'), at('2026-11-03')).state;
}

function refusalOf(state: EntryState, command: EntryCommand): string {
  const outcome = applyCommand(state, command, at('2026-11-04'));
  if (outcome.ok) throw new Error('accepted');
  return `${outcome.refusal.code}: ${outcome.refusal.message}`;
}

describe('the headline', () => {
  it('names who is awaited on what in words, with the date as people write it (version 7)', () => {
    expect(summarise(userIdAwaited(RULES_VERSION.V7), at('2026-11-04')).headline).toBe(
      'ACME Energy: 2/2 roles pending; awaiting the DCC (User ID acceptance for Gas Supplier, due 10 Nov 2026) (+4 more open); forecast 28 Apr 2027; mandate 30 Jun 2027',
    );
  });

  it('keeps its codes and ISO dates under version 6', () => {
    expect(summarise(userIdAwaited(RULES_VERSION.V6), at('2026-11-04')).headline).toBe(
      'ACME Energy: 2/2 roles pending; awaiting DCC (USER_ID for GAS_SUPPLIER, due 2026-11-10) (+4 more open); forecast 2027-04-28; mandate 2027-06-30',
    );
  });

  it('changes to words when a running version 6 entry is moved onto version 7', () => {
    const moved = upgradeRules(userIdAwaited(RULES_VERSION.V6), RULES_VERSION.V7);
    expect(summarise(moved, at('2026-11-04')).headline).toContain('awaiting the DCC (User ID acceptance for Gas Supplier, due 10 Nov 2026)');
  });
});

describe('a decision sending a stage back: the Party\'s subject', () => {
  const rejected = (rules: RulesVersion) =>
    must(userIdAwaited(rules), decide('USER_ID', 'REJECTED', DCC, 'GAS_SUPPLIER', { comment: 'wrong range' }), at('2026-11-04')).notifications.find((n) => n.kind === 'DECISION_NEEDS_ACTION');

  it('in words under version 7, with the same id as version 6', () => {
    const v7 = rejected(RULES_VERSION.V7);
    const v6 = rejected(RULES_VERSION.V6);
    expect(v7?.subject).toBe('ACME Energy: User ID acceptance for Gas Supplier: the DCC decided Rejected: action needed');
    expect(v7?.body).toMatch(/^The DCC \(dcc-1\) recorded Rejected on User ID acceptance for Gas Supplier \(SEC H1 \(User IDs\)\), evidence ev-\d+\. Comment: "wrong range"\./);
    expect(v6?.subject).toBe('ACME Energy: DCC REJECTED USER_ID for GAS_SUPPLIER: action needed');
    expect(v6?.body).toMatch(/^DCC \(dcc-1\) recorded REJECTED on User ID acceptance \(USER_ID for GAS_SUPPLIER, SEC H1 \(User IDs\)\), evidence ev-\d+\./);
    expect([v7?.id, v7?.recipients, v7?.stage, v7?.role]).toEqual([v6?.id, v6?.recipients, v6?.stage, v6?.role]);
  });
});

describe('refusals', () => {
  it('a decision on a stage already done says so in words, with its outcome and date (version 7)', () => {
    const s = userIdAwaited(RULES_VERSION.V7);
    expect(refusalOf(s, decide('ID_ALLOCATION', 'ALLOCATED', SECAS))).toBe(
      'NOT_AWAITING: EUI-64 ID range allocation is already done (Allocated, 10 Oct 2026): a decision is recorded only while one is awaited',
    );
    expect(refusalOf(s, submit('USER_ID', 'GAS_SUPPLIER'))).toBe(
      "NOT_AWAITING: User ID acceptance for Gas Supplier is awaiting the DCC's decision: a submission is taken only while one is awaited",
    );
    expect(refusalOf(s, decide('USER_ID', 'ACCEPTED', PANEL, 'GAS_SUPPLIER'))).toBe('WRONG_BODY: The DCC decides User ID acceptance for Gas Supplier, not the SEC Panel');
    expect(refusalOf(s, decide('USER_ID', 'MAYBE', DCC, 'GAS_SUPPLIER'))).toBe(
      'UNKNOWN_OUTCOME: User ID acceptance for Gas Supplier outcomes are ACCEPTED (Accepted), REJECTED (Rejected); not MAYBE',
    );
    expect(refusalOf(s, { type: 'ADD_ROLE', role: 'GAS_SUPPLIER', principal: SECAS })).toBe('ROLE_ALREADY_SOUGHT: Gas Supplier is already sought');
  });

  it('keep their codes under version 6', () => {
    const s = userIdAwaited(RULES_VERSION.V6);
    expect(refusalOf(s, decide('ID_ALLOCATION', 'ALLOCATED', SECAS))).toBe('NOT_AWAITING: ID_ALLOCATION is DONE, not AWAITING_DECISION');
    expect(refusalOf(s, decide('USER_ID', 'ACCEPTED', PANEL, 'GAS_SUPPLIER'))).toBe('WRONG_BODY: DCC decides USER_ID, not SEC_PANEL');
  });
});

describe('the audit trail of a start', () => {
  it('says when a stage done before the start was done, as people write it (version 7); ISO under version 6', () => {
    const comments = (rules: RulesVersion) => auditTrail(withGroundwork({}, at('2026-11-02'), rules)).filter((a) => a.action === 'STARTED' && a.stage !== undefined).map((a) => a.comment);
    expect(comments(RULES_VERSION.V7)).toEqual(['done on 1 Oct 2026, before the entry started', 'done on 10 Oct 2026, before the entry started']);
    expect(comments(RULES_VERSION.V6)).toEqual(['done on 2026-10-01, before the entry started', 'done on 2026-10-10, before the entry started']);
  });
});
