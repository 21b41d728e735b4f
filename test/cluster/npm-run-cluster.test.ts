/**
 * `npm run cluster` as a user runs it (scripts/cluster/main.ts on free ports, in a fresh data
 * folder): one entry started and driven to COMPLETE through its HTTP API with its dev tokens,
 * found with `temporal workflow list --query` on the Uep search attributes, then Ctrl-C (SIGINT)
 * stops every process it started: two engine workers, the API, five Temporal services, PostgreSQL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { driveOverHttp, startEntryOverHttp } from '../../bench/http-driver';
import { DEFAULT_NAMESPACE } from '../../config/temporal';
import { entryIdFor } from '../../domain';
import { BODY, ENTRY_STATUS, type Body } from '../../domain/vocabulary';
import { openRecord } from '../../record/db';
import { PG_PASSWORD } from '../../scripts/cluster/postgres';
import { DEMO_PARTY_ID } from '../../scripts/local-tokens';
import { requireBinary, TEMPORAL_CLI, PROJECT_ROOT } from '../../scripts/temporal-toolchain';
import { startBody } from '../../testkit/api-fixtures';
import { call, connectClient, eventually } from '../../testkit/api-harness';
import type { ApiStack } from '../../testkit/api-stack';
import { startSmtpCatcher } from '../../testkit/smtp-catcher';
import { startWebhookReceiver } from '../../testkit/webhook-receiver';
import { SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import { faultRoutes, WEBHOOK_SECRET } from '../faults/fault-stack';
import { recordedUpdateIds } from '../faults/ledger';
import { expectNothingLostNothingDoubled } from './no-loss';

const BANNER_END = 'Ctrl-C stops everything.';

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

/** An ApiStack over the dev tokens the script wrote (one per body, the Party's for DEMO_PARTY_ID). */
function devTokenApi(baseUrl: string, tokensFile: string): ApiStack {
  const tokens = new Map<string, string>();
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

test('npm run cluster: an entry to COMPLETE through its API, listed by search attribute, then Ctrl-C leaves nothing running', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'uep-npm-cluster-'));
  const smtp = await startSmtpCatcher();
  const webhooks = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  const script = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'cluster', 'main.ts')], {
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
  let output = '';
  script.stdout.on('data', (c: Buffer) => (output += c.toString()));
  script.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => script.once('exit', (code) => resolve(code)));
  try {
    for (const deadline = Date.now() + 15 * 60_000; !output.includes(BANNER_END); ) {
      if (script.exitCode !== null) throw new Error(`npm run cluster exited (${script.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm run cluster not up:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const line of output.split('\n').filter((l) => /versions:|services up|Temporal {2}|Engine {2}|Cluster up/.test(l))) console.log(`npm run cluster: ${line.trim()}`);
    const apiUrl = /API\s+(http:\/\/\S+)/.exec(output)![1]!;
    const address = /Temporal gRPC\s+(\S+)/.exec(output)![1]!;
    const temporalLine = /Temporal {8}(.*)/.exec(output)![1]!;
    for (const service of ['frontend', 'history-1', 'history-2', 'matching', 'worker']) expect(temporalLine).toContain(`${service} (pid`);
    const tree = processTree(script.pid!);
    // the script, 2 workers, the API, 5 Temporal services, the postmaster (its backends come on top)
    expect(tree.length).toBeGreaterThanOrEqual(10);

    const api = devTokenApi(apiUrl, path.join(dir, 'dev-tokens.txt'));
    // on the cluster's PostgreSQL the API waits for the record on its notices, not by polling
    const catchUpOf = (r: Awaited<ReturnType<typeof call>>) => (r.json as { record?: { catchUp?: string } }).record?.catchUp;
    const ready = await eventually(() => call(apiUrl, 'GET', '/readyz'), (r) => catchUpOf(r) === 'NOTICES', 10_000);
    expect({ status: ready.status, catchUp: catchUpOf(ready) }).toEqual({ status: 200, catchUp: 'NOTICES' });
    await startEntryOverHttp(api, startBody(DEMO_PARTY_ID), []);
    const result = await driveOverHttp(api, DEMO_PARTY_ID, []);
    expect(result.final.status).toBe(ENTRY_STATUS.COMPLETE);

    const { client, connection } = await connectClient(address);
    try {
      await client.workflow.getHandle(entryIdFor(DEMO_PARTY_ID)).result();
      // http-driver numbers its submissions (sub-) and decisions (dec-) 1..updates, in order.
      const recorded = await recordedUpdateIds(client, DEMO_PARTY_ID);
      expect(recorded.map((id) => id.replace(/^(sub|dec)-/, ''))).toEqual(Array.from({ length: result.updates }, (_, i) => `${DEMO_PARTY_ID}-${i + 1}`));
      const record = openRecord(/Record\s+(postgres:\/\/\S+)/.exec(output)![1]!.replace(':***@', `:${PG_PASSWORD}@`), { maxConnections: 1, allowExitOnIdle: true });
      let line: string;
      try {
        line = await expectNothingLostNothingDoubled(client, [{ partyId: DEMO_PARTY_ID, accepted: recorded, status: result.final.status }], { smtp, webhooks, record });
      } finally {
        await record.destroy();
      }
      console.log(`npm run cluster: lifecycle complete through the API (${result.updates} updates, ${result.rounds} rounds): ${line}`);
    } finally {
      await connection.close();
    }

    const query = `${SEARCH_ATTRIBUTE.partyId.name} = '${DEMO_PARTY_ID}' AND ${SEARCH_ATTRIBUTE.status.name} = '${ENTRY_STATUS.COMPLETE}' AND ExecutionStatus = 'Completed'`;
    const list = spawnSync(requireBinary(TEMPORAL_CLI), ['workflow', 'list', '--address', address, '--namespace', DEFAULT_NAMESPACE, '--query', query, '--output', 'json'], { encoding: 'utf8' });
    expect(list.stderr).toBe('');
    const listed = (JSON.parse(list.stdout || '[]') as { execution: { workflowId: string } }[]).map((w) => w.execution.workflowId);
    expect(listed).toEqual([entryIdFor(DEMO_PARTY_ID)]);
    console.log(`npm run cluster: temporal workflow list --query "${query}" -> ${listed.join(', ')}`);

    script.kill('SIGINT');
    expect(await exited).toBe(0);
    const until = Date.now() + 15_000;
    while (tree.some(running) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(tree.filter(running)).toEqual([]);
    console.log(`npm run cluster: Ctrl-C stopped all ${tree.length} processes, none left`);
  } finally {
    if (script.exitCode === null) script.kill('SIGKILL');
    await smtp.stop();
    await webhooks.stop();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}, 20 * 60_000);
