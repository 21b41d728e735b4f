/**
 * The benchmark's settings, from the environment (parsed once, like the engine's own config).
 * Defaults finish within about ten minutes on a 2-core machine; BENCH_QUICK=1 is a smoke run.
 */
import { z } from 'zod';
import { flag, parseEnv } from '../config/env';

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const benchEnvSchema = z.object({
  /** A smoke run (< 1 min): small N, a small scale set, everything else as usual. */
  BENCH_QUICK: flag(false),
  /** Lifecycles driven in the floor run and in the engine run. */
  BENCH_N: count(0),
  /** Lifecycles in flight at once (the same in both runs). */
  BENCH_CONCURRENCY: count(0),
  /** Open entries for the scale measurement (0 skips it). */
  BENCH_SCALE: count(-1).pipe(z.number().int().min(-1)),
  /** Status and list queries sampled at scale. */
  BENCH_SCALE_SAMPLE: count(0),
  /** Entries started at once while filling the scale set. */
  BENCH_START_CONCURRENCY: count(32),
  /** Run the six-month lifecycle on the time-skipping server. */
  BENCH_TIME_SKIPPING: flag(true),
  /** Entries in the console's DCC inbox, measured in chromium (0 skips it). */
  BENCH_CONSOLE_ENTRIES: count(-1).pipe(z.number().int().min(-1)),
  /** Open live inbox streams (GET /v1/inbox/events) told of each change (0 skips the phase). */
  BENCH_LIVE_INBOX_STREAMS: count(-1).pipe(z.number().int().min(-1)),
  /** Changes each live inbox stream is told of (measured; two more warm up). */
  BENCH_LIVE_INBOX_CHANGES: count(0),
  /**
   * Run only these parts, comma-separated, each on a stack of its own (no floor, no engine run):
   * `live-inbox`, `console`, `files`. Their tables and JSON as in a full run, with the machine and its load.
   */
  BENCH_ONLY: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['live-inbox', 'console', 'files']))),
  /** The evidence file's size in MiB (the files part; a file BENCH_FILE_BOUND_FACTOR times larger follows); 0 leaves the part out. */
  BENCH_FILE_MB: count(-1).pipe(z.number().int().min(-1)),
  /** Use this Temporal server instead of starting a dev server. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  /** Where the JSON result goes (default bench/results/<timestamp>.json). */
  BENCH_OUT: z.string().optional(),
});

export type BenchPart = 'live-inbox' | 'console' | 'files';

export interface BenchConfig {
  quick: boolean;
  /** `--cluster`: on the PostgreSQL-backed Temporal cluster of `npm run cluster`. */
  cluster: boolean;
  n: number;
  concurrency: number;
  scale: number;
  scaleSample: number;
  startConcurrency: number;
  timeSkipping: boolean;
  consoleEntries: number;
  liveInboxStreams: number;
  liveInboxChanges: number;
  /** The evidence file's size in MiB (0: no files part). */
  fileMb: number;
  /** Only these parts (empty: the full run). */
  only: BenchPart[];
  temporalAddress?: string;
  out?: string;
}

const DEFAULTS = {
  full: { n: 300, concurrency: 16, scale: 10_000, scaleSample: 500, consoleEntries: 1000, liveInboxStreams: 200, liveInboxChanges: 20, fileMb: 50 },
  quick: { n: 20, concurrency: 8, scale: 300, scaleSample: 50, consoleEntries: 100, liveInboxStreams: 40, liveInboxChanges: 5, fileMb: 10 },
};

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): BenchConfig {
  const e = parseEnv(benchEnvSchema, env);
  const unknown = argv.filter((a) => a !== '--cluster');
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (the only one is --cluster; settings are env variables, see bench/config.ts)`);
  const d = e.BENCH_QUICK ? DEFAULTS.quick : DEFAULTS.full;
  return {
    quick: e.BENCH_QUICK,
    cluster: argv.includes('--cluster'),
    n: e.BENCH_N || d.n,
    concurrency: e.BENCH_CONCURRENCY || d.concurrency,
    scale: e.BENCH_SCALE >= 0 ? e.BENCH_SCALE : d.scale,
    scaleSample: e.BENCH_SCALE_SAMPLE || d.scaleSample,
    startConcurrency: e.BENCH_START_CONCURRENCY,
    timeSkipping: e.BENCH_TIME_SKIPPING,
    consoleEntries: e.BENCH_CONSOLE_ENTRIES >= 0 ? e.BENCH_CONSOLE_ENTRIES : d.consoleEntries,
    liveInboxStreams: e.BENCH_LIVE_INBOX_STREAMS >= 0 ? e.BENCH_LIVE_INBOX_STREAMS : d.liveInboxStreams,
    liveInboxChanges: e.BENCH_LIVE_INBOX_CHANGES || d.liveInboxChanges,
    fileMb: e.BENCH_FILE_MB >= 0 ? e.BENCH_FILE_MB : d.fileMb,
    only: e.BENCH_ONLY,
    ...(e.TEMPORAL_ADDRESS ? { temporalAddress: e.TEMPORAL_ADDRESS } : {}),
    ...(e.BENCH_OUT ? { out: e.BENCH_OUT } : {}),
  };
}
