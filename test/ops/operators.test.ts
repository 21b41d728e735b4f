/**
 * What operators and approvers use, against `npm start`'s stack (the Temporal dev server, the
 * embedded record, the worker and the API as processes): every metric an alert rule
 * (deploy/prometheus/alerts.yml) or a dashboard panel (deploy/grafana/dashboards) names is served
 * by the engine's /metrics, and the `uep` command line decides an entry and exports its audit
 * trail. The stack's routes leave SECAS out, so that a delivery meets an unrouted body.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { PATH } from '../../api/endpoints';
import { PROJECT_ROOT } from '../../config/temporal-toolchain';
import { BODY } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { daysFromToday } from '../../testkit/dates';
import { eventually } from '../../testkit/api-harness';
import { BANNER, devToken, startNpmStart, type NpmStart } from '../../testkit/npm-start';
import { freePort } from '../../testkit/ports';
import { metricNamesIn, parseMetrics } from '../../testkit/prometheus-text';
import { uniquePartyId } from '../../testkit/temporal';

const STARTUP_MS = 240_000;
const root = mkdtempSync(path.join(tmpdir(), 'uep-operators-'));
const dataDir = path.join(root, 'data');
let stack: NpmStart;
const ports: Record<string, string> = {};
const api = (p: string) => `http://127.0.0.1:${ports.API_PORT}${p}`;
const run = promisify(execFile);

/** Routes for every body but SECAS (example.org desks, as npm start's defaults). */
const ROUTES_WITHOUT_SECAS = JSON.stringify({
  DCC: { email: ['dcc-onboarding@example.org'] },
  SEC_PANEL: { email: ['sec-panel-secretariat@example.org'] },
  OPS: { email: ['uep-ops@example.org'] },
});

/**
 * Series that exist only once what they count has happened: a workflow task that threw (a
 * non-determinism after a bad deployment) cannot be caused on a healthy stack.
 */
const ONLY_AFTER_THE_EVENT: Record<string, string> = {
  temporal_workflow_task_execution_failed_total: 'a workflow task that throws',
};

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The `uep` bin, as an operator runs it, with a body's token from the environment (null: none). */
async function uep(body: string | null, ...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, UEP_API_URL: api('') };
  delete env.UEP_TOKEN;
  if (body !== null) env.UEP_TOKEN = devToken(dataDir, body);
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin', 'uep.mjs'), ...args], { env, cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function startEntry(partyId: string, mandateDeadline: string): Promise<void> {
  const res = await fetch(api(PATH.entries), {
    method: 'POST',
    headers: { authorization: `Bearer ${devToken(dataDir, BODY.OPS)}`, 'content-type': 'application/json' },
    body: JSON.stringify(startBody(partyId, { mandateDeadline })),
  });
  expect(res.status).toBe(201);
}

async function served(): Promise<Set<string>> {
  const texts = await Promise.all([fetch(api(PATH.metrics)), fetch(`http://127.0.0.1:${ports.WORKER_METRICS_PORT}/metrics`)].map(async (r) => (await r).text()));
  return new Set(texts.flatMap((t) => parseMetrics(t).map((s) => s.name)));
}

/** Every metric name the alert rules and the dashboards' panels query. */
function namedMetrics(): Map<string, string> {
  const named = new Map<string, string>();
  const rules = parse(readFileSync(path.join(PROJECT_ROOT, 'deploy', 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  for (const r of rules.groups.flatMap((g) => g.rules)) for (const name of metricNamesIn(r.expr)) named.set(name, `alert ${r.alert}`);
  const dir = path.join(PROJECT_ROOT, 'deploy', 'grafana', 'dashboards');
  for (const file of readdirSync(dir)) {
    const dashboard = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    for (const p of dashboard.panels) for (const t of p.targets ?? []) for (const name of metricNamesIn(t.expr)) named.set(name, `panel "${p.title}" (${file})`);
  }
  return named;
}

beforeAll(async () => {
  for (const name of ['TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'API_PORT', 'LOCAL_SMTP_PORT', 'WORKER_METRICS_PORT', 'RECORD_PORT', 'LOCAL_IDP_PORT']) ports[name] = String(await freePort());
  stack = startNpmStart({ ...ports, UEP_DATA_DIR: dataDir, NOTIFY_ROUTES_JSON: ROUTES_WITHOUT_SECAS });
  await stack.until(new RegExp(BANNER), STARTUP_MS);
}, STARTUP_MS + 10_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('metrics', () => {
  test('every metric an alert rule or a dashboard panel names is served by the API or the worker', async () => {
    // an entry due in 12 days is at risk at once: its AT_RISK notice to SECAS meets no route
    await startEntry(uniquePartyId('METRICS'), new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10));
    const named = namedMetrics();
    expect(named.size).toBeGreaterThan(15);
    const expected = [...named.keys()].filter((n) => !(n in ONLY_AFTER_THE_EVENT)).sort();
    const names = await eventually(served, (s) => expected.every((n) => s.has(n)), 90_000).catch(() => served());
    const missing = expected.filter((n) => !names.has(n)).map((n) => `${n} (${named.get(n)})`);
    expect(missing).toEqual([]);
    // the exceptions are named by a rule or a panel, and not served on a healthy stack
    for (const name of Object.keys(ONLY_AFTER_THE_EVENT)) expect({ name, named: named.has(name), served: names.has(name) }).toEqual({ name, named: true, served: false });
  });
});

describe('the uep command line', () => {
  const partyId = uniquePartyId('CLI');
  const deadline = daysFromToday(2 * 365);

  beforeAll(async () => {
    await startEntry(partyId, deadline);
  });

  test("SECAS sees the entry's accession in its inbox, and decides it from the terminal", async () => {
    const inbox = await eventually(
      () => uep(BODY.SECAS, 'inbox'),
      (r) => r.stdout.includes(partyId),
      30_000,
    );
    expect(inbox.code).toBe(0);
    expect(inbox.stdout.split('\n').find((l) => l.startsWith(partyId))).toMatch(/ACCESSION\s+SECAS\s+\d{1,2} [A-Z][a-z]+ \d{4}\s+ACCEDED/);

    const decided = await uep(BODY.SECAS, 'decide', partyId, '--stage', 'ACCESSION', '--outcome', 'ACCEDED', '--evidence', 'Accession agreement AA-77', '--id', 'acc-77');
    expect(decided).toMatchObject({ code: 0, stderr: '' });
    expect(decided.stdout).toMatch(/^Recorded \(decision acc-77, audit record 2\)\./);

    const shown = JSON.parse((await uep(BODY.SECAS, 'entries', 'show', partyId, '--json')).stdout) as { partyStages: { stage: string; state: string; outcome?: string }[] };
    expect(shown.partyStages.find((s) => s.stage === 'ACCESSION')).toMatchObject({ state: 'DONE', outcome: 'ACCEDED' });

    // the same decision again is answered as a retry; nothing is recorded twice
    const again = await uep(BODY.SECAS, 'decide', partyId, '--stage', 'ACCESSION', '--outcome', 'ACCEDED', '--evidence', 'Accession agreement AA-77', '--id', 'acc-77');
    expect(again.stdout).toMatch(/^Already recorded \(decision acc-77, audit record 2\)\./);
  });

  test("a refused decision exits 1 with the API's reason, and changes nothing", async () => {
    const before = JSON.parse((await uep(BODY.OPS, 'export', partyId, '--format', 'json')).stdout) as unknown[];
    const refused = await uep(BODY.DCC, 'decide', partyId, '--stage', 'ID_ALLOCATION', '--outcome', 'ALLOCATED', '--evidence', 'x');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Refused \(403\): /);
    const after = JSON.parse((await uep(BODY.OPS, 'export', partyId, '--format', 'json')).stdout) as unknown[];
    expect(after).toEqual(before);
  });

  test('the audit trail exports as CSV and as JSON, the decision in it with the person who took it', async () => {
    const csv = await uep(BODY.SEC_PANEL, 'export', partyId, '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^"seq","at","action","principalBody","principalId","principalName"/);
    expect(lines.find((l) => l.includes('"DECISION"'))).toMatch(/^"2","[^"]+","DECISION","SECAS","local-secas","Local SECAS user","acc-77","ACCESSION","","ACCEDED","Accession agreement AA-77"/);

    const json = JSON.parse((await uep(BODY.SEC_PANEL, 'export', partyId)).stdout) as { seq: number; action: string; principal: { body: string } }[];
    expect(json.map((r) => [r.seq, r.action, r.principal.body])).toEqual([
      [1, 'STARTED', 'OPS'],
      [2, 'DECISION', 'SECAS'],
    ]);

    const today = new Date().toISOString().slice(0, 10);
    const bulk = await uep(BODY.OPS, 'export', '--from', today, '--to', today);
    const mine = bulk.stdout
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { partyId: string; action: string })
      .filter((r) => r.partyId === partyId);
    expect(mine.map((r) => r.action)).toEqual(['STARTED', 'DECISION']);
  });

  test('entries list filters like the API, and --json gives scripts the API answer', async () => {
    const listed = JSON.parse((await uep(BODY.DCC, 'entries', 'list', '--name', partyId, '--json')).stdout) as { partyId: string }[];
    expect(listed.map((e) => e.partyId)).toEqual([partyId]);
    const human = await uep(BODY.DCC, 'entries', 'list', '--name', partyId);
    expect(human.stdout.split('\n')[0]).toMatch(/^PARTY\s+NAME\s+STATUS/);
    // the deadline as people write it (e.g. 30 August 2030), not as ISO
    const [year, month, day] = deadline.split('-').map(Number) as [number, number, number];
    const monthName = new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
    expect(human.stdout).toContain(`${day} ${monthName} ${year}`);
  });

  test('no token is a usage error (exit 2); a wrong one is the API refusing (exit 1)', async () => {
    const none = await uep(null, 'inbox');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no token: give --token or set UEP_TOKEN');
    const wrong = await uep(null, 'inbox', '--token', 'uep_not-a-token');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^Refused \(401\)/);
  });
});
