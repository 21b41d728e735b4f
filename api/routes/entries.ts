/** Entries: start, read, list and search, amend the mandate deadline, add a role, withdraw. */
import { Router } from 'express';
import { startWarnings, validateStartInput } from '../../domain';
import type { StartEntryInput } from '../../domain/types';
import { BODY, ENTRY_STATUS } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { refusalError } from '../errors';
import { apiUrl, entryLinks } from '../links';
import { mount } from '../mount';
import type { EntryListItem, EntryListResponse, EntryResponse, StartEntryResponse, UpdateResponse } from '../schemas';
import type { UpdateAnswer } from '../temporal/gateway';

export function updateResponse(ctx: AppContext, partyId: string, result: UpdateAnswer): UpdateResponse {
  return { ...result, links: entryLinks(ctx.config, partyId) };
}

export function entriesRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.startEntry, async ({ body }, _req, res) => {
    const principal = principalOf(res);
    const input: StartEntryInput = { ...body, startedBy: principal };
    const refusal = validateStartInput(input);
    if (refusal) throw refusalError(refusal.code, refusal.message);
    const warnings = startWarnings(input, Date.now());
    const started = await ctx.gateway.start(input);
    const links = entryLinks(ctx.config, body.partyId);
    const answer: StartEntryResponse = {
      entryId: started.entryId,
      partyId: body.partyId,
      runId: started.runId,
      status: ENTRY_STATUS.IN_PROGRESS,
      headline: started.headline,
      warnings,
      links,
    };
    res.status(201).location(links.self).json(answer);
  });

  mount(router, ctx, ENDPOINTS.listEntries, async ({ query }, req, res) => {
    const principal = principalOf(res);
    const { limit, pageToken, ...filters } = query;
    const partyId = principal.body === BODY.PARTY ? principal.partyId : undefined;
    const page = await ctx.gateway.list({ ...filters, partyId }, limit, pageToken);
    const items: EntryListItem[] = page.entries.map((e) => ({ ...e, links: entryLinks(ctx.config, e.partyId) }));
    const self = apiUrl(ctx.config, req.originalUrl);
    let next: string | null = null;
    if (page.nextPageToken) {
      const url = new URL(self);
      url.searchParams.set('pageToken', page.nextPageToken);
      next = url.toString();
    }
    const answer: EntryListResponse = { items, nextPageToken: page.nextPageToken, links: { self, next } };
    res.json(answer);
  });

  mount(router, ctx, ENDPOINTS.getEntry, async ({ params }, _req, res) => {
    const entry = await ctx.gateway.status(params.partyId);
    const answer: EntryResponse = { entry, links: entryLinks(ctx.config, params.partyId) };
    res.json(answer);
  });

  mount(router, ctx, ENDPOINTS.amendMandateDeadline, async ({ params, body }, _req, res) => {
    const result = await ctx.gateway.amendDeadline(params.partyId, { ...body, principal: principalOf(res) });
    res.json(updateResponse(ctx, params.partyId, result));
  });

  mount(router, ctx, ENDPOINTS.addUserRole, async ({ params, body }, _req, res) => {
    const result = await ctx.gateway.addRole(params.partyId, { ...body, principal: principalOf(res) });
    res.json(updateResponse(ctx, params.partyId, result));
  });

  mount(router, ctx, ENDPOINTS.withdraw, async ({ params, body }, _req, res) => {
    const result = await ctx.gateway.withdraw(params.partyId, { ...body, principal: principalOf(res) });
    res.json(updateResponse(ctx, params.partyId, result));
  });

  return router;
}
