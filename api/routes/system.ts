/** Operations: liveness, readiness (Temporal within the bound, the record and its lag), metrics, who the caller is, the OpenAPI document and its docs page. */
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Registry } from 'prom-client';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import type { PrincipalResponse } from '../schemas';
import { ENDPOINTS, PATH } from '../endpoints';
import { mount } from '../mount';
import { buildOpenApiDocument } from '../openapi';
import { noWorker } from '../errors';

export function systemRouter(ctx: AppContext, metrics: Registry): Router {
  const router = Router();
  const document = buildOpenApiDocument(ctx.config.API_PUBLIC_URL);

  mount(router, ctx, ENDPOINTS.healthz, async (_input, _req, res) => {
    res.json({ status: 'ok' });
  });

  mount(router, ctx, ENDPOINTS.readyz, async (_input, _req, res) => {
    const { latencyMs, workflowPollers, activityPollers } = await ctx.gateway.readiness();
    const taskQueue = ctx.config.TEMPORAL_TASK_QUEUE;
    if (workflowPollers === 0 || activityPollers === 0) {
      throw noWorker(`No worker polls task queue ${taskQueue} (workflow pollers: ${workflowPollers}, activity pollers: ${activityPollers}): entries would not move`);
    }
    const recordStarted = performance.now();
    const lagMs = await ctx.reads.lagMs();
    res.json({
      status: 'ok',
      temporal: { namespace: ctx.gateway.namespace, latencyMs },
      worker: { taskQueue, workflowPollers, activityPollers },
      record: { latencyMs: Math.round(performance.now() - recordStarted), recordLagMs: lagMs, catchUp: ctx.catchUp.mode },
    });
  });

  mount(router, ctx, ENDPOINTS.metrics, async (_input, _req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  mount(router, ctx, ENDPOINTS.whoAmI, async (_input, _req, res) => {
    const { body, id, partyId, name, email } = principalOf(res);
    const answer: PrincipalResponse = {
      body,
      id,
      ...(partyId !== undefined ? { partyId } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(email !== undefined ? { email } : {}),
    };
    res.json(answer);
  });

  router.get(PATH.openapi, (_req, res) => {
    res.json(document);
  });
  router.use(PATH.docs, swaggerUi.serve);
  router.get(PATH.docs, swaggerUi.setup(document, { customSiteTitle: 'UEP engine API' }));
  return router;
}
