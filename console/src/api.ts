/**
 * The console's only way to the API: an openapi-fetch client typed by src/openapi.d.ts, which is
 * generated from the committed OpenAPI document (api/openapi.snapshot.json), so a page cannot ask
 * for what the API does not answer. The bearer token lives in sessionStorage: one tab, one
 * sign-in, gone when the tab closes. Whatever hands out the token later (OIDC) only replaces
 * `session.signIn`.
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

const bearer: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(bearer);

/** Words for each refusal code, shown above the API's own message. */
const LEAD: Record<string, string> = {
  UNKNOWN_OUTCOME: 'That outcome is not one this stage can have.',
  NOT_AWAITING: 'This stage is not waiting for that now.',
  WRONG_BODY: 'Your body does not decide this stage.',
  NOT_OWN_PARTY: 'A Party acts only for itself.',
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
