/**
 * Webhook delivery (Standard Webhooks: activities/webhook-signature.ts): one POST per subscriber. 2xx is delivered; 408, 429, 5xx, timeouts and
 * network errors are transient; any other status (other 4xx, a redirect) is permanent.
 */
import { permanentFailure, transientFailure } from './errors';
import type { WebhookTarget } from './recipients';
import { WEBHOOK_HEADER, signWebhook } from './webhook-signature';

export const WEBHOOK_USER_AGENT = 'uep-engine-webhooks/1';

export interface WebhookSendOptions {
  timeoutMs: number;
  attempt: number;
  /** Epoch ms, for the timestamp header. */
  now: () => number;
  fetch?: typeof fetch;
}

export interface WebhookSent {
  status: number;
}

const TRANSIENT_STATUS = new Set([408, 429]);

export function isTransientStatus(status: number): boolean {
  return status >= 500 || TRANSIENT_STATUS.has(status);
}

/** POSTs the JSON body signed for the subscriber; throws a DeliveryError unless the answer is 2xx. */
export async function postWebhook(target: WebhookTarget, id: string, body: string, opts: WebhookSendOptions): Promise<WebhookSent> {
  const timestamp = Math.floor(opts.now() / 1000);
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(target.subscriber.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        [WEBHOOK_HEADER.ID]: id,
        [WEBHOOK_HEADER.TIMESTAMP]: String(timestamp),
        [WEBHOOK_HEADER.SIGNATURE]: signWebhook(target.subscriber.secret, id, timestamp, body),
        [WEBHOOK_HEADER.ATTEMPT]: String(opts.attempt),
      },
      body,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : (cause?.code ?? cause?.message ?? String(err));
    throw transientFailure(`webhook ${target.subscriber.url}: ${why}`, err);
  }
  // Drain the body so the connection can be reused; keep a little of it for the report.
  const text = (await res.text().catch(() => '')).slice(0, 200);
  if (res.status >= 200 && res.status < 300) return { status: res.status };
  const message = `webhook ${target.subscriber.url}: HTTP ${res.status}${text ? ` ${text}` : ''}`;
  if (isTransientStatus(res.status)) throw transientFailure(message);
  throw permanentFailure(message);
}
