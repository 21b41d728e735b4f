/**
 * The recovery command (npm run record:rebuild) rebuilds the record from Temporal: into an empty
 * record, every entry (completed, withdrawn and started again, in progress, terminated) comes back
 * as Temporal holds it, audit rows one for one across run chains; a second run changes nothing;
 * run over the record the workflows kept, it finds nothing to change; without a worker it reads
 * what the runs' histories handed to the record; and the command itself exits 0 with its summary
 * line, 1 with the reason for an entry it cannot read, and names a bad setting.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { DELIVERY_ACTIVITIES, asList } from '../../activities/types';
import { entryIdFor } from '../../domain';
import type { AuditRecord } from '../../domain/types';
import { AUDIT_ACTION, NOTIFICATION_KIND } from '../../domain/types';
import { BODY, ENTRY_STATUS } from '../../domain/vocabulary';
import { openRecord, type RecordDb } from '../../record/db';
import { recordedAuditTrail } from '../../record/read';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { daysFromToday } from '../../testkit/dates';
import { eventually, startHarness, type Harness } from '../../testkit/api-harness';
import { driveToCompletion } from '../../testkit/entry-driver';
import { startPgliteServer, type RecordServer } from '../../testkit/postgres';
import { sharedTestRecord } from '../../testkit/record';
import { startDevServer, terminateWhenIdle, uniquePartyId } from '../../testkit/temporal';
import { party, typedApi } from '../../testkit/typed-api';
import { getAuditTrailQuery, getRecordProjectionQuery } from '../../workflows/messages';
import { ENTRY_OUTCOME, listEntryRuns, rebuildRecord, type RebuildOptions } from '../../worker/rebuild';

const ROOT = path.resolve(__dirname, '..', '..');
const OPTIONS: RebuildOptions = { concurrency: 4, queryTimeoutMs: 20_000 };

let env: TestWorkflowEnvironment;
/** The record the first test rebuilt with the worker answering queries. */
let rebuiltByQuery: Awaited<ReturnType<typeof snapshot>> | undefined;
let h: Harness | undefined;
const servers: RecordServer[] = [];
const dbs: RecordDb[] = [];
const parties = { completed: [uniquePartyId('DONE'), uniquePartyId('DONE')], again: uniquePartyId('AGAIN'), open: uniquePartyId('OPEN'), terminated: uniquePartyId('TERM') };
const allParties = [...parties.completed, parties.again, parties.open, parties.terminated];

/** An empty record (migrated) of its own. One connection: PGlite serves one session at a time anyway. */
async function emptyRecord(): Promise<{ url: string; db: RecordDb }> {
  const server = await startPgliteServer();
  servers.push(server);
  const db = openRecord(server.url, { allowExitOnIdle: true, maxConnections: 1 });
  dbs.push(db);
  return { url: server.url, db };
}

beforeAll(async () => {
  env = await startDevServer();
  h = await startHarness(env);
  const ops = h.tokenFor(BODY.OPS);
  const api = typedApi(h.baseUrl, ops);
  const handleOf = (partyId: string) => env.client.workflow.getHandle(entryIdFor(partyId));
  for (const partyId of allParties) expect((await api.POST('/v1/entries', { body: startBodyAcceded(partyId) })).response.status).toBe(201);
  for (const partyId of parties.completed) {
    await driveToCompletion(handleOf(partyId));
    await handleOf(partyId).result();
  }
  // withdrawn, then started again: two run chains, one trail
  expect((await api.POST('/v1/entries/{partyId}/withdrawal', { ...party(parties.again), body: { reason: 'wrong cohort' } })).response.status).toBe(200);
  await handleOf(parties.again).result();
  expect((await api.POST('/v1/entries', { body: startBodyAcceded(parties.again) })).response.status).toBe(201);
  expect((await api.PUT('/v1/entries/{partyId}/mandate-deadline', { ...party(parties.again), body: { deadline: daysFromToday(3 * 365), reason: 'panel agreed' } })).response.status).toBe(200);
  await terminateWhenIdle(handleOf(parties.terminated), 'closed outside the engine');
  // settled: nothing in flight, and visibility lists every run with its final status
  for (const partyId of [parties.again, parties.open]) {
    await eventually(() => handleOf(partyId).describe(), (d) => (d.raw.pendingActivities?.length ?? 0) === 0, 20_000);
  }
  await eventually(
    () => listEntryRuns(env.client),
    (runs) => runs.size === allParties.length && [...runs.values()].flat().filter((r) => r.status.name === 'RUNNING').length === 2,
    30_000,
  );
});

afterAll(async () => {
  await h?.close();
  await env?.teardown();
  await Promise.all(dbs.map((db) => db.destroy()));
  await Promise.all(servers.map((s) => s.stop()));
});

/** What Temporal holds of an entry's trail: each run chain's records (from its latest run), chains oldest first, numbered on. */
async function trailInTemporal(partyId: string): Promise<AuditRecord[]> {
  const runs = (await listEntryRuns(env.client)).get(entryIdFor(partyId)) ?? [];
  const latestOfChain = new Map<string, AuditRecord[]>();
  for (const run of runs) {
    const handle = env.client.workflow.getHandle(run.workflowId, run.runId);
    const { chainId } = await handle.query(getRecordProjectionQuery);
    latestOfChain.set(chainId, await handle.query(getAuditTrailQuery));
  }
  return [...latestOfChain.values()].flat().map((r, i) => ({ ...r, seq: i + 1 }));
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/** The ids of the notifications an entry's runs handed to the delivery activity, read from their histories. */
async function deliveredIds(entryId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const run of (await listEntryRuns(env.client)).get(entryId) ?? []) {
    const history = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    for (const e of history.events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (DELIVERY_ACTIVITIES.some((a) => a === scheduled?.activityType?.name)) {
        ids.push(...asList(env.client.options.loadedDataConverter.payloadConverter.fromPayload<{ id: string } | Array<{ id: string }>>(scheduled!.input!.payloads![0]!)).map((n) => n.id));
      }
    }
  }
  return ids;
}

/** Every row of every table, in a fixed order, with the moment each was written. */
async function snapshot(db: RecordDb) {
  return {
    entries: await db.selectFrom('entries').selectAll().orderBy('entry_id').execute(),
    chains: await db.selectFrom('entry_chains').selectAll().orderBy('entry_id').orderBy('chain_id').execute(),
    audit: await db.selectFrom('audit').selectAll().orderBy('entry_id').orderBy('seq').execute(),
    notifications: await db.selectFrom('notifications').selectAll().orderBy('id').execute(),
    closures: await db.selectFrom('closures').selectAll().orderBy('run_id').execute(),
  };
}

async function expectRecordAsInTemporal(db: RecordDb): Promise<void> {
  const entries = await db.selectFrom('entries').selectAll().orderBy('entry_id').execute();
  expect(entries.map((e) => e.entry_id)).toEqual(allParties.map(entryIdFor).sort());
  for (const partyId of allParties) {
    const latest = await env.client.workflow.getHandle(entryIdFor(partyId)).query(getRecordProjectionQuery);
    const row = entries.find((e) => e.entry_id === entryIdFor(partyId))!;
    expect({ partyId, state: row.state, runId: row.run_id, chainId: row.chain_id }).toEqual({ partyId, state: latest.state, runId: latest.runId, chainId: latest.chainId });
    const trail = await recordedAuditTrail(db, entryIdFor(partyId));
    const temporal = await trailInTemporal(partyId);
    const outside = partyId === parties.terminated ? 1 : 0; // the one row marking the run Temporal terminated
    expect(trail.slice(0, trail.length - outside)).toEqual(temporal);
    expect(trail).toHaveLength(temporal.length + outside);
    expect(trail.map((r) => r.seq)).toEqual(Array.from({ length: trail.length }, (_, i) => i + 1));
    const expectedStatus =
      partyId === parties.terminated ? ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE : parties.completed.includes(partyId) ? ENTRY_STATUS.COMPLETE : ENTRY_STATUS.IN_PROGRESS;
    expect({ partyId, status: row.status }).toEqual({ partyId, status: expectedStatus });
  }
  // every notification the runs handed to delivery, stamped delivered (the test's delivery always reaches someone)
  const notifications = await db.selectFrom('notifications').select(['id', 'entry_id', 'kind', 'delivered_at']).orderBy('id').execute();
  const [toOps, ofRuns] = partition(notifications, (n) => n.kind === NOTIFICATION_KIND.ENTRY_CLOSED_OUTSIDE_ENGINE);
  const delivered = [...new Set((await Promise.all(allParties.map((p) => deliveredIds(entryIdFor(p))))).flat())].sort(); // a restarted Party's notice ids repeat
  expect(ofRuns.map((n) => n.id)).toEqual(delivered);
  expect(ofRuns.filter((n) => n.delivered_at === null)).toEqual([]);
  // the terminated run's notice to OPS, due: the reconciler's next pass hands it to delivery
  expect(toOps).toMatchObject([{ entry_id: entryIdFor(parties.terminated), delivered_at: null }]);
  const terminatedTrail = await recordedAuditTrail(db, entryIdFor(parties.terminated));
  expect(terminatedTrail.at(-1)).toMatchObject({ action: AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE });
  expect((await db.selectFrom('entries').select('temporal_status').where('entry_id', '=', entryIdFor(parties.terminated)).executeTakeFirstOrThrow()).temporal_status).toBe('TERMINATED');
  const againTrail = await recordedAuditTrail(db, entryIdFor(parties.again));
  expect(againTrail.map((r) => r.action)).toContain(AUDIT_ACTION.WITHDRAWN);
  expect(againTrail.at(-1)).toMatchObject({ action: AUDIT_ACTION.DEADLINE_AMENDED });
  const closures = await db.selectFrom('closures').select(['entry_id', 'outcome']).orderBy('entry_id').orderBy('outcome').execute();
  expect(closures).toEqual(
    [
      ...parties.completed.map((p) => ({ entry_id: entryIdFor(p), outcome: 'COMPLETE' })),
      { entry_id: entryIdFor(parties.again), outcome: 'WITHDRAWN' },
      { entry_id: entryIdFor(parties.terminated), outcome: 'CLOSED_OUTSIDE_ENGINE' },
    ].sort((a, b) => a.entry_id.localeCompare(b.entry_id) || a.outcome.localeCompare(b.outcome)),
  );
}

test('an empty record is rebuilt as Temporal holds it, audit rows one for one; a second run changes nothing', async () => {
  const { db } = await emptyRecord();
  const outcomes: string[] = [];
  const first = await rebuildRecord(env.client, db, { ...OPTIONS, onEntry: (o) => outcomes.push(o.outcome) });
  expect(first).toMatchObject({ seen: allParties.length, runs: allParties.length + 1, written: allParties.length, unchanged: 0, skipped: [], fromHistory: 0 });
  expect(outcomes).toEqual(allParties.map(() => ENTRY_OUTCOME.WRITTEN));
  await expectRecordAsInTemporal(db);

  const before = await snapshot(db);
  rebuiltByQuery = before;
  const second = await rebuildRecord(env.client, db, OPTIONS);
  expect(second).toMatchObject({ seen: allParties.length, written: 0, unchanged: allParties.length, skipped: [] });
  expect(await snapshot(db)).toEqual(before);
});

test('over the record the workflows kept, it leaves every entry and audit row as it was, marks the run Temporal terminated, stamps the deliveries; then changes nothing', async () => {
  const shared = await sharedTestRecord();
  const ours = allParties.map(entryIdFor);
  const rowsOf = async () => ({
    entries: await shared.selectFrom('entries').selectAll().where('entry_id', 'in', ours).where('entry_id', '!=', entryIdFor(parties.terminated)).orderBy('entry_id').execute(),
    audit: await shared.selectFrom('audit').selectAll().where('entry_id', 'in', ours).orderBy('entry_id').orderBy('seq').execute(),
    notifications: await shared.selectFrom('notifications').select(['id', 'entry_id', 'kind', 'recipients', 'due_at']).where('entry_id', 'in', ours).orderBy('id').execute(),
  });
  const terminated = entryIdFor(parties.terminated);
  const before = await rowsOf();
  expect(before.notifications.length).toBeGreaterThan(0);
  // one entry at a time: the shared record's pool is the workflows' too (see emptyRecord)
  const summary = await rebuildRecord(env.client, shared, { ...OPTIONS, concurrency: 1 });
  expect(summary).toMatchObject({ seen: allParties.length, skipped: [] });
  const after = await rowsOf();
  expect(after.entries).toEqual(before.entries);
  const [toOps, ofRuns] = partition(after.notifications, (n) => n.kind === NOTIFICATION_KIND.ENTRY_CLOSED_OUTSIDE_ENGINE);
  expect(ofRuns).toEqual(before.notifications);
  expect(toOps).toMatchObject([{ entry_id: terminated }]);
  expect(after.audit.filter((r) => r.entry_id !== terminated)).toEqual(before.audit.filter((r) => r.entry_id !== terminated));
  const terminatedAudit = after.audit.filter((r) => r.entry_id === terminated);
  expect(terminatedAudit.slice(0, -1)).toEqual(before.audit.filter((r) => r.entry_id === terminated));
  expect(terminatedAudit.at(-1)).toMatchObject({ action: AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE });
  const unstamped = await shared.selectFrom('notifications').select('id').where('entry_id', 'in', ours).where('delivered_at', 'is', null).where('kind', '!=', NOTIFICATION_KIND.ENTRY_CLOSED_OUTSIDE_ENGINE).execute();
  expect(unstamped).toEqual([]);

  const again = await rebuildRecord(env.client, shared, { ...OPTIONS, concurrency: 1 });
  expect(again).toMatchObject({ seen: allParties.length, written: 0, unchanged: allParties.length, skipped: [] });
});

/** Runs the command as an operator would; answers its exit code and output. */
async function runCommand(env_: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'record-rebuild.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env_ },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

test('npm run record:rebuild: exits 0 with its summary line, and names a bad setting', async () => {
  const { url, db } = await emptyRecord();
  const settings = { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: env.namespace ?? 'default', RECORD_DATABASE_URL: url, RECORD_POOL_SIZE: '1' };
  const run = await runCommand(settings);
  expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
  expect(run.stdout).toMatch(new RegExp(`^record rebuilt: ${allParties.length} entries seen \\(${allParties.length + 1} runs\\), ${allParties.length} written, 0 unchanged, 0 skipped, in [0-9.]+ s$`, 'm'));
  expect(run.stderr).toContain(`progress: ${allParties.length}/${allParties.length} entries`); // plain lines: not a terminal
  await expectRecordAsInTemporal(db);

  const again = await runCommand(settings);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(`0 written, ${allParties.length} unchanged, 0 skipped`);

  const bad = await runCommand({ ...settings, RECORD_DATABASE_URL: 'mysql://uep@127.0.0.1/uep' }, ['--concurrency=0']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('RECORD_DATABASE_URL: must be a postgres:// URL');
});

test('without a worker, runs are read from what their histories handed the record; an entry with neither is skipped with its reason, exit 1', async () => {
  await h!.close();
  h = undefined;
  const { url, db } = await emptyRecord();
  const summary = await rebuildRecord(env.client, db, { concurrency: 4, queryTimeoutMs: 1000 });
  expect(summary).toMatchObject({ seen: allParties.length, written: allParties.length, skipped: [], fromHistory: allParties.length + 1 });
  // the same record as the queries gave, but for the workflow time each row is as of
  const comparable = (s: Awaited<ReturnType<typeof snapshot>>) => ({
    entries: s.entries.map(({ as_of: _a, recorded_at: _r, ...e }) => e),
    chains: s.chains,
    audit: s.audit.map(({ recorded_at: _r, ...a }) => a),
    notifications: s.notifications.map(({ recorded_at: _r, ...n }) => n),
    closures: s.closures.map(({ recorded_at: _r, ...c }) => c),
  });
  expect(rebuiltByQuery).toBeDefined();
  expect(comparable(await snapshot(db))).toEqual(comparable(rebuiltByQuery!));

  // a run whose first workflow task never ran: no worker answers it, its history hands nothing over
  const stray = uniquePartyId('STRAY');
  await env.client.workflow.start('entryWorkflow', { taskQueue: 'no-worker-here', workflowId: entryIdFor(stray), args: [{}] });
  await eventually(() => listEntryRuns(env.client), (runs) => runs.has(entryIdFor(stray)), 30_000);
  const run = await runCommand({ TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: env.namespace ?? 'default', RECORD_DATABASE_URL: url, RECORD_POOL_SIZE: '1' }, ['--query-timeout-ms=1000']);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(new RegExp(`^skipped ${entryIdFor(stray)}: run [^:]+: query failed \\(.+\\) and its history hands nothing to the record`, 'm'));
  expect(run.stdout).toContain(`${allParties.length + 1} entries seen (${allParties.length + 2} runs), 0 written, ${allParties.length} unchanged, 1 skipped`);
  await env.client.workflow.getHandle(entryIdFor(stray)).terminate('test over');
});
