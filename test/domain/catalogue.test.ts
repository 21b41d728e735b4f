import {
  catalogueVersions,
  CURRENT_CATALOGUE_VERSION,
  defaultMandateDeadline,
  getCatalogue,
  isKnownCatalogueVersion,
  resolveMandateDeadline,
  DEFAULT_REMINDER_OFFSETS_DAYS,
} from '../../domain';
import * as domain from '../../domain';
import { dependenciesOf, estimateFor, outcomesFor, stageDef, stageInstances } from '../../domain/catalogue';

const v1 = getCatalogue('v1');
const row = (id: string) => v1.stages.find((s) => s.id === id);

describe('stage catalogue v1', () => {
  it('is registered by name, beside version 2 (the current one)', () => {
    expect(CURRENT_CATALOGUE_VERSION).toBe('v2');
    expect(catalogueVersions()).toEqual(['v1', 'v2']);
    expect(isKnownCatalogueVersion('v1')).toBe(true);
    expect(isKnownCatalogueVersion('v3')).toBe(false);
    expect(() => getCatalogue('v0')).toThrow(/unknown catalogue version/);
    expect(getCatalogue('v1')).toBe(v1);
  });

  it.each([
    // id, level, owner, depends on, party submits first, SLA, estimate
    ['ACCESSION', 'PARTY', 'SECAS', [], false, 10, 20],
    ['ID_ALLOCATION', 'PARTY', 'SECAS', ['ACCESSION'], false, 10, 10],
    ['SECURITY_ASSESSMENT', 'PARTY', 'SEC_PANEL', ['ACCESSION'], true, 20, 60],
    ['CREDIT_COVER', 'PARTY', 'DCC', ['ACCESSION'], true, 10, 15],
    ['DCC_GATEWAY', 'PARTY', 'DCC', ['ACCESSION'], false, 20, 40],
    ['SMKI_SREPT', 'PARTY', 'DCC', ['DCC_GATEWAY'], true, 10, 20],
    ['USER_ID', 'ROLE', 'DCC', ['ID_ALLOCATION'], true, 5, 5],
    ['UEPT', 'ROLE', 'DCC', ['USER_ID', 'DCC_GATEWAY', 'SMKI_SREPT'], true, 10, 40],
    ['PRIVACY_ASSESSMENT', 'ROLE', 'SEC_PANEL', ['ACCESSION'], true, 20, 80],
    ['UEP_COMPLETION', 'ROLE', 'SECAS', [], true, 20, 20],
  ])('%s matches the model’s table', (id, level, owner, deps, submitsFirst, sla, estimate) => {
    expect(row(id)).toMatchObject({ level, owner, dependsOn: deps, partySubmitsFirst: submitsFirst, slaWorkingDays: sla, estimateWorkingDays: estimate });
    expect(row(id)?.secRef.length).toBeGreaterThan(1);
  });

  it.each([
    ['SECURITY_ASSESSMENT', { APPROVED: 'DONE', APPROVED_SUBJECT_TO: 'DONE', DEFERRED: 'REWORK', REJECTED: 'RESTART' }],
    ['PRIVACY_ASSESSMENT', { APPROVED: 'DONE', APPROVED_SUBJECT_TO: 'DONE', PROVISIONALLY_APPROVED: 'REWORK', DEFERRED: 'REWORK' }],
    ['CREDIT_COVER', { LODGED: 'DONE', NOT_REQUIRED: 'DONE' }],
    ['DCC_GATEWAY', { LIVE: 'DONE', VIA_SHARED_RESOURCE: 'DONE' }],
    ['SMKI_SREPT', { PASSED: 'DONE', FAILED: 'REWORK' }],
    ['USER_ID', { ACCEPTED: 'DONE', REJECTED: 'REWORK' }],
    ['UEPT', { PASSED: 'DONE', FAILED: 'REWORK' }],
    ['UEP_COMPLETION', { CONFIRMED: 'DONE' }],
  ])('%s outcomes and effects', (id, effects) => {
    expect(Object.fromEntries((row(id)?.outcomes ?? []).map((o) => [o.outcome, o.effect]))).toEqual(effects);
  });

  it('APPROVED_SUBJECT_TO leaves a follow-up; VIA_SHARED_RESOURCE only with a provider; UEPT shrinks with one', () => {
    expect(row('SECURITY_ASSESSMENT')?.outcomes.find((o) => o.outcome === 'APPROVED_SUBJECT_TO')?.followUp).toBe(true);
    const gateway = stageDef(v1, 'DCC_GATEWAY');
    expect(outcomesFor(gateway, false).map((o) => o.outcome)).toEqual(['LIVE']);
    expect(outcomesFor(gateway, true).map((o) => o.outcome)).toEqual(['LIVE', 'VIA_SHARED_RESOURCE']);
    expect(estimateFor(stageDef(v1, 'UEPT'), true)).toBe(20);
    expect(estimateFor(stageDef(v1, 'UEPT'), false)).toBe(40);
    expect(estimateFor(stageDef(v1, 'ACCESSION'), true)).toBe(20);
    expect(() => stageDef({ ...v1, stages: [] }, 'UEPT')).toThrow(/not in catalogue/);
  });

  it('privacy applies to Other User only; every other stage to every role', () => {
    expect(row('PRIVACY_ASSESSMENT')?.appliesTo).toEqual(['OTHER_USER']);
    for (const s of v1.stages.filter((x) => x.id !== 'PRIVACY_ASSESSMENT')) expect(s.appliesTo).toHaveLength(7);
  });

  it('dependencies: party stages depend on party stages only; role stages on their own role; completion on all others', () => {
    for (const s of v1.stages.filter((x) => x.level === 'PARTY')) {
      for (const d of s.dependsOn) expect(row(d)?.level).toBe('PARTY');
    }
    expect(dependenciesOf(v1, { stage: 'UEPT', role: 'GAS_SUPPLIER' })).toEqual([
      { stage: 'USER_ID', role: 'GAS_SUPPLIER' },
      { stage: 'DCC_GATEWAY' },
      { stage: 'SMKI_SREPT' },
    ]);
    expect(dependenciesOf(v1, { stage: 'UEP_COMPLETION', role: 'OTHER_USER' }).map((d) => d.stage)).toEqual([
      'ACCESSION', 'ID_ALLOCATION', 'SECURITY_ASSESSMENT', 'CREDIT_COVER', 'DCC_GATEWAY', 'SMKI_SREPT', 'USER_ID', 'UEPT', 'PRIVACY_ASSESSMENT',
    ]);
    expect(dependenciesOf(v1, { stage: 'UEP_COMPLETION', role: 'GAS_SUPPLIER' }).map((d) => d.stage)).not.toContain('PRIVACY_ASSESSMENT');
    expect(dependenciesOf(v1, { stage: 'USER_ID' })).toEqual([{ stage: 'ID_ALLOCATION' }]);
  });

  it('is acyclic', () => {
    const refs = stageInstances(v1, ['OTHER_USER', 'GAS_SUPPLIER']);
    const visiting = new Set<string>();
    const key = (r: { stage: string; role?: string }) => `${r.stage}.${r.role ?? ''}`;
    const visit = (r: { stage: (typeof refs)[number]['stage']; role?: (typeof refs)[number]['role'] }, depth = 0): void => {
      expect(visiting.has(key(r))).toBe(false);
      visiting.add(key(r));
      for (const d of dependenciesOf(v1, r)) visit(d, depth + 1);
      visiting.delete(key(r));
    };
    refs.forEach((r) => visit(r));
  });
});

describe('mandates under catalogue v1', () => {
  it.each([
    ['SMALL_DOMESTIC_SUPPLIER', '2017-11-25'],
    ['ELECTRICITY_DNO', '2018-01-21'],
    ['SMALL_NON_DOMESTIC_SUPPLIER', '2018-08-31'],
    ['LARGE_SUPPLIER', null],
    ['GAS_TRANSPORTER', null],
    ['OTHER', null],
  ] as const)('%s default is %s', (cohort, date) => {
    expect(defaultMandateDeadline(cohort, 'v1')).toBe(date);
  });

  it('explicit wins, null is none, omitted is the default', () => {
    expect(resolveMandateDeadline({ cohort: 'SMALL_DOMESTIC_SUPPLIER', mandateDeadline: '2019-01-01' })).toBe('2019-01-01');
    expect(resolveMandateDeadline({ cohort: 'SMALL_DOMESTIC_SUPPLIER', mandateDeadline: null })).toBeNull();
    expect(resolveMandateDeadline({ cohort: 'SMALL_DOMESTIC_SUPPLIER' })).toBe('2017-11-25');
    expect(resolveMandateDeadline({ cohort: 'OTHER' })).toBeNull();
    expect(resolveMandateDeadline({ cohort: 'LARGE_SUPPLIER', catalogueVersion: 'v1' })).toBeNull();
    expect(DEFAULT_REMINDER_OFFSETS_DAYS).toEqual([90, 60, 30, 14, 7, 1]);
  });
});

describe('domain index', () => {
  it('exports what the workflow and API call', () => {
    for (const name of ['entryIdFor', 'startEntry', 'checkCommand', 'applyCommand', 'advanceTime', 'summarise', 'auditTrail', 'validateStartInput', 'getCatalogue', 'defaultMandateDeadline', 'addWorkingDays', 'workingDaysBetween', 'isWorkingDay']) {
      expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
    }
    expect(domain.CURRENT_CALENDAR_VERSION).toBe('ew-2026-11');
    expect(domain.REFUSAL.WRONG_BODY).toBe('WRONG_BODY');
    expect(domain.STAGE.UEPT).toBe('UEPT');
    expect(domain.REMINDER_HOUR_UTC).toBe(9);
    expect(domain.BREACH_HOUR_UTC).toBe(0);
    expect(domain.BREACH_REMINDER_INTERVAL_DAYS).toBe(7);
    expect(domain.notificationIds.mandateReminder('uep-P1', 30, 1)).toBe('uep-P1:MANDATE_REMINDER:d30:v1');
    expect(typeof domain.searchAttributesOf).toBe('function');
    expect(domain.forecastEntry).toBeDefined();
    expect(domain.forecastRole).toBeDefined();
    expect(domain.isAtRisk).toBeDefined();
    expect(domain.DEFAULT_MANDATE_DEADLINES.ELECTRICITY_DNO).toBe('2018-01-21');
    expect(domain.calendarVersions()).toEqual(['ew-2026-11']);
    expect(domain.isKnownCalendarVersion('ew-2026-11')).toBe(true);
    expect(domain.nextWorkingDay('2026-11-27')).toBe('2026-11-30');
    expect(domain.bankHolidays().length).toBeGreaterThan(150);
  });
});
