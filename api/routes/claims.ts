/**
 * Claims: which officer of the awaited body works a waiting stage. Kept in the record beside the
 * entry (not in the workflow: a claim decides nothing); a decision on a stage another officer
 * holds is refused here, before it reaches Temporal.
 */
import { Router } from 'express';
import { heldByOtherWords, notWaitingOnWords } from '../../domain/claims';
import { getCatalogue, findStage } from '../../domain/catalogue';
import { REFUSAL } from '../../domain/types';
import { BODY, type Body, type Principal, type StageId, type UserRole } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { refusalError } from '../errors';
import { mount } from '../mount';
import { claimAnswer } from '../entry-reads';
import type { ClaimResponse, ColleaguesResponse } from '../schemas';

const samePerson = (a: Principal, b: Principal) => a.body === b.body && a.id === b.id;

export function claimsRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.setClaim, async ({ params, body }, _req, res) => {
    const principal = principalOf(res);
    const ref = { partyId: params.partyId, stage: body.stage, role: body.role ?? '' };
    const claimant = body.assignee === null ? null : body.assignee ? { body: principal.body, ...body.assignee } : principal;
    const change = await ctx.writes.changeClaim(ref, principal, claimant, body.takeOver ?? false);
    const title = change.outcome === 'NOT_WAITING' ? (findStage(getCatalogue(), body.stage)?.title ?? body.stage) : change.stage.title;
    switch (change.outcome) {
      case 'NOT_WAITING':
        throw refusalError(REFUSAL.NOT_AWAITING, notWaitingOnWords(title, undefined, principal.body));
      case 'WAITING_ON': {
        const awaiting = change.stage.awaiting as Body;
        throw refusalError(awaiting === BODY.PARTY ? REFUSAL.NOT_AWAITING : REFUSAL.WRONG_BODY, notWaitingOnWords(title, awaiting, principal.body));
      }
      case 'HELD':
        throw refusalError(REFUSAL.CLAIMED_BY_OTHER, heldByOtherWords(title, claimAnswer(change.claim).claimant, principal.body, change.claim.claimedAt));
      default: {
        const answer: ClaimResponse = {
          partyId: params.partyId,
          stage: body.stage,
          ...(body.role ? { role: body.role } : {}),
          title,
          claim: change.claim ? claimAnswer(change.claim) : null,
          changed: change.outcome === 'CHANGED',
          record: change.outcome === 'CHANGED' ? change.record : null,
        };
        res.json(answer);
      }
    }
  });

  mount(router, ctx, ENDPOINTS.listColleagues, async (_input, _req, res) => {
    const me = principalOf(res);
    const answer: ColleaguesResponse = { body: me.body, colleagues: (await ctx.reads.colleagues(me.body)).filter((p) => p.id !== me.id) };
    res.json(answer);
  });

  return router;
}

/** Refuses a decision on a stage another officer of the body has claimed (CLAIMED_BY_OTHER, in words). */
export async function refuseIfClaimedByOther(ctx: AppContext, partyId: string, request: { stage: StageId; role?: UserRole | undefined; principal: Principal }): Promise<void> {
  const held = await ctx.reads.stageClaim({ partyId, stage: request.stage, role: request.role ?? '' });
  const claim = held?.claim;
  if (!held || !claim || samePerson(claim.claimant, request.principal) || held.stage.awaiting !== request.principal.body) return;
  throw refusalError(REFUSAL.CLAIMED_BY_OTHER, heldByOtherWords(held.stage.title, claimAnswer(claim).claimant, request.principal.body, claim.claimedAt));
}
