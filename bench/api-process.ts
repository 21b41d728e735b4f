/**
 * The HTTP API as a child process of its own (`api/server.ts`, as deployed), so that its CPU is
 * measured apart from the bench's clients. Every token the run needs is minted up front into a
 * tokens file: one per body, one per Party the run will drive. Request logs (pino, info) go to a
 * file in `dir`.
 */
import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintToken, type TokenRecord } from '../api/tokens';
import { BODY, type Body } from '../domain/vocabulary';
import { call, testPersonOf } from '../testkit/api-harness';
import type { ApiStack } from '../testkit/api-stack';
import { principalFor } from '../testkit/entry-driver';
import { freePort } from '../testkit/ports';
import { PROJECT_ROOT } from '../config/temporal-toolchain';
import { nodeArgs } from '../testkit/worker-process';
import { API_NODE_FLAGS } from '../config/engine-processes';

export const API_ENTRY = path.join(PROJECT_ROOT, 'api', 'server.ts');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ApiProcess extends ApiStack {
  pid: number;
}

export async function startApiProcess(opts: {
  address: string;
  taskQueue: string;
  namespace: string;
  rpcTimeoutMs: number;
  /** Parties the run drives (each gets a token). */
  partyIds: readonly string[];
  dir: string;
  /** The record (PostgreSQL) the API reads. */
  recordUrl: string;
  /** Settings of the API beyond those the bench sets, e.g. EVIDENCE_FILE_MAX_MB. */
  env?: Record<string, string>;
}): Promise<ApiProcess> {
  const records: TokenRecord[] = [];
  const mint = (body: Body, partyId = '') => {
    const principal = principalFor(body, partyId);
    const { token, record } = mintToken({ ...principal, name: testPersonOf(principal) });
    records.push(record);
    return token;
  };
  const byBody = new Map([BODY.DCC, BODY.SEC_PANEL, BODY.SECAS, BODY.OPS].map((body) => [body as Body, mint(body)]));
  const byParty = new Map(opts.partyIds.map((partyId) => [partyId, mint(BODY.PARTY, partyId)]));
  const tokensFile = path.join(opts.dir, 'api-tokens.json');
  writeFileSync(tokensFile, JSON.stringify({ tokens: records }));

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = openSync(path.join(opts.dir, 'api.log'), 'a');
  const child = spawn(process.execPath, [...API_NODE_FLAGS, ...nodeArgs(API_ENTRY)], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      UEP_DEMO: 'true',
      TEMPORAL_ADDRESS: opts.address,
      TEMPORAL_NAMESPACE: opts.namespace,
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      TEMPORAL_RPC_TIMEOUT_MS: String(opts.rpcTimeoutMs),
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      API_PUBLIC_URL: baseUrl,
      AUTH_TOKENS_FILE: tokensFile,
      LOG_LEVEL: 'info',
      RECORD_DATABASE_URL: opts.recordUrl,
      ...opts.env,
    },
    stdio: ['ignore', log, log],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the API');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}) before it was ready: see ${path.join(opts.dir, 'api.log')}`);
    const ok = await call(baseUrl, 'GET', '/healthz').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the API did not answer /healthz within 60 s');
    }
    await sleep(200);
  }

  return {
    pid,
    baseUrl,
    tokenFor(body, partyId) {
      const token = body === BODY.PARTY ? byParty.get(partyId ?? '') : byBody.get(body);
      if (!token) throw new Error(`no token minted for ${body} ${partyId ?? ''}`);
      return token;
    },
    request: (method, requestPath, callOpts) => call(baseUrl, method, requestPath, callOpts),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
