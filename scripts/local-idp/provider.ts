/**
 * The local identity provider: an OpenID Provider by `oidc-provider` (certified by the OpenID
 * Foundation) with the console as its one client: discovery, authorization code with PKCE (S256,
 * required), token, JWKS, userinfo and end-session, served by the library. Ours are the people
 * (./users.ts), the page that asks who to be (one click, no password) and the claims: the groups
 * claim the API reads goes into the ID token, as Keycloak's group mapper puts it there.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { ProviderKeys } from './keys';
import { inMemoryStore } from './memory-store';
import { pageSecurityPolicy, pickerPage, signOutPage, wordsPage } from './pages';
import { issuerOf, type LocalIdpSettings } from './settings';
import { claimsOf, devUsers, type DevUser } from './users';

const MINUTE = 60;

function configuration(s: LocalIdpSettings, keys: ProviderKeys, users: Map<string, DevUser>): Configuration {
  const page = (ctx: KoaContextWithOIDC, html: string, script = false) => {
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', pageSecurityPolicy(script));
    ctx.body = html;
  };
  return {
    adapter: inMemoryStore(),
    clients: [
      {
        client_id: s.OIDC_CLIENT_ID,
        client_secret: s.LOCAL_IDP_CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [s.LOCAL_IDP_REDIRECT_URI],
        post_logout_redirect_uris: [s.LOCAL_IDP_POST_LOGOUT_REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [keys.signing] },
    cookies: { keys: keys.cookies },
    findAccount: (_ctx, sub) => {
      const user = users.get(sub);
      return user && { accountId: sub, claims: () => claimsOf(user, s.OIDC_GROUPS_CLAIM) };
    },
    // the groups claim with every ID token (scope openid), as the API expects it there
    claims: { openid: ['sub', s.OIDC_GROUPS_CLAIM], profile: ['name', 'given_name', 'family_name'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => page(ctx, signOutPage(form), true),
        postLogoutSuccessSource: (ctx) => page(ctx, wordsPage('You are signed out', ['You are signed out of the local development identity provider.'], { href: s.LOCAL_IDP_CONSOLE_URL, label: 'Back to the console' })),
      },
    },
    renderError: (ctx, out) => {
      const said = [out.error, out.error_description].filter(Boolean).join(': ');
      page(ctx, wordsPage('Sign-in went wrong', [`The local development identity provider refused the request: ${said}.`], { href: s.LOCAL_IDP_CONSOLE_URL, label: 'Back to the console' }));
    },
    ttl: { AuthorizationCode: MINUTE, AccessToken: 60 * MINUTE, IdToken: 60 * MINUTE, Interaction: 10 * MINUTE, Session: 10 * 60 * MINUTE, Grant: 10 * 60 * MINUTE },
  };
}

export interface LocalIdp {
  issuer: string;
  provider: Provider;
  /** The provider's routes and ours, as one request listener. */
  app: express.Express;
}

export function createLocalIdp(s: LocalIdpSettings, keys: ProviderKeys, log: Logger): LocalIdp {
  const issuer = issuerOf(s.LOCAL_IDP_PORT);
  const users = devUsers(s);
  const bySub = new Map(users.map((u) => [u.sub, u]));
  const provider = new Provider(issuer, configuration(s, keys, bySub));
  provider.on('server_error', (_ctx, err) => log.error({ err }, 'the local identity provider failed a request'));
  provider.on('authorization.error', (_ctx, err) => log.warn({ err: err.message }, 'an authorization request was refused'));
  provider.on('grant.error', (_ctx, err) => log.warn({ err: err.message }, 'a token request was refused'));

  const app = express();
  app.disable('x-powered-by');
  const send = (res: Response, status: number, html: string) =>
    res.status(status).set({ 'Content-Security-Policy': pageSecurityPolicy(), 'Cache-Control': 'no-store' }).type('html').send(html);
  const startAgain = { href: s.LOCAL_IDP_CONSOLE_URL, label: 'Start again from the console' };

  app.get('/', (_req, res) => {
    send(res, 200, wordsPage('Sign-in for the local UEP console', [`The OpenID Provider npm start runs for the console, at ${issuer}. Sign in from the console: it sends you here to pick who to be.`], { href: s.LOCAL_IDP_CONSOLE_URL, label: 'Open the console' }));
  });

  app.get('/interaction/:uid', async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      return send(res, 200, pickerPage({ uid: details.uid, users, groupsClaim: s.OIDC_GROUPS_CLAIM, clientId: s.OIDC_CLIENT_ID }));
    }
    // consent: the console is this provider's own client, granted what it asks for
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  });

  app.post('/interaction/:uid/login', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const user = bySub.get(String((req.body as { sub?: unknown }).sub));
    if (!user || details.prompt.name !== 'login') return send(res, 400, wordsPage('Nobody was signed in', ['That is not one of the people of this provider.'], startAgain));
    log.info({ sub: user.sub, groups: user.groups }, 'signed in at the local identity provider');
    await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
  });

  app.post('/interaction/:uid/abort', async (req, res) => {
    await provider.interactionDetails(req, res);
    const result = { error: 'access_denied', error_description: 'nobody was picked at the local development identity provider' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  });

  app.use('/interaction', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof errors.SessionNotFound)) return next(err);
    send(res, 400, wordsPage('This sign-in has expired', ['It is older than ten minutes, or its cookie is gone (another browser, or the provider restarted). Nothing was signed in.'], startAgain));
  });

  app.use(provider.callback());
  return { issuer, provider, app };
}
