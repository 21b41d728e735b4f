/**
 * A small non-domestic supplier seeking Import Supplier and Gas Supplier, started on 2018-03-01
 * (mandate deadline by default 2018-08-31), driven purely by events: security DEFERRED then
 * APPROVED, a failed UEPT retest, to completion. Every notification is asserted, in order.
 */
import { summarise, auditTrail, RULES_VERSION } from '../../domain';
import { at, DCC, decide, drive, input, OPS, PANEL, SECAS, submit } from './domain-fixtures';

const steps = [
  { now: at('2018-03-05'), command: decide('ACCESSION', 'ACCEDED', SECAS) },
  { now: at('2018-03-07'), command: decide('ID_ALLOCATION', 'ALLOCATED', SECAS) },
  { now: at('2018-03-08'), command: submit('SECURITY_ASSESSMENT') },
  { now: at('2018-03-08T11:00:00Z'), command: submit('CREDIT_COVER') },
  { now: at('2018-03-09'), command: submit('USER_ID', 'IMPORT_SUPPLIER') },
  { now: at('2018-03-09T11:00:00Z'), command: submit('USER_ID', 'GAS_SUPPLIER') },
  { now: at('2018-03-12'), command: decide('CREDIT_COVER', 'LODGED', DCC) },
  { now: at('2018-03-13'), command: decide('USER_ID', 'ACCEPTED', DCC, 'IMPORT_SUPPLIER') },
  { now: at('2018-03-13T11:00:00Z'), command: decide('USER_ID', 'ACCEPTED', DCC, 'GAS_SUPPLIER') },
  { now: at('2018-04-05'), command: decide('SECURITY_ASSESSMENT', 'DEFERRED', PANEL, undefined, { comment: 'patching policy evidence missing' }) },
  { now: at('2018-04-10'), command: decide('DCC_GATEWAY', 'LIVE', DCC) },
  { now: at('2018-04-11'), command: submit('SMKI_SREPT') },
  { now: at('2018-04-18'), command: decide('SMKI_SREPT', 'PASSED', DCC) },
  { now: at('2018-04-19'), command: submit('UEPT', 'IMPORT_SUPPLIER') },
  { now: at('2018-04-19T11:00:00Z'), command: submit('UEPT', 'GAS_SUPPLIER') },
  { now: at('2018-04-20'), command: submit('SECURITY_ASSESSMENT') },
  { now: at('2018-05-02'), command: decide('UEPT', 'PASSED', DCC, 'IMPORT_SUPPLIER') },
  { now: at('2018-05-03'), command: decide('UEPT', 'FAILED', DCC, 'GAS_SUPPLIER') },
  { now: at('2018-05-08'), command: submit('UEPT', 'GAS_SUPPLIER') },
  { now: at('2018-05-10'), command: decide('SECURITY_ASSESSMENT', 'APPROVED', PANEL) },
  { now: at('2018-05-21'), command: decide('UEPT', 'PASSED', DCC, 'GAS_SUPPLIER') },
  { now: at('2018-05-22'), command: submit('UEP_COMPLETION', 'IMPORT_SUPPLIER') },
  { now: at('2018-05-22T11:00:00Z'), command: submit('UEP_COMPLETION', 'GAS_SUPPLIER') },
  { now: at('2018-06-12'), command: decide('UEP_COMPLETION', 'CONFIRMED', SECAS, 'IMPORT_SUPPLIER') },
  { now: at('2018-06-14'), command: decide('UEP_COMPLETION', 'CONFIRMED', SECAS, 'GAS_SUPPLIER') },
];

describe('scenario: small non-domestic supplier, two roles, 2018 mandate (rules version 1)', () => {
  const run = drive({ input: input({ startedBy: OPS }), now: at('2018-03-01'), rules: RULES_VERSION.V1 }, steps, at('2019-01-01'));
  const list = run.notifications.map((n) => `${n.dueAt} ${n.kind} ${n.id}`);

  it('sends exactly these notifications, in order', () => {
    console.log(`scenario notifications:\n${list.join('\n')}`);
    expect(list).toEqual([
      // forecast at start: 140 working days (accession, gateway, SREPT, UEPT, completion) ends 2018-09-20
      '2018-03-01T10:00:00.000Z AT_RISK uep-P1:AT_RISK:c1',
      // accession done: 120 working days left, ends 2018-08-23
      '2018-03-05T10:00:00.000Z BACK_ON_TRACK uep-P1:BACK_ON_TRACK:c2',
      // time alone: from 2018-03-12, 120 working days end after 2018-08-31
      '2018-03-12T00:00:00.000Z AT_RISK uep-P1:AT_RISK:c3',
      // gateway awaited since 2018-03-05; 20 WD (Easter 03-30, 04-02) due 2018-04-04; reminder next working day 09:00
      '2018-04-05T09:00:00.000Z SLA_REMINDER uep-P1:SLA_REMINDER:DCC_GATEWAY:a1',
      '2018-04-10T10:00:00.000Z BACK_ON_TRACK uep-P1:BACK_ON_TRACK:c4',
      // 2018-08-31 minus 90 days, 09:00 UTC
      '2018-06-02T09:00:00.000Z MANDATE_REMINDER uep-P1:MANDATE_REMINDER:d90:v1',
      '2018-06-12T10:00:00.000Z ROLE_COMPLETE uep-P1:ROLE_COMPLETE:IMPORT_SUPPLIER',
      '2018-06-14T10:00:00.000Z ROLE_COMPLETE uep-P1:ROLE_COMPLETE:GAS_SUPPLIER',
    ]);
  });

  it('addresses each notification to the right people', () => {
    const to = (kind: string) => run.notifications.find((n) => n.kind === kind)?.recipients;
    expect(to('AT_RISK')).toEqual([{ kind: 'PARTY_CONTACT', name: 'Ann Smith', email: 'ann@acme.example' }, { kind: 'BODY', body: 'SECAS' }]);
    expect(to('SLA_REMINDER')).toEqual([{ kind: 'BODY', body: 'DCC' }]);
    expect(to('MANDATE_REMINDER')).toEqual([{ kind: 'PARTY_CONTACT', name: 'Ann Smith', email: 'ann@acme.example' }, { kind: 'BODY', body: 'SECAS' }]);
    const reminder = run.notifications.find((n) => n.kind === 'MANDATE_REMINDER');
    expect(reminder?.deadline).toBe('2018-08-31');
    expect(reminder?.calendarDaysLeft).toBe(90);
    expect(reminder?.workingDaysLeft).toBe(64);
    const sla = run.notifications.find((n) => n.kind === 'SLA_REMINDER');
    expect(sla).toMatchObject({ stage: 'DCC_GATEWAY', awaitedBody: 'DCC', deadline: '2018-04-04' });
  });

  it('ends complete, with every role complete', () => {
    const s = summarise(run.state, at('2018-06-14'));
    expect(s.status).toBe('COMPLETE');
    expect(s.roleStages.every((r) => r.complete)).toBe(true);
    expect(s.headline).toBe('ACME Energy: UEP complete for all 2 roles on 2018-06-14');
    expect(s.followUps).toEqual([]);
    const trail = auditTrail(run.state);
    expect(trail).toHaveLength(1 + steps.length + 2); // STARTED, every command, two ROLE_COMPLETE
    expect(trail.filter((r) => r.action === 'ROLE_COMPLETE').map((r) => r.role)).toEqual(['IMPORT_SUPPLIER', 'GAS_SUPPLIER']);
    const uept = s.roleStages.find((r) => r.role === 'GAS_SUPPLIER')?.stages.find((x) => x.stage === 'UEPT');
    expect(uept).toMatchObject({ state: 'DONE', attempts: 2, outcome: 'PASSED', doneAt: '2018-05-21' });
    const security = s.partyStages.find((x) => x.stage === 'SECURITY_ASSESSMENT');
    expect(security).toMatchObject({ state: 'DONE', attempts: 2, outcome: 'APPROVED' });
  });
});

describe('scenario under rules version 2', () => {
  it('the security deferral keeps the whole assessment in the forecast: time alone puts the entry at risk until the approval', () => {
    const run = drive({ input: input({ startedBy: OPS }), now: at('2018-03-01'), rules: RULES_VERSION.V2 }, steps, at('2019-01-01'));
    expect(run.notifications.map((n) => `${n.dueAt} ${n.kind} ${n.id}`)).toEqual([
      '2018-03-01T10:00:00.000Z AT_RISK uep-P1:AT_RISK:c1',
      '2018-03-05T10:00:00.000Z BACK_ON_TRACK uep-P1:BACK_ON_TRACK:c2',
      '2018-03-12T00:00:00.000Z AT_RISK uep-P1:AT_RISK:c3',
      '2018-04-05T09:00:00.000Z SLA_REMINDER uep-P1:SLA_REMINDER:DCC_GATEWAY:a1',
      '2018-04-10T10:00:00.000Z BACK_ON_TRACK uep-P1:BACK_ON_TRACK:c4',
      // the deferred assessment still counts its 60 working days: from 2018-05-10 they end after 2018-08-31
      '2018-05-10T00:00:00.000Z AT_RISK uep-P1:AT_RISK:c5',
      // approved that morning: back on track
      '2018-05-10T10:00:00.000Z BACK_ON_TRACK uep-P1:BACK_ON_TRACK:c6',
      '2018-06-02T09:00:00.000Z MANDATE_REMINDER uep-P1:MANDATE_REMINDER:d90:v1',
      '2018-06-12T10:00:00.000Z ROLE_COMPLETE uep-P1:ROLE_COMPLETE:IMPORT_SUPPLIER',
      '2018-06-14T10:00:00.000Z ROLE_COMPLETE uep-P1:ROLE_COMPLETE:GAS_SUPPLIER',
    ]);
  });
});
