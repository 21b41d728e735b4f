/**
 * The API's bearer tokens, managed in the tokens file (AUTH_TOKENS_FILE, or --file). A running API
 * picks up every change within a second or two, or at once on SIGHUP: no restart.
 *
 *   npm run tokens -- mint --body DCC --id dcc-ops --name "Dana Smith" [--party P] [--expires-in 90d | --expires ISO] [--note text]
 *   npm run tokens -- list
 *   npm run tokens -- revoke <token id>
 *
 * `mint` prints the token once (hand it to its holder); only its SHA-256 is stored. Every token
 * names the person who holds it (shown in the audit trail) and expires (default: in 90 days).
 * The file is rewritten in place, so it keeps its mode and owner (the API container must go on
 * reading it) and its inode (compose bind-mounts it); a new file is made readable by all (0644):
 * it holds hashes only.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ALL_BODIES, BODY, type Body } from '../domain/vocabulary';
import { mintToken, readTokenFile, tokenIdOf, type TokenFile, type TokenRecord } from '../api/tokens';

const USAGE = `Usage:
  tokens mint --body <${ALL_BODIES.join('|')}> --id <principal id> --name <person> [--party <partyId>] [--expires-in <N>d|<N>h | --expires <ISO instant>] [--note <text>] [--file <tokens.json>]
  tokens list [--file <tokens.json>]
  tokens revoke <token id> [--file <tokens.json>]`;

const DEFAULT_EXPIRY = '90d';

class UsageError extends Error {}

function expiryFrom(expiresIn: string | undefined, expires: string | undefined, now: number): Date {
  if (expiresIn !== undefined && expires !== undefined) throw new UsageError('give --expires-in or --expires, not both');
  if (expires !== undefined) {
    const at = new Date(expires);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--expires ${expires}: not an ISO instant`);
    if (at.getTime() <= now) throw new UsageError(`--expires ${expires}: already past`);
    return at;
  }
  const m = /^(\d+)([dh])$/.exec(expiresIn ?? DEFAULT_EXPIRY);
  if (!m || Number(m[1]) === 0) throw new UsageError(`--expires-in ${expiresIn}: give days (90d) or hours (12h)`);
  return new Date(now + Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000));
}

function statusOf(record: TokenRecord, now: number): string {
  if (record.revokedAt) return `revoked ${record.revokedAt}`;
  if (record.expiresAt && Date.parse(record.expiresAt) <= now) return `expired ${record.expiresAt}`;
  return 'active';
}

/** In place: keeps mode, owner and inode (see the header). */
function save(file: string, content: TokenFile): void {
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n', existsSync(file) ? {} : { mode: 0o644 });
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      body: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      party: { type: 'string' },
      'expires-in': { type: 'string' },
      expires: { type: 'string' },
      note: { type: 'string' },
      file: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  const file = values.file ?? process.env.AUTH_TOKENS_FILE;
  if (!file) throw new UsageError('give --file or set AUTH_TOKENS_FILE');
  const now = Date.now();

  if (command === 'mint') {
    if (!values.body || !(ALL_BODIES as string[]).includes(values.body)) throw new UsageError('--body is required');
    if (!values.id) throw new UsageError('--id is required');
    if (!values.name?.trim()) throw new UsageError('--name is required: the person who will hold the token');
    const body = values.body as Body;
    if ((body === BODY.PARTY) !== (values.party !== undefined)) throw new UsageError('--party is required for PARTY principals and only for them');
    const expiresAt = expiryFrom(values['expires-in'], values.expires, now);
    const existing: TokenFile = existsSync(file) ? readTokenFile(file) : { tokens: [] };
    const principal = { body, id: values.id, name: values.name.trim(), ...(values.party ? { partyId: values.party } : {}) };
    const { token, record } = mintToken(principal, { expiresAt, ...(values.note ? { note: values.note } : {}) });
    save(file, { tokens: [...existing.tokens, record] });
    console.error(
      `Token ${tokenIdOf(record)} for ${principal.name} (${body} ${principal.id}${principal.partyId ? `, party ${principal.partyId}` : ''}), ` +
        `expires ${record.expiresAt}, added to ${file}. It is shown once:`,
    );
    console.log(token);
    return;
  }

  if (command === 'list') {
    const { tokens } = readTokenFile(file);
    const rows = tokens.map((r) => [tokenIdOf(r), r.principal.body, r.principal.id, r.principal.partyId ?? '', r.principal.name, r.createdAt ?? '', statusOf(r, now)]);
    const header = ['ID', 'BODY', 'PRINCIPAL', 'PARTY', 'PERSON', 'CREATED', 'STATUS'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
    return;
  }

  if (command === 'revoke') {
    const [id] = rest;
    if (!id || !/^[0-9a-f]{6,64}$/.test(id)) throw new UsageError('revoke needs the token id `tokens list` shows');
    const content = readTokenFile(file);
    const matches = content.tokens.filter((r) => r.sha256.startsWith(id));
    if (matches.length !== 1) throw new UsageError(matches.length === 0 ? `no token ${id} in ${file}` : `${id} names ${matches.length} tokens: give more of it`);
    const target = matches[0]!;
    if (target.revokedAt) {
      console.error(`Token ${id} was already revoked at ${target.revokedAt}.`);
      return;
    }
    const revokedAt = new Date(now).toISOString();
    save(file, { tokens: content.tokens.map((r) => (r === target ? { ...r, revokedAt } : r)) });
    console.error(`Token ${tokenIdOf(target)} of ${target.principal.name} (${target.principal.body} ${target.principal.id}) revoked at ${revokedAt}.`);
    return;
  }

  throw new UsageError(command ? `unknown command ${command}` : 'give a command');
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : (err as Error).message);
  process.exit(2);
}
