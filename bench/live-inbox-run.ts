/**
 * The live inbox at load: BENCH_LIVE_INBOX_STREAMS open `GET /v1/inbox/events` streams (200 by
 * default) on the API process (as deployed) over a real PostgreSQL record, spread over the bodies
 * that may follow an inbox, each with its body's token. Then, BENCH_LIVE_INBOX_CHANGES times, a
 * record write as the worker makes it: a new entry whose stages await SECAS, the DCC and the SEC
 * Panel at once (so one commit concerns every stream; OPS follows every inbox). Measured per stream
 * and change: from the write's commit (its answer in this process) to the stream's event arriving.
 * The path: PostgreSQL's NOTIFY -> the API's listener -> the feed's settle pause -> one grouped read
 * of the counts -> an event written to each stream.
 */
import http from 'node:http';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INBOX_FEED_SETTLE_MS } from '../api/inbox-feed';
import { applyCommand, startEntry } from '../domain';
import { projectionOf } from '../domain/projection';
import type { EntryProjection } from '../domain/projection';
import { BODY, type Body } from '../domain/vocabulary';
import { openRecord } from '../record/db';
import { ENTRY_NOTICE_CHANNEL } from '../record/notices';
import { writeProjection } from '../record/write';
import { readCpuMs } from '../testkit/proc-stats';
import type { ApiProcess } from './api-process';
import { summarize, type LatencySummary } from './stats';

/** The bodies whose inbox can be followed live (api/permissions.ts, FOLLOW_INBOX). */
export const FOLLOWING_BODIES = [BODY.DCC, BODY.SEC_PANEL, BODY.SECAS, BODY.OPS] as const;

const ARRIVAL_TIMEOUT_MS = 10_000;
/** Between changes: each change is its own read, not one the previous one's settle pause absorbs. */
const PAUSE_MS = 400;
const WARM_UP_CHANGES = 2;
const NOTICES_LIVE_LINE = "the record's notices arrive";

export interface LiveInboxResult {
  connections: number;
  byBody: Record<string, number>;
  changes: number;
  /** ms from a change's commit to its event, per stream and change (connections x changes samples). */
  delay: LatencySummary;
  /** per change, the slowest stream's delay */
  slowestPerChange: LatencySummary;
  /**
   * ms from the commit to the record's notice reaching a listener in this process (PostgreSQL's
   * share of the delay; the rest is the API's: its settle pause, the read, the events written)
   */
  notice: LatencySummary;
  /** ms the write itself took (the bench's record connection) */
  write: LatencySummary;
  /** events that did not arrive within ARRIVAL_TIMEOUT_MS */
  missed: number;
  /** the feed's pause after a notice before it reads (api/inbox-feed.ts): a floor under every delay */
  settleMs: number;
  /** entries open in the record (each in three bodies' inboxes) before the changes */
  openEntries: number;
  /** the API's CPU ms over the measured changes (and their pauses) */
  apiCpuMs?: number;
}

interface Stream {
  body: Body;
  /** performance.now() of each `inbox` event */
  arrivals: number[];
  close(): void;
}

/** One SSE stream read with node's http client (lighter than fetch at this count); answers once it is open. */
function openStream(baseUrl: string, token: string, body: Body): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}/v1/inbox/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`the stream was refused: ${res.statusCode}`));
        res.resume();
        return;
      }
      const stream: Stream = { body, arrivals: [], close: () => req.destroy() };
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffered += chunk;
        let cut: number;
        while ((cut = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, cut);
          buffered = buffered.slice(cut + 2);
          if (block.split('\n').includes('event: inbox')) stream.arrivals.push(at);
        }
      });
      res.on('error', () => undefined);
      resolve(stream);
    });
    req.on('error', reject);
  });
}

/** An entry whose open stages await SECAS (ID allocation), the DCC (Gateway) and the SEC Panel (the Party's security Response submitted). */
function entryAwaitingEveryBody(partyId: string, now: number): EntryProjection {
  const started = startEntry(
    {
      partyId,
      partyName: `Live Inbox Bench ${partyId}`,
      cohort: 'SMALL_DOMESTIC_SUPPLIER',
      roles: ['IMPORT_SUPPLIER'],
      uepContact: { name: 'Bench', email: 'bench@example.org' },
      startedBy: { body: BODY.OPS, id: 'bench' },
      completedStages: [
        { stage: 'ACCESSION', outcome: 'ACCEDED', at: new Date(now).toISOString().slice(0, 10) },
        { stage: 'SECURITY_FIELDWORK', outcome: 'DONE', at: new Date(now).toISOString().slice(0, 10) },
      ],
    },
    now,
  );
  const submitted = applyCommand(
    started.state,
    { type: 'SUBMIT_EVIDENCE', submissionId: `${partyId}-s1`, stage: 'SECURITY_ASSESSMENT', reference: 'USA-RESPONSE-1', principal: { body: BODY.PARTY, id: `${partyId}-user`, partyId } },
    now,
  );
  if (!submitted.ok) throw new Error(`the bench's submission was refused: ${submitted.refusal.code}`);
  const chainId = `bench-live-${partyId}`;
  return projectionOf(submitted.state, { chainId, runId: chainId }, now, submitted.state.audit, [...started.effects.notifications, ...submitted.effects.notifications]);
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

export async function runLiveInbox(
  api: ApiProcess,
  opts: {
    recordUrl: string;
    /** where the API process writes its log (its line that the record's notices arrive is waited for) */
    apiLogDir: string;
    connections: number;
    changes: number;
    /** entries written first, so that the feed's grouped read has an inbox of this size to count */
    openEntries: number;
    runId: string;
    log: (m: string) => void;
  },
): Promise<LiveInboxResult> {
  const apiLog = path.join(opts.apiLogDir, 'api.log');
  if (!(await until(() => readFileSync(apiLog, 'utf8').includes(NOTICES_LIVE_LINE), 15_000))) {
    throw new Error(`the API's record notices did not go live within 15 s (see ${apiLog}): the live inbox would be polling`);
  }
  const db = openRecord(opts.recordUrl, { maxConnections: 1 });
  const streams: Stream[] = [];
  const noticed = new Map<string, number>();
  const listener = new pg.Client({ connectionString: opts.recordUrl });
  listener.on('notification', (msg) => {
    const at = performance.now();
    const entryId = (JSON.parse(msg.payload ?? '{}') as { entryId?: string }).entryId;
    if (entryId && !noticed.has(entryId)) noticed.set(entryId, at);
  });
  try {
    await listener.connect();
    await listener.query(`LISTEN ${ENTRY_NOTICE_CHANNEL}`);
    const now = Date.now();
    for (let i = 0; i < opts.openEntries; i++) await writeProjection(db, entryAwaitingEveryBody(`LIVE-${opts.runId}-open-${i}`, now));
    opts.log(`live inbox: ${opts.openEntries} open entries in the record`);
    const bodies = Array.from({ length: opts.connections }, (_, i) => FOLLOWING_BODIES[i % FOLLOWING_BODIES.length]!);
    for (const body of bodies) streams.push(await openStream(api.baseUrl, api.tokenFor(body), body));
    if (!(await until(() => streams.every((s) => s.arrivals.length >= 1), ARRIVAL_TIMEOUT_MS))) throw new Error('not every stream was told its inbox when it opened');
    opts.log(`live inbox: ${streams.length} streams open and told their inbox`);

    const delays: number[] = [];
    const slowest: number[] = [];
    const writes: number[] = [];
    const notices: number[] = [];
    let missed = 0;
    let cpuBefore = 0;
    for (let change = -WARM_UP_CHANGES; change < opts.changes; change++) {
      if (change === 0) cpuBefore = readCpuMs(api.pid) ?? NaN;
      const seen = streams.map((s) => s.arrivals.length);
      const projection = entryAwaitingEveryBody(`LIVE-${opts.runId}-${change + WARM_UP_CHANGES}`, Date.now());
      const started = performance.now();
      await writeProjection(db, projection);
      const committed = performance.now();
      const allArrived = await until(() => streams.every((s, i) => s.arrivals.length > seen[i]!), ARRIVAL_TIMEOUT_MS);
      if (change < 0) continue;
      writes.push(committed - started);
      const heard = noticed.get(projection.entryId);
      if (heard !== undefined) notices.push(heard - committed);
      const these = streams.flatMap((s, i) => (s.arrivals.length > seen[i]! ? [s.arrivals[seen[i]!]! - committed] : []));
      missed += allArrived ? 0 : streams.length - these.length;
      delays.push(...these);
      slowest.push(Math.max(...these));
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    const apiCpuMs = Math.round((readCpuMs(api.pid) ?? NaN) - cpuBefore);
    return {
      connections: streams.length,
      byBody: Object.fromEntries(FOLLOWING_BODIES.map((b) => [b, bodies.filter((x) => x === b).length])),
      changes: opts.changes,
      delay: summarize(delays),
      slowestPerChange: summarize(slowest),
      notice: summarize(notices),
      write: summarize(writes),
      missed,
      settleMs: INBOX_FEED_SETTLE_MS,
      openEntries: opts.openEntries,
      ...(Number.isFinite(apiCpuMs) ? { apiCpuMs } : {}),
    };
  } finally {
    for (const s of streams) s.close();
    await listener.end().catch(() => undefined);
    await db.destroy();
  }
}
