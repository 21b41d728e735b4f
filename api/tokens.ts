/**
 * Bearer tokens, stored hashed. A token is 32 random bytes (256 bits), so a plain SHA-256 of it
 * is enough: nobody can brute-force a 256-bit preimage, and the slow, salted hashes that protect
 * low-entropy passwords (bcrypt, scrypt, argon2) would only add latency to every request. A
 * leaked tokens file therefore gives away no usable token. Lookup is by hash in a Map: timing
 * differences reveal at most something about a hash, never about a token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, unwatchFile, watchFile } from 'node:fs';
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
    /** The named person who holds the token: shown in the audit trail of everything they do. */
    name: z.string().trim().min(1).max(200),
  })
  .refine((p) => (p.body === BODY.PARTY) === (p.partyId !== undefined), {
    message: 'partyId is required for PARTY principals and only for them',
  });

const TokenRecordSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  principal: PrincipalSchema,
  createdAt: z.string().optional(),
  /** Past this instant the token is refused (401, "expired"). */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Set by `tokens revoke`: the token is refused from then on (401, "revoked"). */
  revokedAt: z.iso.datetime({ offset: true }).optional(),
  note: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecordSchema>;

export const TokenFileSchema = z.strictObject({ tokens: z.array(TokenRecordSchema) });
export type TokenFile = z.infer<typeof TokenFileSchema>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** How `tokens list` and `tokens revoke` name a token: the start of its hash (never the token). */
export const tokenIdOf = (record: Pick<TokenRecord, 'sha256'>) => record.sha256.slice(0, 12);

/** A new token (shown once) and the record to store. The principal names the person who holds it. */
export function mintToken(
  principal: Principal & { name: string },
  opts: { expiresAt?: Date; note?: string } = {},
): { token: string; record: TokenRecord } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record = TokenRecordSchema.parse({
    sha256: hashToken(token),
    principal,
    createdAt: new Date().toISOString(),
    ...(opts.expiresAt ? { expiresAt: opts.expiresAt.toISOString() } : {}),
    ...(opts.note ? { note: opts.note } : {}),
  });
  return { token, record };
}

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; why: string };

export class TokenStore {
  private byHash: Map<string, TokenRecord>;

  constructor(records: readonly TokenRecord[]) {
    this.byHash = new Map(records.map((r) => [r.sha256, r]));
  }

  /** Adds a minted record (tests). */
  add(record: TokenRecord): void {
    this.byHash.set(record.sha256, record);
  }

  /** Swaps in the records of a reloaded file, all at once. */
  replace(records: readonly TokenRecord[]): void {
    this.byHash = new Map(records.map((r) => [r.sha256, r]));
  }

  /** The principal behind a presented token, or why it is refused (unknown, expired, revoked). */
  check(token: string, now = Date.now()): TokenCheck {
    const record = token.startsWith(TOKEN_PREFIX) && token.length <= 256 ? this.byHash.get(hashToken(token)) : undefined;
    if (!record) return { ok: false, why: 'Unknown bearer token' };
    if (record.revokedAt) return { ok: false, why: `The bearer token was revoked at ${record.revokedAt}` };
    if (record.expiresAt && Date.parse(record.expiresAt) <= now) return { ok: false, why: `The bearer token expired at ${record.expiresAt}` };
    return { ok: true, principal: record.principal };
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
    return new TokenStore(readTokenFile(config.AUTH_TOKENS_FILE).tokens);
  }
  if (config.AUTH_TOKENS_JSON) return new TokenStore(parseTokenFile(config.AUTH_TOKENS_JSON, 'AUTH_TOKENS_JSON').tokens);
  return new TokenStore([]);
}

export function readTokenFile(file: string): TokenFile {
  return parseTokenFile(readFileSync(file, 'utf8'), file);
}

/** How often the API looks at the tokens file's modification time. */
export const TOKENS_FILE_POLL_MS = 1000;

/**
 * Keeps the store in step with the tokens file without a restart: on every change of the file
 * (polled by stat, which also sees a file replaced by rename and a bind-mounted compose secret)
 * and on `reload()` (the API calls it on SIGHUP). A file that does not parse keeps the tokens
 * loaded before, and says so. Returns the function that stops watching.
 */
export function followTokenFile(
  store: TokenStore,
  file: string,
  log: { info: (msg: string) => void; error: (msg: string) => void },
): { reload: () => void; stop: () => void } {
  let retry: NodeJS.Timeout | undefined;
  const reload = (attempt = 0) => {
    clearTimeout(retry);
    try {
      const { tokens } = readTokenFile(file);
      store.replace(tokens);
      log.info(`tokens reloaded from ${file}: ${tokens.length}`);
    } catch (err) {
      log.error(`tokens file not reloaded, keeping the ${store.size} loaded before: ${(err as Error).message}`);
      // The file is rewritten in place (a bind mount pins its inode): a read mid-write retries.
      if (attempt < 3) retry = setTimeout(() => reload(attempt + 1), TOKENS_FILE_POLL_MS).unref();
    }
  };
  const onChange = (curr: { mtimeMs: number; ino: number; size: number }, prev: { mtimeMs: number; ino: number; size: number }) => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.ino !== prev.ino || curr.size !== prev.size) reload();
  };
  watchFile(file, { interval: TOKENS_FILE_POLL_MS, persistent: false }, onChange);
  return {
    reload: () => reload(),
    stop: () => {
      clearTimeout(retry);
      unwatchFile(file, onChange);
    },
  };
}
