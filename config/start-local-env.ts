/** The settings of `npm start` (scripts/start-local.ts); README.md lists them. */
import path from 'node:path';
import { z } from 'zod';
import { flag, port } from './env';
import { logLevelSchema } from './logging';
import { oidcEnvSchema } from './oidc';
import { DEFAULT_NAMESPACE, TASK_QUEUE } from './temporal';
import { PROJECT_ROOT } from './temporal-toolchain';

/** Where body mail goes unless NOTIFY_ROUTES_FILE or NOTIFY_ROUTES_JSON says otherwise: example.org desks. */
export const EXAMPLE_ROUTES_FILE = path.join(PROJECT_ROOT, 'deploy', 'notify-routes.example.json');

export const localEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default(DEFAULT_NAMESPACE),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  /** How long the dev server keeps closed entries (its own default is 24 h); a Go-style duration. */
  TEMPORAL_NAMESPACE_RETENTION: z
    .string()
    .regex(/^\d+(d|h)$/, 'a number of days or hours, e.g. 90d or 48h')
    .default('90d'),
  API_PORT: port(3000),
  WORKER_METRICS_PORT: port(9464),
  WORKER_METRICS_ENABLED: flag(true),
  /** Where the worker sends mail; unset: a local sink writes every message to <data>/mail. */
  SMTP_URL: z.string().optional(),
  LOCAL_SMTP_PORT: port(1025),
  NOTIFY_ROUTES_FILE: z.string().optional(),
  NOTIFY_ROUTES_JSON: z.string().optional(),
  /** A running PostgreSQL for the record (migrated here); unset: the embedded record in <data>/record. */
  RECORD_DATABASE_URL: z.string().optional(),
  /** Where the embedded record listens (127.0.0.1). */
  RECORD_PORT: port(5433),
  UEP_DATA_DIR: z.string().default(path.join(PROJECT_ROOT, 'data')),
  /** Your identity provider for the console's sign-in; unset: npm start runs its local one (scripts/local-idp/). */
  OIDC_ISSUER_URL: oidcEnvSchema.shape.OIDC_ISSUER_URL,
  /** Where the local identity provider listens (127.0.0.1). */
  LOCAL_IDP_PORT: port(3100),
  LOG_LEVEL: logLevelSchema,
});
