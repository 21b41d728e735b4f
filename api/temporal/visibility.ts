/**
 * Temporal visibility queries over the entries' search attributes, built from typed filters.
 * Every value goes through `literal()`: enums are already constrained by zod, but names and
 * dates are escaped all the same, so no input can change the shape of a query.
 */
import { ENTRY_WORKFLOW_TYPE } from '../../workflows/messages';
import { SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import type { Body, Cohort, EntryStatus, UserRole } from '../../domain/vocabulary';

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/** A single-quoted string literal of Temporal's visibility query language (a MySQL-style dialect). */
export function literal(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\0]/g, (c) => ESCAPES[c] ?? c)}'`;
}

const WORD = /[\p{L}\p{N}]+/gu;
export const MAX_NAME_TERMS = 8;

/**
 * The words of a name search. Text search attributes are full-text indexed (FTS5 on SQLite,
 * a match query on Elasticsearch), where quotes, backslashes, '*', ':' or an upper-case AND/NEAR
 * are query syntax: only lower-cased letters and digits are passed, and every word must match.
 */
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

const A = SEARCH_ATTRIBUTE;
const startOfDay = (date: string) => `${date}T00:00:00Z`;
const endOfDay = (date: string) => `${date}T23:59:59.999Z`;

/** `WorkflowType = 'entryWorkflow' AND ...`: entries only, every filter ANDed. */
export function entryQuery(filters: EntryFilters): string {
  const clauses = [`WorkflowType = ${literal(ENTRY_WORKFLOW_TYPE)}`];
  const eq = (name: string, value: string | undefined) => {
    if (value !== undefined) clauses.push(`${name} = ${literal(value)}`);
  };
  eq(A.partyId.name, filters.partyId);
  eq(A.status.name, filters.status);
  // KEYWORD_LIST: '=' matches when the list holds the value
  eq(A.awaitedBodies.name, filters.awaitedBody);
  eq(A.roles.name, filters.role);
  eq(A.cohort.name, filters.cohort);
  // one clause a word: a multi-word text literal is an OR of its words on some backends
  for (const term of filters.partyName === undefined ? [] : nameTerms(filters.partyName)) eq(A.partyName.name, term);
  if (filters.atRisk !== undefined) clauses.push(`${A.atRisk.name} = ${filters.atRisk}`);
  if (filters.inBreach !== undefined) clauses.push(`${A.inBreach.name} = ${filters.inBreach}`);
  if (filters.mandateDeadlineFrom) clauses.push(`${A.mandateDeadline.name} >= ${literal(startOfDay(filters.mandateDeadlineFrom))}`);
  if (filters.mandateDeadlineTo) clauses.push(`${A.mandateDeadline.name} <= ${literal(endOfDay(filters.mandateDeadlineTo))}`);
  return clauses.join(' AND ');
}
