/**
 * The API under test, for real: a Temporal dev server (or one given), a worker on its own task
 * queue running the real entry workflow with a recording notification activity, and the express
 * app listening on an ephemeral port. `call()` speaks HTTP with fetch.
 */
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { createApp } from '../api/app';
import { createApiServer } from '../api/http-server';
import { createEntryGateway, type EntryGateway } from '../api/temporal/gateway';
import { closedRunsInRecord } from '../api/record-reads';
import { apiEnvSchema, type ApiConfig } from '../api/config';
import { mintToken, TokenStore } from '../api/tokens';
import { deliveryOf } from '../activities/notifications';
import { DELIVERY_STATUS, type DeliveryReport, type NotificationActivities } from '../activities/types';
import type { Notification } from '../domain/types';
import { BODY, type Body, type Principal } from '../domain/vocabulary';
import type { RecordDb } from '../record/db';
import { sharedTestRecord } from './record';
import { createTestWorker, uniqueTaskQueue } from './temporal';
import { contractProblem } from './response-contract';

export const TEST_RPC_TIMEOUT_MS = 2000;

export interface Harness {
  baseUrl: string;
  config: ApiConfig;
  tokens: TokenStore;
  /** What the worker was asked to send (empty when `notificationActivities` delivers them). */
  notifications: Notification[];
  /** A token for a body (one per body), or for a Party bound to partyId. */
  tokenFor(body: Exclude<Body, 'PARTY'>): string;
  partyToken(partyId: string): string;
  principalOf(token: string): Principal;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON, wrong content types). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
  ms: number;
}

/** An HTTP call to the API; a JSON answer that breaks its endpoint's contract throws (./response-contract.ts). */
export async function call<T = unknown>(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const started = performance.now();
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    // CSV, metrics, HTML
  }
  const broken = contractProblem(method, path, res.status, res.headers.get('content-type'), json);
  if (broken) throw new Error(broken);
  return { status: res.status, headers: res.headers, json: json as T, text, ms: performance.now() - started };
}

export function recordingActivities(notifications: Notification[]): NotificationActivities {
  return deliveryOf(async (n: Notification): Promise<DeliveryReport> => {
    notifications.push(n);
    return { notificationId: n.id, kind: n.kind, status: DELIVERY_STATUS.DELIVERED, attempts: 1, targets: [] };
  });
}

/**
 * The Temporal client's retry interceptor waits up to 5 s (plus 20 % jitter) between attempts and
 * cannot be cancelled: a retry scheduled just before a call's deadline still fires this long after it.
 */
const LONGEST_RETRY_WAIT_MS = 6_000;

/**
 * The gateway with its calls watched, so that a test can close Temporal only once the API has
 * stopped talking to it: a retry timer firing on a closed connection throws "Channel has been shut
 * down" out of a timer, which kills the test process.
 */
function watchedGateway(gateway: EntryGateway, rpcTimeoutMs: number): { gateway: EntryGateway; quiet: () => Promise<void> } {
  let inFlight = 0;
  // an answered call leaves no retry behind; a failed one may, and so may one that ran into the
  // bound and was answered all the same (startMeetingsPush answers Temporal's silence as not started)
  let lastFailedStartedAt = 0;

  let onSettled: (() => void) | undefined;
  const watched = new Proxy(gateway, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === 'connected') return value; // asks nothing of Temporal
      return (...args: unknown[]) => {
        inFlight++;
        const startedAt = Date.now();
        const settle = () => {
          inFlight--;
          if (inFlight === 0) onSettled?.();
        };
        const result = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        const mayRetry = () => (lastFailedStartedAt = Math.max(lastFailedStartedAt, startedAt));
        result.then(
          () => {
            if (Date.now() - startedAt >= rpcTimeoutMs) mayRetry();
            settle();
          },
          () => {
            mayRetry();
            settle();
          },
        );
        return result;
      };
    },
  });
  return {
    gateway: watched,
    async quiet() {
      if (inFlight > 0) await new Promise<void>((resolve) => (onSettled = resolve));
      const retriesOverAt = lastFailedStartedAt + rpcTimeoutMs + LONGEST_RETRY_WAIT_MS;
      if (Date.now() < retriesOverAt) await delay(retriesOverAt - Date.now());
    },
  };
}

export interface ListeningApp {
  server: Server;
  baseUrl: string;
  config: ApiConfig;
  /** Stops listening, drops the connections, and resolves once the API's Temporal calls (and their retries) are over. */
  close(): Promise<void>;
}

/** Listens on port 0, then builds the app with the real base URL (links in answers point at it). */
export async function listenApp(
  client: Client,
  overrides: Partial<Record<string, string>>,
  tokens: TokenStore,
  opts: { now?: () => number; record?: RecordDb; logger?: Logger } = {},
): Promise<ListeningApp> {
  const server = createApiServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = apiEnvSchema.parse({
    TEMPORAL_RPC_TIMEOUT_MS: String(TEST_RPC_TIMEOUT_MS),
    API_PUBLIC_URL: baseUrl,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  const record = opts.record ?? (await sharedTestRecord());
  const { gateway, quiet } = watchedGateway(createEntryGateway(client, config, closedRunsInRecord(record, opts.now)), config.TEMPORAL_RPC_TIMEOUT_MS);
  const app = createApp({ gateway, config, record, tokens, logger: opts.logger ?? pino({ level: 'silent' }), ...(opts.now ? { now: opts.now } : {}) });
  server.on('request', app);
  return {
    server,
    baseUrl,
    config,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await quiet();
    },
  };
}

export interface HarnessOptions {
  apiBodyLimit?: string;
  rpcTimeoutMs?: number;
  /** More settings of the API (e.g. OIDC_*), as environment variables. */
  settings?: Record<string, string>;
  /** The API's clock (default Date.now). */
  now?: () => number;
  /**
   * The worker's notification activities, made once the API listens (its base URL is what messages
   * link to), e.g. the real ones mailing an SMTP catcher; default: recorded in `notifications`.
   */
  notificationActivities?: (apiBaseUrl: string) => NotificationActivities;
}

/** Activities made at their first use, once the API's base URL is known. */
function madeOnFirstUse(make: (apiBaseUrl: string) => NotificationActivities, apiBaseUrl: () => string | undefined): NotificationActivities {
  let made: NotificationActivities | undefined;
  const activities = (): NotificationActivities => {
    const base = apiBaseUrl();
    if (!base) throw new Error('a notification before the API listened');
    return (made ??= make(base));
  };
  return {
    deliverNotification: (n) => activities().deliverNotification(n),
    deliverNotifications: (ns) => activities().deliverNotifications(ns),
  };
}

export async function startHarness(env: TestWorkflowEnvironment, opts: HarnessOptions = {}): Promise<Harness> {
  const taskQueue = uniqueTaskQueue('api');
  const notifications: Notification[] = [];
  const listening: { baseUrl?: string } = {};
  const activities = opts.notificationActivities ? madeOnFirstUse(opts.notificationActivities, () => listening.baseUrl) : recordingActivities(notifications);
  const worker: Worker = await createTestWorker(env, { taskQueue, activities });
  const running = worker.run();

  const tokens = new TokenStore([]);
  const byBody = new Map<string, string>();
  const principals = new Map<string, Principal>();
  const mint = (principal: Principal) => {
    const named = { ...principal, name: testPersonOf(principal) };
    const { token, record } = mintToken(named);
    tokens.add(record);
    principals.set(token, named);
    return token;
  };
  for (const body of [BODY.DCC, BODY.SEC_PANEL, BODY.SECAS, BODY.OPS]) byBody.set(body, mint({ body, id: `${body.toLowerCase()}-officer` }));
  const partyTokens = new Map<string, string>();

  const app = await listenApp(
    env.client,
    {
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      ...(opts.apiBodyLimit ? { API_BODY_LIMIT: opts.apiBodyLimit } : {}),
      ...(opts.rpcTimeoutMs ? { TEMPORAL_RPC_TIMEOUT_MS: String(opts.rpcTimeoutMs) } : {}),
      ...opts.settings,
    },
    tokens,
    opts.now ? { now: opts.now } : {},
  );
  listening.baseUrl = app.baseUrl;

  return {
    baseUrl: app.baseUrl,
    config: app.config,
    tokens,
    notifications,
    tokenFor: (body) => byBody.get(body)!,
    partyToken(partyId) {
      let token = partyTokens.get(partyId);
      if (!token) {
        token = mint({ body: BODY.PARTY, id: `contact@${partyId}`, partyId });
        partyTokens.set(partyId, token);
      }
      return token;
    },
    principalOf: (token) => principals.get(token)!,
    async close() {
      await app.close();
      worker.shutdown();
      await running;
    },
  };
}

/** A client of its own for a server the test controls (start, stop, restart). */
export async function connectClient(address: string): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection }), connection };
}

/** The named person a test token is minted for. */
export const testPersonOf = (principal: Principal) => `Test person ${principal.id}`;

/** Polls until check passes (visibility is eventually consistent); fails loudly, with the last value seen, if it never does. */
export async function eventually<T>(fn: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`eventually: the condition did not hold within ${timeoutMs} ms; last value: ${describe(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
