/**
 * npm run cluster: the engine on a real Temporal cluster on this machine (see cluster.ts), with two
 * engine workers sharing its task queue and the HTTP API. Once up, any of its processes that dies
 * (a Temporal service, an engine worker, the API, PostgreSQL) is restarted with a backoff while the
 * others keep serving (scripts/supervisor.ts). Ctrl-C (SIGINT) or SIGTERM stops the API and
 * workers, then every Temporal service, then PostgreSQL; nothing is left running.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { parseEnv, port } from '../../config/env';
import { DEFAULT_NAMESPACE } from '../../config/temporal';
import { freePort } from '../../testkit/ports';
import { ensureLocalTokens } from '../local-tokens';
import { startLocalMailSink } from '../local-mail-sink';
import { EXAMPLE_ROUTES_FILE } from '../../config/start-local-env';
import { PROJECT_ROOT } from '../../config/temporal-toolchain';
import { lineLog, supervise, type Supervised } from '../supervisor';
import { startCluster, type Cluster } from './cluster';
import { logged } from './processes';
import { API_SERVER, apiNodeArgs } from '../../config/engine-processes';

const clusterEnvSchema = z.object({
  TEMPORAL_NAMESPACE: z.string().default(DEFAULT_NAMESPACE),
  /** The frontend's gRPC port (0: any free one). */
  TEMPORAL_PORT: port(7233),
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  API_PORT: port(3000),
  ENGINE_WORKERS: z.coerce.number().int().min(1).max(8).default(2),
  /** Where the workers send mail; unset: a local sink writes every message to <dir>/mail. */
  SMTP_URL: z.string().optional(),
  LOCAL_SMTP_PORT: port(1025),
  UEP_CLUSTER_DIR: z.string().default(path.join(PROJECT_ROOT, 'data', 'cluster')),
});

/** What worker/main.ts prints once it polls. */
const WORKER_READY_LINE = 'worker started';
const log = (line: string) => console.log(`[cluster] ${line}`);

let cluster: Cluster | undefined;
const engine: Supervised[] = [];
let closeMail: (() => Promise<void>) | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  log('stopping: API and workers, then Temporal, then PostgreSQL');
  for (const p of [...engine].reverse()) await p.stop(35_000);
  await cluster?.stop();
  await closeMail?.();
  log('stopped');
  process.exit(code);
}

async function until(what: string, timeoutMs: number, ready: () => boolean | Promise<boolean>, proc: Supervised): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (!proc.alive()) throw new Error(`${what} exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await delay(250);
  }
}

async function main(): Promise<void> {
  const env = parseEnv(clusterEnvSchema);
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const dir = path.resolve(env.UEP_CLUSTER_DIR);
  const logs = path.join(dir, 'logs');

  cluster = await startCluster({ dir, namespace: env.TEMPORAL_NAMESPACE, retentionDays: env.TEMPORAL_RETENTION_DAYS, frontendPort: env.TEMPORAL_PORT, log });
  log(`versions: ${cluster.versions.temporal}; ${cluster.versions.postgres}`);

  const tokensFile = ensureLocalTokens(dir);
  let smtpUrl = env.SMTP_URL;
  let mailNote = smtpUrl ?? '';
  if (!smtpUrl) {
    const sink = await startLocalMailSink(dir, env.LOCAL_SMTP_PORT);
    closeMail = () => sink.close();
    smtpUrl = sink.url;
    mailNote = `${sink.dir} (every message as an .eml file)`;
  }
  const apiPort = env.API_PORT || (await freePort());
  // A local trial, as npm start: loopback links and example routes are allowed (config/example-values.ts).
  const shared = {
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    RECORD_DATABASE_URL: cluster.recordUrl,
    API_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    UEP_DEMO: 'true',
  };
  const node = (name: string, entry: string, extra: Record<string, string>) => {
    const spec = { name, command: process.execPath, args: entry === API_SERVER ? apiNodeArgs() : ['--import', 'tsx', entry], env: { ...shared, ...extra } };
    const p = supervise(spec, lineLog(log), logged(path.join(logs, `${name}.log`), { cwd: PROJECT_ROOT }));
    engine.push(p);
    return p;
  };
  // As npm start: body mail to the example desks unless routes are given (an unrouted body's notices fail).
  const routes: Record<string, string> = process.env.NOTIFY_ROUTES_FILE || process.env.NOTIFY_ROUTES_JSON ? {} : { NOTIFY_ROUTES_FILE: EXAMPLE_ROUTES_FILE };
  for (let i = 1; i <= env.ENGINE_WORKERS; i++) {
    const name = `engine-worker-${i}`;
    const logFile = path.join(logs, `${name}.log`);
    const before = existsSync(logFile) ? statSync(logFile).size : 0; // logs are appended to across runs
    const p = node(name, 'worker/main.ts', { SMTP_URL: smtpUrl, WORKER_METRICS_PORT: String(await freePort()), ...routes });
    await until(name, 120_000, () => readFileSync(logFile).subarray(before).includes(WORKER_READY_LINE), p);
  }
  const api = node('api', API_SERVER, { API_PORT: String(apiPort), AUTH_TOKENS_FILE: tokensFile });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await until('api', 60_000, () => fetch(`${apiUrl}/readyz`).then((r) => r.ok, () => false), api);
  for (const p of engine) p.markUp();

  console.log(
    [
      '',
      'UEP engine running on a Temporal cluster:',
      `  API             ${apiUrl}  (docs: /docs, OpenAPI: /openapi.json)`,
      `  Temporal gRPC   ${cluster.address}  (namespace ${env.TEMPORAL_NAMESPACE}; e.g. temporal workflow list --address ${cluster.address})`,
      `  Temporal        ${cluster.services().map((s) => `${s.name} (pid ${s.pid})`).join(', ')}`,
      `  PostgreSQL      127.0.0.1:${cluster.postgres.port} (pid ${cluster.postgres.pid()}), data in ${cluster.postgres.dataDir}`,
      `  Record          ${cluster.recordUrl.replace(/:[^:@/]+@/, ':***@')} (the engine's record, database uep)`,
      `  Engine          ${engine.map((p) => `${p.name} (pid ${p.current().pid})`).join(', ')}`,
      `  Dev tokens      ${path.join(dir, 'dev-tokens.txt')}`,
      `  Mail            ${mailNote}`,
      `  Logs            ${logs}`,
      `Cluster up in ${Math.round(cluster.upInMs / 1000)} s. A process that dies is restarted; Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  void stop(1);
});
