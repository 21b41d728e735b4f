/** Sign-offs: decisions by the owning body, evidence from the Party, and each body's inbox. */
import { Router } from 'express';
import { BODY, type Body } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { forbidden } from '../errors';
import { mount } from '../mount';
import { INBOX_READER_OF_ALL } from '../permissions';
import { mountUpdate } from './entries';

export function signOffsRouter(ctx: AppContext): Router {
  const router = Router();

  mountUpdate(router, ctx, ENDPOINTS.recordDecision, 'RECORD_DECISION', (partyId, request) => ctx.gateway.decide(partyId, request));
  mountUpdate(router, ctx, ENDPOINTS.submitEvidence, 'SUBMIT_EVIDENCE', (partyId, request) => ctx.gateway.submit(partyId, request));

  mount(router, ctx, ENDPOINTS.inbox, async ({ query }, _req, res) => {
    const principal = principalOf(res);
    let body: Body | null = principal.body;
    if (principal.body === INBOX_READER_OF_ALL) body = query.body ?? null;
    else if (query.body !== undefined && query.body !== principal.body) throw forbidden("Only OPS reads another body's inbox");

    const partyId = principal.body === BODY.PARTY ? principal.partyId : undefined;
    res.type(CONTENT_TYPE.JSON).send(await ctx.reads.inboxJson(body, partyId));
  });

  return router;
}
