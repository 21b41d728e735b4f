/**
 * The other half of ./search-attributes.ts: what visibility answers about an entry, decoded with
 * its enums checked by zod. For the API and tools; the workflow never imports it, which keeps zod
 * out of the workflow bundle (test/workflows/search-attributes.test.ts checks).
 */
import type { TypedSearchAttributes } from '@temporalio/common';
import { z } from 'zod';
import { toDate } from '../domain/dates';
import { BODY, COHORT, ENTRY_STATUS, STAGE, USER_ROLE } from '../domain/vocabulary';
import { SEARCH_ATTRIBUTE } from './search-attributes';

/**
 * What visibility holds about one entry. The identifying attributes may lag just after a start
 * (null or empty then); `mandateDeadline` is a calendar date, `nextDeadline` an instant.
 */
export const DecodedSearchAttributes = z.object({
  partyId: z.string(),
  partyName: z.string().nullable(),
  cohort: z.enum(COHORT).nullable(),
  roles: z.array(z.enum(USER_ROLE)),
  status: z.enum(ENTRY_STATUS).nullable(),
  awaitedBodies: z.array(z.enum(BODY)),
  openStages: z.array(z.enum(STAGE)),
  /** YYYY-MM-DD */
  mandateDeadline: z.string().nullable(),
  /** ISO instant */
  nextDeadline: z.string().nullable(),
  atRisk: z.boolean(),
  inBreach: z.boolean(),
});
export type DecodedSearchAttributes = z.infer<typeof DecodedSearchAttributes>;

/** Decodes an entry's typed search attributes; a value outside the vocabulary throws (drift, never cast). */
export function decodeSearchAttributes(typed: TypedSearchAttributes): DecodedSearchAttributes {
  const a = SEARCH_ATTRIBUTE;
  const date = typed.get(a.mandateDeadline);
  const next = typed.get(a.nextDeadline);
  return DecodedSearchAttributes.parse({
    partyId: typed.get(a.partyId) ?? '',
    partyName: typed.get(a.partyName) ?? null,
    cohort: typed.get(a.cohort) ?? null,
    roles: typed.get(a.roles) ?? [],
    status: typed.get(a.status) ?? null,
    awaitedBodies: typed.get(a.awaitedBodies) ?? [],
    openStages: typed.get(a.openStages) ?? [],
    mandateDeadline: date === undefined ? null : toDate(date.getTime()),
    nextDeadline: next === undefined ? null : next.toISOString(),
    atRisk: typed.get(a.atRisk) ?? false,
    inBreach: typed.get(a.inBreach) ?? false,
  });
}
