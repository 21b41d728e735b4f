import { z } from 'zod';
import { flag } from './env';

/** An optional setting where empty means unset (compose passes `${NAME:-}` through as ''). */
const unsetWhenEmpty = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * Single sign-on for the console (OpenID Connect, authorization code with PKCE) and OAuth access
 * tokens for machines. Without OIDC_ISSUER_URL the console signs in with a bearer token as before.
 */
export const oidcEnvSchema = z.object({
  /** The identity provider's issuer (Keycloak: https://host/realms/<realm>; Entra ID: https://login.microsoftonline.com/<tenant>/v2.0). */
  OIDC_ISSUER_URL: unsetWhenEmpty(z.url()),
  /** The console's client at the IdP; its redirect URI is API_PUBLIC_URL + /auth/callback. */
  OIDC_CLIENT_ID: z.string().min(1).default('uep-console'),
  /** The client's secret (a confidential client); unset for a public client (PKCE alone). */
  OIDC_CLIENT_SECRET: unsetWhenEmpty(z.string().min(1)),
  OIDC_SCOPES: z.string().default('openid profile email'),
  /** An IdP reached over plain http (a local Keycloak for tests or a trial); never in production. */
  OIDC_ALLOW_HTTP: flag(false),
  /** The claim that lists a person's groups or roles (Keycloak, Okta: groups; Entra ID: groups or roles). */
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** The group (or role, or Entra group object id) that makes a person a member of each body. */
  OIDC_GROUP_SECAS: z.string().min(1).default('uep-secas'),
  OIDC_GROUP_DCC: z.string().min(1).default('uep-dcc'),
  OIDC_GROUP_SEC_PANEL: z.string().min(1).default('uep-sec-panel'),
  OIDC_GROUP_OPS: z.string().min(1).default('uep-ops'),
  /** A group named this prefix + a party id makes a person that Party's (e.g. uep-party-ACME-ENERGY). */
  OIDC_PARTY_GROUP_PREFIX: z.string().min(1).default('uep-party-'),
  /** A console session ends after this long without a request ... */
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  /** ... and this long after sign-in, however busy. */
  SESSION_MAX_HOURS: z.coerce.number().positive().default(10),
  /** Machines: the audience OAuth access tokens must carry to be accepted beside bearer tokens (unset: none are). */
  OIDC_API_AUDIENCE: unsetWhenEmpty(z.string().min(1)),
});
export type OidcEnv = z.infer<typeof oidcEnvSchema>;
