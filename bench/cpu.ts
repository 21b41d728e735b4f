/**
 * CPU time by component over a run: this process (HTTP API and clients), the measured worker
 * child, and the Temporal server (every other child process of this one but the idle workers
 * named in `otherWorkers`, i.e. the dev server).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readCpuMs } from './worker-process';

export interface CpuSplit {
  /** ms of CPU per lifecycle */
  benchProcess: number;
  worker: number;
  temporalServer: number;
}

function childPids(ppid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.split(') ')[1]?.split(' ')[1]);
      if (parent === ppid) pids.push(Number(name));
    } catch {
      // gone
    }
  }
  return pids;
}

function snapshot(workerPid: number, otherWorkers: readonly number[]): { self: number; worker: number; server: number } {
  const usage = process.cpuUsage();
  const others = childPids(process.pid).filter((p) => p !== workerPid && !otherWorkers.includes(p));
  return {
    self: (usage.user + usage.system) / 1000,
    worker: readCpuMs(workerPid) ?? 0,
    server: others.reduce((sum, p) => sum + (readCpuMs(p) ?? 0), 0),
  };
}

/** Measures CPU while fn runs; divides by `per` (lifecycles). */
export async function withCpu<T>(
  worker: { pid: number; otherWorkers: readonly number[] },
  per: number,
  fn: () => Promise<T>,
): Promise<{ value: T; cpu: CpuSplit }> {
  const before = snapshot(worker.pid, worker.otherWorkers);
  const value = await fn();
  const after = snapshot(worker.pid, worker.otherWorkers);
  const r = (x: number) => Math.round(x / per);
  return { value, cpu: { benchProcess: r(after.self - before.self), worker: r(after.worker - before.worker), temporalServer: r(after.server - before.server) } };
}
