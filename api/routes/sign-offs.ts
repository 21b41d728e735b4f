/** Sign-offs: decisions by the owning body, evidence from the Party, and each body's inbox. */
import { Router } from 'express';
import { toDate } from '../../domain/dates';
import { inboxOf, type InboxSource } from '../../domain/read-model';
import { BODY, ENTRY_STATUS, type Body } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { forbidden } from '../errors';
import { entryLinks } from '../links';
import { mount } from '../mount';
import { INBOX_READER_OF_ALL } from '../permissions';
import type { InboxItem, InboxResponse } from '../schemas';
import { recordedStandings } from '../record-reads';
import { mountUpdate } from './entries';

export function signOffsRouter(ctx: AppContext): Router {
  const router = Router();

  mountUpdate(router, ctx, ENDPOINTS.recordDecision, (partyId, request) => ctx.gateway.decide(partyId, request));
  mountUpdate(router, ctx, ENDPOINTS.submitEvidence, (partyId, request) => ctx.gateway.submit(partyId, request));

  mount(router, ctx, ENDPOINTS.inbox, async ({ query }, _req, res) => {
    const principal = principalOf(res);
    let body: Body | null = principal.body;
    if (principal.body === INBOX_READER_OF_ALL) body = query.body ?? null;
    else if (query.body !== undefined && query.body !== principal.body) throw forbidden("Only OPS reads another body's inbox");

    const partyId = principal.body === BODY.PARTY ? principal.partyId : undefined;
    const entries: InboxSource[] = [];
    for await (const e of recordedStandings(ctx, { status: ENTRY_STATUS.IN_PROGRESS, awaitedBody: body ?? undefined, partyId }, { openStages: true })) {
      entries.push({ ...e, partyStages: e.openStages, roleStages: [] });
    }
    const today = toDate(ctx.now());
    const items: InboxItem[] = inboxOf(entries, body, today).map((item) => ({ ...item, links: entryLinks(ctx.config, item.partyId) }));
    const answer: InboxResponse = { body, items };
    res.json(answer);
  });

  return router;
}
