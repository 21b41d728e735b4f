/** Sign-offs: decisions by the owning body, evidence from the Party, and each body's inbox. */
import { Router } from 'express';
import { BODY, type Body, type Principal } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { forbidden } from '../errors';
import { mount } from '../mount';
import { INBOX_READER_OF_ALL } from '../permissions';
import { refuseIfClaimedByOther } from './claims';
import { mountUpdate } from './entries';

/** How soon a browser's EventSource connects again after the stream broke. */
const EVENTS_RETRY_MS = 3_000;
/** Under common proxies' 60 s idle timeout. */
const EVENTS_KEEP_ALIVE_MS = 25_000;

export function signOffsRouter(ctx: AppContext): Router {
  const router = Router();

  mountUpdate(router, ctx, ENDPOINTS.recordDecision, 'RECORD_DECISION', async (partyId, request) => {
    await refuseIfClaimedByOther(ctx, partyId, request);
    return ctx.gateway.decide(partyId, request);
  });
  mountUpdate(router, ctx, ENDPOINTS.submitEvidence, 'SUBMIT_EVIDENCE', (partyId, request) => ctx.gateway.submit(partyId, request));

  /** Whose inbox the caller asks for: its own body's, or (OPS) any body's or every body's (null). */
  function inboxOf(principal: Principal, asked: Body | undefined): Body | null {
    if (principal.body === INBOX_READER_OF_ALL) return asked ?? null;
    if (asked !== undefined && asked !== principal.body) throw forbidden("Only OPS reads another body's inbox");
    return principal.body;
  }

  mount(router, ctx, ENDPOINTS.inbox, async ({ query }, _req, res) => {
    const principal = principalOf(res);
    const partyId = principal.body === BODY.PARTY ? principal.partyId : undefined;
    res.type(CONTENT_TYPE.JSON).send(await ctx.reads.inboxJson(inboxOf(principal, query.body), partyId));
  });

  mount(router, ctx, ENDPOINTS.inboxEvents, async ({ query }, req, res) => {
    const body = inboxOf(principalOf(res), query.body);
    res.writeHead(200, { 'Content-Type': CONTENT_TYPE.EVENT_STREAM, 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.write(`retry: ${EVENTS_RETRY_MS}\n\n`);
    await new Promise<void>((resolve) => {
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(keepAlive);
        unsubscribe();
        res.end();
        resolve();
      };
      const unsubscribe = ctx.inboxFeed.subscribe(body, (signal) => res.write(`event: inbox\ndata: ${JSON.stringify(signal)}\n\n`), end);
      const keepAlive = setInterval(() => res.write(': still here\n\n'), EVENTS_KEEP_ALIVE_MS);
      req.on('close', end);
    });
  });

  return router;
}
