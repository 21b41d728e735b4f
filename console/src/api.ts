/**
 * The console's only way to the API: an openapi-fetch client typed by src/openapi.d.ts, which is
 * generated from the committed OpenAPI document (api/openapi.snapshot.json), so a page cannot ask
 * for what the API does not answer. Where the engine has single sign-on, the browser's session
 * cookie (HttpOnly, set by the API's /auth/callback) serves every tab and every link, and every
 * request that changes something carries the session's CSRF token. Without it, a bearer token lives
 * in sessionStorage: one tab, one sign-in, gone when the tab closes.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi';

export type Schemas = components['schemas'];
export type Principal = Schemas['PrincipalResponse'];
export type EntrySummary = Schemas['EntrySummary'];
export type StageSummary = Schemas['StageSummary'];
export type ApiErrorBody = Schemas['Error'];

const TOKEN_KEY = 'uep.console.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

const CSRF_COOKIE = 'uep_csrf';

/** The session's CSRF token, which the API set in a cookie this page can read. */
function csrfToken(): string | undefined {
  const pair = document.cookie.split('; ').find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return pair ? decodeURIComponent(pair.slice(CSRF_COOKIE.length + 1)) : undefined;
}

/** The headers that name the caller: the tab's bearer token, else the session's CSRF token (the cookie goes by itself). */
export function authHeaders(method = 'GET'): Record<string, string> {
  const token = session.token();
  if (token) return { Authorization: `Bearer ${token}` };
  const csrf = csrfToken();
  return csrf && !['GET', 'HEAD'].includes(method) ? { 'X-CSRF-Token': csrf } : {};
}

/** Set once the browser's session named someone: a 401 after that means the session has ended. */
let signedInBySession = false;
export function markSignedInBySession(): void {
  signedInBySession = !session.token();
}

const bearer: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders(request.method))) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    // signed out in another tab, or the session's time is up: sign in again, back to this page
    if (response.status === 401 && signedInBySession && !session.token()) signInAtIdp();
    return response;
  },
};

/** Whether this engine signs people in through their organisation's identity provider. */
export async function singleSignOn(): Promise<boolean> {
  const res = await fetch('/auth/config').catch(() => undefined);
  const answer = (await res?.json().catch(() => undefined)) as { singleSignOn?: boolean } | undefined;
  return answer?.singleSignOn === true;
}

/** To the identity provider, and back to this page once signed in. */
export function signInAtIdp(): void {
  location.assign(`/auth/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
}

/** Ends the session here (and at the identity provider, which then sends the browser back). */
export async function signOutOfSession(): Promise<void> {
  const res = await fetch('/auth/sign-out', { method: 'POST', headers: authHeaders('POST') }).catch(() => undefined);
  const answer = (await res?.json().catch(() => undefined)) as { redirect?: string } | undefined;
  location.assign(answer?.redirect ?? '/app/signed-out');
}

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(bearer);

/** Words for each refusal code, shown above the API's own message. */
const LEAD: Record<string, string> = {
  UNKNOWN_OUTCOME: 'That outcome is not one this stage can have.',
  NOT_AWAITING: 'This stage is not waiting for that now.',
  WRONG_BODY: 'Your body does not decide this stage.',
  NOT_OWN_PARTY: 'This belongs to another Party.',
  STAGE_NOT_APPLICABLE: 'That stage does not apply to this entry.',
  ROLE_REQUIRED: 'Say which User Role this is for.',
  ENTRY_CLOSED: 'The entry is closed.',
  ID_REUSED: 'This form was already sent with different content; reload the page to start again.',
  INVALID_DEADLINE: 'That deadline cannot be set.',
  REASON_REQUIRED: 'This outcome sends the stage back to the Party: say why in the comment.',
  ENTRY_ALREADY_STARTED: 'An entry for this Party is already running.',
  VALIDATION_FAILED: 'Some fields need attention.',
  UNAUTHENTICATED: 'Your sign-in is not valid (any more). Sign in again.',
  FORBIDDEN: 'You may not do this.',
  NOT_FOUND: 'Not found.',
  TEMPORAL_UNAVAILABLE: 'The engine is not answering right now; try again in a moment.',
  ENTRY_NOT_READY: 'This entry cannot take changes right now; try again in a moment.',
  INVITATIONS_UNAVAILABLE: 'Nobody can be invited right now.',
};

/** A refusal or error in words: a lead sentence, the API's message, and each field's problem. */
export function inWords(error: unknown): string {
  const body = (error as Partial<ApiErrorBody> | undefined)?.error;
  if (!body) return 'The request did not reach the engine. Check your connection and try again.';
  const details = body.details.map((d) => `${d.path ? `${d.path}: ` : ''}${d.message}`).join('; ');
  return [LEAD[body.code], body.message, details].filter(Boolean).join(' ');
}

/** An id made once per form: a double click or a retry of the same form never records twice. */
export function formId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
