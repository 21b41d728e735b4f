/**
 * Bearer tokens, stored hashed. A token is 32 random bytes (256 bits), so a plain SHA-256 of it
 * is enough: nobody can brute-force a 256-bit preimage, and the slow, salted hashes that protect
 * low-entropy passwords (bcrypt, scrypt, argon2) would only add latency to every request. A
 * leaked tokens file therefore gives away no usable token. Lookup is by hash in a Map: timing
 * differences reveal at most something about a hash, never about a token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ALL_BODIES, BODY, type Principal } from '../domain/vocabulary';
import { ID_PATTERN } from './schemas';
import type { ApiConfig } from './config';

export const TOKEN_PREFIX = 'uep_';

const PrincipalSchema = z
  .strictObject({
    body: z.enum(ALL_BODIES),
    id: z.string().min(1).max(200),
    partyId: z.string().regex(ID_PATTERN).optional(),
  })
  .refine((p) => (p.body === BODY.PARTY) === (p.partyId !== undefined), {
    message: 'partyId is required for PARTY principals and only for them',
  });

const TokenRecordSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  principal: PrincipalSchema,
  createdAt: z.string().optional(),
  note: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecordSchema>;

export const TokenFileSchema = z.strictObject({ tokens: z.array(TokenRecordSchema) });
export type TokenFile = z.infer<typeof TokenFileSchema>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token (shown once) and the record to store. */
export function mintToken(principal: Principal, note?: string): { token: string; record: TokenRecord } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record = TokenRecordSchema.parse({
    sha256: hashToken(token),
    principal,
    createdAt: new Date().toISOString(),
    ...(note ? { note } : {}),
  });
  return { token, record };
}

export class TokenStore {
  private readonly byHash: Map<string, Principal>;

  constructor(records: readonly TokenRecord[]) {
    this.byHash = new Map(records.map((r) => [r.sha256, r.principal]));
  }

  /** Adds a minted record (tests, or a reload). */
  add(record: TokenRecord): void {
    this.byHash.set(record.sha256, record.principal);
  }

  /** The principal behind a presented token, or undefined. */
  principalFor(token: string): Principal | undefined {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 256) return undefined;
    return this.byHash.get(hashToken(token));
  }

  get size(): number {
    return this.byHash.size;
  }
}

export function parseTokenFile(json: string, source: string): TokenFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${source}: not valid JSON`);
  }
  const parsed = TokenFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`${source}: not a tokens file:\n${problems}`);
  }
  return parsed.data;
}

/** AUTH_TOKENS_FILE wins over AUTH_TOKENS_JSON; neither set means no token is accepted. */
export function loadTokenStore(config: Pick<ApiConfig, 'AUTH_TOKENS_FILE' | 'AUTH_TOKENS_JSON'>): TokenStore {
  if (config.AUTH_TOKENS_FILE) {
    if (!existsSync(config.AUTH_TOKENS_FILE)) throw new Error(`AUTH_TOKENS_FILE=${config.AUTH_TOKENS_FILE} does not exist`);
    return new TokenStore(parseTokenFile(readFileSync(config.AUTH_TOKENS_FILE, 'utf8'), 'AUTH_TOKENS_FILE').tokens);
  }
  if (config.AUTH_TOKENS_JSON) return new TokenStore(parseTokenFile(config.AUTH_TOKENS_JSON, 'AUTH_TOKENS_JSON').tokens);
  return new TokenStore([]);
}
