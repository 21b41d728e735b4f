/**
 * PostgreSQL for the cluster, from the binaries on PATH (initdb, postgres; Debian's 15 here): a
 * data folder initialised once, the server listening on loopback only (TCP, no Unix socket) with
 * password auth, run as an unprivileged user when this process is root, and restarted by the
 * supervisor if it dies (crash recovery replays its WAL). Stop is a fast shutdown (in-flight
 * transactions are rolled back, clients disconnected), as an operator's restart would do.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { supervise, type Supervised, type SupervisorLog } from '../supervisor';
import { isRoot, logged, runToEnd, UNPRIVILEGED_USER } from './processes';

export const PG_USER = 'temporal';
export const PG_PASSWORD = 'temporal';

/** Where root's PostgreSQL keeps its data when the unprivileged user cannot reach the cluster folder. */
export const PRIVATE_DATA_PARENT = '/var/tmp';

export interface Postgres {
  port: number;
  dataDir: string;
  /** The postmaster's pid while it runs. */
  pid(): number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function unprivilegedIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, UNPRIVILEGED_USER.name], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function unprivilegedCanReach(dir: string): boolean {
  try {
    runToEnd('test', ['-x', dir], { unprivileged: true, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder that holds PostgreSQL's data folder: the cluster folder (opened to the unprivileged
 * user when this process is root), unless the unprivileged user cannot reach it (a clone in root's
 * home, mode 0700). Then a folder of that user's own, mode 0700, in /var/tmp (kept across reboots,
 * unlike /tmp), named after the cluster folder so that every run of that cluster finds its data
 * again. Root's home keeps its mode: nothing outside the clone changes but that one folder.
 */
function dataHome(clusterDir: string): string {
  if (!isRoot()) return clusterDir;
  if (unprivilegedCanReach(path.dirname(clusterDir))) {
    chmodSync(clusterDir, 0o755);
    return clusterDir;
  }
  const { uid, gid } = unprivilegedIds();
  const home = path.join(PRIVATE_DATA_PARENT, `uep-engine-postgresql-${createHash('sha256').update(path.resolve(clusterDir)).digest('hex').slice(0, 16)}`);
  try {
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, uid, gid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const found = lstatSync(home);
  if (!found.isDirectory() || found.uid !== uid || (found.mode & 0o077) !== 0) {
    throw new Error(`${home} (PostgreSQL's data for ${clusterDir}) is not a folder of ${UNPRIVILEGED_USER.name}'s own with mode 0700; remove it, or set UEP_CLUSTER_DIR to a folder ${UNPRIVILEGED_USER.name} can reach`);
  }
  return home;
}

function initialise(dataDir: string): void {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // read by initdb only, which runs as the unprivileged user when this process is root
  const pwfile = path.join(path.dirname(dataDir), 'pg-password');
  writeFileSync(pwfile, PG_PASSWORD + '\n', { mode: 0o600 });
  try {
    if (isRoot()) {
      const { uid, gid } = unprivilegedIds();
      chownSync(dataDir, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    runToEnd('initdb', ['-D', dataDir, '-U', PG_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], { unprivileged: true, cwd: path.dirname(dataDir) });
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function untilAccepting(port: number, proc: Supervised, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.alive()) throw new Error(`PostgreSQL exited during start-up (see its log)`);
    if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q']).status === 0) return;
    if (Date.now() > until) throw new Error(`PostgreSQL not accepting connections on ${port} after ${timeoutMs} ms`);
    await delay(200);
  }
}

/** `clusterDir`: the cluster's data folder (see dataHome for where PostgreSQL's own data goes). */
export function postgres(opts: { clusterDir: string; port: number; logFile: string; log: SupervisorLog }): Postgres {
  const dataDir = path.join(dataHome(opts.clusterDir), 'postgresql');
  let proc: Supervised | undefined;
  return {
    port: opts.port,
    dataDir,
    pid: () => (proc?.alive() ? proc.current().pid : undefined),
    async start() {
      initialise(dataDir);
      // Temporal's processes hold up to 20 connections each (maxConns in temporal-config.ts).
      // No Unix socket: everything connects over TCP, and a deep clone's path would exceed a socket path's 107 bytes.
      const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=300', 'shared_buffers=128MB'];
      const args = ['-D', dataDir, '-p', String(opts.port), ...settings.flatMap((s) => ['-c', s])];
      proc = supervise({ name: 'postgresql', command: 'postgres', args, env: {} }, opts.log, logged(opts.logFile, { unprivileged: true, cwd: path.dirname(dataDir) }));
      await untilAccepting(opts.port, proc, 60_000);
      proc.markUp();
    },
    async stop() {
      await proc?.stop(60_000, 'SIGINT');
      proc = undefined;
    },
  };
}
