/**
 * `npm start` (scripts/start-local.ts) as a child process for tests: its own process group (so
 * that stop() ends it and every process it started, whatever state it is in), its output kept.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { localEnvSchema } from '../config/start-local-env';
import { PROJECT_ROOT } from '../config/temporal-toolchain';

export interface NpmStart {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | NodeJS.Signals | null>;
  /** Resolves once the output matches (rejects if the process exits first or after timeoutMs). */
  until(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Ctrl-C as a terminal sends it: SIGINT to every process of the group at once. */
  interrupt(): void;
  /** SIGTERM to the group, SIGKILL to whatever is left after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

export const BANNER = 'UEP engine running';

/** npm start with exactly these settings (any npm start setting of this process's environment is dropped). */
export function startNpmStart(env: Record<string, string>, cwd = PROJECT_ROOT): NpmStart {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in localEnvSchema.shape)));
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [PROJECT_ROOT] })).href;
  const child = spawn(process.execPath, ['--import', tsx, path.join(PROJECT_ROOT, 'scripts', 'start-local.ts')], {
    cwd,
    env: { ...inherited, UEP_DEMO: 'true', ...env }, // as the start script of package.json
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    listeners.forEach((l) => l());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone
    }
  };

  return {
    child,
    output: () => output,
    exited,
    until(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = output.match(pattern);
          if (m) finish(() => resolve(m));
        };
        const finish = (then: () => void) => {
          listeners.delete(check);
          clearTimeout(timer);
          then();
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} after ${timeoutMs} ms:\n${output.slice(-3000)}`))), timeoutMs);
        listeners.add(check);
        void exited.then((code) => {
          check();
          finish(() => reject(new Error(`npm start exited (${String(code)}) before ${pattern}:\n${output.slice(-3000)}`)));
        });
        check();
      });
    },
    interrupt: () => killGroup('SIGINT'),
    async stop(graceMs = 40_000) {
      killGroup('SIGTERM');
      const grace = new AbortController();
      await Promise.race([exited, delay(graceMs, undefined, { signal: grace.signal }).catch(() => undefined)]);
      grace.abort();
      killGroup('SIGKILL');
    },
  };
}

/** The bearer token npm start minted for a body (data/dev-tokens.txt). */
export function devToken(dataDir: string, body: string): string {
  const line = readFileSync(path.join(dataDir, 'dev-tokens.txt'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${body} `));
  if (!line) throw new Error(`no ${body} token in ${dataDir}/dev-tokens.txt`);
  return line.trim().split(/\s+/).at(-1)!;
}
