/**
 * Where the local identity provider keeps its sessions, codes and tokens: in memory, on purpose.
 * A restart of the provider only means signing in there again; the console's own sessions live in
 * the record. (oidc-provider's built-in store would do the same, with a start-up warning meant for
 * production deployments.)
 */
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Stored {
  payload: AdapterPayload;
  expiresAt: number;
}

export function inMemoryStore(now: () => number = Date.now): AdapterFactory {
  const items = new Map<string, Stored>();
  const sessionByUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  /** Every stored item of a grant, so that revoking the grant removes them all. */
  const byGrant = new Map<string, Set<string>>();

  const live = (key: string): AdapterPayload | undefined => {
    const stored = items.get(key);
    if (stored && stored.expiresAt <= now()) items.delete(key);
    return stored && stored.expiresAt > now() ? stored.payload : undefined;
  };

  return (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        items.set(key, { payload, expiresAt: expiresIn ? now() + expiresIn * 1000 : Infinity });
        if (model === 'Session' && payload.uid) sessionByUid.set(payload.uid, id);
        if (payload.userCode) byUserCode.set(payload.userCode, id);
        if (payload.grantId && model !== 'Grant') byGrant.set(payload.grantId, (byGrant.get(payload.grantId) ?? new Set()).add(key));
      },
      async find(id) {
        return live(keyOf(id));
      },
      async findByUid(uid) {
        const id = sessionByUid.get(uid);
        return id === undefined ? undefined : live(keyOf(id));
      },
      async findByUserCode(userCode) {
        const id = byUserCode.get(userCode);
        return id === undefined ? undefined : live(keyOf(id));
      },
      async consume(id) {
        const payload = live(keyOf(id));
        if (payload) payload.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        items.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of byGrant.get(grantId) ?? []) items.delete(key);
        byGrant.delete(grantId);
      },
    };
  };
}
