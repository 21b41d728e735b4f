/**
 * An identity provider that lies, for the sign-in refusal tests: it fronts the real Keycloak (people
 * sign in there, codes are redeemed there) under an issuer of its own, with signing keys of its
 * own, and hands the API Keycloak's ID token re-signed, or altered first as the test asks: its
 * payload changed after signing, expired, for another issuer or another audience. The honest mode
 * signs in, so a refusal is the ID token's fault and nothing else's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export const LIE = {
  HONEST: 'HONEST',
  TAMPERED: 'TAMPERED',
  EXPIRED: 'EXPIRED',
  WRONG_ISSUER: 'WRONG_ISSUER',
  WRONG_AUDIENCE: 'WRONG_AUDIENCE',
  NO_GROUPS: 'NO_GROUPS',
} as const;
export type Lie = (typeof LIE)[keyof typeof LIE];

export interface IdpFacade {
  issuer: string;
  /** What the next ID tokens are made to say. */
  lie: Lie;
  /** The IdP's answer to the browser, as this issuer would send it (RFC 9207's iss parameter names it). */
  asIssued(callbackUrl: string): string;
  close(): Promise<void>;
}

const KID = 'facade-1';

export async function startIdpFacade(keycloakIssuer: string): Promise<IdpFacade> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const upstream = (await (await fetch(`${keycloakIssuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  let issuer = '';
  const facade: IdpFacade = {
    issuer: '',
    lie: LIE.HONEST,
    asIssued(callbackUrl) {
      const url = new URL(callbackUrl);
      url.searchParams.set('iss', issuer);
      return url.href;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function idTokenSaying(original: string): Promise<string> {
    const claims = JSON.parse(Buffer.from(original.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const said: Record<string, unknown> = { ...claims, iss: issuer };
    if (facade.lie === LIE.EXPIRED) Object.assign(said, { iat: now - 7200, exp: now - 3600 });
    if (facade.lie === LIE.WRONG_ISSUER) said.iss = `${keycloakIssuer}-elsewhere`;
    if (facade.lie === LIE.WRONG_AUDIENCE) said.aud = 'some-other-client';
    if (facade.lie === LIE.NO_GROUPS) delete said.groups;
    const signed = await new SignJWT(said).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(privateKey);
    if (facade.lie !== LIE.TAMPERED) return signed;
    const [h, , s] = signed.split('.');
    const altered = Buffer.from(JSON.stringify({ ...said, groups: ['uep-ops'] })).toString('base64url');
    return `${h}.${altered}.${s}`;
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', issuer).pathname;
      if (path === '/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ ...upstream, issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` }));
      }
      if (path === '/jwks') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ keys: [jwk] }));
      }
      if (path === '/token' && req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const answer = await fetch(String(upstream.token_endpoint), {
          method: 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) },
          body: Buffer.concat(chunks),
        });
        const tokens = (await answer.json()) as Record<string, unknown>;
        if (typeof tokens.id_token === 'string') tokens.id_token = await idTokenSaying(tokens.id_token);
        res.statusCode = answer.status;
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify(tokens));
      }
      res.statusCode = 404;
      res.end();
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  facade.issuer = issuer;
  return facade;
}
