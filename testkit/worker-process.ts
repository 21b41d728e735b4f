/**
 * A worker as a child process of its own (`node --import tsx <entry>`), so that its resident
 * memory can be read apart from the caller's and it can be killed like a real crash (SIGKILL).
 * Used by the benchmarks and by the tests that need a worker of its own (fault and ops tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/temporal-toolchain';
import { readCpuMs, readPeakRssBytes, readRssBytes } from './proc-stats';

export const ENGINE_WORKER_ENTRY = path.join(PROJECT_ROOT, 'worker', 'main.ts');

/** What the worker prints once it polls (worker/main.ts and bench/floor/worker.ts). */
export const WORKER_READY_LINE = 'worker started';

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Output so far (stdout and stderr), for diagnostics. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Resident set size of the process in bytes (from /proc), or undefined once it is gone. */
  rssBytes(): number | undefined;
  peakRssBytes(): number | undefined;
  /** CPU time used so far (user + system), in ms, from /proc. */
  cpuMs(): number | undefined;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `node --import tsx <entry>`, with a V8 CPU profile into BENCH_CPU_PROF when it names a folder. */
export function nodeArgs(entry: string): string[] {
  return [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), '--import', 'tsx', entry];
}

/**
 * Spawns a worker and waits until it prints WORKER_READY_LINE (bounded by readyTimeoutMs). The
 * node process is the direct child (no tsx wrapper process), so pid, RSS and SIGKILL are its own.
 */
export async function startWorkerProcess(opts: {
  entry: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
  /** Forward the worker's output to this process's stderr. */
  echo?: boolean;
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, nodeArgs(opts.entry), {
    cwd: PROJECT_ROOT,
    // Benchmarks and fault tests link to loopback: a demo, not a deployment (config/example-values.ts).
    env: {
      ...process.env,
      UEP_DEMO: 'true',
      // node's own options for the workers only, e.g. a heap limit to measure (not the bench's or the API's)
      ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
    if (opts.echo) process.stderr.write(chunk);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${opts.entry}`);

  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`worker not ready within ${timeoutMs} ms:\n${output.slice(-4000)}`)), timeoutMs);
    const check = () => {
      if (output.includes(WORKER_READY_LINE)) finish();
    };
    const finish = (err?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve();
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    void exited.then((code) => finish(new Error(`worker exited (${String(code)}) before it was ready:\n${output.slice(-4000)}`)));
    check();
  });

  return {
    pid,
    child,
    output: () => output,
    exited,
    rssBytes: () => readRssBytes(pid),
    peakRssBytes: () => readPeakRssBytes(pid),
    cpuMs: () => readCpuMs(pid),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
