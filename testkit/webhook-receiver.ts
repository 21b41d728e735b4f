/**
 * A real HTTP receiver for webhook tests (node:http on loopback, port 0). It records every request
 * with its raw body, checks the signature when given the subscriber's secret, and answers with
 * scripted statuses (default 200).
 *
 *   const hook = await startWebhookReceiver({ secret });
 *   // configure a subscriber { url: hook.url, secret }
 *   hook.respondWith(500, 500);           // the next two requests get 500, then 200 again
 *   await hook.waitFor((r) => r.id === notificationId && r.status === 200);
 *   hook.unique();                        // first 2xx-answered request per id: what a deduplicating receiver keeps
 *   await hook.stop();
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_HEADER, type VerifyWebhookResult, verifyWebhookSignature } from '../activities/webhook-signature';
import { waitForMatching } from './wait-for';

export interface ReceivedWebhook {
  /** Order of arrival, from 1. */
  seq: number;
  receivedAt: Date;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  rawBody: string;
  /** The body parsed as JSON (undefined if it is not JSON). */
  json: unknown;
  /** The webhook-id header. */
  id?: string;
  /** The status the receiver answered. */
  status: number;
  /** The signature check, when the receiver has a secret. */
  verified?: VerifyWebhookResult;
  /** True when an earlier request with the same id was answered 2xx: a receiver would drop this one. */
  duplicate: boolean;
}

export type ScriptedResponse = number | { status: number; delayMs?: number; body?: string };

export interface WebhookReceiver {
  port: number;
  /** http://127.0.0.1:<port>/hook */
  url: string;
  /** Every request, in order of arrival. */
  requests: ReceivedWebhook[];
  /** Requests answered 2xx. */
  delivered(): ReceivedWebhook[];
  /** The first 2xx-answered request per id. */
  unique(): ReceivedWebhook[];
  forId(id: string): ReceivedWebhook[];
  /** Answers for the next requests, in order; afterwards the default status. */
  respondWith(...responses: ScriptedResponse[]): void;
  setDefaultStatus(status: number): void;
  waitFor(match: (r: ReceivedWebhook) => boolean, opts?: { count?: number; timeoutMs?: number }): Promise<ReceivedWebhook[]>;
  clear(): void;
  stop(): Promise<void>;
}

const header = (h: IncomingHttpHeaders, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function startWebhookReceiver(options: { secret?: string; path?: string; host?: string } = {}): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  const requests: ReceivedWebhook[] = [];
  const script: ScriptedResponse[] = [];
  const deliveredIds = new Set<string>();
  const waiters = new Set<() => void>();
  let defaultStatus = 200;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const next = script.shift() ?? defaultStatus;
      const { status, delayMs = 0, body } = typeof next === 'number' ? { status: next } : next;
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        json = undefined;
      }
      const id = header(req.headers, WEBHOOK_HEADER.ID);
      const ok = status >= 200 && status < 300;
      const record: ReceivedWebhook = {
        seq: requests.length + 1,
        receivedAt: new Date(),
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        json,
        id,
        status,
        verified: options.secret
          ? verifyWebhookSignature({ secret: options.secret, body: rawBody, headers: req.headers })
          : undefined,
        duplicate: ok && id !== undefined && deliveredIds.has(id),
      };
      if (ok && id !== undefined) deliveredIds.add(id);
      const answer = () => {
        requests.push(record);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(body ?? (ok ? 'ok' : `status ${status}`));
        for (const w of [...waiters]) w();
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const receiver: WebhookReceiver = {
    port,
    url: `http://${host}:${port}${options.path ?? '/hook'}`,
    requests,
    delivered: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    unique: () => requests.filter((r) => r.status >= 200 && r.status < 300 && !r.duplicate),
    forId: (id) => requests.filter((r) => r.id === id),
    respondWith: (...responses) => void script.push(...responses),
    setDefaultStatus(status) {
      defaultStatus = status;
    },
    waitFor: (match, opts = {}) => waitForMatching(requests, waiters, match, opts, 'webhook-receiver requests'),
    clear() {
      requests.length = 0;
      script.length = 0;
      deliveredIds.clear();
      defaultStatus = 200;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
