/**
 * Configuration of notification delivery: where mail goes out (SMTP_URL, MAIL_FROM), who stands
 * behind each body (NOTIFY_ROUTES_FILE or NOTIFY_ROUTES_JSON) and the bases of the links in every
 * message (API_PUBLIC_URL, TEMPORAL_UI_URL). Parsed by zod at start-up: a bad routes file stops
 * the worker with a message naming the variable and the path inside the JSON.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { webhookSecretProblem } from './webhook-signature';
import { temporalEnvSchema, type TemporalEnv } from '../config/temporal';
import { BODY, type Body } from '../domain/vocabulary';

/** The bodies that can be routed by configuration (a party is reached through its UEP contact). */
export const ROUTED_BODIES = [BODY.SECAS, BODY.DCC, BODY.SEC_PANEL, BODY.OPS] as const;
export type RoutedBody = (typeof ROUTED_BODIES)[number];

export const webhookSubscriberSchema = z.object({
  /**
   * Where the signed POST goes: any http(s) URL, including IP addresses and single-label hosts
   * (a compose service name, a loopback receiver). z.httpUrl() would refuse those.
   */
  url: z.url({ protocol: /^https?$/, error: 'a webhook url must be http:// or https://' }),
  /** Standard Webhooks secret (whsec_ + base64 of 24 to 64 random bytes); give each subscriber its own. */
  secret: z.string().superRefine((secret, ctx) => {
    const problem = webhookSecretProblem(secret);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** A label for logs and reports. */
  name: z.string().min(1).optional(),
});
export type WebhookSubscriber = z.infer<typeof webhookSubscriberSchema>;

export const bodyRouteSchema = z.strictObject({
  email: z.array(z.email()).default([]),
  webhooks: z.array(webhookSubscriberSchema).default([]),
});
export type BodyRoute = z.infer<typeof bodyRouteSchema>;

export const notificationRoutesSchema = z.strictObject({
  SECAS: bodyRouteSchema.optional(),
  DCC: bodyRouteSchema.optional(),
  SEC_PANEL: bodyRouteSchema.optional(),
  OPS: bodyRouteSchema.optional(),
});
export type NotificationRoutes = z.infer<typeof notificationRoutesSchema>;

function parseRoutes(text: string, ctx: z.RefinementCtx, where: string): NotificationRoutes | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${where} is not JSON: ${(err as Error).message}` });
    return undefined;
  }
  const parsed = notificationRoutesSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: `${where} at ${issue.path.join('.') || '(root)'}: ${issue.message}` });
  }
  return undefined;
}

const routesFromFile = z
  .string()
  .min(1)
  .transform((file, ctx) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `cannot read ${file}: ${(err as Error).message}` });
      return z.NEVER;
    }
    return parseRoutes(text, ctx, file) ?? z.NEVER;
  });

const routesFromJson = z
  .string()
  .min(1)
  .transform((text, ctx) => parseRoutes(text, ctx, 'the JSON') ?? z.NEVER);

/** Merge into the worker's schema with `.extend(notificationEnvSchema.shape)`. */
export const notificationEnvSchema = z.object({
  /** smtp://host:port (plain or STARTTLS) or smtps://user:pass@host:465. */
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'SMTP_URL must be smtp://host:port or smtps://host:port' })
    .default('smtp://127.0.0.1:1025'),
  /** SMTP connections the worker keeps open to the relay at most (reused message after message). */
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(4),
  MAIL_FROM: z.string().min(3).default('UEP engine <uep-engine@localhost>'),
  /** A JSON file of routes per body; parsed and validated at start-up. */
  NOTIFY_ROUTES_FILE: routesFromFile.optional(),
  /** The same routes inline, as JSON. */
  NOTIFY_ROUTES_JSON: routesFromJson.optional(),
  /** How long one webhook POST or one SMTP exchange may take before it counts as a transient failure. */
  NOTIFY_TARGET_TIMEOUT_MS: z.coerce.number().int().min(100).max(25_000).default(10_000),
  /** Base URL of the API, for the machine-readable link in webhooks. */
  API_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  /** Base URL of the web console people reach (default: API_PUBLIC_URL + /app): every message links to the entry's page there. */
  CONSOLE_PUBLIC_URL: z.url().optional(),
  TEMPORAL_UI_URL: temporalEnvSchema.shape.TEMPORAL_UI_URL,
  TEMPORAL_NAMESPACE: temporalEnvSchema.shape.TEMPORAL_NAMESPACE,
});
export type NotificationEnv = z.infer<typeof notificationEnvSchema>;

/** Where links in a message point. */
export interface LinkBases {
  apiPublicUrl: string;
  consolePublicUrl: string;
  temporalUi: Pick<TemporalEnv, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>;
}

export interface NotificationSettings {
  smtpUrl: string;
  smtpPoolSize: number;
  mailFrom: string;
  routes: NotificationRoutes;
  links: LinkBases;
  targetTimeoutMs: number;
}

/** The parsed env as delivery uses it. Both routes variables at once is a configuration error. */
export function notificationSettings(env: NotificationEnv): NotificationSettings {
  if (env.NOTIFY_ROUTES_FILE && env.NOTIFY_ROUTES_JSON) {
    throw new Error('Invalid configuration:\n  NOTIFY_ROUTES_FILE, NOTIFY_ROUTES_JSON: set one of them, not both');
  }
  return {
    smtpUrl: env.SMTP_URL,
    smtpPoolSize: env.SMTP_POOL_SIZE,
    mailFrom: env.MAIL_FROM,
    routes: env.NOTIFY_ROUTES_FILE ?? env.NOTIFY_ROUTES_JSON ?? {},
    links: {
      apiPublicUrl: env.API_PUBLIC_URL,
      consolePublicUrl: env.CONSOLE_PUBLIC_URL ?? `${env.API_PUBLIC_URL.replace(/\/$/, '')}/app`,
      temporalUi: { TEMPORAL_UI_URL: env.TEMPORAL_UI_URL, TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE },
    },
    targetTimeoutMs: env.NOTIFY_TARGET_TIMEOUT_MS,
  };
}

/** Bodies a BODY recipient can name but configuration does not route: reported, never an error. */
export function unroutedBodies(routes: NotificationRoutes): Body[] {
  return ROUTED_BODIES.filter((b) => {
    const r = routes[b];
    return !r || (r.email.length === 0 && r.webhooks.length === 0);
  });
}
