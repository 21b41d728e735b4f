/** A stage's thread: the bodies and the Party comment; each comment is a record of the audit trail. */
import { Router } from 'express';
import { REFUSAL } from '../../domain/types';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { refusalError } from '../errors';
import { mount } from '../mount';
import type { CommentResponse } from '../schemas';
import { requireStageOfEntry } from '../stage-of-entry';

export function commentsRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.addComment, async ({ params, body }, _req, res) => {
    await requireStageOfEntry(ctx, params.partyId, body);
    const kept = await ctx.writes.comment({ partyId: params.partyId, commentId: body.commentId, stage: body.stage, role: body.role ?? '', text: body.text, by: principalOf(res) });
    if (kept.outcome === 'NO_ENTRY') throw refusalError(REFUSAL.ENTRY_CLOSED, `Comments go to an entry in progress, and ${params.partyId}'s is closed: nothing was kept.`);
    const answer: CommentResponse = { record: kept.record, duplicate: kept.outcome === 'DUPLICATE' };
    // a retry is answered as the first was: 201, with duplicate: true
    res.status(201).json(answer);
  });

  return router;
}
