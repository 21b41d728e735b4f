/** The words of the User Entry Process, each declared once. */

/** `{ A: 'A', B: 'B' }` from 'A', 'B': each word written once, in order, usable as a value and (with `keyof`) a type. */
export function words<const W extends string>(...list: W[]): { readonly [K in W]: K } {
  return Object.fromEntries(list.map((w) => [w, w])) as { readonly [K in W]: K };
}

export const BODY = words('DCC', 'SEC_PANEL', 'SECAS', 'PARTY', 'OPS');
export type Body = (typeof BODY)[keyof typeof BODY];

export const USER_ROLE = words('IMPORT_SUPPLIER', 'EXPORT_SUPPLIER', 'GAS_SUPPLIER', 'ELECTRICITY_DISTRIBUTOR', 'GAS_TRANSPORTER', 'REGISTERED_SUPPLIER_AGENT', 'OTHER_USER');
export type UserRole = (typeof USER_ROLE)[keyof typeof USER_ROLE];

export const COHORT = words('LARGE_SUPPLIER', 'SMALL_DOMESTIC_SUPPLIER', 'SMALL_NON_DOMESTIC_SUPPLIER', 'ELECTRICITY_DNO', 'GAS_TRANSPORTER', 'OTHER');
export type Cohort = (typeof COHORT)[keyof typeof COHORT];

export const STAGE = words('ACCESSION', 'ID_ALLOCATION', 'SECURITY_ASSESSMENT', 'CREDIT_COVER', 'DCC_GATEWAY', 'SMKI_SREPT', 'USER_ID', 'UEPT', 'PRIVACY_ASSESSMENT', 'UEP_COMPLETION', 'SECURITY_FIELDWORK', 'PRIVACY_FIELDWORK');
export type StageId = (typeof STAGE)[keyof typeof STAGE];

export const STAGE_LEVEL = words('PARTY', 'ROLE');
export type StageLevel = (typeof STAGE_LEVEL)[keyof typeof STAGE_LEVEL];

export const STAGE_STATE = words('BLOCKED', 'AWAITING_PARTY', 'AWAITING_DECISION', 'DONE');
export type StageState = (typeof STAGE_STATE)[keyof typeof STAGE_STATE];

/** What an outcome does to its stage (docs/domain.md, "Rules around the table"). */
export const OUTCOME_EFFECT = words('DONE', 'REWORK', 'RESTART');
export type OutcomeEffect = (typeof OUTCOME_EFFECT)[keyof typeof OUTCOME_EFFECT];

/**
 * CLOSED_OUTSIDE_ENGINE is never set by the state machine: the record's mark for a run that
 * Temporal closed behind the engine's back (terminated, reset away, failed, timed out), found by
 * the reconciler.
 */
export const ENTRY_STATUS = words('IN_PROGRESS', 'COMPLETE', 'WITHDRAWN', 'CLOSED_OUTSIDE_ENGINE');
export type EntryStatus = (typeof ENTRY_STATUS)[keyof typeof ENTRY_STATUS];

/** Who acted, as the API authenticated them; never a name the caller typed. */
export interface Principal {
  body: Body;
  id: string;
  /** Set for PARTY principals: the only party they may act for. */
  partyId?: string;
  /** The named person behind the API token or console session, shown in the audit trail. */
  name?: string;
  /** Their email as their identity provider knows it (console sign-ins), shown in the audit trail. */
  email?: string;
}

export const ALL_BODIES = Object.values(BODY);
export const ALL_USER_ROLES = Object.values(USER_ROLE);
export const ALL_COHORTS = Object.values(COHORT);
export const ALL_STAGES = Object.values(STAGE);
