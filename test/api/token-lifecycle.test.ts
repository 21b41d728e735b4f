/**
 * Tokens have a lifecycle, and the running API follows it without a restart: the real API process
 * (api/server.ts) on a real Temporal dev server, its tokens file changed by the real `tokens` CLI.
 * A token added is accepted, a revoked or expired one is refused with a 401 saying why, the audit
 * trail names the person behind the token, and the file keeps its mode.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ErrorResponse } from '../../api/schemas';
import { mintToken, readTokenFile, tokenIdOf } from '../../api/tokens';
import { BODY } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { eventually, recordingActivities } from '../../testkit/api-harness';
import { spawnApiProcess, type ApiProcess } from '../../testkit/api-process';
import type { Worker } from '@temporalio/worker';
import { createTestWorker, startDevServer, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { bearer, party, typedApi, type TypedApi } from '../../testkit/typed-api';

const ROOT = path.resolve(__dirname, '..', '..');
const tokensCli = async (...args: string[]) =>
  (await promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'scripts', 'tokens.ts'), ...args], { encoding: 'utf8' })).stdout.trim();

let env: TestWorkflowEnvironment;
let api: ApiProcess;
let baseUrl: string;
/** The typed client of the API process. */
let client: TypedApi;
let file: string;
let worker: Worker;
let running: Promise<void>;

const get = (token: string) => client.GET('/v1/entries', bearer(token));
const errorMessage = (a: { error?: unknown }) => ErrorResponse.safeParse(a.error).data?.error.message ?? '';

beforeAll(async () => {
  env = await startDevServer();
  const taskQueue = uniqueTaskQueue('tokens');
  worker = await createTestWorker(env, { taskQueue, activities: recordingActivities([]) });
  running = worker.run();
  file = path.join(mkdtempSync(path.join(tmpdir(), 'uep-token-lifecycle-')), 'tokens.json');
  writeFileSync(file, JSON.stringify({ tokens: [] }));
  chmodSync(file, 0o644);
  api = await spawnApiProcess({ TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, AUTH_TOKENS_FILE: file, LOG_LEVEL: 'info' });
  baseUrl = api.baseUrl;
  client = typedApi(baseUrl);
  const up = await eventually(
    () => fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false),
    (ok) => ok || api.child.exitCode !== null,
    60_000,
  );
  if (!up) throw new Error(`the API did not start:\n${api.output()}`);
});

afterAll(async () => {
  await api?.stop();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

describe('token lifecycle on a running API', () => {
  let dana: string;

  test('a token minted while the API runs is accepted without a restart; the file keeps its mode', async () => {
    const pid = api.child.pid;
    expect((await get('uep_not-yet-minted')).response.status).toBe(401);
    dana = await tokensCli('mint', '--file', file, '--body', 'OPS', '--id', 'ops-dana', '--name', 'Dana Smith', '--expires-in', '30d');
    const accepted = await eventually(() => get(dana), (a) => a.response.status === 200, 15_000);
    expect(accepted.response.status).toBe(200);
    expect(api.child.pid).toBe(pid);
    expect(api.child.exitCode).toBeNull();
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  test('the audit trail names the person behind the token', async () => {
    const partyId = uniquePartyId('TOK');
    const started = await client.POST('/v1/entries', { ...bearer(dana), body: startBody(partyId) });
    expect(started.response.status).toBe(201);
    const trail = await client.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...bearer(dana) });
    expect(trail.response.status).toBe(200);
    const records = trail.data!.records;
    expect(records[0]?.principal).toEqual({ body: BODY.OPS, id: 'ops-dana', name: 'Dana Smith' });
  });

  test('`tokens list` shows each token by id, person and status, never the token', async () => {
    const listing = await tokensCli('list', '--file', file);
    const id = tokenIdOf(readTokenFile(file).tokens[0]!);
    expect(listing).toMatch(new RegExp(`^${id}\\s+OPS\\s+ops-dana\\s+Dana Smith\\s+\\S+\\s+active$`, 'm'));
    expect(listing).not.toContain(dana);
  });

  test('a revoked token is refused (401, "revoked") without a restart', async () => {
    const id = tokenIdOf(readTokenFile(file).tokens[0]!);
    await tokensCli('revoke', id, '--file', file);
    const refused = await eventually(() => get(dana), (a) => a.response.status === 401, 15_000);
    expect(refused.response.status).toBe(401);
    expect(errorMessage(refused)).toMatch(/^The bearer token was revoked at \d{4}-/);
    expect(await tokensCli('list', '--file', file)).toMatch(/Dana Smith\s+\S+\s+revoked \d{4}-/);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  test('an expired token is refused (401, "expired"); SIGHUP reloads the file too', async () => {
    // A token whose expiry has passed, as a file edited by hand would hold it.
    const { token, record } = mintToken({ body: BODY.SECAS, id: 'secas-eve', name: 'Eve Jones' }, { expiresAt: new Date(Date.now() + 60_000) });
    const expired = { ...record, expiresAt: new Date(Date.now() - 1000).toISOString() };
    const content = readTokenFile(file);
    writeFileSync(file, JSON.stringify({ tokens: [...content.tokens, expired] }, null, 2));
    api.child.kill('SIGHUP');
    const refused = await eventually(() => get(token), (a) => errorMessage(a).includes('expired'), 15_000);
    expect(refused.response.status).toBe(401);
    expect(errorMessage(refused)).toBe(`The bearer token expired at ${expired.expiresAt}`);
    expect(api.child.exitCode).toBeNull();
    expect(api.output()).toContain('tokens reloaded');
  });

  test('a broken file keeps the tokens loaded before', async () => {
    const secas = await tokensCli('mint', '--file', file, '--body', 'SECAS', '--id', 'secas-sam', '--name', 'Sam Secas');
    await eventually(() => get(secas), (a) => a.response.status === 200, 15_000);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{ "tokens": [ { "sha256": "broken');
    api.child.kill('SIGHUP');
    await eventually(async () => api.output(), (log) => log.includes('tokens file not reloaded'), 15_000);
    expect((await get(secas)).response.status).toBe(200);
    writeFileSync(file, good);
  });
});
