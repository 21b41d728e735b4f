/**
 * A Temporal cluster on PostgreSQL, on this machine, from the official server built at the pinned
 * version: PostgreSQL in a data folder, both schemas set up with the schema tool, then frontend,
 * matching, worker and two history hosts as separate processes (their own gRPC and membership
 * ports), the namespace created with its retention and the engine's search attributes registered.
 * Once up, a process that dies (PostgreSQL too) is restarted with a backoff (scripts/supervisor.ts).
 * Used by `npm run cluster`, the cluster tests and `npm run bench -- --cluster`.
 */
import { Connection } from '@temporalio/client';
import { durationOf } from '../../config/sdk-internals';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_NAMESPACE } from '../../config/temporal';
import { freePort, freePortBelowEphemeral } from '../../testkit/ports';
import { SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import { ensureSearchAttributes } from '../../testkit/register-search-attributes';
import { lineLog, supervise, type Supervised } from '../supervisor';
import { postgres, type Postgres } from './postgres';
import { logged } from './processes';
import { setUpRecord, setUpSchemas } from './schema';
import { ensureServerBinaries, type ServerBinaries } from './server-build';
import { DYNAMIC_CONFIG, serviceConfig, SERVICES, writeJson, type RpcPorts, type ServiceName } from './temporal-config';
import { GO_TOOLCHAIN, SERVER_MODULE, TEMPORAL_SERVER_VERSION } from './versions';

export const HISTORY_HOSTS = 2;

export interface ClusterOptions {
  /** Data folder: PostgreSQL's data, the services' config files and logs (logs/<process>.log). */
  dir: string;
  namespace?: string;
  retentionDays?: number;
  /** The frontend's gRPC port (0: any free one). */
  frontendPort?: number;
  /** PostgreSQL's port (0: any free one). */
  postgresPort?: number;
  logLevel?: string;
  log?: (line: string) => void;
}

export interface Cluster {
  /** The frontend's gRPC address. */
  address: string;
  namespace: string;
  postgres: Postgres;
  /** The engine's record: the uep database in the cluster's PostgreSQL, migrated. */
  recordUrl: string;
  binaries: ServerBinaries;
  versions: { temporal: string; postgres: string };
  /** ms from start to a namespace ready for the engine (build excluded). */
  upInMs: number;
  /** Every running Temporal service process (frontend, matching, worker, history-1, history-2). */
  services(): RunningProcess[];
  /** SIGKILL of history host i (1-based) and no restart until startHistoryHost: its shards move to the other host. */
  killHistoryHost(i: number): Promise<void>;
  startHistoryHost(i: number): Promise<void>;
  /** A fast shutdown of PostgreSQL, downMs without it, then started again on the same data. */
  restartPostgres(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

type ProcessName = Exclude<ServiceName, 'history'> | `history-${number}`;

export interface RunningProcess {
  name: string;
  pid: number;
}

async function rpcPorts(http = false): Promise<RpcPorts> {
  return { grpcPort: await freePort(), membershipPort: await freePortBelowEphemeral() /* stored in a PostgreSQL smallint column */, ...(http ? { httpPort: await freePort() } : {}) };
}

/** Connects once the frontend answers; fails at once when a service process has exited. */
async function connectWhenReady(address: string, timeoutMs: number, services: () => Supervised[], logs: string): Promise<Connection> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const dead = services().filter((p) => !p.alive());
    if (dead.length > 0) throw new Error(`Temporal ${dead.map((p) => p.name).join(', ')} exited during start-up (logs in ${logs})`);
    try {
      return await Connection.connect({ address, connectTimeout: 2000 });
    } catch (err) {
      if (Date.now() > until) throw err;
      await delay(500);
    }
  }
}

/** Waits until a service's port accepts connections; fails at once if the process exited. */
async function untilListening(name: ProcessName, port: number, running: Map<ProcessName, Supervised>, logs: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  while (!(await accepts())) {
    if (!running.get(name)?.alive()) throw new Error(`Temporal ${name} exited during start-up (log: ${path.join(logs, `${name}.log`)})`);
    if (Date.now() > until) throw new Error(`Temporal ${name} not listening on ${port} after ${timeoutMs} ms`);
    await delay(250);
  }
}

async function retrying<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until) throw new Error(`${what}: ${String(err)}`);
      await delay(1000);
    }
  }
}

const ALREADY_EXISTS = 6; // gRPC status code

async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: durationOf(`${retentionDays} days`) });
  } catch (err) {
    if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
  }
}

function version(command: string, args: string[]): string {
  const out = spawnSync(command, args, { encoding: 'utf8' });
  return (out.stdout || out.stderr).trim().split('\n')[0] ?? '?';
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? (() => undefined);
  const supervisorLog = lineLog(log);
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const logs = path.join(opts.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const binaries = ensureServerBinaries(log);
  const setupStarted = Date.now();

  const pg = postgres({ clusterDir: opts.dir, port: opts.postgresPort || (await freePort()), logFile: path.join(logs, 'postgresql.log'), log: supervisorLog });
  const running = new Map<ProcessName, Supervised>();
  const stopAll = async () => {
    // The frontend first (no new work), history last among the services, PostgreSQL at the very end.
    for (const name of ['worker', 'frontend', 'matching', ...Array.from({ length: HISTORY_HOSTS }, (_, i) => `history-${i + 1}`)] as ProcessName[]) {
      await running.get(name)?.stop(20_000);
      running.delete(name);
    }
    await pg.stop();
  };

  try {
    await pg.start();
    log(`PostgreSQL up on 127.0.0.1:${pg.port} (${path.relative(process.cwd(), pg.dataDir) || pg.dataDir})`);
    setUpSchemas(binaries, pg.port);
    const recordUrl = await setUpRecord(binaries, pg.port);
    log('schemas temporal and temporal_visibility up to date; the record (database uep) migrated');

    const ports: Record<ServiceName, RpcPorts> = {
      frontend: opts.frontendPort ? { ...(await rpcPorts(true)), grpcPort: opts.frontendPort } : await rpcPorts(true),
      matching: await rpcPorts(),
      history: await rpcPorts(),
      worker: await rpcPorts(),
    };
    const historyPorts = [ports.history, ...(await Promise.all(Array.from({ length: HISTORY_HOSTS - 1 }, () => rpcPorts())))];
    const dynamicConfigFile = writeJson(path.join(opts.dir, 'dynamicconfig.yaml'), DYNAMIC_CONFIG);
    const configFile = (name: ProcessName, own: Partial<Record<ServiceName, RpcPorts>>) =>
      writeJson(path.join(opts.dir, `${name}.yaml`), serviceConfig({ pgPort: pg.port, ports: { ...ports, ...own }, dynamicConfigFile, logLevel: opts.logLevel ?? 'warn' }));

    const launch = (name: ProcessName, service: ServiceName, file: string) => {
      const spec = { name, command: binaries.server, args: ['--config-file', file, '--allow-no-auth', 'start', '--service', service], env: {} };
      const proc = supervise(spec, supervisorLog, logged(path.join(logs, `${name}.log`)));
      running.set(name, proc);
      return proc;
    };
    const historyFiles = historyPorts.map((p, i) => configFile(`history-${i + 1}`, { history: p }));
    const address = `127.0.0.1:${ports.frontend.grpcPort}`;
    // The frontend alone first: on a fresh database the first process writes the cluster
    // metadata record, and processes starting at the same moment fail on it.
    launch('frontend', 'frontend', configFile('frontend', {}));
    const connection = await connectWhenReady(address, 120_000, () => [...running.values()], logs);
    historyFiles.forEach((file, i) => launch(`history-${i + 1}`, 'history', file));
    for (const service of SERVICES.filter((s) => s !== 'history' && s !== 'frontend')) launch(service, service, configFile(service, {}));
    // Up: listening on its membership port (the worker service serves no gRPC of its own).
    const membershipPorts: [ProcessName, number][] = [
      ...historyPorts.map((p, i): [ProcessName, number] => [`history-${i + 1}`, p.membershipPort]),
      ['matching', ports.matching.membershipPort],
      ['worker', ports.worker.membershipPort],
    ];
    for (const [name, port] of membershipPorts) await untilListening(name, port, running, logs);
    try {
      await retrying('create the namespace', 60_000, () => ensureNamespace(connection, namespace, opts.retentionDays ?? 7));
      await retrying('describe the namespace', 60_000, () => connection.workflowService.describeNamespace({ namespace }));
      const added = await retrying('register search attributes', 60_000, () => ensureSearchAttributes(connection, namespace));
      // Usable once the frontend validates a query naming them (namespace caches refresh every 2 s).
      const probe = `${SEARCH_ATTRIBUTE.partyId.name} = 'probe'`;
      await retrying('query on the search attributes', 60_000, () => connection.workflowService.countWorkflowExecutions({ namespace, query: probe }));
      log(`namespace ${namespace} ready (retention ${opts.retentionDays ?? 7} d; search attributes added: ${added.length})`);
    } finally {
      await connection.close();
    }
    const dead = [...running.values()].filter((p) => !p.alive());
    if (dead.length > 0) throw new Error(`Temporal ${dead.map((p) => p.name).join(', ')} exited during start-up (logs in ${logs})`);
    for (const p of running.values()) p.markUp();
    const versions = { temporal: `${version(binaries.server, ['--version'])} (${SERVER_MODULE}@v${TEMPORAL_SERVER_VERSION}, built with ${GO_TOOLCHAIN})`, postgres: version('postgres', ['--version']) };
    const upInMs = Date.now() - setupStarted;
    log(`services up: ${[...running.keys()].join(', ')} (frontend ${address}) in ${upInMs} ms`);

    return {
      address,
      namespace,
      postgres: pg,
      recordUrl,
      binaries,
      versions,
      upInMs,
      services: () => [...running.values()].filter((p) => p.alive()).map((p) => ({ name: p.name, pid: p.current().pid! })),
      async killHistoryHost(i) {
        await running.get(`history-${i}`)?.stop(0, 'SIGKILL');
        running.delete(`history-${i}`);
      },
      async startHistoryHost(i) {
        const file = historyFiles[i - 1];
        if (!file) throw new Error(`no history host ${i}`);
        if (!running.has(`history-${i}`)) launch(`history-${i}`, 'history', file).markUp();
      },
      async restartPostgres(downMs) {
        await pg.stop();
        await delay(downMs);
        await pg.start();
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
