/**
 * The stage catalogue: its shape, the published versions and how to read them (docs/domain.md,
 * "The stage catalogue"). Each version's data is a file of its own (catalogue-v1.ts); an entry
 * keeps the version it started with, and a published version is never edited: a new version is a
 * new file. Which outcomes complete a stage (e.g. privacy's PROVISIONALLY_APPROVED) is data, not code.
 */
import { CATALOGUE_V1 } from './catalogue-v1';
import { CATALOGUE_V2 } from './catalogue-v2';
import type { MeetingBody } from './meetings';
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
  /** The decision must say why (its comment): e.g. an Evidence Form returned to the Party. */
  needsReason?: boolean;
  /**
   * A RESTART that starts over from an earlier stage the decided one depends on (same level): that
   * stage opens again, and the decided one waits (blocked) until it is done again. Read from rules
   * version 5 on (domain/rules.ts); under older rules the decided stage alone starts over.
   */
  restartsFrom?: StageId;
}

/**
 * Where a duration comes from: a source that states it, or an assumption. An assumption of a
 * catalogue from version 2 on is a setting of the deployment (`setting`, its default the
 * catalogue's number), fixed per entry when it starts; version 1's numbers had no source.
 */
export type DurationBasis = { kind: 'SOURCED'; source: string } | { kind: 'ASSUMED'; setting?: string; note: string };

export const DURATION = { SLA: 'sla', ESTIMATE: 'estimate' } as const;
export type DurationKind = (typeof DURATION)[keyof typeof DURATION];

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
  /** Decided at a meeting of this body: awaited until the first meeting whose paper cut-off follows the submission (meetings.ts). */
  decidedAt?: MeetingBody;
  /** Where `slaWorkingDays` comes from (every stage from version 2 on says; version 1: assumed). */
  slaBasis?: DurationBasis;
  /** Where `estimateWorkingDays` (and `estimateWithSharedResource`) come from. */
  estimateBasis?: DurationBasis;
}

export interface Catalogue {
  version: string;
  description: string;
  stages: readonly StageDef[];
}

const CATALOGUES: Readonly<Record<string, Catalogue>> = { v1: CATALOGUE_V1, v2: CATALOGUE_V2 };

/** The version a start names none of: an entry's input from before version 2 (docs/versioning.md). */
export const FIRST_CATALOGUE_VERSION = 'v1';
export const CURRENT_CATALOGUE_VERSION = 'v2';

const V1_FIGURE: DurationBasis = { kind: 'ASSUMED', note: "catalogue v1's own figure; no source gives it" };

/** Where a stage's response target or estimate comes from. */
export function durationBasis(def: StageDef, kind: DurationKind): DurationBasis {
  return (kind === DURATION.SLA ? def.slaBasis : def.estimateBasis) ?? V1_FIGURE;
}

/** A deployment's settings of assumed durations, by setting name: working days. */
export type DurationSettings = Readonly<Record<string, number>>;

/** The duration an entry uses: the deployment's setting of an assumed one (fixed at start), else the catalogue's. */
function settled(def: StageDef, kind: DurationKind, fallback: number, settings: DurationSettings | undefined): number {
  const basis = durationBasis(def, kind);
  if (basis.kind !== 'ASSUMED' || basis.setting === undefined) return fallback;
  return settings?.[basis.setting] ?? fallback;
}

/** The owner's response target, in working days, under the entry's settings. */
export function slaOf(def: StageDef, settings?: DurationSettings): number {
  return settled(def, DURATION.SLA, def.slaWorkingDays, settings);
}

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

export function estimateFor(def: StageDef, sharedResource: boolean, settings?: DurationSettings): number {
  if (sharedResource && def.estimateWithSharedResource !== undefined) return def.estimateWithSharedResource;
  return settled(def, DURATION.ESTIMATE, def.estimateWorkingDays, settings);
}

/** Every setting an assumed duration of `catalogue` reads, with its default (the catalogue's number). */
export function durationSettingsOf(catalogue: Catalogue): Record<string, number> {
  const out: Record<string, number> = {};
  for (const def of catalogue.stages) {
    for (const [kind, value] of [[DURATION.SLA, def.slaWorkingDays], [DURATION.ESTIMATE, def.estimateWorkingDays]] as const) {
      const basis = durationBasis(def, kind);
      if (basis.kind === 'ASSUMED' && basis.setting !== undefined) out[basis.setting] = value;
    }
  }
  return out;
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
