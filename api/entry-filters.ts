/** The filters of a list of entries (GET /v1/entries), as the reads take them. */
import type { Body, Cohort, EntryStatus, UserRole } from '../domain/vocabulary';

const WORD = /[\p{L}\p{N}]+/gu;
export const MAX_NAME_TERMS = 8;

/** The words of a name search: lower-cased letters and digits only, at most MAX_NAME_TERMS; every word must match. */
export function nameTerms(name: string): string[] {
  return (name.match(WORD) ?? []).map((w) => w.toLowerCase()).slice(0, MAX_NAME_TERMS);
}

export interface EntryFilters {
  partyId?: string;
  status?: EntryStatus;
  awaitedBody?: Body;
  role?: UserRole;
  cohort?: Cohort;
  partyName?: string;
  atRisk?: boolean;
  inBreach?: boolean;
  /** 'YYYY-MM-DD', inclusive */
  mandateDeadlineFrom?: string;
  /** 'YYYY-MM-DD', inclusive (to the end of that day) */
  mandateDeadlineTo?: string;
}
