/** A run of N lifecycles, C at a time: wall time, throughput and per-call latencies. */
import { mapLimited } from '../api/map-limited';
import type { CpuSplit } from './cpu';
import { summarize, type LatencySummary } from './stats';

export interface RunResult {
  name: string;
  lifecycles: number;
  concurrency: number;
  /** Updates sent per lifecycle (submissions and decisions). */
  updatesPerLifecycle: number;
  wallMs: number;
  lifecyclesPerSec: number;
  updatesPerSec: number;
  update: LatencySummary;
  start: LatencySummary;
  /** Whole lifecycle, first call to last answer. */
  lifecycle: LatencySummary;
  /** Calls sent again because Temporal was busy (a loaded machine): see testkit/retry-when-busy.ts. */
  retries: number;
  /** CPU ms per lifecycle by component (bench/cpu.ts), when measured. */
  cpuMsPerLifecycle?: CpuSplit;
}

export interface LifecycleSamples {
  updates: number[];
  starts: number[];
  retries: number;
}

/** Runs `one(i)` for i in 0..n-1 with `concurrency` in flight; `one` pushes its own samples. */
export async function runLifecycles(
  name: string,
  n: number,
  concurrency: number,
  one: (i: number, samples: LifecycleSamples) => Promise<number>,
): Promise<RunResult> {
  const samples: LifecycleSamples = { updates: [], starts: [], retries: 0 };
  const lifecycles: number[] = [];
  const started = performance.now();
  const counts = await mapLimited(
    Array.from({ length: n }, (_, i) => i),
    concurrency,
    async (i) => {
      const t0 = performance.now();
      const updates = await one(i, samples);
      lifecycles.push(performance.now() - t0);
      return updates;
    },
  );
  const wallMs = performance.now() - started;
  const total = counts.reduce((a, b) => a + b, 0);
  const perLifecycle = new Set(counts);
  if (perLifecycle.size !== 1) throw new Error(`${name}: lifecycles took different numbers of updates: ${[...perLifecycle].join(', ')}`);
  return {
    name,
    lifecycles: n,
    concurrency,
    updatesPerLifecycle: counts[0] ?? 0,
    retries: samples.retries,
    wallMs: Math.round(wallMs),
    lifecyclesPerSec: Math.round((n / (wallMs / 1000)) * 100) / 100,
    updatesPerSec: Math.round((total / (wallMs / 1000)) * 10) / 10,
    update: summarize(samples.updates),
    start: summarize(samples.starts),
    lifecycle: summarize(lifecycles),
  };
}
