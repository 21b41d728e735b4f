/**
 * The engine as an OpenID Connect relying party (openid-client): the IdP's metadata, found once by
 * discovery; who a person is, from the ID token's claims (the body from a group or role claim whose
 * name is a setting); and OAuth access tokens of machines, verified against the IdP's JWKS (jose:
 * signature, issuer, audience, expiry; keys fetched again when the IdP rotates them).
 */
import * as client from 'openid-client';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { BODY, type Body, type Principal } from '../domain/vocabulary';
import type { ApiConfig } from './config';
import { ID_PATTERN } from './schemas';

/** The path the IdP sends a person back to; register API_PUBLIC_URL + this at the IdP. */
export const CALLBACK_PATH = '/auth/callback';

type OidcSettings = Pick<
  ApiConfig,
  | 'OIDC_ISSUER_URL'
  | 'OIDC_CLIENT_ID'
  | 'OIDC_CLIENT_SECRET'
  | 'OIDC_ALLOW_HTTP'
  | 'OIDC_GROUPS_CLAIM'
  | 'OIDC_GROUP_SECAS'
  | 'OIDC_GROUP_DCC'
  | 'OIDC_GROUP_SEC_PANEL'
  | 'OIDC_GROUP_OPS'
  | 'OIDC_PARTY_GROUP_PREFIX'
  | 'OIDC_API_AUDIENCE'
>;

/** The bodies a group can make a person a member of, in the order a member of several is taken. */
function groupsOfBodies(s: OidcSettings): [string, Body][] {
  return [
    [s.OIDC_GROUP_OPS, BODY.OPS],
    [s.OIDC_GROUP_SECAS, BODY.SECAS],
    [s.OIDC_GROUP_DCC, BODY.DCC],
    [s.OIDC_GROUP_SEC_PANEL, BODY.SEC_PANEL],
  ];
}

export type Claims = Record<string, unknown>;
export type Identified = { ok: true; principal: Principal } | { ok: false; who: string; why: string };

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The person as the IdP names them: their name and email, as people read them. */
export function nameOf(claims: Claims): string {
  const given = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  return text(claims.name) ?? (given || undefined) ?? text(claims.preferred_username) ?? text(claims.email) ?? String(claims.sub);
}

/** Who a signed-in person is to the engine, or why the engine does not know them (in words). */
export function principalFromClaims(claims: Claims, s: OidcSettings): Identified {
  const name = nameOf(claims);
  const email = text(claims.email);
  const who = email ? `${name} (${email})` : name;
  const raw = claims[s.OIDC_GROUPS_CLAIM];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : [];
  const names = groupsOfBodies(s);
  const body = names.find(([group]) => groups.includes(group) || groups.includes(`/${group}`))?.[1];
  const sub = text(claims.sub);
  const partyIds = groups.map((g) => g.replace(/^\//, '')).filter((g) => g.startsWith(s.OIDC_PARTY_GROUP_PREFIX)).map((g) => g.slice(s.OIDC_PARTY_GROUP_PREFIX.length));
  const partyId = partyIds.find((p) => ID_PATTERN.test(p));
  if (!body && partyId && sub) {
    if (partyIds.length > 1) return { ok: false, who, why: `you are in the groups of more than one Party (${partyIds.join(', ')}); a person acts for one Party` };
    return { ok: true, principal: { body: BODY.PARTY, id: sub, partyId, name, ...(email ? { email } : {}) } };
  }
  if (!body) {
    const which = [...names.map(([group]) => group), `${s.OIDC_PARTY_GROUP_PREFIX}<party id>`].join(', ');
    const why =
      raw === undefined
        ? `your sign-in service did not say which groups you are in (no "${s.OIDC_GROUPS_CLAIM}" claim)`
        : `you are in none of the groups ${which}`;
    return { ok: false, who, why };
  }
  if (!sub) return { ok: false, who, why: 'your sign-in service did not name you (no "sub" claim)' };
  return { ok: true, principal: { body, id: sub, name, ...(email ? { email } : {}) } };
}

export class OidcRelyingParty {
  private discovered?: Promise<client.Configuration>;
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(readonly settings: OidcSettings & { OIDC_ISSUER_URL: string }) {}

  /** The IdP's metadata, discovered once (again after a failure: the IdP may have been down). */
  configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((err: unknown) => {
      this.discovered = undefined;
      throw err;
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const s = this.settings;
    const auth = s.OIDC_CLIENT_SECRET ? client.ClientSecretPost(s.OIDC_CLIENT_SECRET) : client.None();
    const config = await client.discovery(new URL(s.OIDC_ISSUER_URL), s.OIDC_CLIENT_ID, undefined, auth, {
      ...(s.OIDC_ALLOW_HTTP ? { execute: [client.allowInsecureRequests] } : {}),
    });
    // The ID token's signature is checked against the IdP's keys too, not only its claims.
    client.enableNonRepudiationChecks(config);
    return config;
  }

  /** A machine's OAuth access token: its principal, or why it is refused. Null when not a JWT or none are accepted. */
  async checkAccessToken(token: string): Promise<{ ok: true; principal: Principal } | { ok: false; why: string } | null> {
    const audience = this.settings.OIDC_API_AUDIENCE;
    if (!audience || token.split('.').length !== 3) return null;
    const metadata = (await this.configuration()).serverMetadata();
    if (!metadata.jwks_uri) return { ok: false, why: 'The identity provider publishes no keys (jwks_uri)' };
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri));
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { issuer: metadata.issuer, audience }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { ok: false, why: 'The access token has expired' };
      if (err instanceof joseErrors.JWTClaimValidationFailed) return { ok: false, why: `The access token was refused: ${err.message}` };
      return { ok: false, why: 'The access token was refused: its signature does not match the identity provider’s keys' };
    }
    const identified = principalFromClaims(payload, this.settings);
    if (!identified.ok) return { ok: false, why: `The access token's client is not enabled for the UEP API: ${identified.why}` };
    const clientId = text(payload.azp) ?? text(payload.client_id) ?? identified.principal.id;
    return { ok: true, principal: { ...identified.principal, id: clientId, name: `client ${clientId}` } };
  }
}
