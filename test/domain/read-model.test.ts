/** The read-model rules the API's inbox and compliance report use, on summaries the machine makes. */
import {
  byMandateDeadline,
  closedOutsideEngineView,
  complianceOf,
  complianceTotals,
  inboxOf,
  isOpenStage,
  openStagesOf,
  stagesOf,
  summarise,
  COMPLIANCE,
  type EntrySummary,
} from '../../domain';
import { ENTRY_STATUS } from '../../domain/vocabulary';
import { at, decide, must, OPS, SECAS, started, submit, withGroundwork } from './domain-fixtures';

const NOW = at('2026-11-02');

describe('open stages', () => {
  it('a stage is open while it awaits the Party or a decision; never when blocked or done', () => {
    expect(['BLOCKED', 'AWAITING_PARTY', 'AWAITING_DECISION', 'DONE'].map((s) => isOpenStage(s as never))).toEqual([false, true, true, false]);
  });

  it('lists the stages awaiting someone, party-level first; none once the entry is closed', () => {
    const s = withGroundwork({ roles: ['GAS_SUPPLIER'], mandateDeadline: null }, NOW);
    const summary = summarise(s, NOW);
    expect(stagesOf(summary)).toHaveLength(summary.partyStages.length + (summary.roleStages[0]?.stages.length ?? 0));
    expect(openStagesOf(summary).map((x) => `${x.stage}:${x.awaiting ?? ''}`)).toEqual([
      'SECURITY_ASSESSMENT:PARTY',
      'CREDIT_COVER:PARTY',
      'DCC_GATEWAY:DCC',
      'USER_ID:PARTY',
    ]);
    const withdrawn = must(s, { type: 'WITHDRAW', reason: 'exit', principal: OPS }, NOW).state;
    expect(openStagesOf(summarise(withdrawn, NOW))).toEqual([]);
  });
});

describe('inbox', () => {
  const a = summarise(started({ partyId: 'A', partyName: 'Alpha', mandateDeadline: '2027-06-30' }, at('2026-11-03')), at('2026-11-20'));
  let bState = withGroundwork({ partyId: 'B', partyName: 'Beta', mandateDeadline: null }, at('2026-11-02'));
  bState = must(bState, submit('USER_ID', 'IMPORT_SUPPLIER', { body: 'PARTY', id: 'b', partyId: 'B' }), at('2026-11-02')).state;
  const b = summarise(bState, at('2026-11-20'));

  it("a body's inbox: each stage awaiting it, the earliest due first, overdue when its date has passed", () => {
    const dcc = inboxOf([a, b], 'DCC', '2026-11-20');
    expect(dcc.map((i) => [i.partyId, i.stage, i.role ?? null, i.dueBy, i.overdue])).toEqual([
      ['B', 'USER_ID', 'IMPORT_SUPPLIER', '2026-11-09', true],
      ['B', 'DCC_GATEWAY', null, '2026-11-30', false],
    ]);
    const secas = inboxOf([a, b], 'SECAS', '2026-11-20');
    expect(secas.map((i) => [i.partyId, i.stage, i.awaiting, i.mandateDeadline])).toEqual([['A', 'ACCESSION', 'SECAS', '2027-06-30']]);
  });

  it("OPS's view of every inbox (body null) holds every open stage, the Party's (no due date) last", () => {
    const all = inboxOf([b, a], null, '2026-11-20');
    expect(all).toHaveLength(openStagesOf(a).length + openStagesOf(b).length);
    expect(all.at(-1)).toMatchObject({ awaiting: 'PARTY', dueBy: null, overdue: false });
    expect(all.map((i) => i.dueBy ?? '9999')).toEqual([...all.map((i) => i.dueBy ?? '9999')].sort());
  });
});

describe('compliance', () => {
  const facts = (over: Partial<Parameters<typeof complianceOf>[0]>) => ({ status: 'IN_PROGRESS' as const, mandateDeadline: '2027-06-30', inBreach: false, atRisk: false, ...over });

  it('withdrawn, no mandate, complete on time or late, in breach, at risk, on track', () => {
    expect(complianceOf(facts({ status: 'WITHDRAWN', inBreach: true }))).toBe(COMPLIANCE.WITHDRAWN);
    expect(complianceOf(facts({ mandateDeadline: null, atRisk: true }))).toBe(COMPLIANCE.NO_MANDATE);
    expect(complianceOf(facts({ status: 'COMPLETE', closedAt: '2027-06-30T23:00:00.000Z' }))).toBe(COMPLIANCE.COMPLETE_ON_TIME);
    expect(complianceOf(facts({ status: 'COMPLETE', closedAt: '2027-07-01T00:00:00.000Z' }))).toBe(COMPLIANCE.COMPLETE_LATE);
    expect(complianceOf(facts({ status: 'COMPLETE' }))).toBe(COMPLIANCE.COMPLETE_LATE); // no completion date: not shown on time
    expect(complianceOf(facts({ inBreach: true, atRisk: true }))).toBe(COMPLIANCE.IN_BREACH);
    expect(complianceOf(facts({ atRisk: true }))).toBe(COMPLIANCE.AT_RISK);
    expect(complianceOf(facts({}))).toBe(COMPLIANCE.ON_TRACK);
  });

  it('of a summary the machine made: an ELECTRICITY_DNO entry started today is in breach', () => {
    const s: EntrySummary = summarise(started({ cohort: 'ELECTRICITY_DNO' }, NOW), NOW);
    expect(complianceOf(s)).toBe(COMPLIANCE.IN_BREACH);
    const done = must(started({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2030-12-31' }, NOW), decide('ACCESSION', 'ACCEDED', SECAS), NOW).state;
    expect(complianceOf(summarise(done, NOW))).toBe(COMPLIANCE.ON_TRACK);
  });

  it('an entry Temporal closed outside the engine is that, whatever its deadline says', () => {
    const facts = { status: ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE, mandateDeadline: '2018-01-21', inBreach: true, atRisk: true };
    expect(complianceOf(facts)).toBe(COMPLIANCE.CLOSED_OUTSIDE_ENGINE);
  });

  it('rows: the earliest mandate deadline first, none last, then by party; totals list every compliance', () => {
    const rows = [
      { partyId: 'C', mandateDeadline: null, compliance: COMPLIANCE.NO_MANDATE },
      { partyId: 'B', mandateDeadline: '2018-01-21', compliance: COMPLIANCE.IN_BREACH },
      { partyId: 'A', mandateDeadline: '2018-01-21', compliance: COMPLIANCE.IN_BREACH },
      { partyId: 'D', mandateDeadline: '2017-11-25', compliance: COMPLIANCE.COMPLETE_LATE },
    ];
    expect([...rows].sort(byMandateDeadline).map((r) => r.partyId)).toEqual(['D', 'A', 'B', 'C']);
    expect(complianceTotals(rows)).toEqual({ COMPLETE_ON_TIME: 0, COMPLETE_LATE: 1, ON_TRACK: 0, AT_RISK: 0, IN_BREACH: 2, NO_MANDATE: 1, WITHDRAWN: 0, CLOSED_OUTSIDE_ENGINE: 0 });
  });
});

describe('the closed-outside-engine view', () => {
  it('a summary shows nothing forecast, due or awaited, and is neither at risk nor in breach; the rest stays', () => {
    const summary = summarise(started({ roles: ['GAS_SUPPLIER'], mandateDeadline: '2026-11-03' }, NOW), at('2026-11-20'));
    expect(summary.inBreach).toBe(true);
    expect(summary.nextDeadline).not.toBeNull();
    expect(summary.forecastCompletion).not.toBeNull();
    expect(summary.awaitedBodies).not.toEqual([]);
    const shown = closedOutsideEngineView(summary);
    expect(shown).toEqual({
      ...summary,
      status: ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE,
      forecastCompletion: null,
      nextDeadline: null,
      atRisk: false,
      inBreach: false,
      awaitedBodies: [],
    });
  });

  it('only the fields a view has are replaced: a standing gains no status, a list row keeps its keys', () => {
    expect(closedOutsideEngineView({ forecast: '2030-01-01', atRisk: true, inBreach: true })).toEqual({ forecast: null, atRisk: false, inBreach: false });
    expect(Object.keys(closedOutsideEngineView({ partyId: 'A', openStages: ['ACCESSION'], nextDeadline: 'x' }))).toEqual(['partyId', 'openStages', 'nextDeadline']);
  });
});
