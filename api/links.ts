/** Links in every entry response: to itself, its audit trail, and the entry in the Temporal Web UI. */
import { temporalUiLink } from '../config/temporal';
import { entryIdFor } from '../domain';
import type { ApiConfig } from './config';
import { fillPath, PATH } from './endpoints';
import type { EntryLinks } from './schemas';

export function apiUrl(config: Pick<ApiConfig, 'API_PUBLIC_URL'>, path: string): string {
  return config.API_PUBLIC_URL.replace(/\/$/, '') + path;
}

export function entryLinks(config: ApiConfig, partyId: string): EntryLinks {
  return {
    self: apiUrl(config, fillPath(PATH.entry, partyId)),
    temporalUi: temporalUiLink(config, entryIdFor(partyId)),
    auditTrail: apiUrl(config, fillPath(PATH.auditTrail, partyId)),
    auditTrailCsv: apiUrl(config, fillPath(PATH.auditTrailCsv, partyId)),
  };
}

/** A character no party id (ID_PATTERN) and no configured URL holds. */
const PLACEHOLDER = '\u0000';

/**
 * entryLinks as JSON text, for answers built as text (api/rendered-reads.ts): entryLinks' own
 * answer for a placeholder party, split once; each call puts the party's encoded id back (an
 * encoded id needs no JSON escaping).
 */
export function entryLinksJson(config: ApiConfig): (partyId: string) => string {
  const parts = JSON.stringify(entryLinks(config, PLACEHOLDER)).split(encodeURIComponent(PLACEHOLDER));
  return (partyId) => parts.join(encodeURIComponent(partyId));
}

/** Where an attached file is downloaded. */
export function fileLink(config: Pick<ApiConfig, 'API_PUBLIC_URL'>, partyId: string, fileId: string): string {
  return apiUrl(config, fillPath(PATH.file, partyId).replace(':fileId', encodeURIComponent(fileId)));
}
