import {
  advanceTime,
  applyCommand,
  auditTrail,
  checkCommand,
  checkRetry,
  entryIdFor,
  startEntry,
  summarise,
  validateStartInput,
  type EntryCommand,
  type EntryState,
  type RefusalCode,
  type StartEntryInput,
} from '../../domain';
import { at, DCC, decide, input, must, OPS, OTHER_PARTY, PANEL, PARTY, SECAS, stageOf, started, submit, withGroundwork } from './domain-fixtures';

const NOW = at('2026-11-02');

describe('entryIdFor', () => {
  it('is uep-<partyId>', () => expect(entryIdFor('P1')).toBe('uep-P1'));
});

describe('startEntry', () => {
  it('opens only the stages without dependencies', () => {
    const { state, effects } = startEntry(input(), NOW);
    expect(state.entryId).toBe('uep-P1');
    expect(stageOf(state, 'ACCESSION')).toMatchObject({ state: 'AWAITING_DECISION', attempts: 1, slaDue: '2026-11-16' });
    for (const s of state.stages.filter((r) => r.stage !== 'ACCESSION')) expect(s.state).toBe('BLOCKED');
    expect(state.stages.filter((s) => s.stage === 'PRIVACY_ASSESSMENT')).toHaveLength(0);
    expect(state.catalogueVersion).toBe('v1');
    expect(state.calendarVersion).toBe('ew-2026-11');
    expect(state.mandate).toEqual({ deadline: '2018-08-31', version: 1, setAtMs: NOW });
    expect(effects.searchAttributes).toMatchObject({ status: 'IN_PROGRESS', awaitedBodies: ['SECAS'], openStages: ['ACCESSION'], inBreach: true, atRisk: true });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('privacy applies to OTHER_USER only, once per such role', () => {
    const state = started({ roles: ['OTHER_USER', 'GAS_SUPPLIER'], mandateDeadline: null });
    expect(state.stages.filter((s) => s.stage === 'PRIVACY_ASSESSMENT').map((s) => s.role)).toEqual(['OTHER_USER']);
  });

  it('marks completedStages done with their dates, audited as STARTED facts, and opens what follows', () => {
    const state = withGroundwork({ mandateDeadline: null });
    expect(stageOf(state, 'ACCESSION')).toMatchObject({ state: 'DONE', outcome: 'ACCEDED', doneAt: '2026-10-01' });
    expect(stageOf(state, 'SECURITY_ASSESSMENT').state).toBe('AWAITING_PARTY');
    expect(stageOf(state, 'DCC_GATEWAY').state).toBe('AWAITING_DECISION');
    expect(stageOf(state, 'USER_ID', 'GAS_SUPPLIER').state).toBe('AWAITING_PARTY');
    expect(stageOf(state, 'UEPT', 'GAS_SUPPLIER').state).toBe('BLOCKED');
    const trail = auditTrail(state);
    expect(trail.map((r) => [r.action, r.stage])).toEqual([
      ['STARTED', undefined],
      ['STARTED', 'ACCESSION'],
      ['STARTED', 'ID_ALLOCATION'],
    ]);
    expect(trail[1]?.comment).toBe('done on 1 Oct 2026, before the entry started');
  });

  it('an explicit deadline overrides the default; null means none; a cohort without default has none', () => {
    expect(started({ mandateDeadline: '2027-06-30' }).mandate.deadline).toBe('2027-06-30');
    expect(started({ mandateDeadline: null }).mandate.deadline).toBeNull();
    expect(started({ cohort: 'LARGE_SUPPLIER' }).mandate.deadline).toBeNull();
    expect(started({ cohort: 'ELECTRICITY_DNO' }).mandate.deadline).toBe('2018-01-21');
  });

  it('an entry whose roles were all complete before it started is complete at once', () => {
    const all = ['ACCESSION', 'ID_ALLOCATION', 'SECURITY_ASSESSMENT', 'CREDIT_COVER', 'DCC_GATEWAY', 'SMKI_SREPT'] as const;
    const outcomes = { ACCESSION: 'ACCEDED', ID_ALLOCATION: 'ALLOCATED', SECURITY_ASSESSMENT: 'APPROVED_SUBJECT_TO', CREDIT_COVER: 'NOT_REQUIRED', DCC_GATEWAY: 'LIVE', SMKI_SREPT: 'PASSED' };
    const { state, effects } = startEntry(
      input({
        roles: ['GAS_SUPPLIER'],
        completedStages: [
          ...all.map((stage) => ({ stage, outcome: outcomes[stage], at: '2026-01-05' })),
          { stage: 'USER_ID', role: 'GAS_SUPPLIER', outcome: 'ACCEPTED', at: '2026-02-01' },
          { stage: 'UEPT', role: 'GAS_SUPPLIER', outcome: 'PASSED', at: '2026-03-01' },
          { stage: 'UEP_COMPLETION', role: 'GAS_SUPPLIER', outcome: 'CONFIRMED', at: '2026-04-01' },
        ],
      }),
      NOW,
    );
    expect(state.status).toBe('COMPLETE');
    expect(effects.wakeAt).toBeNull();
    expect(effects.notifications).toEqual([]);
    expect(state.followUps).toEqual([{ stage: 'SECURITY_ASSESSMENT', outcome: 'APPROVED_SUBJECT_TO', conditions: '', evidence: '', at: '2026-01-05' }]);
  });
});

describe('validateStartInput', () => {
  const cases: [string, Partial<StartEntryInput>, RefusalCode | undefined][] = [
    ['valid', {}, undefined],
    ['empty party id', { partyId: ' ' }, 'INVALID_INPUT'],
    ['empty party name', { partyName: '' }, 'INVALID_INPUT'],
    ['unknown cohort', { cohort: 'BIG' as never }, 'INVALID_INPUT'],
    ['no roles', { roles: [] }, 'ROLE_REQUIRED'],
    ['unknown role', { roles: ['PIRATE' as never] }, 'INVALID_INPUT'],
    ['duplicate role', { roles: ['GAS_SUPPLIER', 'GAS_SUPPLIER'] }, 'ROLE_ALREADY_SOUGHT'],
    ['bad deadline', { mandateDeadline: '2027-02-30' }, 'INVALID_DEADLINE'],
    ['null deadline', { mandateDeadline: null }, undefined],
    ['no contact email', { uepContact: { name: 'x', email: '' } }, 'INVALID_INPUT'],
    ['offsets not a list', { reminderOffsetsDays: 5 as never }, 'INVALID_INPUT'],
    ['negative offset', { reminderOffsetsDays: [-1] }, 'INVALID_INPUT'],
    ['fractional offset', { reminderOffsetsDays: [1.5] }, 'INVALID_INPUT'],
    ['duplicate offset', { reminderOffsetsDays: [7, 7] }, 'INVALID_INPUT'],
    ['custom offsets', { reminderOffsetsDays: [10, 0] }, undefined],
    ['unknown catalogue', { catalogueVersion: 'v0' }, 'INVALID_INPUT'],
    ['unknown calendar', { calendarVersion: 'ew-1900' }, 'INVALID_INPUT'],
    ['no startedBy', { startedBy: undefined }, 'INVALID_INPUT'],
    ['unknown completed stage', { completedStages: [{ stage: 'NOPE' as never, outcome: 'X', at: '2026-01-01' }] }, 'UNKNOWN_STAGE'],
    ['role stage without role', { completedStages: [{ stage: 'USER_ID', outcome: 'ACCEPTED', at: '2026-01-01' }] }, 'ROLE_REQUIRED'],
    ['party stage with role', { completedStages: [{ stage: 'ACCESSION', role: 'GAS_SUPPLIER', outcome: 'ACCEDED', at: '2026-01-01' }] }, 'STAGE_NOT_APPLICABLE'],
    ['role not sought', { completedStages: [{ stage: 'USER_ID', role: 'OTHER_USER', outcome: 'ACCEPTED', at: '2026-01-01' }] }, 'STAGE_NOT_APPLICABLE'],
    ['privacy for a supplier', { completedStages: [{ stage: 'PRIVACY_ASSESSMENT', role: 'GAS_SUPPLIER', outcome: 'APPROVED', at: '2026-01-01' }] }, 'STAGE_NOT_APPLICABLE'],
    ['rework outcome', { completedStages: [{ stage: 'ACCESSION', outcome: 'DEFERRED', at: '2026-01-01' }] }, 'UNKNOWN_OUTCOME'],
    ['shared resource outcome without provider', { completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-01-01' }, { stage: 'DCC_GATEWAY', outcome: 'VIA_SHARED_RESOURCE', at: '2026-01-01' }] }, 'UNKNOWN_OUTCOME'],
    ['shared resource outcome with provider', { sharedResourceProvider: 'SR Ltd', completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-01-01' }, { stage: 'DCC_GATEWAY', outcome: 'VIA_SHARED_RESOURCE', at: '2026-01-01' }] }, undefined],
    ['bad completion date', { completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: 'yesterday' }] }, 'INVALID_INPUT'],
    ['listed twice', { completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-01-01' }, { stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-01-02' }] }, 'STAGE_NOT_APPLICABLE'],
    ['dependency missing', { completedStages: [{ stage: 'ID_ALLOCATION', outcome: 'ALLOCATED', at: '2026-01-01' }] }, 'NOT_AWAITING'],
  ];
  it.each(cases)('%s', (_name, overrides, code) => {
    expect(validateStartInput(input(overrides))?.code).toBe(code);
  });

  it('a mandate deadline outside the calendar\'s years is refused in words at the start (the API\'s check; not the workflow\'s)', () => {
    for (const deadline of ['2036-03-31', '2014-12-31']) {
      const refusal = validateStartInput(input({ mandateDeadline: deadline }));
      expect(refusal).toEqual({
        code: 'INVALID_DEADLINE',
        message:
          `The mandate deadline ${deadline} is outside the working-day calendar: calendar ew-2026-11 knows the bank holidays of England and Wales ` +
          'from 2015 to 2035 only, so the working days to it cannot be counted. Give a date from 2015-01-01 to 2035-12-31.',
      });
    }
    for (const deadline of ['2015-01-01', '2035-12-31']) expect(validateStartInput(input({ mandateDeadline: deadline }))).toBeUndefined();
    expect(validateStartInput(input({ mandateDeadline: '2036-03-31' }), false)).toBeUndefined();
  });

  it('a role stage listed done without its dependencies is refused', () => {
    expect(validateStartInput(input({ roles: ['GAS_SUPPLIER'], completedStages: [{ stage: 'UEPT', role: 'GAS_SUPPLIER', outcome: 'PASSED', at: '2026-01-01' }] }))?.code).toBe('NOT_AWAITING');
  });
});

type Case = { name: string; state: () => EntryState; command: () => EntryCommand; refusal?: RefusalCode; check?: (s: EntryState) => void };

const T = at('2026-11-03');
const cases: Case[] = [
  {
    name: 'SECAS decides ACCESSION: done, dependents open',
    state: () => started(),
    command: () => decide('ACCESSION', 'ACCEDED', SECAS),
    check: (s) => {
      expect(stageOf(s, 'ACCESSION')).toMatchObject({ state: 'DONE', outcome: 'ACCEDED', doneAt: '2026-11-03' });
      expect(stageOf(s, 'ID_ALLOCATION').state).toBe('AWAITING_DECISION');
      expect(stageOf(s, 'SECURITY_ASSESSMENT').state).toBe('AWAITING_PARTY');
      expect(stageOf(s, 'CREDIT_COVER').state).toBe('AWAITING_PARTY');
      expect(stageOf(s, 'DCC_GATEWAY').state).toBe('AWAITING_DECISION');
      expect(stageOf(s, 'SMKI_SREPT').state).toBe('BLOCKED');
    },
  },
  { name: 'OPS never decides', state: () => started(), command: () => decide('ACCESSION', 'ACCEDED', OPS), refusal: 'WRONG_BODY' },
  { name: 'DCC cannot decide a SECAS stage', state: () => started(), command: () => decide('ACCESSION', 'ACCEDED', DCC), refusal: 'WRONG_BODY' },
  { name: 'the Party cannot decide', state: () => started(), command: () => decide('ACCESSION', 'ACCEDED', PARTY), refusal: 'WRONG_BODY' },
  { name: 'unknown outcome', state: () => started(), command: () => decide('ACCESSION', 'MAYBE', SECAS), refusal: 'UNKNOWN_OUTCOME' },
  { name: 'unknown stage', state: () => started(), command: () => decide('BOGUS' as never, 'X', SECAS), refusal: 'UNKNOWN_STAGE' },
  { name: 'blocked stage is not awaiting', state: () => started(), command: () => decide('ID_ALLOCATION', 'ALLOCATED', SECAS), refusal: 'NOT_AWAITING' },
  { name: 'role stage needs a role', state: () => withGroundwork(), command: () => submit('USER_ID'), refusal: 'ROLE_REQUIRED' },
  { name: 'party stage takes no role', state: () => withGroundwork(), command: () => submit('SECURITY_ASSESSMENT', 'GAS_SUPPLIER'), refusal: 'STAGE_NOT_APPLICABLE' },
  { name: 'role not sought', state: () => withGroundwork(), command: () => submit('USER_ID', 'OTHER_USER'), refusal: 'STAGE_NOT_APPLICABLE' },
  { name: 'privacy not for a supplier', state: () => withGroundwork({ roles: ['GAS_SUPPLIER', 'OTHER_USER'] }), command: () => submit('PRIVACY_ASSESSMENT', 'GAS_SUPPLIER'), refusal: 'STAGE_NOT_APPLICABLE' },
  {
    name: 'party submits: awaiting party -> awaiting decision with SLA',
    state: () => withGroundwork(),
    command: () => submit('USER_ID', 'GAS_SUPPLIER'),
    check: (s) => expect(stageOf(s, 'USER_ID', 'GAS_SUPPLIER')).toMatchObject({ state: 'AWAITING_DECISION', slaDue: '2026-11-10', sinceMs: T }),
  },
  { name: 'SECAS submits on the party’s behalf', state: () => withGroundwork(), command: () => submit('USER_ID', 'GAS_SUPPLIER', SECAS), check: (s) => expect(stageOf(s, 'USER_ID', 'GAS_SUPPLIER').state).toBe('AWAITING_DECISION') },
  { name: 'another party cannot submit', state: () => withGroundwork(), command: () => submit('USER_ID', 'GAS_SUPPLIER', OTHER_PARTY), refusal: 'NOT_OWN_PARTY' },
  { name: 'DCC cannot submit', state: () => withGroundwork(), command: () => submit('USER_ID', 'GAS_SUPPLIER', DCC), refusal: 'WRONG_BODY' },
  { name: 'no submission to a stage awaiting a decision', state: () => withGroundwork(), command: () => submit('DCC_GATEWAY'), refusal: 'NOT_AWAITING' },
  { name: 'no decision while awaiting the party', state: () => withGroundwork(), command: () => decide('USER_ID', 'ACCEPTED', DCC, 'GAS_SUPPLIER'), refusal: 'NOT_AWAITING' },
  { name: 'done stage is not awaiting', state: () => withGroundwork(), command: () => decide('ACCESSION', 'ACCEDED', SECAS), refusal: 'NOT_AWAITING' },
  {
    name: 'REWORK sends a submit-first stage back to the party, attempt 2',
    state: () => must(withGroundwork(), submit('USER_ID', 'GAS_SUPPLIER'), at('2026-11-02T12:00:00Z')).state,
    command: () => decide('USER_ID', 'REJECTED', DCC, 'GAS_SUPPLIER'),
    check: (s) => expect(stageOf(s, 'USER_ID', 'GAS_SUPPLIER')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2, lastEffect: 'REWORK' }),
  },
  {
    name: 'RESTART (security REJECTED) back to the party, whole stage again',
    state: () => must(withGroundwork(), submit('SECURITY_ASSESSMENT'), at('2026-11-02T12:00:00Z')).state,
    command: () => decide('SECURITY_ASSESSMENT', 'REJECTED', PANEL),
    check: (s) => expect(stageOf(s, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2, lastEffect: 'RESTART' }),
  },
  {
    name: 'APPROVED_SUBJECT_TO completes security with a follow-up',
    state: () => must(withGroundwork(), submit('SECURITY_ASSESSMENT'), at('2026-11-02T12:00:00Z')).state,
    command: () => decide('SECURITY_ASSESSMENT', 'APPROVED_SUBJECT_TO', PANEL, undefined, { comment: 'fix patching by March', evidence: 'SSC-42' }),
    check: (s) => {
      expect(stageOf(s, 'SECURITY_ASSESSMENT').state).toBe('DONE');
      expect(s.followUps).toEqual([{ stage: 'SECURITY_ASSESSMENT', outcome: 'APPROVED_SUBJECT_TO', conditions: 'fix patching by March', evidence: 'SSC-42', at: '2026-11-03' }]);
    },
  },
  {
    name: 'privacy PROVISIONALLY_APPROVED is rework by default',
    state: () => must(withGroundwork({ roles: ['OTHER_USER'] }), submit('PRIVACY_ASSESSMENT', 'OTHER_USER'), at('2026-11-02T12:00:00Z')).state,
    command: () => decide('PRIVACY_ASSESSMENT', 'PROVISIONALLY_APPROVED', PANEL, 'OTHER_USER'),
    check: (s) => expect(stageOf(s, 'PRIVACY_ASSESSMENT', 'OTHER_USER')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2 }),
  },
  {
    name: 'privacy APPROVED_SUBJECT_TO is done',
    state: () => must(withGroundwork({ roles: ['OTHER_USER'] }), submit('PRIVACY_ASSESSMENT', 'OTHER_USER'), at('2026-11-02T12:00:00Z')).state,
    command: () => decide('PRIVACY_ASSESSMENT', 'APPROVED_SUBJECT_TO', PANEL, 'OTHER_USER'),
    check: (s) => {
      expect(stageOf(s, 'PRIVACY_ASSESSMENT', 'OTHER_USER').state).toBe('DONE');
      expect(s.followUps[0]).toMatchObject({ role: 'OTHER_USER', conditions: '' });
    },
  },
  { name: 'VIA_SHARED_RESOURCE needs a provider', state: () => withGroundwork(), command: () => decide('DCC_GATEWAY', 'VIA_SHARED_RESOURCE', DCC), refusal: 'UNKNOWN_OUTCOME' },
  {
    name: 'VIA_SHARED_RESOURCE satisfies the gateway with a provider',
    state: () => withGroundwork({ sharedResourceProvider: 'SR Ltd' }),
    command: () => decide('DCC_GATEWAY', 'VIA_SHARED_RESOURCE', DCC),
    check: (s) => {
      expect(stageOf(s, 'DCC_GATEWAY').state).toBe('DONE');
      expect(stageOf(s, 'SMKI_SREPT').state).toBe('AWAITING_PARTY');
    },
  },
  {
    name: 'ADD_ROLE adds the role’s stages, opening those whose dependencies are done',
    state: () => withGroundwork(),
    command: () => ({ type: 'ADD_ROLE', role: 'OTHER_USER', principal: OPS }),
    check: (s) => {
      expect(s.roles).toEqual(['IMPORT_SUPPLIER', 'GAS_SUPPLIER', 'OTHER_USER']);
      expect(stageOf(s, 'USER_ID', 'OTHER_USER').state).toBe('AWAITING_PARTY');
      expect(stageOf(s, 'PRIVACY_ASSESSMENT', 'OTHER_USER').state).toBe('AWAITING_PARTY');
      expect(stageOf(s, 'UEP_COMPLETION', 'OTHER_USER').state).toBe('BLOCKED');
      expect(s.audit.at(-1)).toMatchObject({ action: 'ROLE_ADDED', role: 'OTHER_USER', principal: { body: 'OPS', id: 'ops-1' } });
    },
  },
  { name: 'ADD_ROLE refused for a role already sought', state: () => started(), command: () => ({ type: 'ADD_ROLE', role: 'GAS_SUPPLIER', principal: OPS }), refusal: 'ROLE_ALREADY_SOUGHT' },
  { name: 'ADD_ROLE refused for an unknown role', state: () => started(), command: () => ({ type: 'ADD_ROLE', role: 'PIRATE' as never, principal: OPS }), refusal: 'STAGE_NOT_APPLICABLE' },
  { name: 'ADD_ROLE refused for another party', state: () => started(), command: () => ({ type: 'ADD_ROLE', role: 'OTHER_USER', principal: OTHER_PARTY }), refusal: 'NOT_OWN_PARTY' },
  {
    name: 'AMEND_DEADLINE bumps the version and audits old and new',
    state: () => started({ mandateDeadline: '2027-06-30' }),
    command: () => ({ type: 'AMEND_DEADLINE', deadline: '2027-09-30', reason: 'consultation outcome', principal: SECAS }),
    check: (s) => {
      expect(s.mandate).toEqual({ deadline: '2027-09-30', version: 2, setAtMs: T });
      expect(s.audit.at(-1)).toMatchObject({ action: 'DEADLINE_AMENDED', previousDeadline: '2027-06-30', deadline: '2027-09-30', reason: 'consultation outcome' });
    },
  },
  { name: 'AMEND_DEADLINE refuses a bad date', state: () => started(), command: () => ({ type: 'AMEND_DEADLINE', deadline: '2027-13-01', reason: 'x', principal: OPS }), refusal: 'INVALID_DEADLINE' },
  { name: 'AMEND_DEADLINE refuses the same date', state: () => started({ mandateDeadline: '2027-06-30' }), command: () => ({ type: 'AMEND_DEADLINE', deadline: '2027-06-30', reason: 'x', principal: OPS }), refusal: 'INVALID_DEADLINE' },
  { name: 'AMEND_DEADLINE refused for another party', state: () => started(), command: () => ({ type: 'AMEND_DEADLINE', deadline: null, reason: 'x', principal: OTHER_PARTY }), refusal: 'NOT_OWN_PARTY' },
  {
    name: 'AMEND_DEADLINE to none',
    state: () => started({ mandateDeadline: '2027-06-30' }),
    command: () => ({ type: 'AMEND_DEADLINE', deadline: null, reason: 'exempt', principal: OPS }),
    check: (s) => expect(s.mandate.deadline).toBeNull(),
  },
  {
    name: 'WITHDRAW closes the entry',
    state: () => started(),
    command: () => ({ type: 'WITHDRAW', reason: 'left the market', principal: OPS }),
    check: (s) => {
      expect(s.status).toBe('WITHDRAWN');
      expect(s.closedAtMs).toBe(T);
      expect(s.audit.at(-1)).toMatchObject({ action: 'WITHDRAWN', reason: 'left the market' });
    },
  },
  { name: 'WITHDRAW refused for another party', state: () => started(), command: () => ({ type: 'WITHDRAW', reason: 'x', principal: OTHER_PARTY }), refusal: 'NOT_OWN_PARTY' },
  { name: 'the party may withdraw itself', state: () => started(), command: () => ({ type: 'WITHDRAW', reason: 'x', principal: PARTY }), check: (s) => expect(s.status).toBe('WITHDRAWN') },
  ...(['RECORD_DECISION', 'SUBMIT_EVIDENCE', 'AMEND_DEADLINE', 'ADD_ROLE', 'WITHDRAW'] as const).map(
    (type): Case => ({
      name: `${type} after withdrawal: ENTRY_CLOSED`,
      state: () => must(started(), { type: 'WITHDRAW', reason: 'gone', principal: OPS }, NOW).state,
      command: () =>
        ({
          RECORD_DECISION: decide('ACCESSION', 'ACCEDED', SECAS),
          SUBMIT_EVIDENCE: submit('SECURITY_ASSESSMENT'),
          AMEND_DEADLINE: { type: 'AMEND_DEADLINE', deadline: '2030-01-01', reason: 'x', principal: OPS },
          ADD_ROLE: { type: 'ADD_ROLE', role: 'OTHER_USER', principal: OPS },
          WITHDRAW: { type: 'WITHDRAW', reason: 'again', principal: OPS },
        })[type] as EntryCommand,
      refusal: 'ENTRY_CLOSED',
    }),
  ),
];

describe('commands', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = c.state();
    const snapshot = JSON.stringify(before);
    const command = c.command();
    const check = checkCommand(before, command, T);
    const outcome = applyCommand(before, command, T);
    expect(JSON.stringify(before)).toBe(snapshot); // never mutates its argument
    if (c.refusal) {
      expect(check?.code).toBe(c.refusal);
      expect(outcome).toMatchObject({ ok: false, refusal: { code: c.refusal } });
      if (!outcome.ok) expect(outcome.refusal.message.length).toBeGreaterThan(5);
    } else {
      expect(check).toBeUndefined();
      if (!outcome.ok) throw new Error(outcome.refusal.message);
      expect(outcome.duplicate).toBe(false);
      expect(outcome.record.seq).toBe(outcome.state.audit.length - (outcome.state.audit.at(-1)?.action === 'ROLE_COMPLETE' ? 1 : 0));
      c.check?.(outcome.state);
    }
  });
});

describe('duplicate ids', () => {
  it('a repeated decision id returns the first record, duplicate: true, and changes nothing', () => {
    const s0 = started();
    const cmd = decide('ACCESSION', 'ACCEDED', SECAS);
    const first = applyCommand(s0, cmd, T);
    if (!first.ok) throw new Error('refused');
    const again = applyCommand(first.state, cmd, T + 1000);
    expect(checkCommand(first.state, cmd, T + 1000)).toBeUndefined();
    expect(again).toMatchObject({ ok: true, duplicate: true, record: first.record });
    if (again.ok) {
      expect(again.state).toBe(first.state);
      expect(again.effects.notifications).toEqual([]);
    }
  });

  it('is still answered after the entry closed', () => {
    const s0 = started();
    const cmd = decide('ACCESSION', 'ACCEDED', SECAS);
    const s1 = must(s0, cmd, T).state;
    const s2 = must(s1, { type: 'WITHDRAW', reason: 'x', principal: OPS }, T).state;
    expect(applyCommand(s2, cmd, T)).toMatchObject({ ok: true, duplicate: true });
  });

  it('the same id with different content is ID_REUSED', () => {
    const s0 = withGroundwork();
    const cmd = submit('USER_ID', 'GAS_SUPPLIER');
    const s1 = must(s0, cmd, T).state;
    const changed = { ...cmd, reference: 'other' } as EntryCommand;
    expect(checkCommand(s1, changed, T)?.code).toBe('ID_REUSED');
    expect(applyCommand(s1, changed, T)).toMatchObject({ ok: false, refusal: { code: 'ID_REUSED' } });
    const repeat = applyCommand(s1, cmd, T);
    expect(repeat).toMatchObject({ ok: true, duplicate: true });
  });

  it('one rule for the running machine and for a closed entry read from its audit trail: every field counts, the comment too', () => {
    const cmd = { ...decide('ACCESSION', 'ACCEDED', SECAS), comment: 'first' } as EntryCommand;
    const s1 = must(started(), cmd, T).state;
    const variants: EntryCommand[] = [
      { ...cmd, comment: 'second' } as EntryCommand,
      { ...cmd, comment: undefined } as EntryCommand,
      { ...cmd, evidence: 'other' } as EntryCommand,
      { ...cmd, principal: { ...SECAS, id: 'someone-else' } },
    ];
    for (const changed of variants) {
      expect(checkCommand(s1, changed, T)?.code).toBe('ID_REUSED');
      expect(checkRetry(auditTrail(s1), changed)).toMatchObject({ kind: 'reused', refusal: { code: 'ID_REUSED' } });
    }
    expect(checkRetry(auditTrail(s1), cmd)).toMatchObject({ kind: 'duplicate', record: { action: 'DECISION', comment: 'first' } });
    expect(checkRetry(auditTrail(s1), { ...cmd, decisionId: 'never-seen' } as EntryCommand)).toEqual({ kind: 'new' });
  });

  it('decision and submission ids are separate namespaces', () => {
    const s0 = withGroundwork();
    const sub = { ...submit('USER_ID', 'GAS_SUPPLIER'), submissionId: 'same' } as EntryCommand;
    const s1 = must(s0, sub, T).state;
    const dec = { ...decide('DCC_GATEWAY', 'LIVE', DCC), decisionId: 'same' } as EntryCommand;
    expect(applyCommand(s1, dec, T)).toMatchObject({ ok: true, duplicate: false });
  });
});

describe('role and entry completion', () => {
  function readyForCompletion() {
    let s = withGroundwork({ roles: ['GAS_SUPPLIER'], mandateDeadline: null });
    const steps: EntryCommand[] = [
      submit('SECURITY_ASSESSMENT'),
      decide('SECURITY_ASSESSMENT', 'APPROVED', PANEL),
      submit('CREDIT_COVER'),
      decide('CREDIT_COVER', 'NOT_REQUIRED', DCC),
      decide('DCC_GATEWAY', 'LIVE', DCC),
      submit('SMKI_SREPT'),
      decide('SMKI_SREPT', 'PASSED', DCC),
      submit('USER_ID', 'GAS_SUPPLIER'),
      decide('USER_ID', 'ACCEPTED', DCC, 'GAS_SUPPLIER'),
    ];
    for (const c of steps) s = must(s, c, T).state;
    return s;
  }

  it('UEP_COMPLETION waits for every other stage of the role, party-level included', () => {
    let s = readyForCompletion();
    expect(stageOf(s, 'UEP_COMPLETION', 'GAS_SUPPLIER').state).toBe('BLOCKED');
    s = must(s, submit('UEPT', 'GAS_SUPPLIER'), T).state;
    s = must(s, decide('UEPT', 'PASSED', DCC, 'GAS_SUPPLIER'), T).state;
    expect(stageOf(s, 'UEP_COMPLETION', 'GAS_SUPPLIER').state).toBe('AWAITING_PARTY');
    s = must(s, submit('UEP_COMPLETION', 'GAS_SUPPLIER'), T).state;
    const last = applyCommand(s, decide('UEP_COMPLETION', 'CONFIRMED', SECAS, 'GAS_SUPPLIER'), at('2026-11-20'));
    if (!last.ok) throw new Error('refused');
    expect(last.state.status).toBe('COMPLETE');
    expect(last.state.roleCompletedAt).toEqual({ GAS_SUPPLIER: '2026-11-20' });
    expect(last.effects.notifications.map((n) => n.id)).toEqual(['uep-P1:ROLE_COMPLETE:GAS_SUPPLIER']);
    expect(last.effects.wakeAt).toBeNull();
    expect(last.effects.searchAttributes).toMatchObject({ status: 'COMPLETE', awaitedBodies: [], openStages: [], nextDeadline: null });
    expect(last.record.action).toBe('DECISION');
    expect(last.state.audit.at(-1)).toMatchObject({ action: 'ROLE_COMPLETE', role: 'GAS_SUPPLIER' });
    expect(summarise(last.state, at('2026-11-21')).closedAt).toBe('2026-11-20T10:00:00.000Z');
    // time no longer matters
    const later = advanceTime(last.state, at('2030-01-01'));
    expect(later.effects).toMatchObject({ notifications: [], wakeAt: null });
  });
});
