/** The search attributes' encoding: each value under its key, a date as its instant; and no zod in the workflow bundle. */
import type { EntrySearchAttributes } from '../../domain/types';
import { BODY, COHORT, ENTRY_STATUS, STAGE, USER_ROLE } from '../../domain/vocabulary';
import { encodeSearchAttributes } from '../../workflows/search-attributes';
import { entryWorkflowBundle } from '../../testkit/temporal';

const values: EntrySearchAttributes = {
  partyId: 'ACME',
  partyName: 'Acme Energy',
  cohort: COHORT.SMALL_NON_DOMESTIC_SUPPLIER,
  roles: [USER_ROLE.IMPORT_SUPPLIER, USER_ROLE.GAS_SUPPLIER],
  status: ENTRY_STATUS.IN_PROGRESS,
  awaitedBodies: [BODY.PARTY, BODY.DCC],
  openStages: [STAGE.SECURITY_ASSESSMENT],
  mandateDeadline: '2030-08-30T00:00:00.000Z',
  nextDeadline: null,
  atRisk: true,
  inBreach: false,
};

test('each value goes under its key; a datetime as its instant, none as null', () => {
  expect(Object.fromEntries(encodeSearchAttributes(values).map((p) => [p.key.name, p.value]))).toEqual({
    UepPartyId: 'ACME',
    UepPartyName: 'Acme Energy',
    UepCohort: COHORT.SMALL_NON_DOMESTIC_SUPPLIER,
    UepRoles: [USER_ROLE.IMPORT_SUPPLIER, USER_ROLE.GAS_SUPPLIER],
    UepStatus: ENTRY_STATUS.IN_PROGRESS,
    UepAwaitedBodies: [BODY.PARTY, BODY.DCC],
    UepOpenStages: [STAGE.SECURITY_ASSESSMENT],
    UepMandateDeadline: new Date('2030-08-30T00:00:00.000Z'),
    UepNextDeadline: null,
    UepAtRisk: true,
    UepInBreach: false,
  });
});

test('the workflow bundle carries no zod: every workflow would evaluate its modules again', async () => {
  const { code } = await entryWorkflowBundle();
  expect(code).toContain('./workflows/search-attributes.ts');
  expect(code.match(/\.\/node_modules\/zod\/[^"\s]*/g) ?? []).toEqual([]);
}, 120_000);
