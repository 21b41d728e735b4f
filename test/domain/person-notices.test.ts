/**
 * Notices to one person in words (domain/person-notices.ts): the stage given to a colleague, and
 * the daily digest. The Party by its name, the stage's title, the role in words, who assigned it,
 * dates as people write them; never a code or an ISO date.
 */
import { digestOf, dueInWords, stageAssignedNotice, type AssignedStage, type DigestItem } from '../../domain/person-notices';

const ASSIGNED: AssignedStage = {
  entryId: 'uep-ACME',
  partyId: 'ACME',
  partyName: 'Acme Energy Ltd',
  stage: 'UEPT',
  role: 'IMPORT_SUPPLIER',
  title: 'UEP Testing (UEPT)',
  awaiting: 'DCC',
  dueBy: '2026-03-14',
  assignee: { id: 'dcc-sam', name: 'Sam Lee', email: 'sam.lee@dcc.example' },
  assignedBy: { id: 'dcc-dana', name: 'Dana Smith' },
  at: '2026-03-02T10:14:00.000Z',
};

const NO_CODES = /IMPORT_SUPPLIER|UEPT\b(?!\))|\bDCC_|\d{4}-\d{2}-\d{2}/;

describe('STAGE_ASSIGNED', () => {
  it('names the Party, the stage and role in words, who assigned it and the due date, to the person and no one else', () => {
    const n = stageAssignedNotice(ASSIGNED);
    expect(n.id).toBe(`uep-ACME:STAGE_ASSIGNED:UEPT.IMPORT_SUPPLIER:dcc-sam:${Date.parse(ASSIGNED.at)}`);
    expect(n.recipients).toEqual([{ kind: 'PERSON', body: 'DCC', id: 'dcc-sam', name: 'Sam Lee', email: 'sam.lee@dcc.example' }]);
    expect(n.subject).toBe('Acme Energy Ltd: UEP Testing (UEPT), for the Import Supplier role is assigned to you by Dana Smith, due 14 Mar 2026');
    expect(n.body).toContain("Dana Smith (the DCC) assigned Acme Energy Ltd's UEP Testing (UEPT), for the Import Supplier role to you on 2 Mar 2026: it waits for the DCC's decision, due 14 Mar 2026.");
    expect(`${n.subject}\n${n.body}`).not.toMatch(NO_CODES);
  });

  it('an overdue stage, one with no due date, and an assignee named only by id', () => {
    expect(stageAssignedNotice({ ...ASSIGNED, at: '2026-03-20T09:00:00.000Z' }).subject).toMatch(/, overdue since 14 Mar 2026$/);
    expect(stageAssignedNotice({ ...ASSIGNED, dueBy: null }).subject).toMatch(/, with no due date$/);
    const bare = stageAssignedNotice({ ...ASSIGNED, role: undefined, title: 'Credit Cover', stage: 'CREDIT_COVER', assignee: { id: 'dcc-kim' }, assignedBy: { id: 'dcc-dana' } });
    expect(bare.recipients).toEqual([{ kind: 'PERSON', body: 'DCC', id: 'dcc-kim', name: 'dcc-kim' }]);
    expect(bare.subject).toBe('Acme Energy Ltd: Credit Cover is assigned to you by dcc-dana, due 14 Mar 2026');
    expect(bare.id).toContain(':STAGE_ASSIGNED:CREDIT_COVER:dcc-kim:');
  });

  it('the same stage given to the same person again later is another notice', () => {
    expect(stageAssignedNotice(ASSIGNED).id).not.toBe(stageAssignedNotice({ ...ASSIGNED, at: '2026-03-03T08:00:00.000Z' }).id);
  });
});

describe('the daily digest', () => {
  const item = (over: Partial<DigestItem>): DigestItem => ({ partyId: 'ACME', partyName: 'Acme Energy Ltd', stage: 'CREDIT_COVER', title: 'Credit Cover', dueBy: '2026-03-14', link: 'https://uep.example/app/entries/ACME#CREDIT_COVER', ...over });

  it('what is assigned to the person first, then what else waits for their body, with due or overdue and a link each', () => {
    const d = digestOf({ id: 'dcc-sam', name: 'Sam Lee' }, 'DCC', '2026-03-10', [item({ assignedBy: { id: 'dcc-dana', name: 'Dana Smith' } })], [
      item({ partyName: 'Bolt Power plc', partyId: 'BOLT', dueBy: '2026-03-02', heldBy: { id: 'dcc-kim', name: 'Kim Park' }, link: 'https://uep.example/app/entries/BOLT#CREDIT_COVER' }),
      item({ partyName: 'Coil Gas Ltd', partyId: 'COIL', stage: 'UEPT', role: 'GAS_SUPPLIER', title: 'UEP Testing (UEPT)', dueBy: null, link: 'https://uep.example/app/entries/COIL#UEPT.GAS_SUPPLIER' }),
    ]);
    expect(d.subject).toBe('UEP digest for 10 Mar 2026: 3 items wait for you, 1 overdue');
    expect(d.overdue).toBe(1);
    const lines = d.text.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.startsWith(s));
    expect(at('Assigned to you (1):')).toBeLessThan(at('Waiting for the DCC (2):'));
    expect(d.text).toContain('- Acme Energy Ltd: Credit Cover, due 14 Mar 2026 (assigned by Dana Smith)\n  https://uep.example/app/entries/ACME#CREDIT_COVER');
    expect(d.text).toContain('- Bolt Power plc: Credit Cover, overdue since 2 Mar 2026 (with Kim Park)');
    expect(d.text).toContain('- Coil Gas Ltd: UEP Testing (UEPT), for the Gas Supplier role, with no due date\n  https://uep.example/app/entries/COIL#UEPT.GAS_SUPPLIER');
    expect(d.text).not.toMatch(/GAS_SUPPLIER(?!\n)|\d{4}-\d{2}-\d{2}/);
  });

  it('a section with nothing in it is left out', () => {
    const d = digestOf({ id: 'secas-ann' }, 'SECAS', '2026-03-10', [], [item({})]);
    expect(d.text).not.toContain('Assigned to you');
    expect(d.text).toContain('Waiting for SECAS (1):');
    expect(d.subject).toBe('UEP digest for 10 Mar 2026: 1 item waits for you');
  });

  it('due on the day itself is not overdue', () => {
    expect(dueInWords('2026-03-10', '2026-03-10')).toBe('due 10 Mar 2026');
    expect(dueInWords('2026-03-09', '2026-03-10')).toBe('overdue since 9 Mar 2026');
  });
});
