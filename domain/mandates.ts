/**
 * DCC User mandates: the date by which a Party cohort had to be a DCC User (sec-uep-facts.md §4).
 * A deadline date is the last permitted day. Cohorts without a sourced date have no default.
 */
import type { StartEntryInput } from './types';
import { COHORT, type Cohort } from './vocabulary';

export const DEFAULT_MANDATE_DEADLINES: Readonly<Partial<Record<Cohort, string>>> = {
  [COHORT.SMALL_DOMESTIC_SUPPLIER]: '2017-11-25',
  [COHORT.ELECTRICITY_DNO]: '2018-01-21',
  [COHORT.SMALL_NON_DOMESTIC_SUPPLIER]: '2018-08-31',
};

/** The cohort's default deadline ('YYYY-MM-DD'), or null when it has none. */
export function defaultMandateDeadline(cohort: Cohort): string | null {
  return DEFAULT_MANDATE_DEADLINES[cohort] ?? null;
}

/** An explicit date wins; null means no deadline; omitted means the cohort's default. */
export function resolveMandateDeadline(input: Pick<StartEntryInput, 'cohort' | 'mandateDeadline'>): string | null {
  if (input.mandateDeadline === undefined) return defaultMandateDeadline(input.cohort);
  return input.mandateDeadline;
}

export const DEFAULT_REMINDER_OFFSETS_DAYS: readonly number[] = [90, 60, 30, 14, 7, 1];
