/** Sign-offs: decisions by the owning body, evidence from the Party, and each body's inbox. */
import { Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { inboxOf } from '../../domain/read-model';
import type { EntrySummary } from '../../domain/types';
import { BODY, ENTRY_STATUS, type Body } from '../../domain/vocabulary';
import { recordDecisionUpdate, submitEvidenceUpdate } from '../../workflows/messages';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { forbidden } from '../errors';
import { entryLinks } from '../links';
import { mount } from '../mount';
import { INBOX_READER_OF_ALL } from '../permissions';
import type { InboxItem, InboxResponse } from '../schemas';
import { listAllEntries, mapLimited, queryStatus, runUpdate, STATUS_QUERY_CONCURRENCY } from '../temporal-gateway';
import { entryQuery } from '../visibility';
import { updateResponse } from './entries';

/** Entries an inbox looks at, at most; the status of each is queried, a few at a time. */
export const INBOX_MAX_ENTRIES = 1000;

export function signOffsRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.recordDecision, async ({ params, body }, _req, res) => {
    const principal = principalOf(res);
    const request = { ...body, principal };
    const result = await runUpdate(ctx, params.partyId, recordDecisionUpdate, request, { type: 'RECORD_DECISION', ...request });
    res.json(updateResponse(ctx, params.partyId, result));
  });

  mount(router, ctx, ENDPOINTS.submitEvidence, async ({ params, body }, _req, res) => {
    const principal = principalOf(res);
    const request = { ...body, principal };
    const result = await runUpdate(ctx, params.partyId, submitEvidenceUpdate, request, { type: 'SUBMIT_EVIDENCE', ...request });
    res.json(updateResponse(ctx, params.partyId, result));
  });

  mount(router, ctx, ENDPOINTS.inbox, async ({ query }, _req, res) => {
    const principal = principalOf(res);
    let body: Body | null = principal.body;
    if (principal.body === INBOX_READER_OF_ALL) body = query.body ?? null;
    else if (query.body !== undefined && query.body !== principal.body) throw forbidden("Only OPS reads another body's inbox");

    const partyId = principal.body === BODY.PARTY ? principal.partyId : undefined;
    const filter = entryQuery({ status: ENTRY_STATUS.IN_PROGRESS, awaitedBody: body ?? undefined, partyId });
    const { entries, truncated } = await listAllEntries(ctx, filter, INBOX_MAX_ENTRIES);
    const unavailable: string[] = [];
    const summaries = await mapLimited(entries, STATUS_QUERY_CONCURRENCY, (e) =>
      queryStatus(ctx, e.partyId).catch((err: unknown) => {
        // gone since the visibility answer, or its query went unanswered: one entry never fails the inbox
        if (!(err instanceof WorkflowNotFoundError)) unavailable.push(e.partyId);
        return null;
      }),
    );
    const today = new Date().toISOString().slice(0, 10);
    const present = summaries.filter((summary): summary is EntrySummary => summary !== null);
    const items: InboxItem[] = inboxOf(present, body, today).map((item) => ({ ...item, links: entryLinks(ctx.config, item.partyId) }));
    const answer: InboxResponse = { body, items, truncated, unavailable: unavailable.sort() };
    res.json(answer);
  });

  return router;
}
