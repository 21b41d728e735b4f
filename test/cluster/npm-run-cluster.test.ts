/**
 * `npm run cluster` as a user runs it (scripts/cluster/main.ts on free ports, in a fresh data
 * folder inside a clone-like folder under a 0700 directory, as root's home is): one entry started
 * and driven to COMPLETE through its HTTP API with its dev tokens, found with `temporal workflow
 * list --query` on the Uep search attributes; a history host SIGKILLed while entries are driven
 * through the API, brought back by the script's own supervisor while everything else keeps
 * serving; then Ctrl-C (SIGINT) stops every process it started: two engine workers, the API, five
 * Temporal services (the restarted one too), PostgreSQL.
 */
import type { Client, Connection } from '@temporalio/client';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mapLimited } from '../../api/map-limited';
import { mintToken, parseTokenFile } from '../../api/tokens';
import { driveOverHttp, startEntryOverHttp, type DriveResult } from '../../testkit/http-entry-driver';
import { DEFAULT_NAMESPACE } from '../../config/temporal';
import { entryIdFor } from '../../domain';
import { BODY, ENTRY_STATUS, type Body } from '../../domain/vocabulary';
import { openRecord } from '../../record/db';
import { PG_PASSWORD, PRIVATE_DATA_PARENT } from '../../scripts/cluster/postgres';
import { isRoot, UNPRIVILEGED_USER } from '../../scripts/cluster/processes';
import { DEMO_PARTY_ID, ensureLocalTokens } from '../../scripts/local-tokens';
import { requireBinary, TEMPORAL_CLI, PROJECT_ROOT } from '../../config/temporal-toolchain';
import { startBody } from '../../testkit/api-fixtures';
import { call, connectClient, eventually } from '../../testkit/api-harness';
import type { ApiStack } from '../../testkit/api-stack';
import { startSmtpCatcher, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { uniquePartyId } from '../../testkit/temporal';
import { startWebhookReceiver, type WebhookReceiver } from '../../testkit/webhook-receiver';
import { SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import { faultRoutes, WEBHOOK_SECRET } from '../faults/fault-stack';
import { recordedUpdateIds } from '../faults/ledger';
import { expectNothingLostNothingDoubled, type Driven } from './no-loss';

const BANNER_END = 'Ctrl-C stops everything.';
/** Entries driven through the API while a history host is SIGKILLed, and how many at a time. */
const ENTRIES = 40;
const CONCURRENCY = 8;

/** The script's process and every descendant (services, PostgreSQL's backends, node children). */
function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      parent.set(Number(name), Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

const running = (pid: number) => {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** The pid of the running process whose command line contains `needle` (a service's config file). */
function pidOf(tree: readonly number[], needle: string): number | undefined {
  return tree.find((pid) => {
    try {
      return running(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  });
}

/**
 * Party tokens for `partyIds`, added to the tokens file the script's API reads (as scripts/tokens.ts
 * adds a user's), beside the dev tokens it writes on first start.
 */
function addPartyTokens(dir: string, partyIds: readonly string[]): Map<string, string> {
  const tokensFile = ensureLocalTokens(dir);
  const file = parseTokenFile(readFileSync(tokensFile, 'utf8'), tokensFile);
  const tokens = new Map<string, string>();
  for (const partyId of partyIds) {
    const { token, record } = mintToken({ body: BODY.PARTY, id: `test-${partyId}`, partyId, name: `Test ${partyId}` });
    file.tokens.push(record);
    tokens.set(`${BODY.PARTY}:${partyId}`, token);
  }
  writeFileSync(tokensFile, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  return tokens;
}

/** An ApiStack over the dev tokens the script wrote (one per body, the Party's for DEMO_PARTY_ID) and `extra` ones. */
function devTokenApi(baseUrl: string, tokensFile: string, extra: ReadonlyMap<string, string>): ApiStack {
  const tokens = new Map<string, string>(extra);
  for (const line of readFileSync(tokensFile, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const words = line.trim().split(/\s+/);
    tokens.set(words[0] === BODY.PARTY ? `${BODY.PARTY}:${words[1]}` : words[0]!, words[words.length - 1]!);
  }
  const tokenFor = (body: Body, partyId?: string) => {
    const token = tokens.get(body === BODY.PARTY ? `${body}:${partyId}` : body);
    if (!token) throw new Error(`no dev token for ${body} ${partyId ?? ''}`);
    return token;
  };
  return { baseUrl, tokenFor, request: (method, p, opts) => call(baseUrl, method, p, opts), close: async () => undefined };
}

/** http-driver numbers an entry's submissions (sub-) and decisions (dec-) 1..updates, in order: each exactly once in its audit trail. */
async function expectEveryUpdateOnce(client: Client, partyId: string, result: DriveResult): Promise<Driven> {
  await client.workflow.getHandle(entryIdFor(partyId)).result();
  const recorded = await recordedUpdateIds(client, partyId);
  expect({ partyId, recorded: recorded.map((id) => id.replace(/^(sub|dec)-/, '')) }).toEqual({ partyId, recorded: Array.from({ length: result.updates }, (_, i) => `${partyId}-${i + 1}`) });
  return { partyId, accepted: recorded, status: result.final.status };
}

describe('npm run cluster', () => {
  const partyIds = Array.from({ length: ENTRIES }, () => uniquePartyId('K'));
  const afterCrashes = uniquePartyId('Q');
  let home: string;
  let dir: string;
  let smtp: SmtpCatcher;
  let webhooks: WebhookReceiver;
  let script: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let api: ApiStack;
  let address: string;
  let client: Client;
  let connection: Connection;
  /** The line of the banner that starts with `label`. */
  const banner = (label: string) => new RegExp(`^  ${label} {2,}(.*)$`, 'm').exec(output)?.[1] ?? '';
  const pidIn = (line: string, name: string) => Number(new RegExp(`${name} \\(pid (\\d+)\\)`).exec(line)?.[1]);

  beforeAll(async () => {
    // A clone under a folder only its owner may enter, as root's home (mode 0700) is.
    home = mkdtempSync(path.join(tmpdir(), 'uep-home-'));
    dir = path.join(home, 'uep-engine', 'data', 'cluster');
    mkdirSync(dir, { recursive: true });
    const partyTokens = addPartyTokens(dir, [...partyIds, afterCrashes]);
    smtp = await startSmtpCatcher();
    webhooks = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    script = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'cluster', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        UEP_CLUSTER_DIR: dir,
        TEMPORAL_PORT: '0',
        API_PORT: '0',
        SMTP_URL: smtp.url,
        NOTIFY_ROUTES_JSON: JSON.stringify(faultRoutes(`http://127.0.0.1:${webhooks.port}/hook`)),
        WORKER_SHUTDOWN_GRACE: '2s',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    script.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    script.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    exited = new Promise<number | null>((resolve) => script.once('exit', (code) => resolve(code)));
    for (const deadline = Date.now() + 15 * 60_000; !output.includes(BANNER_END); ) {
      if (script.exitCode !== null) throw new Error(`npm run cluster exited (${script.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm run cluster not up:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const line of output.split('\n').filter((l) => /versions:|services up|Temporal {2}|Engine {2}|PostgreSQL {2}|Cluster up/.test(l))) console.log(`npm run cluster: ${line.trim()}`);
    api = devTokenApi(banner('API').split(/\s/)[0]!, path.join(dir, 'dev-tokens.txt'), partyTokens);
    address = banner('Temporal gRPC').split(/\s/)[0]!;
    ({ client, connection } = await connectClient(address));
  }, 20 * 60_000);

  afterAll(async () => {
    await connection?.close();
    if (script?.exitCode === null) {
      script.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
      if (script.exitCode === null) script.kill('SIGKILL');
    }
    await smtp?.stop();
    await webhooks?.stop();
    const pgData = banner('PostgreSQL').replace(/^.*data in /, '');
    if (pgData.startsWith(PRIVATE_DATA_PARENT + path.sep)) rmSync(path.dirname(pgData), { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  }, 120_000);

  const openRecordOfBanner = () => openRecord(banner('Record').split(/\s/)[0]!.replace(':***@', `:${PG_PASSWORD}@`), { maxConnections: 1, allowExitOnIdle: true });

  test('an entry to COMPLETE through its API, listed by search attribute', async () => {
    const temporalLine = banner('Temporal');
    for (const service of ['frontend', 'history-1', 'history-2', 'matching', 'worker']) expect(temporalLine).toContain(`${service} (pid`);
    // the script, 2 workers, the API, 5 Temporal services, the postmaster (its backends come on top)
    expect(processTree(script.pid!).length).toBeGreaterThanOrEqual(10);

    // on the cluster's PostgreSQL the API waits for the record on its notices, not by polling
    const catchUpOf = (r: Awaited<ReturnType<typeof call>>) => (r.json as { record?: { catchUp?: string } }).record?.catchUp;
    const ready = await eventually(() => call(api.baseUrl, 'GET', '/readyz'), (r) => catchUpOf(r) === 'NOTICES', 10_000);
    expect({ status: ready.status, catchUp: catchUpOf(ready) }).toEqual({ status: 200, catchUp: 'NOTICES' });
    await startEntryOverHttp(api, startBody(DEMO_PARTY_ID), []);
    const result = await driveOverHttp(api, DEMO_PARTY_ID, []);
    expect(result.final.status).toBe(ENTRY_STATUS.COMPLETE);

    const driven = await expectEveryUpdateOnce(client, DEMO_PARTY_ID, result);
    const record = openRecordOfBanner();
    try {
      const line = await expectNothingLostNothingDoubled(client, [driven], { smtp, webhooks, record });
      console.log(`npm run cluster: lifecycle complete through the API (${result.updates} updates, ${result.rounds} rounds): ${line}`);
    } finally {
      await record.destroy();
    }

    const query = `${SEARCH_ATTRIBUTE.partyId.name} = '${DEMO_PARTY_ID}' AND ${SEARCH_ATTRIBUTE.status.name} = '${ENTRY_STATUS.COMPLETE}' AND ExecutionStatus = 'Completed'`;
    const list = spawnSync(requireBinary(TEMPORAL_CLI), ['workflow', 'list', '--address', address, '--namespace', DEFAULT_NAMESPACE, '--query', query, '--output', 'json'], { encoding: 'utf8' });
    expect(list.stderr).toBe('');
    const listed = (JSON.parse(list.stdout || '[]') as { execution: { workflowId: string } }[]).map((w) => w.execution.workflowId);
    expect(listed).toEqual([entryIdFor(DEMO_PARTY_ID)]);
    console.log(`npm run cluster: temporal workflow list --query "${query}" -> ${listed.join(', ')}`);
  }, 10 * 60_000);

  test(`a history host SIGKILLed while ${ENTRIES} entries are driven through the API: its own supervisor restarts it, the rest keep serving, every entry completes, nothing lost`, async () => {
    const started = Date.now();
    const before = processTree(script.pid!);
    const historyConfig = path.join(dir, 'history-1.yaml');
    const killed = pidOf(before, historyConfig)!;
    expect(killed).toBe(pidIn(banner('Temporal'), 'history-1'));
    // every other process of the cluster, which must serve on without a restart
    const others = [
      ...['frontend', 'history-2', 'matching', 'worker'].map((name) => [name, pidIn(banner('Temporal'), name)] as const),
      ...['engine-worker-1', 'engine-worker-2', 'api'].map((name) => [name, pidIn(banner('Engine'), name)] as const),
      ['postgresql', Number(/\(pid (\d+)\)/.exec(banner('PostgreSQL'))?.[1])] as const,
    ];
    expect(others.every(([, pid]) => Number.isInteger(pid) && running(pid))).toBe(true);
    // the first test's entry is closed, its mail and webhooks in: what arrives from now on is these entries'
    smtp.clear();
    webhooks.clear();

    for (const partyId of partyIds) await startEntryOverHttp(api, startBody(partyId), []);
    const answered: number[] = [];
    const retried = { retries: 0 };
    let finished = 0;
    const driving = mapLimited(partyIds, CONCURRENCY, async (partyId) => {
      const result = await driveOverHttp(api, partyId, answered, retried);
      finished++;
      return { partyId, result };
    });
    driving.catch(() => undefined); // awaited below, after the kill
    while (answered.length < ENTRIES * 2 && finished < ENTRIES) await new Promise((r) => setTimeout(r, 50));
    const at = { answered: answered.length, finished };
    process.kill(killed, 'SIGKILL');
    const killedAt = Date.now();

    const historyBack = async () => {
      if (script.exitCode !== null) throw new Error(`npm run cluster exited (${script.exitCode}) after history-1's SIGKILL:\n${output.slice(-3000)}`);
      return pidOf(processTree(script.pid!), historyConfig);
    };
    // the new process, and the script's word for it (its output comes through a pipe, after /proc shows the process)
    const back = await eventually(historyBack, (pid) => pid !== undefined && pid !== killed && /history-1 restarted/.test(output), 60_000);
    const backInMs = Date.now() - killedAt;
    expect(output).toMatch(/history-1 exited unexpectedly; restarting it \(exit SIGKILL/);
    expect(output).toMatch(/history-1 restarted/);
    expect(output).not.toMatch(/stopping everything/);
    const results = await driving;
    expect(at.finished).toBeLessThan(ENTRIES);

    const driven: Driven[] = [];
    for (const { partyId, result } of results) driven.push(await expectEveryUpdateOnce(client, partyId, result));
    const record = openRecordOfBanner();
    let line: string;
    try {
      line = await expectNothingLostNothingDoubled(client, driven, { smtp, webhooks, record });
    } finally {
      await record.destroy();
    }
    expect(running(back!)).toBe(true);
    expect(others.filter(([, pid]) => !running(pid)).map(([name]) => name)).toEqual([]);
    console.log(
      `npm run cluster: history-1 (pid ${killed}) SIGKILLed at ${at.answered} answered updates, ${at.finished}/${ENTRIES} entries done; ` +
        `its supervisor had it back as pid ${back} within ${backInMs} ms; ${line}; API calls retried ${retried.retries}; ${Date.now() - started} ms`,
    );
  }, 15 * 60_000);

  test('PostgreSQL and the API SIGKILLed: their supervisor brings both back, and an entry started afterwards completes through the API', async () => {
    const started = Date.now();
    const postmaster = Number(/\(pid (\d+)\)/.exec(banner('PostgreSQL'))?.[1]);
    const apiPid = pidIn(banner('Engine'), 'api');
    expect([running(postmaster), running(apiPid)]).toEqual([true, true]);
    smtp.clear();
    webhooks.clear();
    const logged = output.length;
    process.kill(postmaster, 'SIGKILL');
    process.kill(apiPid, 'SIGKILL');
    await eventually(async () => output.slice(logged), (o) => /postgresql restarted/.test(o) && /api restarted/.test(o), 60_000);
    await eventually(() => call(api.baseUrl, 'GET', '/readyz').catch(() => undefined), (r) => r?.status === 200, 120_000);
    const backInMs = Date.now() - started;
    expect(running(postmaster) || running(apiPid)).toBe(false);

    await startEntryOverHttp(api, startBody(afterCrashes), []);
    const retried = { retries: 0 };
    const result = await driveOverHttp(api, afterCrashes, [], retried);
    const driven = await expectEveryUpdateOnce(client, afterCrashes, result);
    const record = openRecordOfBanner();
    try {
      const line = await expectNothingLostNothingDoubled(client, [driven], { smtp, webhooks, record });
      const restarts = output.slice(logged).split('\n').filter((l) => l.includes('exited unexpectedly')).map((l) => l.replace(/^\[cluster\] /, ''));
      console.log(`npm run cluster: PostgreSQL and the API SIGKILLed, both back and ready in ${backInMs} ms (${restarts.join('; ')}); then ${line}; API calls retried ${retried.retries}`);
    } finally {
      await record.destroy();
    }
  }, 10 * 60_000);

  (isRoot() ? test : test.skip)('run as root from a folder under a 0700 directory: PostgreSQL (unprivileged) keeps its data in a folder of its own, the 0700 directory untouched', () => {
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const pgData = banner('PostgreSQL').replace(/^.*data in /, '');
    expect(pgData.startsWith(PRIVATE_DATA_PARENT + path.sep)).toBe(true);
    const nobody = Number(spawnSync('id', ['-u', UNPRIVILEGED_USER.name], { encoding: 'utf8' }).stdout.trim());
    const privateDir = statSync(path.dirname(pgData));
    expect({ owner: privateDir.uid, mode: privateDir.mode & 0o777 }).toEqual({ owner: nobody, mode: 0o700 });
    expect(statSync(pgData).uid).toBe(nobody);
    console.log(`npm run cluster: as root under ${home} (0700): PostgreSQL's data in ${pgData}`);
  });

  test('Ctrl-C stops every process it started, the restarted history host too, and leaves nothing running', async () => {
    const tree = processTree(script.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(10);
    script.kill('SIGINT');
    expect(await exited).toBe(0);
    const until = Date.now() + 15_000;
    while (tree.some(running) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(tree.filter(running)).toEqual([]);
    console.log(`npm run cluster: Ctrl-C stopped all ${tree.length} processes, none left`);
  }, 5 * 60_000);
});
