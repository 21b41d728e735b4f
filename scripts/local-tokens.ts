/**
 * Dev tokens for `npm start`: on first start, one bearer token per principal kind, hashed into
 * data/tokens.json (what the API reads) and listed in clear in data/dev-tokens.txt (for you).
 * Never used in production, where tokens are minted one by one (scripts/tokens.ts).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintToken, type TokenFile } from '../api/tokens';
import { BODY, type Principal } from '../domain/vocabulary';

export const DEMO_PARTY_ID = 'DEMO-ENERGY';

const LOCAL_PRINCIPALS: Principal[] = [
  { body: BODY.OPS, id: 'local-ops' },
  { body: BODY.SECAS, id: 'local-secas' },
  { body: BODY.DCC, id: 'local-dcc' },
  { body: BODY.SEC_PANEL, id: 'local-sec-panel' },
  { body: BODY.PARTY, id: 'local-demo-party', partyId: DEMO_PARTY_ID },
];

/** Returns the tokens file the API should read, minting it on first use. */
export function ensureLocalTokens(dataDir: string): string {
  const tokensFile = path.join(dataDir, 'tokens.json');
  if (existsSync(tokensFile)) return tokensFile;
  const minted = LOCAL_PRINCIPALS.map((principal) => ({ principal, ...mintToken({ ...principal, name: `Local ${principal.body} user` }, { note: 'npm start dev token' }) }));
  const file: TokenFile = { tokens: minted.map((m) => m.record) };
  writeFileSync(tokensFile, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  const lines = minted.map((m) => `${m.principal.body.padEnd(10)} ${m.principal.partyId ?? ''}`.padEnd(24) + ` ${m.token}`);
  writeFileSync(
    path.join(dataDir, 'dev-tokens.txt'),
    ['# Local development tokens (npm start). Use: curl -H "Authorization: Bearer <token>" ...', ...lines, ''].join('\n'),
    { mode: 0o600 },
  );
  return tokensFile;
}
