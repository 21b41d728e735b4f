/** The search attributes' one codec: what the workflow encodes decodes to the same values, enums checked. */
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import type { EntrySearchAttributes } from '../../domain/types';
import { BODY, COHORT, ENTRY_STATUS, STAGE, USER_ROLE } from '../../domain/vocabulary';
import { encodeSearchAttributes, SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import { decodeSearchAttributes } from '../../workflows/search-attributes-decode';
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
  nextDeadline: '2030-06-01T09:00:00.000Z',
  atRisk: true,
  inBreach: false,
};

const typed = (pairs: { key: SearchAttributePair['key']; value: unknown }[]) =>
  new TypedSearchAttributes(pairs.filter((p) => p.value !== null) as SearchAttributePair[]);

test('encode then decode gives the values back; a calendar date comes back as YYYY-MM-DD', () => {
  expect(decodeSearchAttributes(typed(encodeSearchAttributes(values)))).toEqual({
    ...values,
    mandateDeadline: '2030-08-30',
  });
});

test('attributes not yet visible decode to null or empty, never undefined', () => {
  expect(decodeSearchAttributes(typed([{ key: SEARCH_ATTRIBUTE.partyId, value: 'ACME' }]))).toEqual({
    partyId: 'ACME',
    partyName: null,
    cohort: null,
    roles: [],
    status: null,
    awaitedBodies: [],
    openStages: [],
    mandateDeadline: null,
    nextDeadline: null,
    atRisk: false,
    inBreach: false,
  });
});

test('a value outside the vocabulary is refused, not cast', () => {
  const pairs = encodeSearchAttributes(values).map((p) => (p.key.name === SEARCH_ATTRIBUTE.cohort.name ? { ...p, value: 'GIANT' } : p));
  expect(() => decodeSearchAttributes(typed(pairs))).toThrow(/cohort/);
});

test('the workflow bundle carries no zod: every workflow would evaluate its modules again', async () => {
  const { code } = await entryWorkflowBundle();
  expect(code).toContain('./workflows/search-attributes.ts');
  expect(code.match(/\.\/node_modules\/zod\/[^"\s]*/g) ?? []).toEqual([]);
}, 120_000);
