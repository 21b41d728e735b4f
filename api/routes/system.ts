/** Operations: liveness, readiness (Temporal within the bound, the record and its lag), metrics, the OpenAPI document and its docs page. */
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Registry } from 'prom-client';
import type { AppContext } from '../context';
import { ENDPOINTS, PATH } from '../endpoints';
import { mount } from '../mount';
import { buildOpenApiDocument } from '../openapi';
import { recordLagMs } from '../../record/read';
import { bounded } from '../temporal-gateway';

export function systemRouter(ctx: AppContext, metrics: Registry): Router {
  const router = Router();
  const document = buildOpenApiDocument(ctx.config.API_PUBLIC_URL);

  mount(router, ctx, ENDPOINTS.healthz, async (_input, _req, res) => {
    res.json({ status: 'ok' });
  });

  mount(router, ctx, ENDPOINTS.readyz, async (_input, _req, res) => {
    const started = performance.now();
    await bounded(ctx, () => ctx.client.workflowService.describeNamespace({ namespace: ctx.config.TEMPORAL_NAMESPACE }));
    const temporalMs = Math.round(performance.now() - started);
    const recordStarted = performance.now();
    const lagMs = await recordLagMs(ctx.record);
    res.json({
      status: 'ok',
      temporal: { namespace: ctx.config.TEMPORAL_NAMESPACE, latencyMs: temporalMs },
      record: { latencyMs: Math.round(performance.now() - recordStarted), recordLagMs: lagMs },
    });
  });

  mount(router, ctx, ENDPOINTS.metrics, async (_input, _req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  router.get(PATH.openapi, (_req, res) => {
    res.json(document);
  });
  router.use(PATH.docs, swaggerUi.serve);
  router.get(PATH.docs, swaggerUi.setup(document, { customSiteTitle: 'UEP engine API' }));
  return router;
}
