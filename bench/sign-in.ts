/**
 * npm run bench:sign-in: what single sign-on costs, against a real Keycloak (testkit/keycloak.ts;
 * UEP_TEST_KEYCLOAK_URL reuses a running one) and the real API on a Temporal dev server:
 * - the sign-in round trip, /auth/sign-in to the page asked for: with the password at the IdP
 *   (the first sign-in of the day) and without (the IdP already knows the browser);
 * - the session check per API request: GET /v1/me with the session cookie (a read of the record)
 *   beside the same with a hashed bearer token (a Map lookup), p50/p99 in ms.
 */
import { BODY } from '../domain/vocabulary';
import { call, startHarness } from '../testkit/api-harness';
import { keycloakForTests } from '../testkit/keycloak';
import { CookieJar, signInThroughIdp } from '../testkit/oidc-login';
import { startDevServer } from '../testkit/temporal';
import { exitWhenDone } from '../scripts/exit-when-done';
import { summarize, type LatencySummary } from './stats';
import { timed } from '../testkit/timed';

const SIGN_INS = Number(process.env.SIGN_IN_BENCH_SIGN_INS ?? 20);
const REQUESTS = Number(process.env.SIGN_IN_BENCH_REQUESTS ?? 500);
const DARA = { username: 'dara.okafor', password: 'uep-dev-password' };
const log = (msg: string) => process.stderr.write(`[bench:sign-in ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const line = (what: string, s: LatencySummary) => `${what}: p50 ${s.p50} ms, p99 ${s.p99} ms (n=${s.count})`;

async function main(): Promise<void> {
  const kc = await keycloakForTests();
  log(`Keycloak answered after ${(kc.startedInMs / 1000).toFixed(1)} s`);
  const env = await startDevServer();
  const h = await startHarness(env, {
    settings: { OIDC_ISSUER_URL: kc.issuer, OIDC_CLIENT_ID: 'uep-console', OIDC_CLIENT_SECRET: 'uep-console-dev-secret', OIDC_ALLOW_HTTP: 'true' },
  });
  try {
    const withPassword: number[] = [];
    const silent: number[] = [];
    let jar = new CookieJar();
    await signInThroughIdp(jar, h.baseUrl, '/app/', DARA); // warm-up: discovery, JIT
    for (let i = 0; i < SIGN_INS; i++) {
      jar = new CookieJar();
      withPassword.push((await signInThroughIdp(jar, h.baseUrl, '/app/inbox', DARA)).ms);
      silent.push((await signInThroughIdp(jar, h.baseUrl, '/app/inbox', DARA)).ms);
    }
    const cookie = { headers: { cookie: jar.header(h.baseUrl) } };
    const token = { token: h.tokenFor(BODY.DCC) };
    const bySession: number[] = [];
    const byToken: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      await timed(bySession, () => call(h.baseUrl, 'GET', '/v1/me', cookie));
      await timed(byToken, () => call(h.baseUrl, 'GET', '/v1/me', token));
    }
    const results = {
      signInWithPassword: summarize(withPassword),
      signInIdpSessionKnown: summarize(silent),
      meBySessionCookie: summarize(bySession),
      meByBearerToken: summarize(byToken),
    };
    log(line('sign-in round trip, password at the IdP', results.signInWithPassword));
    log(line('sign-in round trip, IdP session known', results.signInIdpSessionKnown));
    log(line('GET /v1/me with the session cookie', results.meBySessionCookie));
    log(line('GET /v1/me with a bearer token', results.meByBearerToken));
    console.log(JSON.stringify(results));
  } finally {
    await h.close();
    await env.teardown();
    await kc.stop();
  }
}

exitWhenDone(main);
