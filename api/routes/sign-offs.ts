/** Sign-offs: decisions by the owning body, evidence from the Party, and each body's inbox. */
import { Router } from 'express';
import { toDate } from '../../domain/dates';
import { inboxOf } from '../../domain/read-model';
import type { EntrySummary } from '../../domain/types';
import { BODY, ENTRY_STATUS, type Body } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { forbidden } from '../errors';
import { entryLinks } from '../links';
import { mount } from '../mount';
import { INBOX_READER_OF_ALL } from '../permissions';
import type { InboxItem, InboxResponse } from '../schemas';
import { mountUpdate } from './entries';

/** Entries an inbox looks at, at most; the status of each is queried, a few at a time. */
export const INBOX_MAX_ENTRIES = 1000;

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
    const filters = { status: ENTRY_STATUS.IN_PROGRESS, awaitedBody: body ?? undefined, partyId };
    const { entries, truncated } = await ctx.gateway.listAll(filters, INBOX_MAX_ENTRIES);
    const answers = await ctx.gateway.statusOfEach(entries.map((e) => e.partyId));
    // gone since the visibility answer: left out; its query unanswered: named, never failing the inbox
    const unavailable = answers.flatMap((a) => (a.summary === null && a.missing === 'UNANSWERED' ? [a.partyId] : []));
    const today = toDate(Date.now());
    const present = answers.flatMap((a): EntrySummary[] => (a.summary === null ? [] : [a.summary]));
    const items: InboxItem[] = inboxOf(present, body, today).map((item) => ({ ...item, links: entryLinks(ctx.config, item.partyId) }));
    const answer: InboxResponse = { body, items, truncated, unavailable: unavailable.sort() };
    res.json(answer);
  });

  return router;
}
