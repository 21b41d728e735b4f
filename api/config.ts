import { z } from 'zod';
import { parseEnv, port } from '../config/env';
import { demoEnvSchema, type ExampleValueCheck } from '../config/example-values';
import { oidcEnvSchema } from '../config/oidc';
import { recordEnvSchema } from '../config/record';
import { logLevelSchema } from '../config/logging';
import { temporalEnvSchema } from '../config/temporal';

export const apiEnvSchema = temporalEnvSchema.extend({
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(3000),
  /** Base URL the API is reached at, for links in responses. */
  API_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  /** JSON file of hashed bearer tokens (scripts/tokens.ts); changes apply without a restart. */
  AUTH_TOKENS_FILE: z.string().optional(),
  /** The same JSON inline, for containers; AUTH_TOKENS_FILE wins when both are set. */
  AUTH_TOKENS_JSON: z.string().optional(),
  API_BODY_LIMIT: z.string().default('64kb'),
  /** The largest evidence file the API keeps, in MiB (files stream into the record in chunks). */
  EVIDENCE_FILE_MAX_MB: z.coerce.number().int().min(1).max(1024).default(64),
  /** Bound on every Temporal call the API makes; past it the API answers 503. */
  TEMPORAL_RPC_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** How long a start waits for the record to hold the new run before answering (read your own write). */
  RECORD_CATCH_UP_MS: z.coerce.number().int().min(0).default(2000),
  LOG_LEVEL: logLevelSchema,
  /** The mail relay invitations go out through (as the worker's SMTP_URL); unset: nobody can be invited. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be smtp://host:port or smtps://host:port' }).optional(),
  MAIL_FROM: z.string().default('UEP engine <uep-engine@localhost>'),
  /** How long an invitation's link works. */
  INVITATION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /**
   * This deployment's settings of the catalogue's assumed durations, in working days, as JSON
   * (e.g. {"SECURITY_STATUS_SLA":15}); GET /v1/catalogue names every setting and its default. An
   * entry keeps the settings it started with.
   */
  UEP_DURATION_SETTINGS: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.number().int().min(0).max(2000)).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'UEP_DURATION_SETTINGS must be a JSON object of setting names to whole working days, e.g. {"SECURITY_STATUS_SLA":15}' });
        return z.NEVER;
      }
    }),
})
  .extend(demoEnvSchema.shape)
  .extend(recordEnvSchema.shape)
  .extend(oidcEnvSchema.shape);
export type ApiConfig = z.infer<typeof apiEnvSchema>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiEnvSchema, env);
}

/** The links the API hands out. */
export function apiExampleValues(config: ApiConfig): ExampleValueCheck {
  return { publicUrls: { API_PUBLIC_URL: config.API_PUBLIC_URL, TEMPORAL_UI_URL: config.TEMPORAL_UI_URL } };
}
