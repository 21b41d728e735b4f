/**
 * The local identity provider of npm start (scripts/local-idp/), run as its own supervised process
 * exactly as npm start runs it (the same process spec, the same API settings), in front of the
 * real stack (Temporal dev server, worker, API serving the built console). A newcomer picks who to
 * be in Chromium and goes through the API's production sign-in: authorization code with PKCE,
 * the callback, the session cookie. Also the protocol itself, over HTTP: discovery, PKCE
 * required, the groups claim in a verified ID token, userinfo, and the keys kept across a restart.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import pino from 'pino';
import type { PrincipalResponse } from '../../api/schemas';
import { apiSettingsFor, LOCAL_IDP_CLIENT_ID, localIdpProcess, localIdpRun, untilDiscoverable, type LocalIdpRun } from '../../scripts/local-idp/process';
import { DEMO_PARTIES } from '../../scripts/local-idp/users';
import { supervise, type Launch, type Supervised } from '../../scripts/supervisor';
import { PROJECT_ROOT } from '../../config/temporal-toolchain';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { call } from '../../testkit/api-harness';
import { launchBrowser, type Browser } from '../../testkit/browser';
import { startConsoleStack, type ConsoleStack } from '../../testkit/console-stack';
import { followRedirects, pickPerson } from '../../testkit/local-idp';
import { CookieJar, locationOf, step } from '../../testkit/oidc-login';
import { freePort } from '../../testkit/ports';
import { uniquePartyId } from '../../testkit/temporal';

const [DEMO] = DEMO_PARTIES;
const DEMO_PARTY = DEMO!.partyId;
const dataDir = mkdtempSync(path.join(tmpdir(), 'uep-local-idp-'));

let stack: ConsoleStack;
let run: LocalIdpRun;
let idp: Supervised;
let idpOutput = '';
/** From the supervisor's start to discovery answering, ms. */
let startMs = 0;
let otherParty: string;
let awaitingDcc: string;

/** As the supervisor starts it, its output kept here rather than on the terminal. */
const keepOutput: Launch = (spec) => {
  const child = spawn(spec.command, spec.args, { cwd: PROJECT_ROOT, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => (idpOutput += d.toString()));
  child.stderr.on('data', (d: Buffer) => (idpOutput += d.toString()));
  return child;
};

beforeAll(async () => {
  run = localIdpRun({ port: await freePort(), dataDir });
  stack = await startConsoleStack({ settings: apiSettingsFor(run) });
  const started = performance.now();
  idp = supervise(localIdpProcess(run, stack.baseUrl), pino({ level: 'silent' }), keepOutput);
  await Promise.race([untilDiscoverable(run.issuer, 30_000), idp.failedToStart.then((why) => Promise.reject(new Error(`${why}:\n${idpOutput}`)))]);
  startMs = performance.now() - started;
  idp.markUp();

  const ops = { token: stack.tokens.ops };
  otherParty = uniquePartyId('OTHER');
  awaitingDcc = uniquePartyId('DCC');
  for (const [partyId, partyName] of [[DEMO_PARTY, DEMO!.partyName], [otherParty, 'Other Energy Ltd']] as const) {
    expect((await call(stack.baseUrl, 'POST', '/v1/entries', { ...ops, body: startBodyAcceded(partyId, { partyName }) })).status).toBe(201);
  }
  // its credit cover awaits the DCC: an item in the DCC's inbox
  const accededAndAllocated = startBodyAcceded(awaitingDcc, {
    completedStages: [
      { stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-01-05' },
      { stage: 'ID_ALLOCATION', outcome: 'ALLOCATED', at: '2026-01-20' },
    ],
  });
  expect((await call(stack.baseUrl, 'POST', '/v1/entries', { ...ops, body: accededAndAllocated })).status).toBe(201);
  const evidence = { submissionId: 'cc-1', stage: 'CREDIT_COVER', reference: 'Letter of credit LC-1' };
  expect((await call(stack.baseUrl, 'POST', `/v1/entries/${awaitingDcc}/evidence`, { token: stack.tokens.party(awaitingDcc), body: evidence })).status).toBe(200);
}, 240_000);

afterAll(async () => {
  await idp?.stop(5_000);
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const base = () => stack.baseUrl;

describe('the provider as npm start runs it', () => {
  test('starts within a few seconds and serves discovery: authorization code with PKCE (S256), token, JWKS, userinfo, end-session', async () => {
    expect(startMs).toBeLessThan(10_000);
    expect(idpOutput).toMatch(/"msg":"local identity provider serving"/);
    expect(idpOutput).not.toMatch(/oidc-provider (WARNING|NOTICE)/);
    const discovery = (await (await fetch(`${run.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: run.issuer,
      authorization_endpoint: `${run.issuer}/auth`,
      token_endpoint: `${run.issuer}/token`,
      jwks_uri: `${run.issuer}/jwks`,
      userinfo_endpoint: `${run.issuer}/me`,
      end_session_endpoint: `${run.issuer}/session/end`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
  });

  test('an authorization request without PKCE is refused', async () => {
    const jar = new CookieJar();
    const refused = await step(jar, authorizeUrl({ state: 'no-pkce' }));
    const back = new URL(locationOf(refused));
    expect(back.origin + back.pathname).toBe(`${base()}/auth/callback`);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  test('cancelled at the provider, the API says in words that nobody was signed in', async () => {
    const jar = new CookieJar();
    const picker = await followRedirects(jar, await step(jar, `${base()}/auth/sign-in?next=%2Fapp%2F`));
    const cancel = /<form method="post" action="([^"]+\/abort)"/.exec(picker.text)?.[1] ?? '';
    const cancelled = await step(jar, new URL(cancel, picker.url).href, { method: 'POST' });
    const answer = await step(jar, locationOf(await followRedirects(jar, cancelled, `${base()}/auth/callback`)));
    expect(answer.res.status).toBe(401);
    expect(answer.text).toContain('did not sign you in: nobody was picked at the local development identity provider');
    expect(jar.get(base(), 'uep_session')).toBeUndefined();
  });

  test('the ID token (signed, verified against its JWKS) carries the groups claim the API reads, and userinfo says the same', async () => {
    const { idToken, accessToken } = await codeFlow('dara.okafor');
    const { payload, protectedHeader } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${run.issuer}/jwks`)), { issuer: run.issuer, audience: LOCAL_IDP_CLIENT_ID });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: 'dara.okafor', name: 'Dara Okafor', email: 'dara.okafor@dcc.example', groups: ['uep-dcc'] });
    const info = await userinfo(accessToken);
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ sub: 'dara.okafor', email: 'dara.okafor@dcc.example', groups: ['uep-dcc'] });
  });

  test('a code redeemed with the wrong PKCE verifier is refused', async () => {
    const { code } = await authorize('dara.okafor');
    const answer = await redeem(code, randomBytes(32).toString('base64url'));
    expect([answer.status, answer.error]).toEqual([400, 'invalid_grant']);
  });

  test('a code works once: redeemed again it is refused, and the tokens it gave are revoked', async () => {
    const { code, verifier } = await authorize('sam.ellis');
    const first = await redeem(code, verifier);
    expect((await userinfo(first.accessToken)).status).toBe(200);
    const again = await redeem(code, verifier);
    expect([again.status, again.error]).toEqual([400, 'invalid_grant']);
    expect((await userinfo(first.accessToken)).status).toBe(401);
  });
});

describe('in Chromium: a newcomer picks who to be', () => {
  let browser: Browser;
  beforeEach(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await browser.close();
  });

  test('the DCC officer, picked in one click, lands signed in on the DCC inbox through the API’s callback (code and PKCE)', async () => {
    const page = await browser.newPage();
    const visited = navigations(page);
    await page.goto(`${base()}/app/`);
    await atPicker(page);
    expect(await page.getByRole('note').textContent()).toContain('Local development identity provider');
    for (const who of ['Sam Ellis', 'Dara Okafor', 'Priya Shah', 'Olu Adeyemi', 'Pat Morgan', 'Nina Newcomer']) {
      expect(await page.getByRole('button', { name: new RegExp(who) }).count()).toBe(1);
    }
    await page.getByRole('button', { name: /Dara Okafor/ }).click();
    await page.getByRole('heading', { name: /^Inbox/ }).waitFor();
    expect(page.url()).toBe(`${base()}/app/inbox`);
    await page.getByText('Signed in as Dara Okafor').waitFor();
    await page.getByText(awaitingDcc).first().waitFor();

    const authorize = new URL(visited.find((u) => u.startsWith(`${run.issuer}/auth?`)) ?? '');
    expect(authorize.searchParams.get('client_id')).toBe(LOCAL_IDP_CLIENT_ID);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base()}/auth/callback`);
    expect(visited.some((u) => u.startsWith(`${base()}/auth/callback?code=`))).toBe(true);
    const cookies = await browser.context.cookies(base());
    expect(cookies.find((c) => c.name === 'uep_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  test('the Party’s person lands on its own entry and sees no other', async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}/app/`);
    await atPicker(page);
    await page.getByRole('button', { name: /Pat Morgan/ }).click();
    await page.getByRole('heading', { name: DEMO!.partyName }).waitFor();
    expect(page.url()).toBe(`${base()}/app/entries/${DEMO_PARTY}`);
    await page.getByText('Signed in as Pat Morgan').waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Entries' }).count()).toBe(0);

    await page.goto(`${base()}/app/entries/${otherParty}`);
    const problem = page.getByRole('alert');
    await problem.waitFor();
    expect(await problem.textContent()).toContain(`This belongs to another Party. A Party acts only for itself: you act for ${DEMO_PARTY}, not for ${otherParty}`);
    expect(await page.getByRole('heading', { name: 'Other Energy Ltd' }).count()).toBe(0);
  });

  test('the person in no group is told, in words, that the account is not enabled, and gets no session', async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}/app/`);
    await atPicker(page);
    await page.getByRole('button', { name: /Nina Newcomer/ }).click();
    await page.getByRole('heading', { name: 'Your account is not enabled here' }).waitFor();
    const words = (await page.locator('main').textContent()) ?? '';
    expect(words).toContain('You signed in as Nina Newcomer (nina.newcomer@example.org), but your account is not enabled for the UEP console: you are in none of the groups');
    expect(words).toContain('Ask your administrator');
    expect((await browser.context.cookies(base())).some((c) => c.name === 'uep_session')).toBe(false);
  });

  test('sign-out ends the session at the API and at the provider: the old cookie names nobody, and signing in again asks who to be', async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}/app/`);
    await atPicker(page);
    await page.getByRole('button', { name: /Olu Adeyemi/ }).click();
    await page.getByText('Signed in as Olu Adeyemi').waitFor();
    const cookie = (await browser.context.cookies(base())).find((c) => c.name === 'uep_session');
    expect(cookie).toBeDefined();
    const me = () => call<PrincipalResponse>(base(), 'GET', '/v1/me', { headers: { cookie: `uep_session=${cookie!.value}` } });
    expect((await me()).json).toMatchObject({ body: 'OPS', name: 'Olu Adeyemi' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    expect(page.url()).toBe(`${base()}/app/signed-out`);
    expect((await me()).status).toBe(401);
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await atPicker(page);
  });
});

describe('restarted', () => {
  // last: the provider is killed and its supervisor starts it again
  test('it signs with the key it kept in the data folder, so what it signed before still verifies', async () => {
    const kidsBefore = await kids();
    process.kill(idp.current().pid!, 'SIGKILL');
    await new Promise((resolve) => idp.current().once('exit', resolve));
    const restartedPid = await eventuallyNewPid(idp.current().pid!);
    expect(restartedPid).toBeGreaterThan(0);
    await untilDiscoverable(run.issuer, 30_000);
    expect(await kids()).toEqual(kidsBefore);
    const { idToken } = await codeFlow('priya.shah');
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${run.issuer}/jwks`)), { issuer: run.issuer, audience: LOCAL_IDP_CLIENT_ID });
    expect(payload.groups).toEqual(['uep-sec-panel']);
  });
});

/** The authorization request the API would send, with or without PKCE. */
function authorizeUrl(opts: { state: string; challenge?: string }): string {
  const url = new URL(`${run.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: LOCAL_IDP_CLIENT_ID,
    response_type: 'code',
    scope: 'openid profile email',
    redirect_uri: `${base()}/auth/callback`,
    state: opts.state,
    nonce: randomBytes(8).toString('hex'),
    ...(opts.challenge ? { code_challenge: opts.challenge, code_challenge_method: 'S256' } : {}),
  }).toString();
  return url.href;
}

/** Authorization code with PKCE straight at the provider, the API's part played here: the code it sends back for `sub`. */
async function authorize(sub: string): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const jar = new CookieJar();
  const picker = await followRedirects(jar, await step(jar, authorizeUrl({ state: 'direct', challenge })));
  const back = new URL(locationOf(await pickPerson(jar, picker, sub, `${base()}/auth/callback`)));
  expect(back.searchParams.get('state')).toBe('direct');
  return { code: back.searchParams.get('code') ?? '', verifier };
}

/** The token request the API makes: the tokens, or the refusal. */
async function redeem(code: string, verifier: string) {
  const res = await fetch(`${run.issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${base()}/auth/callback`,
      code_verifier: verifier,
      client_id: LOCAL_IDP_CLIENT_ID,
      client_secret: run.clientSecret,
    }),
  });
  const json = (await res.json()) as { id_token: string; access_token: string; error?: string };
  return { status: res.status, error: json.error, idToken: json.id_token, accessToken: json.access_token };
}

async function codeFlow(sub: string) {
  const { code, verifier } = await authorize(sub);
  return redeem(code, verifier);
}

const userinfo = (accessToken: string) => fetch(`${run.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });

async function kids(): Promise<string[]> {
  const { keys } = (await (await fetch(`${run.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
  return keys.map((k) => k.kid);
}

async function eventuallyNewPid(old: number): Promise<number> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const pid = idp.current().pid;
    if (pid && pid !== old && idp.alive()) return pid;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the supervisor did not start the provider again');
}

async function atPicker(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to the UEP console' }).waitFor();
  expect(page.url().startsWith(`${run.issuer}/interaction/`)).toBe(true);
}

/** Every URL the page navigates to (redirects included). */
function navigations(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest()) seen.push(r.url());
  });
  return seen;
}
