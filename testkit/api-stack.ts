/**
 * The real HTTP API in this process, listening on loopback, with bearer tokens minted in-process:
 * one per body and one per Party on demand. Requests go through fetch like any client's.
 */
import type { Client } from '@temporalio/client';
import { mintToken, TokenStore } from '../api/tokens';
import { BODY, type Body, type Principal } from '../domain/vocabulary';
import { call, listenApp, testPersonOf, type Answer, type CallOptions } from './api-harness';
import { principalFor } from './entry-driver';

export interface ApiStack {
  baseUrl: string;
  /** The token a body (or, with partyId, the Party) acts with. */
  tokenFor(body: Body, partyId?: string): string;
  request<T = unknown>(method: string, path: string, opts?: CallOptions): Promise<Answer<T>>;
  close(): Promise<void>;
}

export async function startApiStack(client: Client, settings: { taskQueue: string; namespace: string; rpcTimeoutMs: number }): Promise<ApiStack> {
  const tokens = new TokenStore([]);
  const mint = (principal: Principal) => {
    const { token, record } = mintToken({ ...principal, name: testPersonOf(principal) });
    tokens.add(record);
    return token;
  };
  const byBody = new Map<Body, string>();
  for (const body of [BODY.DCC, BODY.SEC_PANEL, BODY.SECAS, BODY.OPS]) byBody.set(body, mint(principalFor(body, '')));
  const byParty = new Map<string, string>();

  const app = await listenApp(
    client,
    { TEMPORAL_TASK_QUEUE: settings.taskQueue, TEMPORAL_NAMESPACE: settings.namespace, TEMPORAL_RPC_TIMEOUT_MS: String(settings.rpcTimeoutMs) },
    tokens,
  );
  const { baseUrl } = app;
  return {
    baseUrl,
    tokenFor(body, partyId) {
      if (body !== BODY.PARTY) return byBody.get(body) ?? mint(principalFor(body, ''));
      if (!partyId) throw new Error('a Party token needs a partyId');
      let token = byParty.get(partyId);
      if (!token) {
        token = mint(principalFor(BODY.PARTY, partyId));
        byParty.set(partyId, token);
      }
      return token;
    },
    request: (method, path, opts) => call(baseUrl, method, path, opts),
    close: () => app.close(),
  };
}
