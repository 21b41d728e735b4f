/**
 * DCC User mandates: the date by which a Party cohort had to be a DCC User (docs/domain.md,
 * "Mandate deadlines"). A deadline date is the last permitted day. Cohorts without a sourced date
 * have no default. The defaults belong to the catalogue version an entry starts with: version 2
 * gives large suppliers Ofgem's date for all suppliers.
 */
import { CURRENT_CATALOGUE_VERSION } from './catalogue';
import { toDate } from './dates';
import { dayInWords } from './meetings';
import { START_WARNING, type StartEntryInput, type StartWarning } from './types';
import { COHORT, type Cohort } from './vocabulary';

type Defaults = Readonly<Partial<Record<Cohort, string>>>;

/** Catalogue version 1's defaults. */
export const DEFAULT_MANDATE_DEADLINES: Defaults = {
  [COHORT.SMALL_DOMESTIC_SUPPLIER]: '2017-11-25',
  [COHORT.ELECTRICITY_DNO]: '2018-01-21',
  [COHORT.SMALL_NON_DOMESTIC_SUPPLIER]: '2018-08-31',
};

/** Ofgem: "All suppliers were required to become DCC users from 25 November 2017" (large ones too). */
const DEFAULTS_BY_CATALOGUE: Readonly<Record<string, Defaults>> = {
  v1: DEFAULT_MANDATE_DEADLINES,
  v2: { ...DEFAULT_MANDATE_DEADLINES, [COHORT.LARGE_SUPPLIER]: '2017-11-25' },
};

/** The cohort's default deadline ('YYYY-MM-DD') under a catalogue version, or null when it has none. */
export function defaultMandateDeadline(cohort: Cohort, catalogueVersion: string = CURRENT_CATALOGUE_VERSION): string | null {
  return (DEFAULTS_BY_CATALOGUE[catalogueVersion] ?? DEFAULT_MANDATE_DEADLINES)[cohort] ?? null;
}

/** A cohort as people write it: 'electricity DNO'. */
export const COHORT_WORDS: Readonly<Record<Cohort, string>> = {
  [COHORT.LARGE_SUPPLIER]: 'large supplier',
  [COHORT.SMALL_DOMESTIC_SUPPLIER]: 'small domestic supplier',
  [COHORT.SMALL_NON_DOMESTIC_SUPPLIER]: 'small non-domestic supplier',
  [COHORT.ELECTRICITY_DNO]: 'electricity DNO',
  [COHORT.GAS_TRANSPORTER]: 'gas transporter',
  [COHORT.OTHER]: 'other',
};

type DeadlineInput = Pick<StartEntryInput, 'cohort' | 'mandateDeadline' | 'catalogueVersion'>;

/** An explicit date wins; null means no deadline; omitted means the cohort's default. */
export function resolveMandateDeadline(input: DeadlineInput): string | null {
  if (input.mandateDeadline === undefined) return defaultMandateDeadline(input.cohort, input.catalogueVersion);
  return input.mandateDeadline;
}

export const DEFAULT_REMINDER_OFFSETS_DAYS: readonly number[] = [90, 60, 30, 14, 7, 1];

/**
 * A default deadline already passed that a start would apply without being told: null when the
 * start gives its own date (or null) or the default is still ahead. Every sourced default is years
 * old, so the person starting an entry must see the date and confirm it (the API's
 * `confirmPastDefaultDeadline`) before the entry starts in breach.
 */
export function pastDefaultDeadline(input: DeadlineInput, now: number): string | null {
  if (input.mandateDeadline !== undefined) return null;
  const deadline = resolveMandateDeadline(input);
  return deadline !== null && deadline < toDate(now) ? deadline : null;
}

/**
 * What a start must say plainly though it is accepted: a mandate deadline already passed (most
 * cohort defaults are years old) puts the entry in breach from its first moment, and SECAS and
 * OPS are told at once.
 */
export function startWarnings(input: DeadlineInput, now: number): StartWarning[] {
  const deadline = resolveMandateDeadline(input);
  if (deadline === null || deadline >= toDate(now)) return [];
  const source = input.mandateDeadline === undefined ? `The ${COHORT_WORDS[input.cohort]} cohort's default mandate deadline` : 'The mandate deadline given';
  return [
    {
      code: START_WARNING.MANDATE_DEADLINE_PASSED,
      message: `${source}, ${dayInWords(deadline)}, has already passed: the entry starts in breach and SECAS and OPS are told at once. Give mandateDeadline (a later date, or null for none) to start otherwise.`,
    },
  ];
}
