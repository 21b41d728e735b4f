/**
 * Record servers for tests: the embedded PGlite (in memory, on a loopback socket) and a real
 * PostgreSQL server (Debian's initdb / pg_ctl from PATH) in a temp folder, run as an
 * unprivileged user when the tests run as root. Both on free ports; both torn down by stop().
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export const RECORD_BACKENDS = ['pglite', 'postgresql'] as const;
export type RecordBackend = (typeof RECORD_BACKENDS)[number];

export interface RecordServer {
  backend: RecordBackend;
  /** The superuser's URL (migrations, test set-up) */
  url: string;
  /** The URL of a login role that is a member of uep_engine (real server only). */
  urlAs(user: string, password: string): string;
  stop(): Promise<void>;
}

const UNPRIVILEGED_USER = 'nobody';

/** Runs a PostgreSQL binary; as root, as the unprivileged user (PostgreSQL refuses to run as root). */
function pgBinary(args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', UNPRIVILEGED_USER, '--', ...args]] : [args[0]!, args.slice(1)];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

export async function startRealPostgres(): Promise<RecordServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'uep-pg-'));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', UNPRIVILEGED_USER]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', UNPRIVILEGED_USER]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  pgBinary(['initdb', '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  pgBinary(['pg_ctl', '-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    backend: 'postgresql',
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    urlAs: (user, password) => `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        pgBinary(['pg_ctl', '-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const EMBEDDED_MAIN = path.join(__dirname, '..', 'record', 'embedded-main.ts');

/**
 * The embedded record as `npm start` runs it: record/embedded-main.ts as a child process (PGlite
 * in memory, or in dataDir), already migrated.
 */
export async function startPgliteServer(opts: { dataDir?: string } = {}): Promise<RecordServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', EMBEDDED_MAIN], {
    env: { ...process.env, UEP_RECORD_DIR: opts.dataDir ?? '', RECORD_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the embedded record exited with ${String(code)} before it was ready`);
    }),
  ]);
  lines.close();
  const { url } = JSON.parse(first) as { url: string };
  return {
    backend: 'pglite',
    url,
    urlAs: () => {
      throw new Error('PGlite has one user: roles are tested on the real server');
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function startRecordServer(backend: RecordBackend): Promise<RecordServer> {
  return backend === 'pglite' ? startPgliteServer() : startRealPostgres();
}
