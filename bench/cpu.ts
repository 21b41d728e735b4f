/**
 * CPU time by component over a run: this process (the bench's clients), the API child process
 * (when the run goes through it), the measured worker child, and the Temporal server (every other
 * child process of this one but the idle processes named in `idle`, i.e. the dev server).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readCpuMs } from './worker-process';

export interface CpuSplit {
  /** ms of CPU per lifecycle */
  benchProcess: number;
  api: number;
  worker: number;
  temporalServer: number;
}

export interface CpuPids {
  worker: number;
  api?: number;
  /** children that are not the server and not measured (the other run's worker, an idle API) */
  idle: readonly number[];
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

function snapshot(pids: CpuPids): Omit<CpuSplit, 'temporalServer'> & { server: number } {
  const usage = process.cpuUsage();
  const known = [pids.worker, ...(pids.api === undefined ? [] : [pids.api]), ...pids.idle];
  const others = childPids(process.pid).filter((p) => !known.includes(p));
  return {
    benchProcess: (usage.user + usage.system) / 1000,
    api: pids.api === undefined ? 0 : (readCpuMs(pids.api) ?? 0),
    worker: readCpuMs(pids.worker) ?? 0,
    server: others.reduce((sum, p) => sum + (readCpuMs(p) ?? 0), 0),
  };
}

export const cpuTotal = (c: CpuSplit) => c.benchProcess + c.api + c.worker + c.temporalServer;

/** Measures CPU while fn runs; divides by `per` (lifecycles). */
export async function withCpu<T>(pids: CpuPids, per: number, fn: () => Promise<T>): Promise<{ value: T; cpu: CpuSplit }> {
  const before = snapshot(pids);
  const value = await fn();
  const after = snapshot(pids);
  const r = (x: number) => Math.round(x / per);
  return {
    value,
    cpu: {
      benchProcess: r(after.benchProcess - before.benchProcess),
      api: r(after.api - before.api),
      worker: r(after.worker - before.worker),
      temporalServer: r(after.server - before.server),
    },
  };
}
