/**
 * A Party's people: invited by email (api/invitations.ts), listed with every invitation, acceptance
 * and removal, and removed (their console sessions end with it). The Party's own people and OPS
 * invite and remove; SECAS reads.
 */
import { Router } from 'express';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { invitationsUnavailable, notFound } from '../errors';
import { membershipEventAnswer } from '../invitations';
import { mount } from '../mount';
import type { InvitationResponse, MembersResponse } from '../schemas';

export function membersRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.inviteToParty, async ({ params, body }, _req, res) => {
    const sent = await ctx.writes.invite(params.partyId, body.email, principalOf(res));
    if (!sent.ok) throw invitationsUnavailable(sent.why);
    const answer: InvitationResponse = { partyId: params.partyId, email: body.email, expiresAt: sent.expiresAt.toISOString() };
    res.status(201).json(answer);
  });

  mount(router, ctx, ENDPOINTS.listPartyMembers, async ({ params }, _req, res) => {
    const [members, events] = await Promise.all([ctx.reads.members(params.partyId), ctx.reads.membershipEvents(params.partyId)]);
    const answer: MembersResponse = {
      partyId: params.partyId,
      members: members.map((m) => ({ ...m, acceptedAt: m.acceptedAt.toISOString() })),
      events: events.map(membershipEventAnswer),
    };
    res.json(answer);
  });

  mount(router, ctx, ENDPOINTS.removePartyMember, async ({ params }, _req, res) => {
    if (!(await ctx.writes.removeMember(params.partyId, params.subject, principalOf(res)))) {
      throw notFound(`Nobody with the subject ${params.subject} acts for ${params.partyId}`);
    }
    res.status(204).end();
  });

  return router;
}
