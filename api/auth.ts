/**
 * The one auth middleware: a bearer token names a principal (401 when missing or unknown), the
 * permissions table says whether its body may take the action (403 FORBIDDEN), and a Party
 * principal is held to its own party (403 NOT_OWN_PARTY for any other partyId in the path).
 */
import type { RequestHandler, Response } from 'express';
import type { Principal } from '../domain/vocabulary';
import { REFUSAL } from '../domain/types';
import { forbidden, refusalError, unauthenticated } from './errors';
import { ACCESS, accessOf, refusedWords, type Action } from './permissions';
import type { TokenStore } from './tokens';

const BEARER = /^Bearer ([^\s]+)$/i;

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw unauthenticated('Not authenticated');
  return principal;
}

export function authMiddleware(tokens: TokenStore): (action: Action) => RequestHandler {
  return (action) => (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match?.[1]) throw unauthenticated('A bearer token is required');
    const checked = tokens.check(match[1]);
    if (!checked.ok) throw unauthenticated(checked.why);
    const { principal } = checked;

    const access = accessOf(action, principal.body);
    if (access === ACCESS.NONE) throw forbidden(refusedWords(action, principal.body));
    const partyId = req.params.partyId;
    if (access === ACCESS.OWN_PARTY && partyId !== undefined && partyId !== principal.partyId) {
      throw refusalError(REFUSAL.NOT_OWN_PARTY, `A Party acts only for itself: this token is for party ${principal.partyId ?? '(none)'}`);
    }
    res.locals.principal = principal;
    next();
  };
}
