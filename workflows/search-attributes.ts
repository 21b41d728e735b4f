/**
 * The ops view: the typed search attribute keys every entry upserts, declared once. The worker,
 * the API (list queries), npm start, the test harness and docker-compose register exactly these.
 */
import { defineSearchAttributeKey, type SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { EntrySearchAttributes } from '../domain/types';

export const SEARCH_ATTRIBUTE = {
  partyId: defineSearchAttributeKey('UepPartyId', 'KEYWORD'),
  partyName: defineSearchAttributeKey('UepPartyName', 'TEXT'),
  cohort: defineSearchAttributeKey('UepCohort', 'KEYWORD'),
  roles: defineSearchAttributeKey('UepRoles', 'KEYWORD_LIST'),
  status: defineSearchAttributeKey('UepStatus', 'KEYWORD'),
  awaitedBodies: defineSearchAttributeKey('UepAwaitedBodies', 'KEYWORD_LIST'),
  openStages: defineSearchAttributeKey('UepOpenStages', 'KEYWORD_LIST'),
  mandateDeadline: defineSearchAttributeKey('UepMandateDeadline', 'DATETIME'),
  nextDeadline: defineSearchAttributeKey('UepNextDeadline', 'DATETIME'),
  atRisk: defineSearchAttributeKey('UepAtRisk', 'BOOL'),
  inBreach: defineSearchAttributeKey('UepInBreach', 'BOOL'),
} as const;

export const SEARCH_ATTRIBUTE_KEYS = Object.values(SEARCH_ATTRIBUTE);

/** The type names the Temporal CLI takes (`--search-attribute Name=Type`, `search-attribute create --type`). */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export function searchAttributeCliPairs(): { name: string; type: string }[] {
  return SEARCH_ATTRIBUTE_KEYS.map((key) => ({ name: key.name, type: CLI_TYPE[key.type] }));
}

const instant = (iso: string | null) => (iso === null ? null : new Date(iso));

export function toSearchAttributeUpdates(values: EntrySearchAttributes): SearchAttributeUpdatePair[] {
  const a = SEARCH_ATTRIBUTE;
  return [
    { key: a.partyId, value: values.partyId },
    { key: a.partyName, value: values.partyName },
    { key: a.cohort, value: values.cohort },
    { key: a.roles, value: values.roles },
    { key: a.status, value: values.status },
    { key: a.awaitedBodies, value: values.awaitedBodies },
    { key: a.openStages, value: values.openStages },
    { key: a.mandateDeadline, value: instant(values.mandateDeadline) },
    { key: a.nextDeadline, value: instant(values.nextDeadline) },
    { key: a.atRisk, value: values.atRisk },
    { key: a.inBreach, value: values.inBreach },
  ];
}
