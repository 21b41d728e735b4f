/**
 * Signing and verifying UEP webhooks (docs/webhooks.md). The signature is HMAC-SHA256, keyed with
 * the subscriber's shared secret, over `${timestamp}.${body}` where timestamp is the
 * X-UEP-Webhook-Timestamp header (Unix seconds) and body the raw request body, exactly as sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_HEADER = {
  /** The notification id: the same on every delivery of one notification. Deduplicate on it. */
  ID: 'x-uep-webhook-id',
  /** Unix seconds when this delivery was signed (new on every attempt). */
  TIMESTAMP: 'x-uep-webhook-timestamp',
  /** `v1=<hex HMAC-SHA256>`; several space-separated values while a secret is rotated. */
  SIGNATURE: 'x-uep-webhook-signature',
  /** The activity attempt that sent this request (1, 2, ...): informational. */
  ATTEMPT: 'x-uep-webhook-attempt',
} as const;

export const SIGNATURE_VERSION = 'v1';
/** Requests signed longer ago than this are refused by verifyWebhookSignature by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function computeWebhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The value of the signature header for a body signed at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: string, body: string | Buffer): string {
  return `${SIGNATURE_VERSION}=${computeWebhookSignature(secret, timestamp, body)}`;
}

export interface VerifyWebhookInput {
  /** The shared secret; several while rotating (any may match). */
  secret: string | readonly string[];
  /** The raw body bytes as received, before any JSON parsing. */
  body: string | Buffer;
  /** The X-UEP-Webhook-Timestamp header. */
  timestamp: string | string[] | undefined;
  /** The X-UEP-Webhook-Signature header. */
  signature: string | string[] | undefined;
  /** Largest accepted age (and clock skew) in seconds; default 300. */
  toleranceSeconds?: number;
  /** Epoch ms to check the timestamp against; default Date.now(). */
  now?: number;
}

export type VerifyWebhookResult = { ok: true } | { ok: false; reason: string };

const single = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

/** Checks a received webhook; never throws. */
export function verifyWebhookSignature(input: VerifyWebhookInput): VerifyWebhookResult {
  const timestamp = single(input.timestamp);
  const header = single(input.signature);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed timestamp header' };
  if (!header) return { ok: false, reason: 'missing signature header' };
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const age = Math.abs((input.now ?? Date.now()) / 1000 - Number(timestamp));
  if (age > tolerance) return { ok: false, reason: `timestamp outside the ${tolerance}s tolerance` };
  const offered = header
    .split(/[\s,]+/)
    .filter((p) => p.startsWith(`${SIGNATURE_VERSION}=`))
    .map((p) => Buffer.from(p.slice(SIGNATURE_VERSION.length + 1), 'hex'));
  if (offered.length === 0) return { ok: false, reason: `no ${SIGNATURE_VERSION} signature in header` };
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  for (const secret of secrets) {
    const expected = Buffer.from(computeWebhookSignature(secret, timestamp, input.body), 'hex');
    if (offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected))) return { ok: true };
  }
  return { ok: false, reason: 'signature mismatch' };
}
