/**
 * How npm start runs the local identity provider, and what it tells the API about it: in one place,
 * so that a test runs the provider exactly as npm start does. The client secret is new at every
 * start (the provider and the API learn it from npm start); the keys are kept in the data folder.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CALLBACK_PATH } from '../../api/oidc';
import { SIGNED_OUT_PAGE } from '../../api/sign-in';
import type { ProcessSpec } from '../supervisor';
import { issuerOf } from './settings';

export const LOCAL_IDP_CLIENT_ID = 'uep-console';

export interface LocalIdpRun {
  port: number;
  issuer: string;
  dataDir: string;
  clientSecret: string;
}

export function localIdpRun(opts: { port: number; dataDir: string }): LocalIdpRun {
  return { ...opts, issuer: issuerOf(opts.port), clientSecret: randomBytes(24).toString('base64url') };
}

/** apiUrl: the API as the browser reaches it (API_PUBLIC_URL), where the provider sends people back. */
export function localIdpProcess(run: LocalIdpRun, apiUrl: string): ProcessSpec {
  return {
    name: 'identity-provider',
    command: process.execPath,
    args: ['--import', 'tsx', path.join('scripts', 'local-idp', 'main.ts')],
    env: {
      OIDC_CLIENT_ID: LOCAL_IDP_CLIENT_ID,
      LOCAL_IDP_PORT: String(run.port),
      LOCAL_IDP_CLIENT_SECRET: run.clientSecret,
      LOCAL_IDP_REDIRECT_URI: new URL(CALLBACK_PATH, apiUrl).href,
      LOCAL_IDP_POST_LOGOUT_REDIRECT_URI: new URL(SIGNED_OUT_PAGE, apiUrl).href,
      LOCAL_IDP_CONSOLE_URL: new URL('/app/', apiUrl).href,
      LOCAL_IDP_KEYS_FILE: path.join(run.dataDir, 'local-idp', 'keys.json'),
    },
  };
}

/** The API's single sign-on settings for this provider (plain http: it is on loopback). */
export function apiSettingsFor(run: LocalIdpRun): Record<string, string> {
  return { OIDC_ISSUER_URL: run.issuer, OIDC_CLIENT_ID: LOCAL_IDP_CLIENT_ID, OIDC_CLIENT_SECRET: run.clientSecret, OIDC_ALLOW_HTTP: 'true' };
}

/** Resolves once the provider answers discovery. */
export async function untilDiscoverable(issuer: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${issuer}/.well-known/openid-configuration`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`the local identity provider at ${issuer} did not answer within ${timeoutMs / 1000} s`);
    await delay(100);
  }
}
