/**
 * UEP webhooks follow the Standard Webhooks specification (docs/webhooks.md): the headers
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`
 * of `${id}.${timestamp}.${body}`, keyed with the secret's bytes: `whsec_` + base64). Signing is the
 * `standardwebhooks` package's own, so a receiver verifies with any of the specification's
 * published verifiers.
 */
import { Webhook } from 'standardwebhooks';

export const WEBHOOK_HEADER = {
  /** The notification id: the same on every delivery of one notification. Deduplicate on it. */
  ID: 'webhook-id',
  /** Unix seconds when this delivery was signed (new on every attempt). */
  TIMESTAMP: 'webhook-timestamp',
  /** `v1,<base64>`; several space-separated values while a secret is rotated. */
  SIGNATURE: 'webhook-signature',
  /** The activity attempt that sent this request (1, 2, ...): informational, not part of the standard. */
  ATTEMPT: 'x-uep-webhook-attempt',
} as const;

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The specification asks for 24 to 64 random bytes. */
export const WEBHOOK_SECRET_BYTES = { min: 24, max: 64 } as const;

/** Why a secret is not a Standard Webhooks secret, or undefined when it is one. */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return `a webhook secret starts with "${WEBHOOK_SECRET_PREFIX}" (whsec_ + base64 of 24 to 64 random bytes)`;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return 'a webhook secret is whsec_ followed by base64';
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < WEBHOOK_SECRET_BYTES.min || bytes > WEBHOOK_SECRET_BYTES.max) return `a webhook secret holds 24 to 64 bytes, not ${bytes}`;
  return undefined;
}

/** A new secret for a subscriber. */
export function newWebhookSecret(random: (n: number) => Buffer): string {
  return WEBHOOK_SECRET_PREFIX + random(32).toString('base64');
}

/** The `webhook-signature` value for a body with this id, signed at `timestampSeconds`. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  return new Webhook(secret).sign(id, new Date(timestampSeconds * 1000), body);
}

export type VerifyWebhookResult = { ok: true } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;
const single = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h) ?? '';

/**
 * What a receiver does, with the specification's own verifier: checks the signature over the raw
 * body and that the timestamp is within 5 minutes of now; any of several secrets (rotation) may
 * match. Never throws.
 */
export function verifyWebhookSignature(input: { secret: string | readonly string[]; body: string | Buffer; headers: Headers }): VerifyWebhookResult {
  const headers = {
    [WEBHOOK_HEADER.ID]: single(input.headers[WEBHOOK_HEADER.ID]),
    [WEBHOOK_HEADER.TIMESTAMP]: single(input.headers[WEBHOOK_HEADER.TIMESTAMP]),
    [WEBHOOK_HEADER.SIGNATURE]: single(input.headers[WEBHOOK_HEADER.SIGNATURE]),
  };
  let reason = 'no secret';
  for (const secret of typeof input.secret === 'string' ? [input.secret] : input.secret) {
    try {
      new Webhook(secret).verify(input.body, headers);
      return { ok: true };
    } catch (err) {
      reason = (err as Error).message;
    }
  }
  return { ok: false, reason };
}
