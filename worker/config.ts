import { z } from 'zod';
import { notificationEnvSchema } from '../activities/config';
import { flag, parseEnv, port } from '../config/env';
import { logLevelSchema } from '../config/logging';
import { temporalEnvSchema } from '../config/temporal';

export const workerEnvSchema = temporalEnvSchema.extend({
  /** Prometheus metrics from the SDK runtime, at http://HOST:PORT/metrics. */
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  WORKER_METRICS_PORT: port(9464),
  WORKER_METRICS_ENABLED: flag(true),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40),
  /**
   * Workflows kept in memory between tasks. Each cached entry costs about 0.45 MB of worker RSS
   * plus garbage the V8 heap keeps until it collects (`npm run bench`: 10,000 cached entries made
   * a 4.6 GiB worker; 1,000 settled at 973 MiB but peaked at 1.1 GiB while entries were started).
   * An evicted entry is replayed from its short history on its next task or query in a few ms.
   * 500 keeps the active entries hot and a worker with 10,000 idle ones under 1 GiB.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(500),
  /** How long in-flight activities get to finish after SIGTERM. */
  WORKER_SHUTDOWN_GRACE: z.string().default('30s'),
  /** Identifies the deployed code in metrics and logs (e.g. the git commit). */
  WORKER_BUILD_ID: z.string().min(1).default('dev'),
  /** A prebuilt workflow bundle (built into the image); bundles from source when unset. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  /** Base URL of the API, for links in notifications. */
  API_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  /** trace, debug, info, warn, error or silent (pino's levels; upper case accepted). */
  LOG_LEVEL: logLevelSchema,
}).extend(notificationEnvSchema.shape);
export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, env);
}
