/**
 * The one auth middleware. A caller is named by a bearer token (a hashed token of api/tokens.ts, or
 * a machine's OAuth access token verified against the IdP's keys) or by the console's session
 * cookie (api/sessions.ts): 401 when none of them names anyone. A request with the cookie that
 * changes anything must carry the session's CSRF token in X-CSRF-Token (403 without it); bearer
 * requests need none, as no browser attaches a bearer token by itself. Then the permissions table
 * says whether the body may take the action (403 FORBIDDEN, in words), and a Party principal is held
 * to its own party (403 NOT_OWN_PARTY for any other partyId in the path).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Principal } from '../domain/vocabulary';
import { REFUSAL } from '../domain/types';
import { cookieOf, CSRF_HEADER, SESSION_COOKIE } from './cookies';
import { forbidden, refusalError, unauthenticated } from './errors';
import type { OidcRelyingParty } from './oidc';
import { ACCESS, accessOf, refusedWords, type Action } from './permissions';
import type { SessionStore } from './sessions';
import type { TokenStore } from './tokens';

const BEARER = /^Bearer ([^\s]+)$/i;
/** Methods that change nothing: no CSRF token needed. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw unauthenticated('Not authenticated');
  return principal;
}

export interface AuthSources {
  tokens: TokenStore;
  /** Console sessions; without them only bearer tokens are accepted. */
  sessions?: SessionStore;
  /** The IdP, for machines' OAuth access tokens. */
  rp?: OidcRelyingParty;
  now: () => number;
}

async function authenticate(req: Request, { tokens, sessions, rp, now }: AuthSources): Promise<Principal> {
  const header = req.get('authorization');
  if (header) {
    const match = BEARER.exec(header);
    if (!match?.[1]) throw unauthenticated('A bearer token is required');
    const machine = rp ? await rp.checkAccessToken(match[1]) : null;
    const checked = machine ?? tokens.check(match[1]);
    if (!checked.ok) throw unauthenticated(checked.why);
    return checked.principal;
  }
  const sessionId = sessions ? cookieOf(req, SESSION_COOKIE) : undefined;
  if (!sessions || !sessionId) throw unauthenticated(sessions ? 'Sign in to the console, or send a bearer token' : 'A bearer token is required');
  const found = await sessions.find(sessionId, now());
  if (!found.ok) throw unauthenticated(found.why);
  if (!SAFE_METHODS.has(req.method) && req.get(CSRF_HEADER) !== found.session.csrfToken) {
    throw forbidden('This request did not come from the console: it lacked the console’s CSRF token, so nothing was changed');
  }
  return found.session.principal;
}

export function authMiddleware(sources: AuthSources): (action: Action) => RequestHandler {
  return (action) => async (req, res, next) => {
    const principal = await authenticate(req, sources);
    const access = accessOf(action, principal.body);
    if (access === ACCESS.NONE) throw forbidden(refusedWords(action, principal.body));
    const partyId = req.params.partyId;
    if (access === ACCESS.OWN_PARTY && partyId !== undefined && partyId !== principal.partyId) {
      throw refusalError(REFUSAL.NOT_OWN_PARTY, `A Party acts only for itself: you act for ${principal.partyId ?? 'no Party'}, not for ${String(partyId)}`);
    }
    res.locals.principal = principal;
    next();
  };
}
