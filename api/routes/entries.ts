/** Entries: start, read, list and search, amend the mandate deadline, add a role, withdraw. */
import { Router } from 'express';
import type { z } from 'zod';
import { COHORT_WORDS, dayInWords, entryIdFor, outsideCalendar, pastDefaultDeadline, startWarnings, validateStartInput } from '../../domain';
import { MIB } from '../../domain/evidence-files';
import { REFUSAL, START_WARNING, type EntryCommand, type EntryCommandType, type StartEntryInput } from '../../domain/types';
import { BODY, ENTRY_STATUS, type Principal } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS, type Endpoint } from '../endpoints';
import { ApiError, refusalError } from '../errors';
import { mayHaveLanded } from '../landed';
import { apiUrl, entryLinks } from '../links';
import { mount } from '../mount';
import { API_ERROR, type EntryListItem, type EntryListResponse, type EntryResponse, type StartEntryResponse, type UpdateResponse } from '../schemas';
import { invitationsPossible } from '../invitations';
import type { UpdateAnswer } from '../temporal/gateway';

/** An accepted update's answer, once the record holds it (so the reads that follow see it). */
export async function updateResponse(ctx: AppContext, partyId: string, result: UpdateAnswer): Promise<UpdateResponse> {
  await ctx.catchUp.awaitUpdate(partyId, result.record);
  return { ...result, links: entryLinks(ctx.config, partyId) };
}

/**
 * An endpoint that is one update of a Party's entry: the body, with the caller as principal, goes
 * to one gateway operation. Past Temporal's deadline the record is asked whether it landed (api/landed.ts).
 */
export function mountUpdate<P extends z.ZodType<{ partyId: string }>, Q extends z.ZodType, B extends z.ZodType<object>>(
  router: Router,
  ctx: AppContext,
  endpoint: Endpoint<P, Q, B>,
  type: EntryCommandType,
  operation: (partyId: string, request: z.output<B> & { principal: Principal }) => Promise<UpdateAnswer>,
): void {
  mount(router, ctx, endpoint, async ({ params, body }, _req, res) => {
    const request = { ...body, principal: principalOf(res) };
    const sentAt = Date.now();
    const result = await operation(params.partyId, request).catch(async (err: unknown) => {
      if (!mayHaveLanded(ctx, err)) throw err;
      // The body is the command's fields, as the gateway sends them.
      const landed = await ctx.reads.landedUpdate(params.partyId, { type, ...request } as unknown as EntryCommand, sentAt);
      if (!landed) throw err;
      return landed;
    });
    res.json(await updateResponse(ctx, params.partyId, result));
  });
}

export function entriesRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.startEntry, async ({ body }, _req, res) => {
    const principal = principalOf(res);
    const { confirmPastDefaultDeadline, ...request } = body;
    const settings = ctx.config.UEP_DURATION_SETTINGS;
    const calendar = await ctx.reads.meetingCalendar();
    const input: StartEntryInput = {
      ...request,
      ...(Object.keys(settings).length > 0 ? { durationSettings: settings } : {}),
      ...(calendar ? { meetings: { version: calendar.version, meetings: calendar.meetings } } : {}),
      startedBy: principal,
    };
    const refusal = validateStartInput(input);
    if (refusal) throw refusalError(refusal.code, refusal.message);
    const sentAt = Date.now();
    const pastDefault = pastDefaultDeadline(input, sentAt);
    if (pastDefault !== null && confirmPastDefaultDeadline !== true) {
      throw refusalError(
        REFUSAL.INVALID_DEADLINE,
        `The ${COHORT_WORDS[input.cohort]} cohort's default mandate deadline is ${dayInWords(pastDefault)}, already passed: the entry would start in breach, and SECAS and OPS would be told at once. To apply it, send confirmPastDefaultDeadline: true; otherwise give mandateDeadline (a date, or null for none).`,
      );
    }
    const warnings = startWarnings(input, sentAt);
    const links = entryLinks(ctx.config, body.partyId);
    const started = await ctx.gateway.start(input).catch(async (err: unknown) => {
      if (err instanceof ApiError && err.code === API_ERROR.ENTRY_ALREADY_STARTED) res.location(links.self); // the running entry
      if (!mayHaveLanded(ctx, err)) throw err;
      const landed = await ctx.reads.landedStart(body.partyId, principal, sentAt);
      if (!landed) throw err;
      return { entryId: entryIdFor(body.partyId), ...landed };
    });
    await ctx.catchUp.awaitRun(body.partyId, started.runId);
    // the Party's UEP contact is invited to the console: the entry started either way
    if (invitationsPossible(ctx.config)) {
      const invited = await ctx.writes.invite(body.partyId, input.uepContact.email, principal);
      if (!invited.ok) {
        ctx.logger.warn({ partyId: body.partyId, why: invited.why }, 'the UEP contact was not invited');
        warnings.push({ code: START_WARNING.CONTACT_NOT_INVITED, message: `The entry started, but ${input.uepContact.name} was not invited to the console: ${invited.why}` });
      }
    }
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
    const page = await ctx.reads.list({ ...filters, partyId }, limit, pageToken);
    const items: EntryListItem[] = page.entries.map((e) => ({ ...e, links: entryLinks(ctx.config, e.partyId) }));
    const self = apiUrl(ctx.config, req.originalUrl);
    const nextPageToken = page.nextPageToken;
    let next: string | null = null;
    if (nextPageToken) {
      const url = new URL(self);
      url.searchParams.set('pageToken', nextPageToken);
      next = url.toString();
    }
    const answer: EntryListResponse = { items, nextPageToken, links: { self, next } };
    res.json(answer);
  });

  mount(router, ctx, ENDPOINTS.getEntry, async ({ params }, _req, res) => {
    // from the record; an entry too new for it yet answers from its workflow
    const entry = (await ctx.reads.summary(params.partyId)) ?? (await ctx.gateway.status(params.partyId));
    const answer: EntryResponse = { entry, reset: await ctx.reads.resetNotice(params.partyId), claims: await ctx.reads.claims(params.partyId), files: await ctx.reads.files(params.partyId),
      fileMaxBytes: ctx.config.EVIDENCE_FILE_MAX_MB * MIB,
      links: entryLinks(ctx.config, params.partyId),
    };
    res.json(answer);
  });

  mountUpdate(router, ctx, ENDPOINTS.amendMandateDeadline, 'AMEND_DEADLINE', (partyId, request) => {
    // as at a start: working days to a date the calendar does not know cannot be counted
    const outside = request.deadline === null ? undefined : outsideCalendar(request.deadline);
    if (outside) throw refusalError(REFUSAL.INVALID_DEADLINE, `The mandate deadline ${outside}`);
    return ctx.gateway.amendDeadline(partyId, request);
  });
  mountUpdate(router, ctx, ENDPOINTS.addUserRole, 'ADD_ROLE', (partyId, request) => ctx.gateway.addRole(partyId, request));
  mountUpdate(router, ctx, ENDPOINTS.withdraw, 'WITHDRAW', (partyId, request) => ctx.gateway.withdraw(partyId, request));

  return router;
}
