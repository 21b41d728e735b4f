/**
 * The stage catalogue as data (engine-model.md, "The stage catalogue"). Versioned: an entry
 * keeps the version it started with, and a published version is never edited. Which outcomes
 * complete a stage (e.g. privacy's PROVISIONALLY_APPROVED) is data here, not code.
 */
import {
  ALL_USER_ROLES,
  BODY,
  OUTCOME_EFFECT,
  STAGE,
  STAGE_LEVEL,
  USER_ROLE,
  type Body,
  type OutcomeEffect,
  type StageId,
  type StageLevel,
  type UserRole,
} from './vocabulary';

export interface OutcomeDef {
  outcome: string;
  effect: OutcomeEffect;
  /** The stage is done but conditions stay listed on the entry as a follow-up (never blocking). */
  followUp?: boolean;
  /** Only for an entry with a Shared Resource provider. */
  sharedResourceOnly?: boolean;
}

export interface StageDef {
  id: StageId;
  title: string;
  secRef: string;
  level: StageLevel;
  /** Roles the stage applies to (a party-level stage exists when any sought role is listed). */
  appliesTo: readonly UserRole[];
  owner: Body;
  /** Stages that must be done first. A role-level stage's role-level dependencies are of the same role. */
  dependsOn: readonly StageId[];
  /** UEP_COMPLETION: depends on every other stage that applies to the role. */
  dependsOnAllOthers?: boolean;
  partySubmitsFirst: boolean;
  /** What the Party submits, when it submits first. */
  submission?: string;
  outcomes: readonly OutcomeDef[];
  /** Response target of the owner, in working days. */
  slaWorkingDays: number;
  /** Whole-stage estimate for the forecast, in working days. */
  estimateWorkingDays: number;
  /** Estimate when the Party uses a Shared Resource provider. */
  estimateWithSharedResource?: number;
  /** Completing this stage completes the role. */
  completesRole?: boolean;
}

export interface Catalogue {
  version: string;
  description: string;
  stages: readonly StageDef[];
}

const done = (outcome: string, extra: Partial<OutcomeDef> = {}): OutcomeDef => ({ outcome, effect: OUTCOME_EFFECT.DONE, ...extra });
const rework = (outcome: string): OutcomeDef => ({ outcome, effect: OUTCOME_EFFECT.REWORK });
const restart = (outcome: string): OutcomeDef => ({ outcome, effect: OUTCOME_EFFECT.RESTART });

const ALL: readonly UserRole[] = ALL_USER_ROLES;

const V1: Catalogue = {
  version: 'v1',
  description: 'engine-model.md stage catalogue version 1 (security statuses as renamed by MP091, Feb 2020)',
  stages: [
    {
      id: STAGE.ACCESSION,
      title: 'Accession to the SEC',
      secRef: 'B1, H1.2',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.SECAS,
      dependsOn: [],
      partySubmitsFirst: false,
      outcomes: [done('ACCEDED')],
      slaWorkingDays: 10,
      estimateWorkingDays: 20,
    },
    {
      id: STAGE.ID_ALLOCATION,
      title: 'EUI-64 ID range allocation',
      secRef: 'ID Allocation Procedure',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.SECAS,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: false,
      outcomes: [done('ALLOCATED')],
      slaWorkingDays: 10,
      estimateWorkingDays: 10,
    },
    {
      id: STAGE.SECURITY_ASSESSMENT,
      title: 'User Security Assessment (FUSA)',
      secRef: 'G8 (FUSA, G8.34 status)',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.SEC_PANEL,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: true,
      submission: 'the User Security Assessment report',
      outcomes: [done('APPROVED'), done('APPROVED_SUBJECT_TO', { followUp: true }), rework('DEFERRED'), restart('REJECTED')],
      slaWorkingDays: 20,
      estimateWorkingDays: 60,
    },
    {
      id: STAGE.CREDIT_COVER,
      title: 'Credit Cover',
      secRef: 'J3',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: true,
      submission: 'confirmation that Credit Support is lodged',
      outcomes: [done('LODGED'), done('NOT_REQUIRED')],
      slaWorkingDays: 10,
      estimateWorkingDays: 15,
    },
    {
      id: STAGE.DCC_GATEWAY,
      title: 'DCC Gateway Connection',
      secRef: 'Appendix G',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: false,
      outcomes: [done('LIVE'), done('VIA_SHARED_RESOURCE', { sharedResourceOnly: true })],
      slaWorkingDays: 20,
      estimateWorkingDays: 40,
    },
    {
      id: STAGE.SMKI_SREPT,
      title: 'SMKI and Repository Entry Process Tests',
      secRef: 'H14, SMKI RAPP',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.DCC_GATEWAY],
      partySubmitsFirst: true,
      submission: 'test readiness',
      outcomes: [done('PASSED'), rework('FAILED')],
      slaWorkingDays: 10,
      estimateWorkingDays: 20,
    },
    {
      id: STAGE.USER_ID,
      title: 'User ID acceptance',
      secRef: 'H1 (User IDs)',
      level: STAGE_LEVEL.ROLE,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.ID_ALLOCATION],
      partySubmitsFirst: true,
      submission: 'the proposed EUI-64 User ID',
      outcomes: [done('ACCEPTED'), rework('REJECTED')],
      slaWorkingDays: 5,
      estimateWorkingDays: 5,
    },
    {
      id: STAGE.UEPT,
      title: 'User Entry Process Tests',
      secRef: 'H1, H14, CTSD',
      level: STAGE_LEVEL.ROLE,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.USER_ID, STAGE.DCC_GATEWAY, STAGE.SMKI_SREPT],
      partySubmitsFirst: true,
      submission: 'test readiness',
      outcomes: [done('PASSED'), rework('FAILED')],
      slaWorkingDays: 10,
      estimateWorkingDays: 40,
      estimateWithSharedResource: 20,
    },
    {
      id: STAGE.PRIVACY_ASSESSMENT,
      title: 'Full Privacy Assessment',
      secRef: 'I2 (FPA, I2.30)',
      level: STAGE_LEVEL.ROLE,
      appliesTo: [USER_ROLE.OTHER_USER],
      owner: BODY.SEC_PANEL,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: true,
      submission: 'the privacy assessment report (booking needs 12 weeks’ lead)',
      outcomes: [done('APPROVED'), done('APPROVED_SUBJECT_TO', { followUp: true }), rework('PROVISIONALLY_APPROVED'), rework('DEFERRED')],
      slaWorkingDays: 20,
      estimateWorkingDays: 80,
    },
    {
      id: STAGE.UEP_COMPLETION,
      title: 'UEP completion (Evidence Form, Panel paper)',
      secRef: 'H1.12',
      level: STAGE_LEVEL.ROLE,
      appliesTo: ALL,
      owner: BODY.SECAS,
      dependsOn: [],
      dependsOnAllOthers: true,
      partySubmitsFirst: true,
      submission: 'the UEP Evidence Form',
      outcomes: [done('CONFIRMED')],
      slaWorkingDays: 20,
      estimateWorkingDays: 20,
      completesRole: true,
    },
  ],
};

const CATALOGUES: Readonly<Record<string, Catalogue>> = { v1: V1 };

export const CURRENT_CATALOGUE_VERSION = 'v1';

export function catalogueVersions(): string[] {
  return Object.keys(CATALOGUES);
}

export function isKnownCatalogueVersion(version: string): boolean {
  return Object.prototype.hasOwnProperty.call(CATALOGUES, version);
}

export function getCatalogue(version: string = CURRENT_CATALOGUE_VERSION): Catalogue {
  const catalogue = CATALOGUES[version];
  if (!catalogue) throw new Error(`unknown catalogue version: ${version}`);
  return catalogue;
}

export function findStage(catalogue: Catalogue, stage: string): StageDef | undefined {
  return catalogue.stages.find((s) => s.id === stage);
}

export function stageDef(catalogue: Catalogue, stage: StageId): StageDef {
  const def = findStage(catalogue, stage);
  if (!def) throw new Error(`stage ${stage} not in catalogue ${catalogue.version}`);
  return def;
}

export function appliesToRole(def: StageDef, role: UserRole): boolean {
  return def.appliesTo.includes(role);
}

/** Outcomes available to an entry (Shared Resource outcomes only with a provider). */
export function outcomesFor(def: StageDef, sharedResource: boolean): OutcomeDef[] {
  return def.outcomes.filter((o) => sharedResource || !o.sharedResourceOnly);
}

export function estimateFor(def: StageDef, sharedResource: boolean): number {
  return sharedResource && def.estimateWithSharedResource !== undefined ? def.estimateWithSharedResource : def.estimateWorkingDays;
}

/** A stage instance: party-level (no role) or role-level. */
export interface StageRef {
  stage: StageId;
  role?: UserRole;
}

/**
 * What a stage instance depends on. Party-level dependencies are party-level instances;
 * role-level dependencies of a role stage are the same role's. `dependsOnAllOthers` expands to
 * every other stage that applies to the role, party-level ones included.
 */
export function dependenciesOf(catalogue: Catalogue, ref: StageRef): StageRef[] {
  const def = stageDef(catalogue, ref.stage);
  const role = ref.role;
  if (def.dependsOnAllOthers && role) {
    return catalogue.stages
      .filter((s) => s.id !== def.id && appliesToRole(s, role))
      .map((s) => (s.level === STAGE_LEVEL.PARTY ? { stage: s.id } : { stage: s.id, role }));
  }
  return def.dependsOn.map((id) => {
    const dep = stageDef(catalogue, id);
    return dep.level === STAGE_LEVEL.PARTY || !role ? { stage: id } : { stage: id, role };
  });
}

/** Every stage instance an entry seeking `roles` has, in catalogue order (party stages first). */
export function stageInstances(catalogue: Catalogue, roles: readonly UserRole[]): StageRef[] {
  const party = catalogue.stages
    .filter((s) => s.level === STAGE_LEVEL.PARTY && roles.some((r) => appliesToRole(s, r)))
    .map((s) => ({ stage: s.id }));
  const perRole = roles.flatMap((role) =>
    catalogue.stages.filter((s) => s.level === STAGE_LEVEL.ROLE && appliesToRole(s, role)).map((s) => ({ stage: s.id, role })),
  );
  return [...party, ...perRole];
}
