/**
 * DCC User mandates: the date by which a Party cohort had to be a DCC User (docs/domain.md,
 * "Mandate deadlines"). A deadline date is the last permitted day. Cohorts without a sourced date
 * have no default.
 */
import { toDate } from './dates';
import { START_WARNING, type StartEntryInput, type StartWarning } from './types';
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

/**
 * What a start must say plainly though it is accepted: a mandate deadline already passed (most
 * cohort defaults are years old) puts the entry in breach from its first moment, and SECAS and
 * OPS are told at once.
 */
export function startWarnings(input: Pick<StartEntryInput, 'cohort' | 'mandateDeadline'>, now: number): StartWarning[] {
  const deadline = resolveMandateDeadline(input);
  if (deadline === null || deadline >= toDate(now)) return [];
  const source = input.mandateDeadline === undefined ? `The ${input.cohort} cohort's default mandate deadline` : 'The mandate deadline given';
  return [
    {
      code: START_WARNING.MANDATE_DEADLINE_PASSED,
      message: `${source}, ${deadline}, has already passed: the entry starts in breach and SECAS and OPS are told at once. Give mandateDeadline (a later date, or null for none) to start otherwise.`,
    },
  ];
}
