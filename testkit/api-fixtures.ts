/** Request bodies the API tests send. */
import { COHORT, STAGE, USER_ROLE } from '../domain/vocabulary';
import type { StartEntryRequest } from '../api/schemas';
import { daysFromToday } from './dates';

export function startBody(partyId: string, overrides: Partial<StartEntryRequest> = {}): StartEntryRequest {
  return {
    partyId,
    partyName: `Party ${partyId}`,
    cohort: COHORT.SMALL_NON_DOMESTIC_SUPPLIER,
    roles: [USER_ROLE.IMPORT_SUPPLIER],
    mandateDeadline: daysFromToday(2 * 365),
    uepContact: { name: 'UEP Lead', email: `uep@${partyId.toLowerCase()}.example` },
    ...overrides,
  };
}

/** An entry whose accession is already done: the security assessment's booking awaits the Party (catalogue v2). */
export function startBodyAcceded(partyId: string, overrides: Partial<StartEntryRequest> = {}): StartEntryRequest {
  return startBody(partyId, {
    completedStages: [{ stage: STAGE.ACCESSION, outcome: 'ACCEDED', at: '2026-01-05' }],
    ...overrides,
  });
}
