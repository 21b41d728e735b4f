/**
 * Mints an API bearer token for a principal, prints it once, and appends its SHA-256 hash with the
 * principal to the tokens file (AUTH_TOKENS_FILE, or --file). The token itself is stored nowhere.
 *
 *   npx tsx scripts/mint-token.ts --body DCC --id dcc-ops-1
 *   npx tsx scripts/mint-token.ts --body PARTY --id acme-uep --party ACME-ENERGY --note "ACME UEP lead"
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ALL_BODIES, BODY, type Body, type Principal } from '../domain/vocabulary';
import { mintToken, parseTokenFile, type TokenFile } from '../api/tokens';

function usage(message: string): never {
  console.error(`${message}\nUsage: mint-token --body <${ALL_BODIES.join('|')}> --id <principal id> [--party <partyId>] [--note <text>] [--file <tokens.json>]`);
  process.exit(2);
}

function main(): void {
  const { values } = parseArgs({
    options: { body: { type: 'string' }, id: { type: 'string' }, party: { type: 'string' }, note: { type: 'string' }, file: { type: 'string' } },
  });
  const file = values.file ?? process.env.AUTH_TOKENS_FILE;
  if (!file) usage('Give --file or set AUTH_TOKENS_FILE');
  if (!values.body || !(ALL_BODIES as string[]).includes(values.body)) usage('--body is required');
  if (!values.id) usage('--id is required');
  const body = values.body as Body;
  if ((body === BODY.PARTY) !== (values.party !== undefined)) usage('--party is required for PARTY principals and only for them');

  const principal: Principal = { body, id: values.id, ...(values.party ? { partyId: values.party } : {}) };
  const existing: TokenFile = existsSync(file) ? parseTokenFile(readFileSync(file, 'utf8'), file) : { tokens: [] };
  const { token, record } = mintToken(principal, values.note);
  const next: TokenFile = { tokens: [...existing.tokens, record] };
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  console.error(`Token for ${principal.body} ${principal.id}${principal.partyId ? ` (party ${principal.partyId})` : ''} added to ${file}. It is shown once:`);
  console.log(token);
}

main();
