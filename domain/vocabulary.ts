/** The words of the User Entry Process, each declared once. */

export const BODY = {
  DCC: 'DCC',
  SEC_PANEL: 'SEC_PANEL',
  SECAS: 'SECAS',
  PARTY: 'PARTY',
  OPS: 'OPS',
} as const;
export type Body = (typeof BODY)[keyof typeof BODY];

export const USER_ROLE = {
  IMPORT_SUPPLIER: 'IMPORT_SUPPLIER',
  EXPORT_SUPPLIER: 'EXPORT_SUPPLIER',
  GAS_SUPPLIER: 'GAS_SUPPLIER',
  ELECTRICITY_DISTRIBUTOR: 'ELECTRICITY_DISTRIBUTOR',
  GAS_TRANSPORTER: 'GAS_TRANSPORTER',
  REGISTERED_SUPPLIER_AGENT: 'REGISTERED_SUPPLIER_AGENT',
  OTHER_USER: 'OTHER_USER',
} as const;
export type UserRole = (typeof USER_ROLE)[keyof typeof USER_ROLE];

export const COHORT = {
  LARGE_SUPPLIER: 'LARGE_SUPPLIER',
  SMALL_DOMESTIC_SUPPLIER: 'SMALL_DOMESTIC_SUPPLIER',
  SMALL_NON_DOMESTIC_SUPPLIER: 'SMALL_NON_DOMESTIC_SUPPLIER',
  ELECTRICITY_DNO: 'ELECTRICITY_DNO',
  GAS_TRANSPORTER: 'GAS_TRANSPORTER',
  OTHER: 'OTHER',
} as const;
export type Cohort = (typeof COHORT)[keyof typeof COHORT];

export const STAGE = {
  ACCESSION: 'ACCESSION',
  ID_ALLOCATION: 'ID_ALLOCATION',
  SECURITY_ASSESSMENT: 'SECURITY_ASSESSMENT',
  CREDIT_COVER: 'CREDIT_COVER',
  DCC_GATEWAY: 'DCC_GATEWAY',
  SMKI_SREPT: 'SMKI_SREPT',
  USER_ID: 'USER_ID',
  UEPT: 'UEPT',
  PRIVACY_ASSESSMENT: 'PRIVACY_ASSESSMENT',
  UEP_COMPLETION: 'UEP_COMPLETION',
} as const;
export type StageId = (typeof STAGE)[keyof typeof STAGE];

export const STAGE_LEVEL = { PARTY: 'PARTY', ROLE: 'ROLE' } as const;
export type StageLevel = (typeof STAGE_LEVEL)[keyof typeof STAGE_LEVEL];

export const STAGE_STATE = {
  BLOCKED: 'BLOCKED',
  AWAITING_PARTY: 'AWAITING_PARTY',
  AWAITING_DECISION: 'AWAITING_DECISION',
  DONE: 'DONE',
} as const;
export type StageState = (typeof STAGE_STATE)[keyof typeof STAGE_STATE];

/** What an outcome does to its stage (docs/domain.md, "Rules around the table"). */
export const OUTCOME_EFFECT = { DONE: 'DONE', REWORK: 'REWORK', RESTART: 'RESTART' } as const;
export type OutcomeEffect = (typeof OUTCOME_EFFECT)[keyof typeof OUTCOME_EFFECT];

export const ENTRY_STATUS = {
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETE: 'COMPLETE',
  WITHDRAWN: 'WITHDRAWN',
  /**
   * Never set by the state machine: the record's mark for a run that Temporal closed behind the
   * engine's back (terminated, reset away, failed, timed out), found by the reconciler.
   */
  CLOSED_OUTSIDE_ENGINE: 'CLOSED_OUTSIDE_ENGINE',
} as const;
export type EntryStatus = (typeof ENTRY_STATUS)[keyof typeof ENTRY_STATUS];

/** Who acted, as the API authenticated them; never a name the caller typed. */
export interface Principal {
  body: Body;
  id: string;
  /** Set for PARTY principals: the only party they may act for. */
  partyId?: string;
  /** The named person behind the API token, shown in the audit trail. */
  name?: string;
}

export const ALL_BODIES = Object.values(BODY);
export const ALL_USER_ROLES = Object.values(USER_ROLE);
export const ALL_COHORTS = Object.values(COHORT);
export const ALL_STAGES = Object.values(STAGE);
