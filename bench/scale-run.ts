/**
 * Scale: many open entries idle on their timers. Entries are started with the Temporal client
 * (the gateway operation the API uses, without HTTP), the worker is left to settle (the record
 * holds every entry and the worker idles), then its RSS is read and status and list queries are
 * sampled through the API: the steady state of 10,000 open entries, not the burst that filled it.
 */
import type { Client } from '@temporalio/client';
import { apiEnvSchema } from '../api/config';
import { ENDPOINTS, fillPath } from '../api/endpoints';
import { mapLimited } from '../api/map-limited';
import { createEntryGateway } from '../api/temporal/gateway';
import { BODY, ENTRY_STATUS } from '../domain/vocabulary';
import { openRecord } from '../record/db';
import { startBody } from '../testkit/api-fixtures';
import { daysFromToday } from '../testkit/dates';
import { principalFor } from '../testkit/entry-driver';
import type { ApiStack } from '../testkit/api-stack';
import { benchEntryIdPrefix, benchPartyId } from './engine-run';
import { summarize, type LatencySummary } from './stats';
import { timed } from '../testkit/timed';
import type { WorkerProcess } from '../testkit/worker-process';

/** Far ahead: no reminder falls due while the benchmark runs. */
export const SCALE_MANDATE_DEADLINE = daysFromToday(3 * 365);

export interface ScaleResult {
  openEntries: number;
  startWallMs: number;
  startsPerSec: number;
  /** From the last start until the record held every entry. */
  recordedMs: number;
  /** Entries the record held then (all of them unless the bound ran out). */
  recorded: number;
  settleMs: number;
  running: number;
  workerRssMiB: number;
  workerPeakRssMiB: number;
  status: LatencySummary;
  list: LatencySummary;
  listFiltered: LatencySummary;
}

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the record holds every entry whose id starts with `prefix` (bounded by maxMs); answers how many it holds. */
async function waitUntilRecorded(worker: WorkerProcess, recordUrl: string, prefix: string, expected: number, maxMs: number): Promise<number> {
  const db = openRecord(recordUrl, { maxConnections: 1, allowExitOnIdle: true });
  try {
    const started = Date.now();
    for (;;) {
      const row = await db.selectFrom('entries').select((eb) => eb.fn.countAll<string>().as('n')).where('entry_id', 'like', `${prefix}%`).executeTakeFirstOrThrow();
      const recorded = Number(row.n);
      if (recorded >= expected || Date.now() - started >= maxMs) return recorded;
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
        throw new Error(`the worker exited (${worker.child.exitCode ?? worker.child.signalCode}) with ${recorded} of ${expected} entries recorded:\n${worker.output().slice(-3000)}`);
      }
      await sleep(2000);
    }
  } finally {
    await db.destroy();
  }
}

/** Waits until the worker uses under 5% of a core over a 2 s window (bounded by maxMs). */
async function waitUntilIdle(worker: WorkerProcess, maxMs: number): Promise<number> {
  const started = Date.now();
  let last = worker.cpuMs() ?? 0;
  while (Date.now() - started < maxMs) {
    await sleep(2000);
    const now = worker.cpuMs() ?? 0;
    if (now - last < 100) break;
    last = now;
  }
  return Date.now() - started;
}

export async function runScale(
  client: Client,
  api: ApiStack,
  worker: WorkerProcess,
  opts: { scale: number; sample: number; startConcurrency: number; runId: string; taskQueue: string; namespace: string; recordUrl: string },
): Promise<ScaleResult> {
  const config = apiEnvSchema.parse({ TEMPORAL_TASK_QUEUE: opts.taskQueue, TEMPORAL_NAMESPACE: opts.namespace, TEMPORAL_RPC_TIMEOUT_MS: '30000' });
  const gateway = createEntryGateway(client, config);
  const ids = Array.from({ length: opts.scale }, (_, i) => benchPartyId(opts.runId, 's', i));

  const t0 = performance.now();
  let done = 0;
  await mapLimited(ids, opts.startConcurrency, async (partyId) => {
    await gateway.start({ ...startBody(partyId, { mandateDeadline: SCALE_MANDATE_DEADLINE }), startedBy: principalFor(BODY.OPS, '') });
    if (++done % 1000 === 0) process.stderr.write(`  scale: ${done}/${opts.scale} started\n`);
  });
  const startWallMs = performance.now() - t0;
  const t1 = performance.now();
  const recorded = await waitUntilRecorded(worker, opts.recordUrl, benchEntryIdPrefix(opts.runId, 's'), ids.length, 900_000);
  const recordedMs = performance.now() - t1;
  const settleMs = await waitUntilIdle(worker, 300_000);

  const query = `WorkflowType = 'entryWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${opts.taskQueue}'`;
  const { count } = await client.workflow.count(query);

  const ops = api.tokenFor(BODY.OPS);
  const status: number[] = [];
  for (let i = 0; i < opts.sample; i++) {
    const partyId = ids[Math.floor(Math.random() * ids.length)] as string;
    const r = await timed(status, () => api.request('GET', fillPath(ENDPOINTS.getEntry.path, partyId), { token: ops }));
    if (r.status !== 200) throw new Error(`status of ${partyId}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  const list: number[] = [];
  const listFiltered: number[] = [];
  const listSample = Math.max(10, Math.round(opts.sample / 5));
  for (let i = 0; i < listSample; i++) {
    const r = await timed(list, () => api.request('GET', `${ENDPOINTS.listEntries.path}?limit=50`, { token: ops }));
    if (r.status !== 200) throw new Error(`list: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    const f = await timed(listFiltered, () =>
      api.request('GET', `${ENDPOINTS.listEntries.path}?status=${ENTRY_STATUS.IN_PROGRESS}&awaitedBody=${BODY.SECAS}&limit=50`, { token: ops }),
    );
    if (f.status !== 200) throw new Error(`filtered list: HTTP ${f.status} ${f.text.slice(0, 300)}`);
  }
  return {
    openEntries: opts.scale,
    startWallMs: Math.round(startWallMs),
    startsPerSec: Math.round(opts.scale / (startWallMs / 1000)),
    recordedMs: Math.round(recordedMs),
    recorded,
    settleMs,
    running: Number(count),
    workerRssMiB: Math.round((worker.rssBytes() ?? NaN) / MiB),
    workerPeakRssMiB: Math.round((worker.peakRssBytes() ?? NaN) / MiB),
    status: summarize(status),
    list: summarize(list),
    listFiltered: summarize(listFiltered),
  };
}
