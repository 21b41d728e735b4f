/**
 * Single sign-on against a real Keycloak (deploy/keycloak/uep-realm.json), started once for this
 * file: the console's sign-in (authorization code with PKCE, the tokens kept by the API, a session
 * cookie in the browser), who a person is from the IdP's groups, the refusals, sign-out, the
 * session lifetimes, machines' OAuth access tokens, a Party's person bound by an emailed
 * invitation, and the same in Chromium across tabs and links.
 */
import type { Page } from 'playwright-core';
import type { AuditTrailResponse, PrincipalResponse } from '../../api/schemas';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { call, startHarness, type Harness } from '../../testkit/api-harness';
import { LIE, startIdpFacade, type IdpFacade, type Lie } from '../../testkit/idp-facade';
import { launchBrowser, type Browser } from '../../testkit/browser';
import { startConsoleStack, type ConsoleStack } from '../../testkit/console-stack';
import { keycloakForTests, rotateRealmKey, type RunningKeycloak } from '../../testkit/keycloak';
import { CookieJar, locationOf, loginFormAction, signInThroughIdp, step } from '../../testkit/oidc-login';
import { startSmtpCatcher, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { uniquePartyId } from '../../testkit/temporal';

const DARA = { username: 'dara.okafor', password: 'uep-dev-password' };
const NINA = { username: 'nina.newcomer', password: 'uep-dev-password' };
/** In the realm's group uep-party-SSO-ACME, and uep-party-SSO-OTHER. */
const PAT = { username: 'pat.contact', password: 'uep-dev-password' };
const QUINN = { username: 'quinn.other', password: 'uep-dev-password' };
const ACME = 'SSO-ACME';
const OTHER = 'SSO-OTHER';

let kc: RunningKeycloak;
let stack: ConsoleStack;
let browser: Browser;
let catcher: SmtpCatcher;
/** The API's clock runs this far ahead of the wall clock (the session lifetimes). */
let skewMs = 0;

beforeAll(async () => {
  kc = await keycloakForTests();
  catcher = await startSmtpCatcher();
  stack = await startConsoleStack({
    settings: {
      SMTP_URL: catcher.url,
      OIDC_ISSUER_URL: kc.issuer,
      OIDC_CLIENT_ID: 'uep-console',
      OIDC_CLIENT_SECRET: 'uep-console-dev-secret',
      OIDC_ALLOW_HTTP: 'true',
      OIDC_API_AUDIENCE: 'uep-api',
    },
    now: () => Date.now() + skewMs,
  });
  browser = await launchBrowser();
  // the Party whose people the realm knows (its group), started once
  const started = await call(stack.baseUrl, 'POST', '/v1/entries', { token: stack.tokens.ops, body: startBodyAcceded(ACME, { partyName: 'SSO Acme Energy' }) });
  expect(started.status).toBe(201);
}, 400_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await kc?.stop();
  await catcher?.down();
});
afterEach(() => {
  skewMs = 0;
});

const base = () => stack.baseUrl;

/** An entry whose credit cover awaits the DCC's decision. */
async function entryAwaitingDcc(): Promise<string> {
  const partyId = uniquePartyId('SSO');
  const started = await call(base(), 'POST', '/v1/entries', {
    token: stack.tokens.ops,
    body: startBodyAcceded(partyId, { completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-01-05' }, { stage: 'ID_ALLOCATION', outcome: 'ALLOCATED', at: '2026-01-20' }] }),
  });
  expect(started.status).toBe(201);
  const submitted = await call(base(), 'POST', `/v1/entries/${partyId}/evidence`, {
    token: stack.tokens.party(partyId),
    body: { submissionId: 'cc-1', stage: 'CREDIT_COVER', reference: 'Letter of credit LC-1' },
  });
  expect(submitted.status).toBe(200);
  return partyId;
}

/** A request as the console makes it: the session cookie, and the CSRF token when asked. */
function withSession(jar: CookieJar, opts: { csrf?: boolean; body?: unknown } = {}) {
  const headers: Record<string, string> = { cookie: jar.header(base()) };
  if (opts.csrf) headers['x-csrf-token'] = jar.get(base(), 'uep_csrf') ?? '';
  return { headers, ...(opts.body !== undefined ? { body: opts.body } : {}) };
}

describe('the console signs in through the identity provider', () => {
  test('a DCC officer signs in with authorization code and PKCE, lands on the page she asked for, and the browser holds only an HttpOnly, SameSite=Lax cookie', async () => {
    const jar = new CookieJar();
    const start = await step(jar, `${base()}/auth/sign-in?next=${encodeURIComponent('/app/inbox?body=DCC')}`);
    const authorize = new URL(locationOf(start));
    expect(authorize.href.startsWith(`${kc.issuer}/protocol/openid-connect/auth`)).toBe(true);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);

    const signedIn = await signInThroughIdp(new CookieJar(), base(), '/app/inbox?body=DCC', DARA);
    expect(signedIn.callback.res.status).toBe(303);
    expect(locationOf(signedIn.callback)).toBe(`${base()}/app/inbox?body=DCC`);
    const cookie = CookieJar.setCookieLine(signedIn.callback.res, 'uep_session') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // http here; Secure when API_PUBLIC_URL is https
    // no token of the IdP reaches the browser
    expect(signedIn.callback.res.headers.getSetCookie().join('\n')).not.toMatch(/eyJ/);
    expect(signedIn.callback.text).not.toMatch(/eyJ/);
  });

  test('who she is comes from the IdP: the DCC from her group, her name and email in every audit record she causes', async () => {
    const partyId = await entryAwaitingDcc();
    const jar = new CookieJar();
    await signInThroughIdp(jar, base(), '/app/', DARA);
    const me = await call<PrincipalResponse>(base(), 'GET', '/v1/me', withSession(jar));
    expect(me.json).toMatchObject({ body: 'DCC', name: 'Dara Okafor', email: 'dara.okafor@dcc.example' });

    const decided = await call(base(), 'POST', `/v1/entries/${partyId}/decisions`, withSession(jar, { csrf: true, body: { decisionId: 'd-1', stage: 'CREDIT_COVER', outcome: 'LODGED', evidence: 'register 2026/1' } }));
    expect(decided.status).toBe(200);
    const trail = await call<AuditTrailResponse>(base(), 'GET', `/v1/entries/${partyId}/audit-trail`, { token: stack.tokens.ops });
    const decision = trail.json.records.find((r) => r.action === 'DECISION' && r.stage === 'CREDIT_COVER');
    expect(decision?.principal).toEqual({ body: 'DCC', id: me.json.id, name: 'Dara Okafor', email: 'dara.okafor@dcc.example' });
  });

  test('a cross-site POST that carries the cookie but not the CSRF token is refused in words, and nothing changes', async () => {
    const partyId = await entryAwaitingDcc();
    const jar = new CookieJar();
    await signInThroughIdp(jar, base(), '/app/', DARA);
    const before = await call<AuditTrailResponse>(base(), 'GET', `/v1/entries/${partyId}/audit-trail`, { token: stack.tokens.ops });

    const forged = await call<{ error: { code: string; message: string } }>(
      base(),
      'POST',
      `/v1/entries/${partyId}/decisions`,
      { ...withSession(jar, { body: { decisionId: 'd-x', stage: 'CREDIT_COVER', outcome: 'LODGED', evidence: 'forged' } }), headers: { ...withSession(jar).headers, origin: 'https://evil.example' } },
    );
    expect(forged.status).toBe(403);
    expect(forged.json.error.message).toContain('did not come from the console');
    const wrongToken = await call(base(), 'POST', `/v1/entries/${partyId}/decisions`, {
      headers: { ...withSession(jar).headers, 'x-csrf-token': 'guessed' },
      body: { decisionId: 'd-y', stage: 'CREDIT_COVER', outcome: 'LODGED', evidence: 'forged' },
    });
    expect(wrongToken.status).toBe(403);
    const after = await call<AuditTrailResponse>(base(), 'GET', `/v1/entries/${partyId}/audit-trail`, { token: stack.tokens.ops });
    expect(after.json.records).toEqual(before.json.records);
  });

  test('a replayed state is refused in words: the callback works once', async () => {
    const jar = new CookieJar();
    const first = await signInThroughIdp(jar, base(), '/app/', DARA);
    expect(first.callback.res.status).toBe(303);
    const again = await step(jar, first.callbackUrl);
    expect(again.res.status).toBe(400);
    expect(again.text).toContain('This sign-in link cannot be used');
    expect(again.res.headers.getSetCookie().some((l) => l.startsWith('uep_session=') && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(l))).toBe(false);
  });

  test('a callback in a browser that did not start the sign-in is refused (no login CSRF)', async () => {
    const jar = new CookieJar();
    const signIn = await step(jar, `${base()}/auth/sign-in?next=%2Fapp%2F`);
    const state = new URL(locationOf(signIn)).searchParams.get('state') ?? '';
    const elsewhere = await step(new CookieJar(), `${base()}/auth/callback?code=stolen&state=${encodeURIComponent(state)}`);
    expect(elsewhere.res.status).toBe(400);
    expect(elsewhere.text).toContain('started in another browser');
  });

  test('a person the IdP signs in but who is in no body’s group sees why, in words, and gets no session', async () => {
    const jar = new CookieJar();
    const refused = await signInThroughIdp(jar, base(), '/app/inbox?body=DCC', NINA);
    expect(refused.callback.res.status).toBe(403);
    expect(refused.callback.res.headers.get('content-type')).toContain('text/html');
    const words = refused.callback.text.replace(/&#39;|&#8217;/g, '’');
    expect(words).toContain('You signed in as Nina Newcomer (nina.newcomer@dcc.example), but your account is not enabled for the DCC inbox');
    expect(words).toContain('Ask your administrator');
    expect(jar.get(base(), 'uep_session')).toBeUndefined();
  });

  test('a Party’s person, from the Party’s group at the IdP, acts for that Party only', async () => {
    const pat = new CookieJar();
    await signInThroughIdp(pat, base(), `/app/entries/${ACME}`, PAT);
    expect((await call<PrincipalResponse>(base(), 'GET', '/v1/me', withSession(pat))).json).toMatchObject({ body: 'PARTY', partyId: ACME, name: 'Pat Contact' });
    expect((await call(base(), 'GET', `/v1/entries/${ACME}`, withSession(pat))).status).toBe(200);
    const submitted = await call(base(), 'POST', `/v1/entries/${ACME}/evidence`, withSession(pat, { csrf: true, body: { submissionId: 'pat-1', stage: 'CREDIT_COVER', reference: 'Letter of credit SSO-1' } }));
    expect(submitted.status).toBe(200);
    const trail = await call<AuditTrailResponse>(base(), 'GET', `/v1/entries/${ACME}/audit-trail`, { token: stack.tokens.ops });
    expect(trail.json.records.find((r) => r.action === 'SUBMISSION' && r.stage === 'CREDIT_COVER')?.principal).toMatchObject({
      body: 'PARTY',
      name: 'Pat Contact',
      email: 'pat.contact@sso-acme.example',
    });

    const quinn = new CookieJar();
    await signInThroughIdp(quinn, base(), `/app/entries/${ACME}`, QUINN);
    const refused = await call<{ error: { message: string } }>(base(), 'GET', `/v1/entries/${ACME}`, withSession(quinn));
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: 'NOT_OWN_PARTY', message: `A Party acts only for itself: you act for ${OTHER}, not for ${ACME}` } });
  });

  test('an open redirect is not offered: next must be a console page', async () => {
    const jar = new CookieJar();
    const signedIn = await signInThroughIdp(jar, base(), 'https://evil.example/phish', DARA);
    expect(locationOf(signedIn.callback)).toBe(`${base()}/app/`);
  });
});

describe('a Party’s person, invited by email', () => {
  test('follows the mailed link, signs in at the IdP without the Party’s group and acts for the Party; the link works once; removed, they no longer act for it', async () => {
    const invitedTo = uniquePartyId('INVITE');
    const asked = await call(base(), 'POST', `/v1/entries/${invitedTo}/invitations`, { token: stack.tokens.ops, body: { email: 'nina.newcomer@dcc.example' } });
    expect(asked.status).toBe(201);
    const [mail] = await catcher.waitFor((m) => m.envelopeTo.includes('nina.newcomer@dcc.example') && (m.subject ?? '').includes(invitedTo));
    const link = /(http\S+\/auth\/invitations\/\S+)/.exec(mail!.text ?? '')?.[1];
    expect(link?.startsWith(`${base()}/auth/invitations/`)).toBe(true);

    const jar = new CookieJar();
    const toIdp = await step(jar, link!);
    expect(toIdp.res.status).toBe(303);
    const form = await step(jar, locationOf(toIdp));
    const back = await step(jar, loginFormAction(form.text), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: NINA.username, password: NINA.password, credentialId: '' }).toString(),
    });
    const landed = await step(jar, locationOf(back));
    expect([landed.res.status, locationOf(landed)]).toEqual([303, `${base()}/app/`]);
    const me = (await call<PrincipalResponse>(base(), 'GET', '/v1/me', withSession(jar))).json;
    expect(me).toMatchObject({ body: 'PARTY', partyId: invitedTo, name: 'Nina Newcomer', email: 'nina.newcomer@dcc.example' });

    const again = await step(new CookieJar(), link!);
    expect(again.res.status).toBe(410);
    expect(again.text.replace(/&#39;|&#8217;/g, '’')).toContain('This invitation was accepted already on ');

    const removed = await call(base(), 'DELETE', `/v1/entries/${invitedTo}/members/${encodeURIComponent(me.id)}`, { token: stack.tokens.ops });
    expect(removed.status).toBe(204);
    expect((await call(base(), 'GET', '/v1/me', withSession(jar))).status).toBe(401);
    const refused = await signInThroughIdp(new CookieJar(), base(), '/app/', NINA);
    expect(refused.callback.res.status).toBe(403);
  });
});

describe('the ID token is checked: a lying identity provider signs nobody in', () => {
  let facade: IdpFacade;
  let lied: Harness;
  beforeAll(async () => {
    facade = await startIdpFacade(kc.issuer);
    lied = await startHarness(stack.env, {
      settings: { OIDC_ISSUER_URL: facade.issuer, OIDC_CLIENT_ID: 'uep-console', OIDC_CLIENT_SECRET: 'uep-console-dev-secret', OIDC_ALLOW_HTTP: 'true' },
    });
  });
  afterAll(async () => {
    await lied?.close();
    await facade?.close();
  });

  const signInSaying = async (lie: Lie) => {
    facade.lie = lie;
    const jar = new CookieJar();
    const { callback } = await signInThroughIdp(jar, lied.baseUrl, '/app/', DARA, { asIssued: (u) => facade.asIssued(u) });
    return { status: callback.res.status, words: callback.text.replace(/&#34;/g, '"'), session: jar.get(lied.baseUrl, 'uep_session') };
  };

  test('the honest ID token, re-signed by the facade, signs in (the harness itself is sound)', async () => {
    const answer = await signInSaying(LIE.HONEST);
    expect(answer.status).toBe(303);
    expect(answer.session).toMatch(/^[\w-]{43}$/);
  });

  test.each([
    [LIE.TAMPERED, 'signature'],
    [LIE.EXPIRED, '"exp"'],
    [LIE.WRONG_ISSUER, '"iss"'],
    [LIE.WRONG_AUDIENCE, '"aud"'],
  ])('an ID token %s is refused in words, and no session starts', async (lie, found) => {
    const answer = await signInSaying(lie);
    expect(answer.status).toBe(401);
    expect(answer.words).toContain('did not pass the engine’s checks, so nobody was signed in');
    expect(answer.words).toContain(found);
    expect(answer.session).toBeUndefined();
  });

  test('an ID token without the group claim is refused in words, and no session starts', async () => {
    const answer = await signInSaying(LIE.NO_GROUPS);
    expect(answer.status).toBe(403);
    expect(answer.words).toContain('your sign-in service did not say which groups you are in (no "groups" claim)');
    expect(answer.session).toBeUndefined();
  });
});

describe('sessions end', () => {
  test('after SESSION_IDLE_MINUTES without a request', async () => {
    const jar = new CookieJar();
    await signInThroughIdp(jar, base(), '/app/', DARA);
    skewMs = 29 * 60_000;
    expect((await call(base(), 'GET', '/v1/me', withSession(jar))).status).toBe(200);
    skewMs += 31 * 60_000; // 31 minutes after that last request
    const ended = await call<{ error: { message: string } }>(base(), 'GET', '/v1/me', withSession(jar));
    expect(ended.status).toBe(401);
    expect(ended.json.error.message).toContain('ended after a while without use');
  });

  test('SESSION_MAX_HOURS after sign-in, however busy', async () => {
    const jar = new CookieJar();
    await signInThroughIdp(jar, base(), '/app/', DARA);
    for (let minutes = 25; minutes < 10 * 60; minutes += 25) {
      skewMs = minutes * 60_000;
      expect({ minutes, status: (await call(base(), 'GET', '/v1/me', withSession(jar))).status }).toEqual({ minutes, status: 200 });
    }
    skewMs = 10 * 3_600_000 + 60_000;
    const ended = await call<{ error: { message: string } }>(base(), 'GET', '/v1/me', withSession(jar));
    expect(ended.status).toBe(401);
    expect(ended.json.error.message).toContain('longest allowed time');
  });

  test('sign-out needs the CSRF token, ends the session, and signs out at the IdP too', async () => {
    const jar = new CookieJar();
    const kcJar = jar; // one browser: the IdP's cookies and the API's
    await signInThroughIdp(kcJar, base(), '/app/', DARA);
    const forged = await step(jar, `${base()}/auth/sign-out`, { method: 'POST' });
    expect(forged.res.status).toBe(403);
    expect((await call(base(), 'GET', '/v1/me', withSession(jar))).status).toBe(200);

    const cookieBefore = jar.header(base());
    const out = await step(jar, `${base()}/auth/sign-out`, { method: 'POST', headers: { 'x-csrf-token': jar.get(base(), 'uep_csrf') ?? '' } });
    expect(out.res.status).toBe(200);
    const redirect = new URL((JSON.parse(out.text) as { redirect: string }).redirect);
    expect(redirect.href.startsWith(`${kc.issuer}/protocol/openid-connect/logout`)).toBe(true);
    expect(redirect.searchParams.get('id_token_hint')).toBeTruthy();
    expect(redirect.searchParams.get('post_logout_redirect_uri')).toBe(`${base()}/app/signed-out`);
    // the old cookie, kept by an attacker or another tab, names no session any more
    expect((await call(base(), 'GET', '/v1/me', { headers: { cookie: cookieBefore } })).status).toBe(401);

    const atIdp = await step(jar, redirect.href);
    expect([302, 303]).toContain(atIdp.res.status);
    expect(locationOf(atIdp)).toBe(`${base()}/app/signed-out`);
    // the IdP's own session has ended: signing in again asks for the password
    const again = await step(jar, locationOf(await step(jar, `${base()}/auth/sign-in?next=%2Fapp%2F`)));
    expect(again.res.status).toBe(200);
    expect(again.text).toContain('kc-form-login');
  });
});

describe('machines', () => {
  test('an OAuth access token from client credentials is accepted beside the hashed bearer tokens', async () => {
    const token = await clientCredentials();
    const me = await call<PrincipalResponse>(base(), 'GET', '/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ body: 'OPS', id: 'uep-integration', name: 'client uep-integration' });
    expect((await call(base(), 'GET', '/v1/me', { token: stack.tokens.dcc })).json).toMatchObject({ body: 'DCC' });
  });

  test('a tampered access token, or one for another audience, is refused', async () => {
    const token = await clientCredentials();
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, azp: 'someone-else' })).toString('base64url')}.${s}`;
    const refused = await call<{ error: { message: string } }>(base(), 'GET', '/v1/me', { token: tampered });
    expect(refused.status).toBe(401);
    expect(refused.json.error.message).toContain('signature');

    // the console's ID token is for the console (aud uep-console), not for the API
    const jar = new CookieJar();
    await signInThroughIdp(jar, base(), '/app/', DARA);
    const out = await step(jar, `${base()}/auth/sign-out`, { method: 'POST', headers: { 'x-csrf-token': jar.get(base(), 'uep_csrf') ?? '' } });
    const idToken = new URL((JSON.parse(out.text) as { redirect: string }).redirect).searchParams.get('id_token_hint') ?? '';
    const wrongAudience = await call<{ error: { message: string } }>(base(), 'GET', '/v1/me', { token: idToken });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.json.error.message).toContain('aud');
  });
});

describe('in Chromium', () => {
  test('a DCC officer signs in through Keycloak and records a decision; a second tab and an email link open signed in; sign-out ends both', async () => {
    const partyId = await entryAwaitingDcc();
    const tab = await browser.newPage();
    await tab.goto(`${base()}/app/inbox?body=DCC`);
    await signInAtKeycloak(tab, DARA);
    await tab.getByRole('heading', { name: /^Inbox/ }).waitFor();
    expect(tab.url()).toBe(`${base()}/app/inbox?body=DCC`);
    await expectText(tab, 'Signed in as Dara Okafor');

    await tab.goto(`${base()}/app/entries/${partyId}`);
    const form = tab.getByRole('form', { name: /Decide Credit cover/i });
    await form.getByRole('radio').first().check();
    await form.getByLabel('Evidence reference').fill('Credit Support register 2026/77');
    await form.getByRole('button', { name: 'Record decision' }).click();
    await form.waitFor({ state: 'detached' });
    const trail = await call<AuditTrailResponse>(base(), 'GET', `/v1/entries/${partyId}/audit-trail`, { token: stack.tokens.ops });
    expect(trail.json.records.find((r) => r.action === 'DECISION' && r.stage === 'CREDIT_COVER')?.principal).toMatchObject({
      body: 'DCC',
      name: 'Dara Okafor',
      email: 'dara.okafor@dcc.example',
    });

    const second = await browser.newPage();
    await second.goto(`${base()}/app/inbox?body=DCC`);
    await second.getByRole('heading', { name: /^Inbox/ }).waitFor();
    await expectText(second, 'Signed in as Dara Okafor');

    // the link every notice about this entry carries (activities/render.ts), followed from the mail client
    const link = `${base()}/app/entries/${partyId}`;
    const fromEmail = await browser.newPage();
    await fromEmail.goto(link);
    await expectText(fromEmail, 'Signed in as Dara Okafor');
    expect(fromEmail.url()).toBe(link);

    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByRole('heading', { name: 'You are signed out' }).waitFor();
    // the second tab, still showing the inbox, learns at its next click: back at the IdP, asked for the password
    await second.getByRole('link', { name: 'Entries' }).click();
    await second.locator('#kc-form-login').waitFor();
    await fromEmail.reload();
    await fromEmail.locator('#kc-form-login').waitFor();
    for (const p of [tab, second, fromEmail]) await p.close();
  });
});

describe('a Party in Chromium', () => {
  test('the Party’s contact follows the link to its entry, signs in and lands on it; a person of another Party is refused in words', async () => {
    const link = `${base()}/app/entries/${ACME}`;
    const patsBrowser = await launchBrowser();
    const quinnsBrowser = await launchBrowser();
    try {
      const pat = await patsBrowser.newPage();
      await pat.goto(link);
      await signInAtKeycloak(pat, PAT);
      await pat.getByRole('heading', { name: 'SSO Acme Energy' }).waitFor();
      expect(pat.url()).toBe(link);
      await expectText(pat, 'Signed in as Pat Contact');

      const quinn = await quinnsBrowser.newPage();
      await quinn.goto(link);
      await signInAtKeycloak(quinn, QUINN);
      await expectText(quinn, 'Signed in as Quinn Other');
      const problem = quinn.getByRole('alert');
      await problem.waitFor();
      expect(await problem.textContent()).toContain(`This belongs to another Party. A Party acts only for itself: you act for ${OTHER}, not for ${ACME}`);
      expect(await quinn.getByRole('heading', { name: 'SSO Acme Energy' }).count()).toBe(0);
    } finally {
      await patsBrowser.close();
      await quinnsBrowser.close();
    }
  });
});

describe('machines, after the IdP rotates its signing key', () => {
  // last in the file: every token the IdP signs from here on carries the new key
  test('an access token signed with the new key is accepted once the API has fetched the keys again (at most 30 s after the last fetch)', async () => {
    const before = await clientCredentials();
    expect((await call(base(), 'GET', '/v1/me', { token: before })).status).toBe(200);
    const fetchedAt = Date.now();
    const kid = await rotateRealmKey(kc);
    const after = await clientCredentials();
    const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()) as { kid: string };
    expect(headerOf(after).kid).toBe(kid);
    expect(headerOf(after).kid).not.toBe(headerOf(before).kid);
    // jose fetches the key set again for an unknown kid, at most once per 30 s (its cooldown)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, fetchedAt + 31_000 - Date.now())));
    const me = await call<PrincipalResponse>(base(), 'GET', '/v1/me', { token: after });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ body: 'OPS', id: 'uep-integration' });
  });
});

async function clientCredentials(): Promise<string> {
  const res = await fetch(`${kc.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'uep-integration', client_secret: 'uep-integration-dev-secret' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function signInAtKeycloak(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.locator('#kc-form-login').waitFor();
  await page.locator('#username').fill(user.username);
  await page.locator('#password').fill(user.password);
  await page.locator('#kc-login').click();
}

async function expectText(page: Page, text: string): Promise<void> {
  await page.getByText(text).first().waitFor();
}
