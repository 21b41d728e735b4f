import { z } from 'zod';
import { notificationEnvSchema, notificationSettings } from '../activities/config';
import { flag, parseEnv, port } from '../config/env';
import { logLevelSchema } from '../config/logging';
import { recordEnvSchema } from '../config/record';
import { demoEnvSchema, type ExampleValueCheck } from '../config/example-values';
import { temporalEnvSchema } from '../config/temporal';

export const workerEnvSchema = temporalEnvSchema.extend({
  /** Prometheus metrics from the SDK runtime, at http://HOST:PORT/metrics. */
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  WORKER_METRICS_PORT: port(9464),
  WORKER_METRICS_ENABLED: flag(true),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40),
  /**
   * Workflows kept in memory between tasks. The SDK's reused V8 context gives every workflow its
   * own copy of the bundle's modules, so each cached entry holds most of a megabyte of the
   * workflow thread's heap, and V8 lets the garbage of a burst of starts grow with it
   * (`npm run bench`, 10,000 entries started at once: peak RSS 2,859 MiB with 500, 1,219-1,273
   * MiB with 100; 819-855 MiB with 100 once the mail's calendar event no longer went through
   * yup, docs/benchmarks.md). An evicted entry is replayed from its short history on its next
   * task, in milliseconds, and an entry waits days between sign-offs; 100 keeps the entries being
   * worked on hot.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(100),
  /**
   * A file refreshed while Temporal lists this worker as a poller of its task queue: the
   * container healthcheck reads its age (worker/health.ts). Unset: no health file.
   */
  WORKER_HEALTH_FILE: z.string().min(1).optional(),
  WORKER_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /** How long in-flight activities get to finish after SIGTERM. */
  WORKER_SHUTDOWN_GRACE: z.string().default('30s'),
  /**
   * Every how many ms the Temporal Schedule uep-record-reconciler runs a reconcile pass
   * (worker/reconcile-schedule.ts); set at each worker start. Each pass is a workflow in the
   * Temporal UI's list: 15 min keeps them out of the entries' way (npm run record:reconcile runs one now).
   */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).default(900_000),
  /**
   * Every how many ms the worker looks in the record's outbox of notices to a person (a stage
   * assigned to a colleague: worker/person-notices.ts). An idle look is one indexed query and no
   * Temporal action; 2 s keeps "at once" within seconds.
   */
  PERSON_NOTICE_POLL_MS: z.coerce.number().int().min(100).default(2000),
  /**
   * When the daily digest goes out, as HH:MM in DIGEST_TIME_ZONE (the Temporal Schedule
   * uep-notice-digest, worker/digest-schedule.ts). Assumption the deployment sets: 07:00 London
   * time, before a working day starts; no source in the SEC fixes it.
   */
  DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'DIGEST_TIME is HH:MM, 24-hour (e.g. 07:00)')
    .default('07:00'),
  /** The IANA time zone DIGEST_TIME is in (Temporal applies its daylight saving). */
  DIGEST_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'DIGEST_TIME_ZONE is an IANA time zone (e.g. Europe/London)')
    .default('Europe/London'),
  /** Identifies the deployed code in metrics and logs (e.g. the git commit). */
  WORKER_BUILD_ID: z.string().min(1).default('dev'),
  /** A prebuilt workflow bundle (built into the image); bundles from source when unset. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  /** Base URL of the API, for links in notifications. */
  API_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  /** trace, debug, info, warn, error or silent (pino's levels; upper case accepted). */
  LOG_LEVEL: logLevelSchema,
})
  .extend(notificationEnvSchema.shape)
  .extend(demoEnvSchema.shape)
  .extend(recordEnvSchema.shape);
export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, env);
}

/** What the worker sends people: its links, its sender, its routes and the SMTP password. */
export function workerExampleValues(config: WorkerConfig): ExampleValueCheck {
  const { routes } = notificationSettings(config);
  const addresses: Record<string, string> = { MAIL_FROM: config.MAIL_FROM };
  const webhookUrls: Record<string, string> = {};
  const secrets: Record<string, string> = { SMTP_URL: config.SMTP_URL };
  for (const [body, route] of Object.entries(routes)) {
    route?.email.forEach((address, i) => (addresses[`routes ${body}.email[${i}]`] = address));
    route?.webhooks.forEach((hook, i) => {
      webhookUrls[`routes ${body}.webhooks[${i}].url`] = hook.url;
      secrets[`routes ${body}.webhooks[${i}].secret`] = hook.secret;
    });
  }
  return { publicUrls: { API_PUBLIC_URL: config.API_PUBLIC_URL, TEMPORAL_UI_URL: config.TEMPORAL_UI_URL, ...(config.CONSOLE_PUBLIC_URL ? { CONSOLE_PUBLIC_URL: config.CONSOLE_PUBLIC_URL } : {}) }, addresses, webhookUrls, secrets };
}

/**
 * The SDK runtime's Prometheus exporter: durations in seconds, `_total` on counters and the unit
 * on histograms, as Prometheus names metrics (`temporal_request_latency_seconds`,
 * `temporal_workflow_completed_total`), so that rules and dashboards read them like any other.
 */
export function prometheusExporter(config: Pick<WorkerConfig, 'WORKER_METRICS_HOST' | 'WORKER_METRICS_PORT'>) {
  return { bindAddress: `${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}`, useSecondsForDurations: true, countersTotalSuffix: true, unitSuffix: true };
}
