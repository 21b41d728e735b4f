/**
 * CPU time by component over a run: this process (the bench's clients), the API child process
 * (when the run goes through it), the measured worker child, and the Temporal server (every other
 * child process of this one but the idle processes named in `idle`, i.e. the dev server). On a
 * cluster, also by named server process: each Temporal service, and PostgreSQL with its backends.
 */
import { readdirSync } from 'node:fs';
import { readCpuMs, readProcStat } from '../testkit/proc-stats';

export interface CpuSplit {
  /** ms of CPU per lifecycle */
  benchProcess: number;
  api: number;
  worker: number;
  temporalServer: number;
  /** Per named server process (cluster runs): ms per lifecycle. */
  byProcess?: Record<string, number>;
  /** The worker's CPU by thread: ms per lifecycle. */
  workerThreads: WorkerThreadsCpu;
}

/**
 * A worker's CPU by thread. `workflow`: the SDK's workflow threads (workflow code in its sandbox);
 * `main`: the main thread (activities, the SDK's side of the bridge, logging); `other`: the rest
 * (Temporal core's Rust threads, V8's and libuv's helpers), including threads that ran and
 * exited meanwhile.
 */
export interface WorkerThreadsCpu {
  workflow: number;
  main: number;
  other: number;
}

/** Node names a worker_threads thread 'WorkerThread' and its main thread 'MainThread' (Linux comm). */
const WORKFLOW_THREAD = 'WorkerThread';

/** The worker's CPU so far by thread; `other` is the process total less its workflow and main threads. */
function workerThreadsCpuMs(pid: number): WorkerThreadsCpu {
  const total = readCpuMs(pid) ?? 0;
  let workflow = 0;
  let main = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    // gone
  }
  for (const tid of tids) {
    const task = readProcStat(`/proc/${pid}/task/${tid}/stat`); // undefined: the thread exited
    if (!task) continue;
    if (tid === String(pid)) main += task.cpuMs;
    else if (task.comm === WORKFLOW_THREAD) workflow += task.cpuMs;
  }
  return { workflow, main, other: total - workflow - main };
}

export interface CpuPids {
  worker: number;
  api?: number;
  /** children that are not the server and not measured (the other run's worker, an idle API) */
  idle: readonly number[];
}

/** A server process to account on its own; `tree`: with its descendants (PostgreSQL's backends). */
export interface NamedProcess {
  name: string;
  pid: number;
  tree?: boolean;
}

function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(`/proc/${name}/stat`);
    if (stat) map.set(Number(name), stat.ppid);
  }
  return map;
}

const childPids = (ppid: number, map: Map<number, number>) => [...map].filter(([, parent]) => parent === ppid).map(([pid]) => pid);

/** A process's CPU with its exited children's (cutime, cstime) and its live descendants'. */
function treeCpuMs(pid: number, map: Map<number, number>): number {
  const stat = readProcStat(`/proc/${pid}/stat`);
  if (!stat) return 0;
  let ms = stat.cpuMs + stat.childrenCpuMs;
  const stack = childPids(pid, map);
  while (stack.length > 0) {
    const child = stack.pop()!;
    ms += readCpuMs(child) ?? 0;
    stack.push(...childPids(child, map));
  }
  return ms;
}

interface Snapshot {
  self: number;
  api: number;
  worker: number;
  server: number;
  byProcess: Record<string, number>;
  workerThreads: WorkerThreadsCpu;
}

function snapshot(pids: CpuPids, named: readonly NamedProcess[]): Snapshot {
  const usage = process.cpuUsage();
  const map = parents();
  const byProcess: Record<string, number> = {};
  for (const p of named) byProcess[p.name] = p.tree ? treeCpuMs(p.pid, map) : (readCpuMs(p.pid) ?? 0);
  const known = [pids.worker, ...(pids.api === undefined ? [] : [pids.api]), ...pids.idle, ...named.map((n) => n.pid)];
  const others = childPids(process.pid, map).filter((p) => !known.includes(p));
  return {
    self: (usage.user + usage.system) / 1000,
    api: pids.api === undefined ? 0 : (readCpuMs(pids.api) ?? 0),
    worker: readCpuMs(pids.worker) ?? 0,
    server: others.reduce((sum, p) => sum + (readCpuMs(p) ?? 0), 0) + Object.values(byProcess).reduce((a, b) => a + b, 0),
    byProcess,
    workerThreads: workerThreadsCpuMs(pids.worker),
  };
}

export const cpuTotal = (c: CpuSplit) => c.benchProcess + c.api + c.worker + c.temporalServer;

/** Measures CPU while fn runs; divides by `per` (lifecycles). `named`: server processes to split out. */
export async function withCpu<T>(pids: CpuPids, per: number, fn: () => Promise<T>, named: readonly NamedProcess[] = []): Promise<{ value: T; cpu: CpuSplit }> {
  const before = snapshot(pids, named);
  const value = await fn();
  const after = snapshot(pids, named);
  const r = (x: number) => Math.round(x / per);
  const cpu: CpuSplit = {
    benchProcess: r(after.self - before.self),
    api: r(after.api - before.api),
    worker: r(after.worker - before.worker),
    temporalServer: r(after.server - before.server),
    workerThreads: {
      workflow: r(after.workerThreads.workflow - before.workerThreads.workflow),
      main: r(after.workerThreads.main - before.workerThreads.main),
      other: r(after.workerThreads.other - before.workerThreads.other),
    },
  };
  if (named.length > 0) cpu.byProcess = Object.fromEntries(named.map((p) => [p.name, r((after.byProcess[p.name] ?? 0) - (before.byProcess[p.name] ?? 0))]));
  return { value, cpu };
}
