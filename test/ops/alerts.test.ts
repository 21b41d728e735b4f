/**
 * The alert rules (deploy/prometheus/alerts.yml) under promtool, built from the official
 * Prometheus source (scripts/promtool.ts; the first run builds it, minutes on 2 cores): the rules
 * and the Prometheus configuration check, the unit tests (alerts.test.yml) pass, every alert is
 * tested both firing and quiet, a rule that never fires fails its test, and every runbook link
 * leads to a section of docs/operations.md.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ensurePromtool } from '../../scripts/promtool';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'deploy', 'prometheus');

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface UnitTests {
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const rules = parse(readFileSync(path.join(DIR, 'alerts.yml'), 'utf8')) as RuleFile;
const alerts = rules.groups.flatMap((g) => g.rules);
const unitTests = parse(readFileSync(path.join(DIR, 'alerts.test.yml'), 'utf8')) as UnitTests;
let promtool: string;

function run(args: string[], cwd = DIR): { status: number | null; output: string } {
  const result = spawnSync(promtool, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** GitHub's anchor for a Markdown heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

beforeAll(() => {
  promtool = ensurePromtool(() => undefined).path;
}, 20 * 60_000);

test('promtool checks the rules and the Prometheus configuration', () => {
  const checkRules = run(['check', 'rules', 'alerts.yml']);
  expect(checkRules.output).toContain('SUCCESS');
  expect(checkRules.status).toBe(0);
  const checkConfig = run(['check', 'config', 'prometheus.yml']);
  expect(checkConfig.status).toBe(0);
});

test('the unit tests pass: each alert fires on the series that should fire it, and stays quiet otherwise', () => {
  const result = run(['test', 'rules', 'alerts.test.yml']);
  expect(result.output).toContain('SUCCESS');
  expect(result.status).toBe(0);
});

test('every alert is tested both firing and quiet', () => {
  const cases = unitTests.tests.flatMap((t) => t.alert_rule_test ?? []);
  for (const { alert } of alerts) {
    const mine = cases.filter((c) => c.alertname === alert);
    expect({ alert, fires: mine.some((c) => c.exp_alerts.length > 0), quiet: mine.some((c) => c.exp_alerts.length === 0) }).toEqual({ alert, fires: true, quiet: true });
  }
});

test('an alert whose rule never fires fails its unit test (the tests have teeth)', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'uep-alerts-'));
  try {
    copyFileSync(path.join(DIR, 'alerts.test.yml'), path.join(scratch, 'alerts.test.yml'));
    for (const { alert } of alerts) {
      const broken: RuleFile = {
        groups: rules.groups.map((g) => ({ ...g, rules: g.rules.map((r) => (r.alert === alert ? { ...r, expr: 'vector(1) > 2' } : r)) })),
      };
      writeFileSync(path.join(scratch, 'alerts.yml'), stringify(broken));
      const result = run(['test', 'rules', 'alerts.test.yml'], scratch);
      expect({ alert, status: result.status, names: result.output.includes(`alertname: ${alert}`) }).toEqual({ alert, status: 1, names: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test("every alert says how bad it is and links to its section of docs/operations.md", () => {
  const docs = readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
  const anchors = new Set([...docs.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
  for (const { alert, labels, annotations } of alerts) {
    expect({ alert, severity: labels?.severity }).toEqual({ alert, severity: expect.stringMatching(/^(page|ticket)$/) as unknown });
    const [file, anchor] = (annotations?.runbook_url ?? '').split('#');
    expect({ alert, file, anchorExists: anchors.has(anchor ?? '') }).toEqual({ alert, file: 'docs/operations.md', anchorExists: true });
  }
});
