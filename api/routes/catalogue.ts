/** The stage catalogue, as the domain holds it: what every body needs to know before it acts. */
import { Router } from 'express';
import { CURRENT_CATALOGUE_VERSION, catalogueVersions, defaultMandateDeadline, getCatalogue, isKnownCatalogueVersion } from '../../domain';
import { ALL_COHORTS } from '../../domain/vocabulary';
import { DURATION, durationBasis, estimateFor, slaOf, type DurationKind, type DurationSettings, type StageDef } from '../../domain/catalogue';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { notFound } from '../errors';
import { mount } from '../mount';
import type { CatalogueResponse } from '../schemas';

/** One duration of a stage as this deployment uses it for new entries, and where it comes from. */
function duration(def: StageDef, kind: DurationKind, settings: DurationSettings): CatalogueResponse['stages'][number]['sla'] {
  const basis = durationBasis(def, kind);
  const sla = kind === DURATION.SLA;
  return {
    workingDays: sla ? slaOf(def, settings) : estimateFor(def, false, settings),
    basis: basis.kind,
    source: basis.kind === 'SOURCED' ? basis.source : null,
    setting: basis.kind === 'ASSUMED' ? (basis.setting ?? null) : null,
    defaultWorkingDays: sla ? def.slaWorkingDays : def.estimateWorkingDays,
    note: basis.kind === 'ASSUMED' ? basis.note : null,
  };
}

/** The catalogue `version`; its assumed durations as `settings` (this deployment's) set them. */
export function catalogueResponse(version: string, settings: DurationSettings = {}): CatalogueResponse {
  const catalogue = getCatalogue(version);
  return {
    version: catalogue.version,
    current: catalogue.version === CURRENT_CATALOGUE_VERSION,
    versions: catalogueVersions(),
    description: catalogue.description,
    stages: catalogue.stages.map((s) => ({
      id: s.id,
      title: s.title,
      secRef: s.secRef,
      level: s.level,
      appliesTo: [...s.appliesTo],
      owner: s.owner,
      dependsOn: [...s.dependsOn],
      dependsOnAllOthers: s.dependsOnAllOthers === true,
      partySubmitsFirst: s.partySubmitsFirst,
      submission: s.submission ?? null,
      outcomes: s.outcomes.map((o) => ({
        outcome: o.outcome,
        effect: o.effect,
        followUp: o.followUp === true,
        sharedResourceOnly: o.sharedResourceOnly === true,
        ...(o.needsReason ? { needsReason: true } : {}),
      })),
      slaWorkingDays: s.slaWorkingDays,
      estimateWorkingDays: s.estimateWorkingDays,
      sla: duration(s, DURATION.SLA, settings),
      estimate: duration(s, DURATION.ESTIMATE, settings),
      completesRole: s.completesRole === true,
    })),
    defaultMandateDeadlines: ALL_COHORTS.map((cohort) => ({ cohort, deadline: defaultMandateDeadline(cohort, catalogue.version) })),
  };
}

export function catalogueRouter(ctx: AppContext): Router {
  const router = Router();
  mount(router, ctx, ENDPOINTS.catalogue, async ({ query }, _req, res) => {
    const version = query.version ?? CURRENT_CATALOGUE_VERSION;
    if (!isKnownCatalogueVersion(version)) throw notFound(`No catalogue version ${version} (known: ${catalogueVersions().join(', ')})`);
    res.json(catalogueResponse(version, ctx.config.UEP_DURATION_SETTINGS));
  });
  return router;
}
