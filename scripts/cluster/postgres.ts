/**
 * PostgreSQL for the cluster, from the binaries on PATH (initdb, postgres; Debian's 15 here): a
 * data folder initialised once, the server listening on loopback only with password auth, run as
 * an unprivileged user when this process is root. Stop is a fast shutdown (in-flight
 * transactions are rolled back, clients disconnected), as an operator's restart would do.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isRoot, runToEnd, startProcess, UNPRIVILEGED_USER, type ServiceProcess } from './processes';

export const PG_USER = 'temporal';
export const PG_PASSWORD = 'temporal';

export interface Postgres {
  port: number;
  dataDir: string;
  process(): ServiceProcess | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function unprivilegedIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, UNPRIVILEGED_USER.name], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function initialise(dataDir: string): void {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(dataDir, '..', 'pg-password');
  writeFileSync(pwfile, PG_PASSWORD + '\n', { mode: 0o644 });
  if (isRoot()) {
    const { uid, gid } = unprivilegedIds();
    chownSync(dataDir, uid, gid);
  }
  runToEnd('initdb', ['-D', dataDir, '-U', PG_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], { unprivileged: true });
}

async function untilAccepting(port: number, proc: ServiceProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.alive()) throw new Error(`PostgreSQL exited during start-up (see its log)`);
    if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q']).status === 0) return;
    if (Date.now() > until) throw new Error(`PostgreSQL not accepting connections on ${port} after ${timeoutMs} ms`);
    await delay(200);
  }
}

export function postgres(opts: { dataDir: string; port: number; logFile: string }): Postgres {
  let proc: ServiceProcess | undefined;
  return {
    port: opts.port,
    dataDir: opts.dataDir,
    process: () => proc,
    async start() {
      initialise(opts.dataDir);
      // Temporal's processes hold up to 20 connections each (maxConns in temporal-config.ts).
      const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${opts.dataDir}`, 'max_connections=300', 'shared_buffers=128MB'];
      proc = startProcess({
        name: 'postgresql',
        command: 'postgres',
        args: ['-D', opts.dataDir, '-p', String(opts.port), ...settings.flatMap((s) => ['-c', s])],
        logFile: opts.logFile,
        unprivileged: true,
      });
      await untilAccepting(opts.port, proc, 60_000);
    },
    async stop() {
      await proc?.stop('SIGINT', 60_000);
      proc = undefined;
    },
  };
}
