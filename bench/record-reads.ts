/**
 * npm run bench:record: the inbox and the compliance report answered from the record over many
 * entries (RECORD_BENCH_ENTRIES, default 10,000), on the embedded PGlite and, when PostgreSQL's
 * server binaries are on PATH, on a real PostgreSQL server: p50/p99 of each over
 * RECORD_BENCH_REQUESTS requests, through the real API (HTTP, auth, zod, JSON). The entries are
 * projected into the record as the workflow projects them (record/write.ts), at different stages.
 */
import { Connection, Client } from '@temporalio/client';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { applyCommand, startEntry, type EntryState } from '../domain';
import type { StartEntryInput } from '../domain/types';
import { BODY, COHORT, USER_ROLE, type Cohort } from '../domain/vocabulary';
import { mintToken, TokenStore } from '../api/tokens';
import { migrateRecord, openRecord, type RecordDb } from '../record/db';
import type { EntryProjection } from '../domain/projection';
import { writeProjection } from '../record/write';
import { call, listenApp } from '../testkit/api-harness';
import { startRecordServer, type RecordBackend } from '../testkit/postgres';
import { summarize, type LatencySummary } from './stats';
import { timed } from '../testkit/timed';
import { exitWhenDone } from '../scripts/exit-when-done';

const ENTRIES = Number(process.env.RECORD_BENCH_ENTRIES ?? 10_000);
const REQUESTS = Number(process.env.RECORD_BENCH_REQUESTS ?? 30);
const DAY = 86_400_000;
const COHORTS: Cohort[] = Object.values(COHORT);
const log = (msg: string) => process.stderr.write(`[bench:record ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function input(i: number, now: number): StartEntryInput {
  return {
    partyId: `RB-${String(i).padStart(6, '0')}`,
    partyName: `Record Bench ${i}`,
    cohort: COHORTS[i % COHORTS.length]!,
    roles: i % 3 === 0 ? [USER_ROLE.IMPORT_SUPPLIER, USER_ROLE.GAS_SUPPLIER] : [USER_ROLE.IMPORT_SUPPLIER],
    mandateDeadline: i % 4 === 0 ? null : new Date(now + ((i % 400) - 60) * DAY).toISOString().slice(0, 10),
    uepContact: { name: 'Ann Smith', email: 'ann@example.org' },
    startedBy: { body: BODY.OPS, id: 'bench' },
  };
}

/** An entry some way along: started months ago, SECAS's accession decided for every second one. */
function entryAt(i: number, now: number): { state: EntryState; startedAt: number } {
  const startedAt = now - (i % 180) * DAY;
  let { state } = startEntry(input(i, now), startedAt);
  if (i % 2 === 0) {
    const outcome = applyCommand(state, { type: 'RECORD_DECISION', decisionId: `d-${i}`, stage: 'ACCESSION', outcome: 'ACCEDED', evidence: 'x', principal: { body: BODY.SECAS, id: 'bench' } }, startedAt + DAY);
    if (outcome.ok && !outcome.duplicate) state = outcome.state;
  }
  return { state, startedAt };
}

async function seed(db: RecordDb, now: number): Promise<number> {
  const started = performance.now();
  const concurrency = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < ENTRIES; i = next++) {
        const { state } = entryAt(i, now);
        const projection: EntryProjection = {
          entryId: state.entryId,
          chainId: `bench-chain-${i}`,
          runId: `bench-run-${i}`,
          asOfMs: now,
          state: { ...state, audit: [] },
          audit: state.audit,
          notifications: [],
        };
        await writeProjection(db, projection);
        if ((i + 1) % 1000 === 0) log(`${i + 1} entries written`);
      }
    }),
  );
  return performance.now() - started;
}

async function measure(baseUrl: string, token: string, pathname: string, check: (json: unknown) => number): Promise<LatencySummary & { rows: number }> {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const answer = await timed(samples, () => call(baseUrl, 'GET', pathname, { token }));
    if (answer.status !== 200) throw new Error(`${pathname}: ${answer.status} ${answer.text.slice(0, 200)}`);
    rows = check(answer.json);
  }
  return { ...summarize(samples), rows };
}

async function onBackend(backend: RecordBackend) {
  const server = await startRecordServer(backend);
  try {
    const db = openRecord(server.url, { maxConnections: 8, allowExitOnIdle: true });
    await migrateRecord(db);
    const now = Date.now();
    const seedMs = await seed(db, now);
    log(`${backend}: ${ENTRIES} entries seeded in ${Math.round(seedMs / 1000)} s`);
    const tokens = new TokenStore([]);
    const { token, record } = mintToken({ body: BODY.OPS, id: 'bench', name: 'Bench' });
    tokens.add(record);
    // The reads measured here never reach Temporal: a lazy connection that is never used.
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const { server: http, baseUrl } = await listenApp(client, { LOG_LEVEL: 'silent' }, tokens, { record: db });
    try {
      const report = await measure(baseUrl, token, '/v1/reports/compliance', (j) => (j as { rows: unknown[] }).rows.length);
      log(`${backend}: compliance report p50 ${report.p50} ms, p99 ${report.p99} ms (${report.rows} rows)`);
      const inbox = await measure(baseUrl, token, '/v1/inbox?body=SECAS', (j) => (j as { items: unknown[] }).items.length);
      log(`${backend}: SECAS inbox p50 ${inbox.p50} ms, p99 ${inbox.p99} ms (${inbox.rows} items)`);
      const secas = await measure(baseUrl, token, '/v1/inbox?body=DCC', (j) => (j as { items: unknown[] }).items.length);
      log(`${backend}: DCC inbox p50 ${secas.p50} ms, p99 ${secas.p99} ms (${secas.rows} items)`);
      return { backend, entries: ENTRIES, seedMs: Math.round(seedMs), complianceReport: report, secasInbox: inbox, dccInbox: secas };
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await client.connection.close().catch(() => undefined);
      await db.destroy();
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const backends: RecordBackend[] = ['pglite'];
  if (spawnSync('initdb', ['--version']).status === 0) backends.push('postgresql');
  else log('initdb not on PATH: the real PostgreSQL run is skipped');
  const results = [];
  for (const backend of backends) results.push(await onBackend(backend));
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `record-reads-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ entries: ENTRIES, requests: REQUESTS, results }, null, 2)}\n`);
  console.log(JSON.stringify(results.map((r) => ({ backend: r.backend, entries: r.entries, report: [r.complianceReport.p50, r.complianceReport.p99], secasInbox: [r.secasInbox.p50, r.secasInbox.p99], dccInbox: [r.dccInbox.p50, r.dccInbox.p99] }))));
  log(`results in ${file}`);
}

exitWhenDone(main);
