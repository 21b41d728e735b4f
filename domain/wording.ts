/**
 * How an entry's texts (headline, notices, expectations, audit details) name bodies, stages, roles,
 * outcomes and dates. From rules version 7, in words ('the DCC', 'User ID acceptance for Gas
 * Supplier', '14 Dec 2026'); before it, in codes and ISO dates, so an older entry's texts stay
 * byte for byte what they were. Machine fields (ids, search attributes, ISO dates) never use this.
 */
import { getCatalogue, stageDef, type StageRef } from './catalogue';
import { dayInWords } from './meetings';
import { RULES_VERSION, rulesAtLeast } from './rules';
import type { EntryState } from './state';
import { BODY, type Body, type UserRole } from './vocabulary';

/** 'IMPORT_SUPPLIER' as 'Import Supplier'. */
export function roleInWords(role: UserRole): string {
  return role
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join(' ');
}

const BODY_WORDS: Record<Body, string> = {
  [BODY.DCC]: 'the DCC',
  [BODY.SEC_PANEL]: 'the SEC Panel',
  [BODY.SECAS]: 'SECAS',
  [BODY.PARTY]: 'the Party',
  [BODY.OPS]: 'UEP operations',
};

/** 'SEC_PANEL' as 'the SEC Panel'. */
export function bodyInWords(body: Body): string {
  return BODY_WORDS[body];
}

/** 'NOT_REQUIRED' as 'Not required': an outcome's name, as the decide form offers it. */
export function outcomeInWords(outcome: string): string {
  const words = outcome.toLowerCase().replaceAll('_', ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** 'the DCC' as 'The DCC': a name that opens a sentence ('DCC' stays 'DCC'). */
export function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

export interface Naming {
  /** True from rules version 7: the names below are words. */
  readonly inWords: boolean;
  body(body: Body): string;
  /** 'USER_ID for GAS_SUPPLIER', or 'User ID acceptance for Gas Supplier'. */
  stage(ref: StageRef): string;
  role(role: UserRole): string;
  roles(roles: readonly UserRole[]): string;
  outcome(outcome: string): string;
  /** '2026-12-14', or '14 Dec 2026'. */
  date(date: string): string;
}

const IN_CODES: Naming = {
  inWords: false,
  body: (body) => body,
  stage: (ref) => (ref.role ? `${ref.stage} for ${ref.role}` : ref.stage),
  role: (role) => role,
  roles: (roles) => roles.join(', '),
  outcome: (outcome) => outcome,
  date: (date) => date,
};

/** How `state`'s texts name things (its rules version decides). */
export function namingOf(state: Pick<EntryState, 'rulesVersion' | 'catalogueVersion'>): Naming {
  if (!rulesAtLeast(state, RULES_VERSION.V7)) return IN_CODES;
  const catalogue = getCatalogue(state.catalogueVersion);
  return {
    inWords: true,
    body: bodyInWords,
    stage: (ref) => `${stageDef(catalogue, ref.stage).title}${ref.role ? ` for ${roleInWords(ref.role)}` : ''}`,
    role: roleInWords,
    roles: (roles) => roles.map(roleInWords).join(', '),
    outcome: outcomeInWords,
    date: (date) => dayInWords(date),
  };
}
