/**
 * The stage catalogue: its shape, the published versions and how to read them (docs/domain.md,
 * "The stage catalogue"). Each version's data is a file of its own (catalogue-v1.ts); an entry
 * keeps the version it started with, and a published version is never edited: a new version is a
 * new file. Which outcomes complete a stage (e.g. privacy's PROVISIONALLY_APPROVED) is data, not code.
 */
import { CATALOGUE_V1 } from './catalogue-v1';
import {
  STAGE_LEVEL,
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

const CATALOGUES: Readonly<Record<string, Catalogue>> = { v1: CATALOGUE_V1 };

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
