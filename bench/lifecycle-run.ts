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
  /** Calls sent again because Temporal was busy (a loaded machine): see retryWhenBusy. */
  retries: number;
  /** CPU ms per lifecycle by component (bench/cpu.ts), when measured. */
  cpuMsPerLifecycle?: CpuSplit;
}

export interface LifecycleSamples {
  updates: number[];
  starts: number[];
  retries: number;
}

/** Attempts at one call before a busy server fails the run. */
const BUSY_ATTEMPTS = 10;

/**
 * Runs `call` again (after 0.5 s, 1 s, ...) while `busy(err)` says the failure is the server's
 * momentary state (a workflow task timed out on a loaded machine, an unanswered call), counting
 * each retry. Only for calls that are safe to repeat (update ids, decision and submission ids).
 */
export async function retryWhenBusy<T>(samples: { retries: number }, busy: (err: unknown) => boolean, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= BUSY_ATTEMPTS || !busy(err)) throw err;
      samples.retries++;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
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
