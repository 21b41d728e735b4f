/**
 * A plain `cp .env.example .env` must not start "successfully": the worker, the API and the schema
 * job refuse the example values (localhost links, example.org routes, change-me) with one clear
 * error, unless UEP_DEMO=true marks a demo (`npm start` sets it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiExampleValues, loadApiConfig } from '../../api/config';
import { exampleValueProblems, refuseExampleValues } from '../../config/example-values';
import { freePort } from '../../testkit/ports';
import { loadWorkerConfig, workerExampleValues } from '../../worker/config';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE_ROUTES = path.join(ROOT, 'deploy', 'notify-routes.example.json');

/** What compose hands the engine from .env.example (the container-side values). */
const EXAMPLE_ENV = {
  API_PUBLIC_URL: 'https://localhost',
  TEMPORAL_UI_URL: 'http://localhost:8080',
  MAIL_FROM: 'UEP engine <uep-engine@localhost>',
  SMTP_URL: 'smtp://mailpit:1025',
  NOTIFY_ROUTES_FILE: EXAMPLE_ROUTES,
};

const REAL_ENV = {
  API_PUBLIC_URL: 'https://uep.dcc-onboarding.co.uk',
  TEMPORAL_UI_URL: 'https://temporal.dcc-onboarding.co.uk',
  MAIL_FROM: 'UEP engine <uep@dcc-onboarding.co.uk>',
  SMTP_URL: 'smtps://uep:s3cret-relay-password@relay.dcc-onboarding.co.uk:465',
  NOTIFY_ROUTES_JSON: JSON.stringify({
    SECAS: { email: ['uep@secas.co.uk'], webhooks: [{ url: 'https://hooks.secas.co.uk/uep', secret: 'whsec_zKgyemVFOyVDakPKwRO2CugXC12Hm/Vab1bnQG/dL8U=' }] },
  }),
};

function runEngine(entry: string, env: Record<string, string>): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  return { status: r.status, stderr: r.stderr };
}

describe('example configuration values', () => {
  test("the worker's example configuration: every placeholder is named", () => {
    const problems = exampleValueProblems(workerExampleValues(loadWorkerConfig(EXAMPLE_ENV)));
    expect(problems).toEqual([
      'API_PUBLIC_URL=https://localhost: a link to this machine only (set the address people reach)',
      'TEMPORAL_UI_URL=http://localhost:8080: a link to this machine only (set the address people reach)',
      'MAIL_FROM: UEP engine <uep-engine@localhost> is an example address',
      'routes SECAS.email[0]: secas-uep@example.org is an example address',
      'routes DCC.email[0]: dcc-onboarding@example.org is an example address',
      'routes SEC_PANEL.email[0]: sec-panel-secretariat@example.org is an example address',
      'routes OPS.email[0]: uep-ops@example.org is an example address',
    ]);
  });

  test('change-me passwords and example webhook hosts are named too; loopback IPs count as localhost', () => {
    const problems = exampleValueProblems({
      publicUrls: { API_PUBLIC_URL: 'http://127.0.0.1:3000' },
      webhookUrls: { 'routes OPS.webhooks[0].url': 'https://hooks.example.com/uep' },
      secrets: { SMTP_URL: 'smtps://uep:change-me@relay.uep.co.uk:465', 'routes OPS.webhooks[0].secret': 'change-me-change-me' },
    });
    expect(problems).toEqual([
      'API_PUBLIC_URL=http://127.0.0.1:3000: a link to this machine only (set the address people reach)',
      'routes OPS.webhooks[0].url: https://hooks.example.com/uep is an example host',
      'SMTP_URL: still the example password "change-me"',
      'routes OPS.webhooks[0].secret: still the example password "change-me"',
    ]);
  });

  test('a real configuration passes; UEP_DEMO lets the examples through', () => {
    expect(exampleValueProblems(workerExampleValues(loadWorkerConfig(REAL_ENV)))).toEqual([]);
    expect(exampleValueProblems(apiExampleValues(loadApiConfig(REAL_ENV)))).toEqual([]);
    const examples = workerExampleValues(loadWorkerConfig(EXAMPLE_ENV));
    expect(() => refuseExampleValues(examples, false)).toThrow(/^Refusing to start with example configuration values:\n {2}API_PUBLIC_URL=/);
    expect(() => refuseExampleValues(examples, true)).not.toThrow();
    expect(loadWorkerConfig({ UEP_DEMO: 'true' }).UEP_DEMO).toBe(true);
    expect(loadApiConfig({}).UEP_DEMO).toBe(false);
  });

  test('the API process refuses to start on them, naming each, before it touches Temporal', () => {
    const r = runEngine('api/server.ts', { ...EXAMPLE_ENV, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Refusing to start with example configuration values:');
    expect(r.stderr).toContain('API_PUBLIC_URL=https://localhost');
    expect(r.stderr).toContain('UEP_DEMO=true');
  });

  test('the worker process refuses to start on them, naming the example routes', () => {
    const r = runEngine('worker/main.ts', { ...EXAMPLE_ENV, TEMPORAL_ADDRESS: '127.0.0.1:1', WORKER_METRICS_ENABLED: 'false' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Refusing to start with example configuration values:');
    expect(r.stderr).toContain('routes OPS.email[0]: uep-ops@example.org is an example address');
  });

  test('with UEP_DEMO=true the API gets past the check (and on to Temporal, absent here)', async () => {
    const r = runEngine('api/server.ts', { ...EXAMPLE_ENV, UEP_DEMO: 'true', TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, TEMPORAL_RPC_TIMEOUT_MS: '1000' });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('Refusing to start');
  });

  test("the schema job (first of the compose stack) refuses .env.example's change-me password", () => {
    const script = path.join(ROOT, 'deploy', 'temporal', 'setup-postgres.sh');
    const env = { PATH: process.env.PATH ?? '', POSTGRES_SEEDS: 'postgresql', DB_PORT: '5432', POSTGRES_USER: 'temporal', SQL_PASSWORD: 'change-me' };
    const r = spawnSync('sh', [script], { encoding: 'utf8', env, timeout: 10_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('POSTGRES_PASSWORD is still the example "change-me"');
    expect(readFileSync(path.join(ROOT, '.env.example'), 'utf8')).toMatch(/^POSTGRES_PASSWORD=change-me$/m);
  });

  test('npm start is a demo: it sets UEP_DEMO', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/^UEP_DEMO=true /);
  });
});
