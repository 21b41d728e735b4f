/**
 * `npm start` as a user runs it, on free ports with data folders of its own: the banner, the
 * console's sign-in at the local identity provider, the local mail sink, the dev namespace's
 * retention, port clashes, an external Temporal server and identity provider with a fresh data
 * folder, settings from a .env, and a worker that crashes. Every npm start is a
 * process group that afterAll ends.
 */
import { Connection } from '@temporalio/client';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { PATH } from '../../api/endpoints';
import { DEFAULT_NAMESPACE, TASK_QUEUE } from '../../config/temporal';
import { BODY } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { eventually } from '../../testkit/api-harness';
import { signInAtLocalIdp } from '../../testkit/local-idp';
import { CookieJar, locationOf, step } from '../../testkit/oidc-login';
import { BANNER, devToken, type NpmStart, startNpmStart } from '../../testkit/npm-start';
import { freePort } from '../../testkit/ports';
import { uniquePartyId } from '../../testkit/temporal';

const STARTUP_MS = 240_000;
const root = mkdtempSync(path.join(tmpdir(), 'uep-npm-start-'));
const runs: NpmStart[] = [];
let main: NpmStart;
let dataDir: string;
let settings: Record<string, string>;
let metricsPortFromDotEnv: number;

async function freshPorts(): Promise<Record<string, string>> {
  const names = ['TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'API_PORT', 'LOCAL_SMTP_PORT', 'WORKER_METRICS_PORT', 'RECORD_PORT', 'LOCAL_IDP_PORT'];
  const ports: Record<string, string> = {};
  for (const name of names) ports[name] = String(await freePort());
  return ports;
}

function start(env: Record<string, string>, cwd?: string): NpmStart {
  const run = startNpmStart(env, cwd);
  runs.push(run);
  return run;
}

const api = (p: string) => `http://127.0.0.1:${settings.API_PORT}${p}`;
const localIssuer = () => `http://127.0.0.1:${settings.LOCAL_IDP_PORT}`;

/** Whether anything listens on this loopback port. */
const listening = (port: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function startEntry(partyId: string): Promise<void> {
  const deadline = new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10); // near: the entry is AT_RISK at once
  const res = await fetch(api(PATH.entries), {
    method: 'POST',
    headers: { authorization: `Bearer ${devToken(dataDir, BODY.OPS)}`, 'content-type': 'application/json' },
    body: JSON.stringify(startBody(partyId, { mandateDeadline: deadline })),
  });
  expect(res.status).toBe(201);
}

/** The .eml files of the local sink that mention `text`. */
function mailsWith(text: string): string[] {
  const dir = path.join(dataDir, 'mail');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .filter((m) => m.includes(text));
}

/** The pids in the worker's "worker started" lines, in order. */
const workerPids = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes('"msg":"worker started"'))
    .map((l) => (JSON.parse(l) as { pid: number }).pid);

beforeAll(async () => {
  dataDir = path.join(root, 'data');
  settings = { ...(await freshPorts()), UEP_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  // The worker's metrics port comes from a .env in the working directory, the way Node loads one.
  metricsPortFromDotEnv = Number(settings.WORKER_METRICS_PORT);
  delete settings.WORKER_METRICS_PORT;
  const cwd = path.join(root, 'cwd');
  mkdirSync(cwd);
  writeFileSync(path.join(cwd, '.env'), `# test\nWORKER_METRICS_PORT=${metricsPortFromDotEnv}\n`);
  main = start(settings, cwd);
  await main.until(new RegExp(BANNER), STARTUP_MS);
}, STARTUP_MS + 10_000);

afterAll(async () => {
  await Promise.all(runs.map((r) => r.stop()));
  rmSync(root, { recursive: true, force: true });
}, 120_000);

test('the banner comes once the worker polls the task queue, with the worker metrics port the .env sets', async () => {
  const out = main.output();
  expect(workerPids(out.slice(0, out.indexOf(BANNER)))).toHaveLength(1);
  expect(out).toContain(`Worker metrics  http://127.0.0.1:${metricsPortFromDotEnv}/metrics`);
  expect((await fetch(`http://127.0.0.1:${metricsPortFromDotEnv}/metrics`)).status).toBe(200);
  const connection = await Connection.connect({ address: `127.0.0.1:${settings.TEMPORAL_PORT}` });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: DEFAULT_NAMESPACE,
      taskQueue: { name: TASK_QUEUE },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    expect(pollers.map((p) => p.identity)).toContainEqual(expect.stringMatching(/^uep-worker@/));
  } finally {
    await connection.close();
  }
});

test('the console signs in at the local identity provider npm start runs: the API sends the browser there, a person picked there is signed in, and bearer tokens work beside it', async () => {
  const out = main.output();
  expect(out).toContain(`Sign-in (dev)   ${localIssuer()}  (local OpenID Provider for development only`);
  const serving = /\{[^\n]*"msg":"local identity provider serving"[^\n]*\}/.exec(out);
  const { issuer, startedInMs } = JSON.parse(serving?.[0] ?? '{}') as { issuer?: string; startedInMs?: number };
  expect(issuer).toBe(localIssuer());
  expect(startedInMs).toBeLessThan(10_000); // from its process's start, module loading included
  expect(out).not.toMatch(/oidc-provider (WARNING|NOTICE)/);
  const discovery = (await (await fetch(`${localIssuer()}/.well-known/openid-configuration`)).json()) as { issuer: string };
  expect(discovery.issuer).toBe(localIssuer());

  expect(await (await fetch(api('/auth/config'))).json()).toEqual({ singleSignOn: true });
  const redirected = await step(new CookieJar(), api('/auth/sign-in?next=%2Fapp%2F'));
  expect(redirected.res.status).toBe(303);
  expect(locationOf(redirected).startsWith(`${localIssuer()}/auth?`)).toBe(true);

  const jar = new CookieJar();
  const { picker, callback } = await signInAtLocalIdp(jar, api(''), '/app/inbox?body=DCC', 'dara.okafor');
  expect(picker.text).toContain('Local development identity provider');
  expect([callback.res.status, locationOf(callback)]).toEqual([303, api('/app/inbox?body=DCC')]);
  const me = await fetch(api('/v1/me'), { headers: { cookie: jar.header(api('')) } });
  expect(await me.json()).toMatchObject({ body: 'DCC', id: 'dara.okafor', name: 'Dara Okafor' });
  const byToken = await fetch(api('/v1/me'), { headers: { authorization: `Bearer ${devToken(dataDir, BODY.OPS)}` } });
  expect(await byToken.json()).toMatchObject({ body: 'OPS' });
});

test("the dev namespace keeps closed entries 90 days, not the dev server's 24 h", async () => {
  const connection = await Connection.connect({ address: `127.0.0.1:${settings.TEMPORAL_PORT}` });
  try {
    const ns = await connection.workflowService.describeNamespace({ namespace: DEFAULT_NAMESPACE });
    expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(90 * 86_400);
  } finally {
    await connection.close();
  }
});

test("a body's mail goes to its example address in the local mail sink", async () => {
  const partyId = uniquePartyId('SINK');
  await startEntry(partyId);
  // SECAS's mails at its example address (the accession awaits its decision; the entry is at risk);
  // the Party's contact gets its own start notice and the at-risk one
  const kindsTo = (address: RegExp, m: string[]) => m.filter((x) => address.test(x)).map((x) => /^X-Uep-Notification-Kind: (\S+)/im.exec(x)?.[1]).sort();
  const toSecas = (m: string[]) => kindsTo(/^To: .*secas-uep@example\.org/im, m);
  const toContact = (m: string[]) => kindsTo(/^To: .*uep@sink-/im, m);
  const mails = await eventually(async () => mailsWith(`Party ${partyId}`), (m) => toSecas(m).length >= 2 && toContact(m).length >= 2, 60_000);
  expect(toSecas(mails)).toEqual(['AT_RISK', 'DECISION_DUE']);
  expect(toContact(mails)).toEqual(['AT_RISK', 'ENTRY_STARTED']);
});

test('a port in use stops a second npm start before it starts anything, naming the setting', async () => {
  const second = start({ ...settings, WORKER_METRICS_PORT: String(metricsPortFromDotEnv), UEP_DATA_DIR: path.join(root, 'clash') });
  const code = await second.exited;
  expect(code).toBe(1);
  expect(second.output()).toContain(`API_PORT=${settings.API_PORT}: already in use`);
  expect(second.output()).toContain(`WORKER_METRICS_PORT=${metricsPortFromDotEnv}: already in use`);
  expect(second.output()).not.toContain(BANNER);
  expect(existsSync(path.join(root, 'clash'))).toBe(false);
  expect((await fetch(api(PATH.healthz))).status).toBe(200);
});

test('with TEMPORAL_ADDRESS and OIDC_ISSUER_URL set and a data folder that does not exist yet, it starts, and runs no identity provider of its own', async () => {
  const fresh = path.join(root, 'external', 'nested', 'data');
  const ports = await freshPorts();
  const external = start({
    ...ports,
    TEMPORAL_ADDRESS: `127.0.0.1:${settings.TEMPORAL_PORT}`,
    TEMPORAL_TASK_QUEUE: `external-${Date.now()}`,
    UEP_DATA_DIR: fresh,
    OIDC_ISSUER_URL: localIssuer(), // the first npm start's, standing in for your organisation's
    OIDC_ALLOW_HTTP: 'true',
  });
  await external.until(new RegExp(BANNER), STARTUP_MS);
  expect(existsSync(path.join(fresh, 'tokens.json'))).toBe(true);
  expect(external.output()).toContain(`Sign-in         ${localIssuer()}  (OIDC_ISSUER_URL)`);
  expect(external.output()).not.toContain('local identity provider serving');
  expect(await listening(ports.LOCAL_IDP_PORT!)).toBe(false);
  const redirected = await step(new CookieJar(), `http://127.0.0.1:${ports.API_PORT}/auth/sign-in?next=%2Fapp%2F`);
  expect(locationOf(redirected).startsWith(`${localIssuer()}/auth?`)).toBe(true);
  await external.stop();
  expect(await external.exited).toBe(0);
}, STARTUP_MS + 60_000);

test('a worker killed with SIGKILL is restarted (and says so), and entries go on', async () => {
  const [pid] = workerPids(main.output());
  process.kill(pid!, 'SIGKILL');
  const restarted = await main.until(/\{[^\n]*"service":"npm-start"[^\n]*"exit":"SIGKILL"[^\n]*\}/, 30_000);
  expect(JSON.parse(restarted[0])).toMatchObject({ level: 50, process: 'worker', restarts: 1 });
  const pids = await eventually(async () => workerPids(main.output()), (found) => found.length === 2, STARTUP_MS);
  expect(pids).toEqual([pid, expect.any(Number)]);
  expect(pids[1]).not.toBe(pid);

  const partyId = uniquePartyId('AFTER');
  await startEntry(partyId);
  const mails = await eventually(async () => mailsWith(`Party ${partyId}`), (m) => m.length >= 2, 90_000);
  expect(mails.some((m) => /^To: .*secas-uep@example\.org/im.test(m))).toBe(true);
}, STARTUP_MS + 120_000);

test('Ctrl-C (SIGINT to every process of the group, as a terminal sends it) stops everything quietly', async () => {
  // A client halfway through its request: the API gives it time to finish, and the record, which
  // had the same SIGINT, exits before npm start comes to stop it.
  const slowClient = connect(Number(settings.API_PORT), '127.0.0.1');
  await new Promise((resolve) => slowClient.once('connect', resolve));
  slowClient.on('error', () => undefined);
  slowClient.write(`GET ${PATH.entries} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
  const before = main.output().length;
  main.interrupt();
  expect(await main.exited).toBe(0);
  const after = main.output().slice(before);
  expect(after).not.toMatch(/exited unexpectedly|restarted|while starting/);
  expect(after.split('\n').filter((l) => /"level":(5\d|60)\b/.test(l))).toEqual([]); // no error logged
  slowClient.destroy();
}, 120_000);
