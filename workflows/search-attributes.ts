/**
 * The ops view: the typed search attribute keys every entry upserts, declared once, and their
 * encoding (the workflow's upserts, the start's initial values). The worker, the API (a start's
 * initial values), npm start, the test harness and docker-compose register exactly these keys. Imported by the workflow: sandbox-safe only, and
 * without zod (every workflow evaluates the bundle's modules again, zod's among them).
 */
import { defineSearchAttributeKey, type SearchAttributeType, type SearchAttributeUpdatePair, type TypedSearchAttributes } from '@temporalio/common';
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

/** Datetime attributes hold 00:00 UTC of a date as an instant; a calendar date goes back as YYYY-MM-DD. */
const instant = (iso: string | null) => (iso === null ? null : new Date(iso));

export function encodeSearchAttributes(values: EntrySearchAttributes): SearchAttributeUpdatePair[] {
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

type AttributeValue = SearchAttributeUpdatePair['value'];

function sameValue(now: unknown, next: AttributeValue): boolean {
  if (next === null) return now === undefined;
  if (next instanceof Date) return now instanceof Date && now.getTime() === next.getTime();
  if (Array.isArray(next)) return Array.isArray(now) && now.length === next.length && next.every((v, i) => now[i] === v);
  return now === next;
}

/** The pairs whose values differ from what the entry holds now (an upsert of the rest would change nothing). */
export function changedSearchAttributes(current: TypedSearchAttributes, pairs: SearchAttributeUpdatePair[]): SearchAttributeUpdatePair[] {
  return pairs.filter((pair) => !sameValue(current.get(pair.key), pair.value));
}
