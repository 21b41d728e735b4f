/**
 * Catalogue version 2: the process as the SEC and SECAS describe it, every duration sourced or
 * assumed (and then a setting of the deployment), and the entry machine running it. Catalogue
 * v1 entries keep their rules: the other domain tests run under v1 (domain-fixtures.ts).
 */
import {
  applyCommand,
  CURRENT_CATALOGUE_VERSION,
  defaultMandateDeadline,
  getCatalogue,
  pastDefaultDeadline,
  resolveMandateDeadline,
  RULES_VERSION,
  startEntry,
  type EntryState,
  type RulesVersion,
  type StartEntryInput,
} from '../../domain';
import { DURATION, durationBasis, durationSettingsOf, stageDef } from '../../domain/catalogue';
import { roleRemainingWorkingDays } from '../../domain/forecast';
import { slaReminder, slaEscalation, submissionDue } from '../../domain/notifications';
import { addWorkingDays } from '../../domain/calendar';
import { ALL_STAGES } from '../../domain/vocabulary';
import { at, decide, input, must, PANEL, PARTY, SECAS, stageOf, submit } from './domain-fixtures';

const v2 = getCatalogue('v2');
const V2 = (overrides: Partial<StartEntryInput> = {}): StartEntryInput => input({ catalogueVersion: 'v2', ...overrides });
const startV2 = (overrides: Partial<StartEntryInput> = {}, now = at('2026-11-02')): EntryState => startEntry(V2(overrides), now).state;
const acceded = (overrides: Partial<StartEntryInput> = {}, now = at('2026-11-02')): EntryState =>
  startV2({ completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' }], ...overrides }, now);

describe('catalogue v2: every duration says where it comes from', () => {
  it('new entries get v2', () => {
    expect(CURRENT_CATALOGUE_VERSION).toBe('v2');
    expect(startEntry({ ...V2(), catalogueVersion: undefined }, at('2026-11-02')).state.catalogueVersion).toBe('v2');
  });

  it.each(v2.stages.map((s) => [s.id, s] as const))('%s: its response time and its estimate are each sourced (with the source) or assumed (a deployment setting)', (_id, def) => {
    for (const kind of [DURATION.SLA, DURATION.ESTIMATE]) {
      const declared = kind === DURATION.SLA ? def.slaBasis : def.estimateBasis;
      expect(declared).toBeDefined();
      if (declared?.kind === 'SOURCED') expect(declared.source).toMatch(/\(SECAS, [^)]+\)/);
      else {
        expect(declared?.kind).toBe('ASSUMED');
        expect(declared?.kind === 'ASSUMED' && declared.setting).toMatch(/^[A-Z][A-Z0-9_]+$/);
        expect(declared?.kind === 'ASSUMED' && declared.note).toMatch(/\S/);
      }
    }
  });

  it('only what a source states is sourced: accession review (2 WD), the assessments’ booking lead and FUSA fieldwork', () => {
    const sourced = v2.stages.flatMap((s) =>
      [DURATION.SLA, DURATION.ESTIMATE].filter((k) => durationBasis(s, k).kind === 'SOURCED').map((k) => `${s.id}.${k}`),
    );
    expect(sourced).toEqual(['ACCESSION.sla', 'SECURITY_FIELDWORK.sla', 'SECURITY_FIELDWORK.estimate', 'PRIVACY_FIELDWORK.sla', 'PRIVACY_FIELDWORK.estimate']);
    expect(stageDef(v2, 'ACCESSION').slaWorkingDays).toBe(2);
    expect(stageDef(v2, 'SECURITY_FIELDWORK').estimateWorkingDays).toBe(60 + 10);
    expect(stageDef(v2, 'PRIVACY_FIELDWORK').estimateWorkingDays).toBe(60);
  });

  it('every v1 duration is labelled assumed, fixed by the version (no setting)', () => {
    for (const def of getCatalogue('v1').stages) {
      const basis = durationBasis(def, DURATION.SLA);
      expect(basis.kind === 'ASSUMED' ? [basis.setting, basis.note] : basis).toEqual([undefined, "catalogue v1's own figure; no source gives it"]);
      expect(durationBasis(def, DURATION.ESTIMATE).kind).toBe('ASSUMED');
    }
    expect(durationSettingsOf(getCatalogue('v1'))).toEqual({});
  });

  it('a deployment setting moves an assumed duration of the entries that start with it; a sourced one stays', () => {
    const settings = { SECURITY_STATUS_SLA: 7, ACCESSION_SLA: 9, NOT_A_SETTING: 3 };
    let state = acceded({ durationSettings: settings });
    expect(state.durationSettings).toEqual({ SECURITY_STATUS_SLA: 7 });
    state = must(state, submit('SECURITY_FIELDWORK'), at('2026-11-03')).state;
    state = must(state, decide('SECURITY_FIELDWORK', 'REPORT_ISSUED', SECAS), at('2026-11-04')).state;
    state = must(state, submit('SECURITY_ASSESSMENT'), at('2026-11-05')).state;
    expect(stageOf(state, 'SECURITY_ASSESSMENT').slaDue).toBe(addWorkingDays('2026-11-05', 7, state.calendarVersion));
    expect(startEntry(input({ durationSettings: settings }), at('2026-11-02')).state.durationSettings).toBeUndefined(); // v1 reads none
    const unset = startV2({}, at('2026-11-02'));
    expect(unset.durationSettings).toBeUndefined();
    expect(stageOf(unset, 'ACCESSION').slaDue).toBe(addWorkingDays('2026-11-02', 2, unset.calendarVersion)); // sourced: 2 WD
  });
});

describe('catalogue v2: the security assessment as G8 has it', () => {
  it('the Party books; SECAS records the User CIO’s report; the Party sends its Response; the Panel sets the status', () => {
    let state = acceded();
    expect(stageOf(state, 'SECURITY_FIELDWORK')).toMatchObject({ state: 'AWAITING_PARTY' });
    expect(stageOf(state, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'BLOCKED' });
    expect(stageDef(v2, 'SECURITY_FIELDWORK').submission).toMatch(/booking.*at least 12 weeks ahead/);
    state = must(state, submit('SECURITY_FIELDWORK'), at('2026-11-03')).state;
    const party = applyCommand(state, decide('SECURITY_FIELDWORK', 'REPORT_ISSUED', PARTY), at('2026-11-04'));
    expect(party.ok ? null : party.refusal.code).toBe('WRONG_BODY');
    state = must(state, decide('SECURITY_FIELDWORK', 'REPORT_ISSUED', SECAS), at('2026-11-04')).state;
    expect(stageOf(state, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'AWAITING_PARTY' });
    expect(stageDef(v2, 'SECURITY_ASSESSMENT').submission).toMatch(/^the User Security Assessment Response \(G8\.24\).*by the date the SSC sets/);
    state = must(state, submit('SECURITY_ASSESSMENT'), at('2026-11-05')).state;
    state = must(state, decide('SECURITY_ASSESSMENT', 'APPROVED', PANEL), at('2026-11-20')).state;
    expect(stageOf(state, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'DONE', outcome: 'APPROVED' });
  });

  it('the status outcomes are unchanged (MP091 names)', () => {
    const effects = (id: 'SECURITY_ASSESSMENT' | 'PRIVACY_ASSESSMENT') => Object.fromEntries(stageDef(v2, id).outcomes.map((o) => [o.outcome, o.effect]));
    expect(effects('SECURITY_ASSESSMENT')).toEqual({ APPROVED: 'DONE', APPROVED_SUBJECT_TO: 'DONE', DEFERRED: 'REWORK', REJECTED: 'RESTART' });
    expect(effects('PRIVACY_ASSESSMENT')).toEqual({ APPROVED: 'DONE', APPROVED_SUBJECT_TO: 'DONE', PROVISIONALLY_APPROVED: 'REWORK', DEFERRED: 'REWORK' });
  });

  describe('a Rejected security status means a new assessment, not a new Response (rules version 5)', () => {
    /** Acceded on 2026-10-01, the User CIO's report recorded, the Party's Response submitted; `rules` the entry runs under. */
    const responded = (rules?: RulesVersion): EntryState => {
      let state = startEntry(V2({ completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' }] }), at('2026-11-02'), rules).state;
      state = must(state, submit('SECURITY_FIELDWORK'), at('2026-11-03')).state;
      state = must(state, decide('SECURITY_FIELDWORK', 'REPORT_ISSUED', SECAS), at('2026-11-04')).state;
      return must(state, submit('SECURITY_ASSESSMENT'), at('2026-11-05')).state;
    };
    const reject = (state: EntryState) => must(state, decide('SECURITY_ASSESSMENT', 'REJECTED', PANEL, undefined, { comment: 'Section 4 controls absent' }), at('2026-11-20'));

    it('the catalogue says so: REJECTED restarts from the booking, a stage the status depends on', () => {
      const rejected = stageDef(v2, 'SECURITY_ASSESSMENT').outcomes.find((o) => o.outcome === 'REJECTED');
      expect(rejected).toMatchObject({ effect: 'RESTART', restartsFrom: 'SECURITY_FIELDWORK' });
      expect(stageDef(v2, 'SECURITY_ASSESSMENT').dependsOn).toContain(rejected?.restartsFrom);
      // no other v2 outcome restarts from elsewhere, and v1 has none
      expect(v2.stages.flatMap((s) => s.outcomes.filter((o) => o.restartsFrom).map((o) => `${s.id}:${o.outcome}`))).toEqual(['SECURITY_ASSESSMENT:REJECTED']);
      expect(getCatalogue('v1').stages.some((s) => s.outcomes.some((o) => o.restartsFrom))).toBe(false);
    });

    it('the booking, fieldwork and report open again; the status waits for the new report; the forecast counts the whole assessment again', () => {
      const before = responded();
      expect(before.rulesVersion).toBeGreaterThanOrEqual(RULES_VERSION.V5);
      const { state, notifications } = reject(before);
      expect(stageOf(state, 'SECURITY_FIELDWORK')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2, lastEffect: 'RESTART' });
      expect(stageOf(state, 'SECURITY_FIELDWORK')).not.toHaveProperty('outcome');
      expect(stageOf(state, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'BLOCKED', attempts: 2, lastEffect: 'RESTART' });
      // booking lead and fieldwork (70 WD) then the Response and status (20 WD) ahead of completion (20 WD)
      const remaining = (s: EntryState) => roleRemainingWorkingDays(s, 'IMPORT_SUPPLIER', '2026-11-20');
      expect(remaining(state)).toBe(70 + 20 + 20);
      const notice = notifications.find((n) => n.kind === 'DECISION_NEEDS_ACTION');
      expect(notice?.awaitedBody).toBe('PARTY');
      expect(notice?.body).toContain('"Section 4 controls absent"');
      expect(notice?.body).toContain('It starts over from User Security Assessment: booking');
      expect(notice?.body).toContain('What to do next: submit the assessment booking');
      expect(notifications.filter((n) => n.kind === 'SUBMISSION_DUE')).toEqual([]); // the one notice says it

      // the new assessment: booked, reported; then the Response is asked for again, its attempts counted on
      let next = must(state, submit('SECURITY_FIELDWORK'), at('2026-11-23')).state;
      next = must(next, decide('SECURITY_FIELDWORK', 'REPORT_ISSUED', SECAS), at('2027-03-01')).state;
      expect(stageOf(next, 'SECURITY_FIELDWORK')).toMatchObject({ state: 'DONE', outcome: 'REPORT_ISSUED', attempts: 2 });
      expect(stageOf(next, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2 });
      next = must(next, submit('SECURITY_ASSESSMENT'), at('2027-03-02')).state;
      next = must(next, decide('SECURITY_ASSESSMENT', 'APPROVED', PANEL), at('2027-03-18')).state;
      expect(stageOf(next, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'DONE', outcome: 'APPROVED', attempts: 2 });
    });

    it('under rules version 4 (an entry not yet moved on), only a new Response is asked for, as before', () => {
      const { state } = reject(responded(RULES_VERSION.V4));
      expect(stageOf(state, 'SECURITY_FIELDWORK')).toMatchObject({ state: 'DONE', outcome: 'REPORT_ISSUED', attempts: 1 });
      expect(stageOf(state, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2, lastEffect: 'RESTART' });
    });

    it('DEFERRED is still a new Response to the same assessment', () => {
      const { state } = must(responded(), decide('SECURITY_ASSESSMENT', 'DEFERRED', PANEL), at('2026-11-20'));
      expect(stageOf(state, 'SECURITY_FIELDWORK')).toMatchObject({ state: 'DONE', attempts: 1 });
      expect(stageOf(state, 'SECURITY_ASSESSMENT')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2, lastEffect: 'REWORK' });
    });
  });

  it('privacy (Other User only): the Party books, SECAS records the auditor’s report, the Panel sets the status', () => {
    let state = acceded({ roles: ['OTHER_USER'] });
    expect(stageOf(state, 'PRIVACY_FIELDWORK', 'OTHER_USER')).toMatchObject({ state: 'AWAITING_PARTY' });
    state = must(state, submit('PRIVACY_FIELDWORK', 'OTHER_USER'), at('2026-11-03')).state;
    state = must(state, decide('PRIVACY_FIELDWORK', 'REPORT_ISSUED', SECAS, 'OTHER_USER'), at('2026-11-04')).state;
    expect(stageOf(state, 'PRIVACY_ASSESSMENT', 'OTHER_USER')).toMatchObject({ state: 'AWAITING_DECISION' });
    expect(acceded({ roles: ['IMPORT_SUPPLIER'] }).stages.some((s) => s.stage === 'PRIVACY_FIELDWORK')).toBe(false);
  });
});

describe('catalogue v2: SREPT, completion, deadlines', () => {
  it('SREPT opens once the Party has acceded, without waiting for the DCC Gateway (v1 waited)', () => {
    expect(stageOf(acceded(), 'SMKI_SREPT')).toMatchObject({ state: 'AWAITING_PARTY' });
    expect(stageOf(acceded(), 'DCC_GATEWAY')).toMatchObject({ state: 'AWAITING_DECISION' });
    const v1 = startEntry(input({ completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' }] }), at('2026-11-02')).state;
    expect(stageOf(v1, 'SMKI_SREPT')).toMatchObject({ state: 'BLOCKED' });
  });

  it('SECAS returns an Evidence Form to the Party with a reason, and only with one', () => {
    const allDone = ['ACCESSION:ACCEDED', 'ID_ALLOCATION:ALLOCATED', 'SECURITY_FIELDWORK:REPORT_ISSUED', 'SECURITY_ASSESSMENT:APPROVED', 'CREDIT_COVER:LODGED', 'DCC_GATEWAY:LIVE', 'SMKI_SREPT:PASSED'];
    let state = startV2({
      roles: ['IMPORT_SUPPLIER'],
      completedStages: [
        ...allDone.map((s) => ({ stage: s.split(':')[0] as never, outcome: s.split(':')[1]!, at: '2026-10-01' })),
        { stage: 'USER_ID', role: 'IMPORT_SUPPLIER', outcome: 'ACCEPTED', at: '2026-10-02' },
        { stage: 'UEPT', role: 'IMPORT_SUPPLIER', outcome: 'PASSED', at: '2026-10-03' },
      ],
    });
    state = must(state, submit('UEP_COMPLETION', 'IMPORT_SUPPLIER'), at('2026-11-03')).state;
    const bare = applyCommand(state, decide('UEP_COMPLETION', 'RETURNED', SECAS, 'IMPORT_SUPPLIER'), at('2026-11-04'));
    expect(bare.ok ? null : bare.refusal.code).toBe('REASON_REQUIRED');
    expect(bare.ok ? '' : bare.refusal.message).toContain('say why in the comment');
    const blank = applyCommand(state, decide('UEP_COMPLETION', 'RETURNED', SECAS, 'IMPORT_SUPPLIER', { comment: '  ' }), at('2026-11-04'));
    expect(blank.ok).toBe(false);
    const back = must(state, decide('UEP_COMPLETION', 'RETURNED', SECAS, 'IMPORT_SUPPLIER', { comment: 'Section 3 is not signed' }), at('2026-11-04'));
    expect(stageOf(back.state, 'UEP_COMPLETION', 'IMPORT_SUPPLIER')).toMatchObject({ state: 'AWAITING_PARTY', attempts: 2 });
    expect(back.state.roleCompletedAt).toEqual({});
    const notice = back.notifications.find((n) => n.kind === 'DECISION_NEEDS_ACTION');
    expect(notice?.body).toContain('"Section 3 is not signed"');
    expect(notice?.body).toContain('submit again');
    state = must(back.state, submit('UEP_COMPLETION', 'IMPORT_SUPPLIER'), at('2026-11-05')).state;
    state = must(state, decide('UEP_COMPLETION', 'CONFIRMED', SECAS, 'IMPORT_SUPPLIER'), at('2026-11-06')).state;
    expect(state.status).toBe('COMPLETE');
  });

  it('large suppliers’ default is Ofgem’s date for all suppliers (25 November 2017) under v2; v1 kept none', () => {
    expect(defaultMandateDeadline('LARGE_SUPPLIER', 'v2')).toBe('2017-11-25');
    expect(defaultMandateDeadline('LARGE_SUPPLIER', 'v1')).toBeNull();
    expect(startV2({ cohort: 'LARGE_SUPPLIER' }).mandate.deadline).toBe('2017-11-25');
    expect(startEntry(input({ cohort: 'LARGE_SUPPLIER' }), at('2026-11-02')).state.mandate.deadline).toBeNull();
    expect(resolveMandateDeadline({ cohort: 'GAS_TRANSPORTER', catalogueVersion: 'v2' })).toBeNull();
  });

  it('a past default deadline is named for confirmation; a date (or null) given is not', () => {
    const now = at('2026-12-07');
    expect(pastDefaultDeadline({ cohort: 'LARGE_SUPPLIER', catalogueVersion: 'v2' }, now)).toBe('2017-11-25');
    expect(pastDefaultDeadline({ cohort: 'LARGE_SUPPLIER', catalogueVersion: 'v2', mandateDeadline: '2017-11-25' }, now)).toBeNull();
    expect(pastDefaultDeadline({ cohort: 'LARGE_SUPPLIER', catalogueVersion: 'v2', mandateDeadline: null }, now)).toBeNull();
    expect(pastDefaultDeadline({ cohort: 'OTHER', catalogueVersion: 'v2' }, now)).toBeNull();
  });

  it('every stage id a catalogue uses is in the vocabulary', () => {
    for (const def of v2.stages) expect(ALL_STAGES).toContain(def.id);
  });
});

describe('catalogue v2: chasers never claim a target the SEC does not set', () => {
  const sla = { sinceMs: at('2026-11-03'), due: '2026-11-17', twiceDue: '2026-12-01' };

  it('an assumed response time is called this deployment’s service level', () => {
    const state = acceded();
    const record = stageOf(state, 'DCC_GATEWAY');
    const def = stageDef(v2, 'DCC_GATEWAY');
    for (const n of [slaReminder(state, record, def, sla, at('2026-11-18')), slaEscalation(state, record, def, sla, at('2026-12-02'))]) {
      expect(`${n.subject} ${n.body}`).toContain("this deployment's service level");
      expect(n.body).toContain('the SEC sets no time for it');
      expect(`${n.subject} ${n.body}`).not.toMatch(/response target|SLA/);
    }
  });

  it('a v1 entry’s chaser says the same (v1’s numbers had no source)', () => {
    const state = startEntry(input(), at('2026-11-02')).state;
    const n = slaReminder(state, stageOf(state, 'ACCESSION'), stageDef(getCatalogue('v1'), 'ACCESSION'), sla, at('2026-11-18'));
    expect(n.body).toContain("10 working days, this deployment's service level");
    expect(n.body).not.toContain('response target');
  });

  it('a sourced one names its source; the Party’s turn names the deployment’s service level', () => {
    const state = startV2({}, at('2026-11-02'));
    const n = slaReminder(state, stageOf(state, 'ACCESSION'), stageDef(v2, 'ACCESSION'), sla, at('2026-11-18'));
    expect(n.body).toContain('2 working days (SECAS reviews an accession application in about 2 working days');
    const due = submissionDue(state, [stageOf(acceded(), 'SMKI_SREPT')], 9, 'SECAS recorded ACCEDED on ACCESSION', at('2026-11-02'));
    expect(due.body).toContain("the DCC on SMKI and Repository Entry Process Tests within 10 working days (this deployment's service level)");
    expect(due.body).toContain('The SEC sets no time for these decisions');
  });
});

describe('the critical path of a one-role Import Supplier entry, from nothing done', () => {
  const remaining = (catalogueVersion: string) => roleRemainingWorkingDays(startEntry(input({ catalogueVersion, roles: ['IMPORT_SUPPLIER'] }), at('2026-11-02')).state, 'IMPORT_SUPPLIER');

  it('v1: 140 working days (accession 20, gateway 40, SREPT 20, UEPT 40, completion 20)', () => {
    expect(remaining('v1')).toBe(20 + 40 + 20 + 40 + 20);
  });

  it('v2: 130 working days (accession 20, booking lead and fieldwork 70, Response and status 20, completion 20)', () => {
    expect(remaining('v2')).toBe(20 + 70 + 20 + 20);
  });
});
