/**
 * The console's sign-in through the organisation's identity provider (OpenID Connect, authorization
 * code with PKCE). The tokens stay here: the browser gets only a session cookie (api/cookies.ts),
 * and the session lives in the record (api/sessions.ts), so every tab and every email link of that
 * browser is signed in until the session ends. A person the IdP signs in but the engine does not
 * know gets a page that says why, never a bare 401 or 403.
 *
 *   GET  /auth/config     whether the console signs in here ({ singleSignOn })
 *   GET  /auth/sign-in    ?next=/app/... : to the IdP, and back to that page afterwards
 *   GET  /auth/callback   the IdP's answer: checks it, starts the session
 *   GET  /auth/invitations/:token  an invitation's link (api/invitations.ts): to the IdP, and on
 *                         return the person is bound to the Party
 *   POST /auth/sign-out   ends the session (CSRF token required); answers where to go next: the
 *                         IdP's end-session endpoint when it has one
 */
import { Router, type Response } from 'express';
import * as client from 'openid-client';
import type { Logger } from 'pino';
import type { ApiConfig } from './config';
import { clearCookie, cookieOf, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, setCookie, SIGN_IN_COOKIE } from './cookies';
import { CALLBACK_PATH, nameOf, type OidcRelyingParty } from './oidc';
import { SIGN_IN_TTL_MS, type PendingSignIn, type SessionStore } from './sessions';
import type { RecordDb } from '../record/db';
import { acceptInvitation, invitationOf } from '../record/party-members';
import { identifyPerson, INVITATION_PATH, invitationRefusal } from './invitations';
import { hashToken } from './tokens';

export const AUTH_PATH = {
  config: '/auth/config',
  signIn: '/auth/sign-in',
  callback: CALLBACK_PATH,
  signOut: '/auth/sign-out',
} as const;

const CONSOLE_HOME = '/app/';
export const SIGNED_OUT_PAGE = '/app/signed-out';

/** Only a console page of this origin: never an open redirect. */
export function safeReturnTo(next: unknown): string {
  if (typeof next !== 'string' || !/^\/app(\/|$|\?)/.test(next) || next.includes('\\') || next.length > 2000) return CONSOLE_HOME;
  return next;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page in words (the console's style sheet, no script). */
export function wordsPage(res: Response, status: number, title: string, paragraphs: string[], link?: { href: string; label: string }): void {
  res
    .status(status)
    .set({ 'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'", 'Cache-Control': 'no-store' })
    .type('html')
    .send(
      `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)} · UEP console</title><link rel="stylesheet" href="/app/style.css"></head>` +
        `<body><main id="main"><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}` +
        `${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}</main></body></html>`,
    );
}

/** The check a refused answer failed: openid-client's error wraps the precise one ("unexpected JWT "iss" claim value"). */
function foundIn(err: unknown): string {
  const precise = (err as { cause?: unknown }).cause;
  const message = precise instanceof Error ? precise.message : err instanceof Error ? err.message : String(err);
  return message.replace(/\.$/, '');
}

/** What the console is for, in words, from the page a person asked for. */
function placeOf(returnTo: string): string {
  const body = /[?&]body=([A-Z_]+)/.exec(returnTo)?.[1];
  if (returnTo.startsWith('/app/inbox')) return body ? `the ${body.replace('_', ' ')} inbox` : 'the inbox';
  if (returnTo.startsWith('/app/entries/')) return 'that entry';
  return 'the UEP console';
}

export interface SignInDeps {
  config: ApiConfig;
  rp: OidcRelyingParty;
  sessions: SessionStore;
  now: () => number;
  logger: Logger;
  record: RecordDb;
}

export function signInRouter({ config, rp, sessions, now, logger, record }: SignInDeps): Router {
  const router = Router();
  const secure = new URL(config.API_PUBLIC_URL).protocol === 'https:';
  const redirectUri = new URL(CALLBACK_PATH, config.API_PUBLIC_URL).href;
  const maxAgeMs = config.SESSION_MAX_HOURS * 3_600_000;

  router.get(AUTH_PATH.config, (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ singleSignOn: true });
  });

  /** To the IdP, and back to the callback with this sign-in. */
  const toIdP = async (res: Response, pendingOf: { returnTo: string; invitationSha256?: string }) => {
    let configuration: client.Configuration;
    try {
      configuration = await rp.configuration();
    } catch (err) {
      logger.error({ err }, 'the identity provider did not answer discovery');
      return wordsPage(res, 503, 'Sign-in is not available right now', [
        'The engine cannot reach your organisation’s sign-in service at the moment. Try again in a few minutes; if it goes on, tell your administrator.',
      ]);
    }
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: PendingSignIn = { codeVerifier, nonce, ...pendingOf };
    await sessions.beginSignIn(state, pending, now());
    setCookie(res, SIGN_IN_COOKIE, state, { secure, httpOnly: true, maxAgeMs: SIGN_IN_TTL_MS, path: '/auth' });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: config.OIDC_SCOPES,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.set('Cache-Control', 'no-store').redirect(303, url.href);
  };

  router.get(AUTH_PATH.signIn, async (req, res) => {
    await toIdP(res, { returnTo: safeReturnTo(req.query.next) });
  });

  router.get(INVITATION_PATH, async (req, res) => {
    const tokenSha256 = hashToken(String(req.params.token).slice(0, 100));
    const refused = invitationRefusal(await invitationOf(record, tokenSha256, new Date(now())));
    if (refused) return wordsPage(res, 410, 'This invitation cannot be used', refused);
    await toIdP(res, { returnTo: CONSOLE_HOME, invitationSha256: tokenSha256 });
  });

  router.get(AUTH_PATH.callback, async (req, res) => {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const signInAgain = { href: AUTH_PATH.signIn, label: 'Sign in again' };
    if (typeof req.query.error === 'string') {
      const said = typeof req.query.error_description === 'string' ? req.query.error_description : req.query.error;
      return wordsPage(res, 401, 'You are not signed in', [`Your organisation’s sign-in service did not sign you in: ${said}.`], signInAgain);
    }
    // the state must be this browser's own sign-in, and unused
    const pending = state && cookieOf(req, SIGN_IN_COOKIE) === state ? await sessions.takeSignIn(state, now()) : undefined;
    if (!pending) {
      return wordsPage(
        res,
        400,
        'This sign-in link cannot be used',
        ['It was used already, it is older than ten minutes, or it was started in another browser. Nothing was signed in.'],
        signInAgain,
      );
    }
    clearCookie(res, SIGN_IN_COOKIE, { secure, httpOnly: true, path: '/auth' });
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      const current = new URL(req.originalUrl, config.API_PUBLIC_URL);
      tokens = await client.authorizationCodeGrant(await rp.configuration(), current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      logger.warn({ err }, 'a sign-in was refused');
      return wordsPage(
        res,
        401,
        'You are not signed in',
        [
          'The answer from your organisation’s sign-in service did not pass the engine’s checks, so nobody was signed in. Try again; if it happens again, tell your administrator.',
          `What the engine found: ${foundIn(err)}.`,
        ],
        signInAgain,
      );
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) return wordsPage(res, 401, 'You are not signed in', ['Your organisation’s sign-in service sent no ID token.'], signInAgain);
    if (pending.invitationSha256) {
      const accepted = await acceptInvitation(record, pending.invitationSha256, { subject: claims.sub, name: nameOf(claims), ...(typeof claims.email === 'string' ? { email: claims.email } : {}) }, new Date(now()));
      const refused = invitationRefusal(accepted);
      if (refused) return wordsPage(res, 410, 'This invitation cannot be used', refused);
      logger.info({ sub: claims.sub, partyId: accepted.ok ? accepted.partyId : undefined }, 'an invitation was accepted');
    }
    const identified = await identifyPerson(record, claims, config);
    if (!identified.ok) {
      logger.warn({ sub: claims.sub, why: identified.why }, 'a signed-in person is not enabled for the console');
      return wordsPage(res, 403, 'Your account is not enabled here', [
        `You signed in as ${identified.who}, but your account is not enabled for ${placeOf(pending.returnTo)}: ${identified.why}.`,
        'Ask your administrator to add your account to the group of your organisation’s body (SECAS, the DCC, the SEC Panel or operations).',
      ]);
    }
    const { id, session } = await sessions.create(identified.principal, claims.sub, tokens.id_token, now());
    setCookie(res, SESSION_COOKIE, id, { secure, httpOnly: true, maxAgeMs });
    setCookie(res, CSRF_COOKIE, session.csrfToken, { secure, httpOnly: false, maxAgeMs, sameSite: 'strict' });
    logger.info({ sub: claims.sub, body: identified.principal.body }, 'signed in to the console');
    res.set('Cache-Control', 'no-store').redirect(303, pending.returnTo);
  });

  router.post(AUTH_PATH.signOut, async (req, res) => {
    const id = cookieOf(req, SESSION_COOKIE);
    const csrfOk = async () => {
      if (!id) return true; // no session: nothing to end
      const found = await sessions.find(id, now());
      return !found.ok || req.get(CSRF_HEADER) === found.session.csrfToken;
    };
    if (!(await csrfOk())) {
      return wordsPage(res, 403, 'Not signed out', ['The request did not come from the console (it lacked the console’s CSRF token).']);
    }
    const ended = id ? await sessions.end(id) : undefined;
    clearCookie(res, SESSION_COOKIE, { secure, httpOnly: true });
    clearCookie(res, CSRF_COOKIE, { secure, httpOnly: false, sameSite: 'strict' });
    const signedOut = new URL(SIGNED_OUT_PAGE, config.API_PUBLIC_URL).href;
    let redirect = signedOut;
    const configuration = await rp.configuration().catch(() => undefined);
    if (ended && configuration?.serverMetadata().end_session_endpoint) {
      redirect = client.buildEndSessionUrl(configuration, { id_token_hint: ended.idToken, post_logout_redirect_uri: signedOut }).href;
    }
    res.set('Cache-Control', 'no-store').json({ redirect });
  });

  return router;
}

/** Without an IdP the console signs in with a bearer token, and says so. */
export function tokenSignInRouter(): Router {
  const router = Router();
  router.get(INVITATION_PATH, (_req, res) => {
    wordsPage(res, 503, 'This invitation cannot be used here', ['The console here does not sign people in through an identity provider, so an invitation cannot be accepted. Tell the person who invited you.']);
  });
  router.get(AUTH_PATH.config, (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ singleSignOn: false });
  });
  return router;
}
