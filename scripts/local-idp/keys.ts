/**
 * The local identity provider's signing key and cookie keys, made on first start and kept in the
 * data folder: ID tokens it signed before a restart (the console keeps one per session, for
 * sign-out) still verify after it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface ProviderKeys {
  /** A private RSA key as a JWK (RS256: what relying parties accept by default). */
  signing: JWK;
  /** Keys that sign the provider's own cookies. */
  cookies: string[];
}

export async function loadOrCreateKeys(file: string): Promise<ProviderKeys> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ProviderKeys;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const keys: ProviderKeys = {
    signing: { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') },
    cookies: [randomBytes(32).toString('base64url')],
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return keys;
}
