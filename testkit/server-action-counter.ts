/**
 * The Temporal server's own `action` counter, read off its Prometheus endpoint
 * (`temporal server start-dev --metrics-port`), to check the count from histories
 * (./billable-actions.ts) against. The open-source server counts by `action_type`: `grpc_<method>`
 * for client calls (starts, signals, queries, updates, heartbeats) and `command_<type>` for each
 * command a workflow task completes with, so it counts every command where Temporal Cloud's
 * mapping exempts some (a `TemporalChangeVersion` upsert, a second marker of one task).
 */

/** `action` counter values by action_type, for one namespace, from a Prometheus text page. */
export function parseActionCounter(page: string, namespace: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of page.split('\n')) {
    const m = /^action\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = new Map([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l): [string, string] => [l[1]!, l[2]!]));
    const type = labels.get('action_type');
    if (labels.get('namespace') !== namespace || !type) continue;
    counts[type] = (counts[type] ?? 0) + Number(m[2]);
  }
  return counts;
}

/** What the counter rose by between two readings, per lifecycle (`lifecycles` of them in between). */
export function actionsPerLifecycle(before: Record<string, number>, after: Record<string, number>, lifecycles: number): Record<string, number> {
  const rose: Record<string, number> = {};
  for (const [type, n] of Object.entries(after)) {
    const delta = n - (before[type] ?? 0);
    if (delta > 0) rose[type] = Math.round((delta / lifecycles) * 100) / 100;
  }
  return rose;
}

/** The counter as the server reports it now; the server's reporter flushes about once a second, so wait first. */
export async function readActionCounter(metricsUrl: string, namespace: string): Promise<Record<string, number>> {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const r = await fetch(metricsUrl);
  if (!r.ok) throw new Error(`${metricsUrl}: HTTP ${r.status}`);
  return parseActionCounter(await r.text(), namespace);
}
