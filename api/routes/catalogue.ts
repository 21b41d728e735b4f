/** The stage catalogue, as the domain holds it: what every body needs to know before it acts. */
import { Router } from 'express';
import { CURRENT_CATALOGUE_VERSION, catalogueVersions, getCatalogue, isKnownCatalogueVersion } from '../../domain';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { notFound } from '../errors';
import { mount } from '../mount';
import type { CatalogueResponse } from '../schemas';

export function catalogueResponse(version: string): CatalogueResponse {
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
      })),
      slaWorkingDays: s.slaWorkingDays,
      estimateWorkingDays: s.estimateWorkingDays,
      completesRole: s.completesRole === true,
    })),
  };
}

export function catalogueRouter(ctx: AppContext): Router {
  const router = Router();
  mount(router, ctx, ENDPOINTS.catalogue, async ({ query }, _req, res) => {
    const version = query.version ?? CURRENT_CATALOGUE_VERSION;
    if (!isKnownCatalogueVersion(version)) throw notFound(`No catalogue version ${version} (known: ${catalogueVersions().join(', ')})`);
    res.json(catalogueResponse(version));
  });
  return router;
}
