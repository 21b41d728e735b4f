/**
 * `npm run bench`: the engine against the raw Temporal SDK on the same server, in one run.
 *
 *   floor    N minimal workflows, each sent K updates with the SDK (bench/floor)
 *   floor, equal Temporal work   N workflows asking of Temporal what an engine lifecycle asks
 *            (a plan read off the warm-up entry's history), and nothing else (bench/floor)
 *   engine   N entries started and driven to completion through the HTTP API (K updates each)
 *   scale    BENCH_SCALE open entries idle on their timers: worker RSS, status and list latency
 *   time     a six-month lifecycle on the time-skipping server: wall time and history events
 *   live inbox   200 open GET /v1/inbox/events streams told of a record write: commit to event
 *   console  the web console in chromium: a DCC inbox of 1,000 entries, the JavaScript sent
 *   files    a 50 MiB evidence file up and down through the API process: its RSS growth, beside a
 *            bare node:http floor's and a file four times larger (bench/files-run.ts)
 *
 * BENCH_ONLY=live-inbox,console,files runs only those parts, each on a stack of its own, without the
 * floor and engine runs (bench/results/<time>-only-<parts>.json).
 * Workers and the API run as child processes (their RSS and CPU are their own); this process
 * holds only the clients. Settings: bench/config.ts. Prints tables and writes bench/results/<time>.json.
 * What the run needs of the machine (chromium for the console phase, PostgreSQL's binaries) is
 * checked before anything starts; a phase that fails leaves bench/results/<time>-partial.json with
 * what the phases before it measured.
 * `npm run bench -- --cluster`: the same on the PostgreSQL-backed cluster of `npm run cluster`
 * (scripts/cluster), with the CPU split per Temporal service and PostgreSQL.
 */
import '../testkit/quiet-runtime';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_NAMESPACE } from '../config/temporal';
import { buildWorkflowBundle } from '../scripts/build-workflow-bundle';
import { startSmtpCatcher, type SmtpCatcher } from '../testkit/smtp-catcher';
import { startDevServer } from '../testkit/temporal';
import { startCluster, type Cluster } from '../scripts/cluster/cluster';
import { startApiProcess, type ApiProcess } from './api-process';
import { loadBenchConfig, type BenchConfig } from './config';
import { withCpu, type NamedProcess } from './cpu';
import { benchEntryIdPrefix, benchPartyId, oneEntry, planOfEntry, runEngine, totalsOfEntry } from './engine-run';
import { runEngineViaSdk } from './engine-sdk-run';
import { runConsole } from './console-run';
import { runEvidenceFiles, type FilesResult } from './files-run';
import { equalWorkWorkflowId, floorWorkflowId, runEqualWorkFloor, runFloor, totalsOf, writeFloorWorkflows } from './floor/run';
import { loadAverage, machineInfo } from './machine';
import { checkTargets, partTargets, renderPartsReport, renderReport, type BenchPartsResult, type BenchResult } from './report';
import { runLiveInbox, type LiveInboxResult } from './live-inbox-run';
import { runScale } from './scale-run';
import { runTimeSkippingLifecycle } from './time-skipping-run';
import { ENGINE_WORKER_ENTRY, startWorkerProcess, type WorkerProcess } from '../testkit/worker-process';
import { EXAMPLE_ROUTES_FILE } from '../config/start-local-env';
import { testRecordUrl } from '../testkit/record';
import { startRealPostgres } from '../testkit/postgres';
import { migrateRecord, openRecord } from '../record/db';
import { recordLag } from './record-lag';
import { exitWhenDone } from '../scripts/exit-when-done';
import { freePort } from '../testkit/ports';
import { actionsPerLifecycle, readActionCounter } from '../testkit/server-action-counter';
import { MeasuredRun } from '../testkit/measured-run';
import { describeMissing, missingPrerequisites, type Prerequisite } from '../testkit/prerequisites';

const RESULTS_DIR = path.join(__dirname, 'results');
const FLOOR_WORKER_ENTRY = path.join(__dirname, 'floor', 'worker.ts');
/** Open entries in the record before the live inbox's changes: the console's inbox size. */
const LIVE_INBOX_OPEN_ENTRIES = 1000;
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

let recordUrl: Promise<string> | undefined;
let recordIsPostgres = false;

/**
 * The record the bench's worker and API write and read: a real PostgreSQL server when its binaries
 * are on PATH (production's record, and no single-session bottleneck in the figures), else the
 * embedded PGlite.
 */
function benchRecordUrl(): Promise<string> {
  recordUrl ??= (async () => {
    if (spawnSync('initdb', ['--version']).status !== 0) return testRecordUrl();
    const server = await startRealPostgres();
    process.once('exit', () => void server.stop());
    const db = openRecord(server.url, { maxConnections: 1, allowExitOnIdle: true });
    try {
      await migrateRecord(db);
    } finally {
      await db.destroy();
    }
    log('record: a real PostgreSQL server');
    recordIsPostgres = true;
    return server.url;
  })();
  return recordUrl;
}

/**
 * Runs a phase of `lifecycles` lifecycles and, when the server's metrics are at `metricsUrl`, what
 * its `action` counter rose by meanwhile, per lifecycle (read outside the CPU measurement).
 */
async function countingActions<T>(metricsUrl: string | undefined, lifecycles: number, phase: () => Promise<T>): Promise<{ value: T; actions?: Record<string, number> }> {
  if (!metricsUrl) return { value: await phase() };
  const before = await readActionCounter(metricsUrl, DEFAULT_NAMESPACE);
  const value = await phase();
  return { value, actions: actionsPerLifecycle(before, await readActionCounter(metricsUrl, DEFAULT_NAMESPACE), lifecycles) };
}

/** Env of a worker child process: this server, its own task queue, quiet, no metrics port. */
async function workerEnv(address: string, taskQueue: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    RECORD_DATABASE_URL: await benchRecordUrl(),
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: DEFAULT_NAMESPACE,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKER_METRICS_ENABLED: 'false',
    LOG_LEVEL: 'INFO',
    UEP_DEMO: 'true',
    ...extra,
  };
}

/** The live inbox part on the given API process (its log in `apiDir`), or why it was left out. */
async function liveInboxPhase(run: Pick<MeasuredRun<object>, 'phase'>, api: ApiProcess, apiDir: string, config: BenchConfig, runId: string): Promise<LiveInboxResult | undefined> {
  if (config.liveInboxStreams === 0) return undefined;
  const url = await benchRecordUrl();
  if (!recordIsPostgres) {
    log('live inbox: left out, the record is the embedded PGlite (no notices: the feed polls every second)');
    return undefined;
  }
  log(`live inbox: ${config.liveInboxStreams} streams, ${config.liveInboxChanges} changes`);
  return run.phase('live inbox', () =>
    runLiveInbox(api, { recordUrl: url, apiLogDir: apiDir, connections: config.liveInboxStreams, changes: config.liveInboxChanges, openEntries: LIVE_INBOX_OPEN_ENTRIES, runId, log }),
  );
}

/** The evidence files part, or nothing when BENCH_FILE_MB=0. */
async function filesPhase(run: Pick<MeasuredRun<object>, 'phase'>, config: BenchConfig): Promise<FilesResult | undefined> {
  if (config.fileMb === 0) return undefined;
  log(`files: a ${config.fileMb} MiB evidence file up and down through the API, beside a bare node:http floor`);
  return run.phase('files', () => runEvidenceFiles({ fileMb: config.fileMb, boundFactor: 4, log }));
}

/** BENCH_ONLY: the parts asked for, each on a stack of its own, with the machine and its load. */
async function runParts(config: BenchConfig): Promise<void> {
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const machine = machineInfo();
  const loadAtStart = loadAverage();
  log(`machine: ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; load ${loadAtStart.join(' ')}; only ${config.only.join(', ')}`);
  const run = new MeasuredRun<BenchPartsResult>(log);
  const stem = `${startedAt.toISOString().replace(/[:.]/g, '-')}${config.quick ? '-quick' : ''}-only-${config.only.join('-')}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await run.run(async () => {
      let liveInbox: LiveInboxResult | undefined;
      if (config.only.includes('live-inbox')) {
        const env: TestWorkflowEnvironment = await startDevServer();
        cleanups.push(() => env.teardown());
        const dir = mkdtempSync(path.join(tmpdir(), 'uep-bench-live-'));
        cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
        const api = await startApiProcess({ address: env.address, taskQueue: `bench-live-${runId}`, namespace: DEFAULT_NAMESPACE, rpcTimeoutMs: 30_000, partyIds: [], dir, recordUrl: await benchRecordUrl() });
        cleanups.push(() => api.close());
        liveInbox = await liveInboxPhase(run, api, dir, config, runId);
        if (liveInbox) run.keep({ liveInbox });
      }
      let consoleResult;
      if (config.only.includes('console')) {
        log(`console: a DCC inbox of ${config.consoleEntries} entries in chromium`);
        consoleResult = await run.phase('console', () => runConsole({ entries: config.consoleEntries, startConcurrency: config.startConcurrency, runId, log }));
      }
      let files: FilesResult | undefined;
      if (config.only.includes('files')) files = await filesPhase(run, config);
      const parts = { ...(liveInbox ? { liveInbox } : {}), ...(consoleResult ? { console: consoleResult } : {}), ...(files ? { files } : {}) };
      const result: BenchPartsResult = { at: startedAt.toISOString(), quick: config.quick, machine, only: config.only, load: { atStart: loadAtStart, atEnd: loadAverage() }, ...parts, targets: partTargets(parts) };
      console.log(renderPartsReport(result));
      mkdirSync(RESULTS_DIR, { recursive: true });
      const out = config.out ?? path.join(RESULTS_DIR, `${stem}.json`);
      writeFileSync(out, JSON.stringify(result, null, 2));
      log(`wrote ${path.relative(process.cwd(), out)}`);
    }, () => path.join(RESULTS_DIR, `${stem}-partial.json`));
  } finally {
    for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`));
  }
}

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const needsChromium = config.only.length > 0 ? config.only.includes('console') : config.consoleEntries > 0;
  const needed: Prerequisite[] = [...(needsChromium ? (['chromium'] as const) : []), 'postgresql'];
  const missing = missingPrerequisites(needed);
  if (missing.some((m) => m.what === 'chromium' || config.cluster)) {
    process.stderr.write(`${describeMissing(missing, 'npm run bench')}\n(BENCH_CONSOLE_ENTRIES=0 leaves out the console phase, and with it chromium.)\n`);
    process.exit(1); // before anything started: nothing to stop
  }
  if (config.only.length > 0) return runParts(config);
  for (const m of missing) log(`the record will be the embedded PGlite, not production's PostgreSQL: ${m.advice}`);
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const machine = machineInfo();
  const loadAtStart = loadAverage();
  log(`machine: ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.temporalCli}`);
  const run = new MeasuredRun<BenchResult>(log);
  run.keep({ at: startedAt.toISOString(), quick: config.quick, machine });
  const resultPath = (suffix: string) =>
    config.out && !suffix ? config.out : path.join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, '-')}${config.cluster ? '-cluster' : ''}${config.quick ? '-quick' : ''}${suffix}.json`);

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => log(`cleanup: ${String(err)}`));
  };
  try {
    await run.run(async () => {
      let address = config.temporalAddress;
      let cluster: Cluster | undefined;
      let metricsUrl: string | undefined;
      if (config.cluster) {
        const dir = mkdtempSync(path.join(tmpdir(), 'uep-bench-cluster-'));
        const started = await startCluster({ dir, log });
        cluster = started;
        cleanups.push(() => started.stop().then(() => rmSync(dir, { recursive: true, force: true })));
        address = started.address;
        log(`cluster on ${address}: ${started.versions.temporal}; ${started.versions.postgres}`);
      } else if (!address) {
        const metricsPort = await freePort();
        const env: TestWorkflowEnvironment = await startDevServer({ extraArgs: ['--metrics-port', String(metricsPort)] });
        cleanups.push(() => env.teardown());
        address = env.address;
        metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
        log(`dev server on ${address} (in-memory), metrics on ${metricsUrl}`);
      }
      const connection = await Connection.connect({ address });
      cleanups.push(() => connection.close());
      const client = new Client({ connection, namespace: DEFAULT_NAMESPACE });

      const smtp: SmtpCatcher = await startSmtpCatcher();
      cleanups.push(() => smtp.stop());
      const workDir = mkdtempSync(path.join(tmpdir(), 'uep-bench-'));
      cleanups.push(async () => rmSync(workDir, { recursive: true, force: true }));
      const bundle = await buildWorkflowBundle(path.join(workDir, 'workflow-bundle.js'));
      log(`workflow bundle built in ${bundle.ms} ms`);

      const floorQueue = `bench-floor-${runId}`;
      const engineQueue = `bench-engine-${runId}`;
      const engineWorker = await startWorkerProcess({
        entry: ENGINE_WORKER_ENTRY,
        // Every body routed (example addresses, into the catcher): a body with no route would fail its notices.
        env: await workerEnv(address, engineQueue, { WORKFLOW_BUNDLE_PATH: bundle.path, SMTP_URL: smtp.url, NOTIFY_ROUTES_FILE: EXAMPLE_ROUTES_FILE, API_PUBLIC_URL: 'http://127.0.0.1:3000' }),
      });
      cleanups.push(() => engineWorker.kill());
      log(`engine worker up: pid ${engineWorker.pid}`);

      const serverProcesses = (): NamedProcess[] =>
        cluster
          ? [...cluster.services().map((p) => ({ name: p.name, pid: p.pid })), { name: 'postgresql', pid: cluster.postgres.pid()!, tree: true }]
          : [];
      const warmPartyId = benchPartyId(runId, 'w', 0);
      const api = await startApiProcess({
        address,
        taskQueue: engineQueue,
        namespace: DEFAULT_NAMESPACE,
        rpcTimeoutMs: 30_000,
        partyIds: [warmPartyId, ...Array.from({ length: config.n }, (_, i) => benchPartyId(runId, 'e', i))],
        dir: workDir,
        recordUrl: await benchRecordUrl(),
      });
      cleanups.push(() => api.close());
      log(`API up: pid ${api.pid}, ${api.baseUrl}`);

      // Warm-up; K and the equal-work plan: what one one-role entry takes through the API and asks of Temporal.
      const warm = await oneEntry(api, warmPartyId, { updates: [], starts: [], retries: 0 });
      const k = warm.updates;
      const plan = await planOfEntry(client, warmPartyId);
      if (plan.updates.length !== k) throw new Error(`the warm-up entry's history holds ${plan.updates.length} updates, not ${k}`);
      log(`one entry takes K=${k} updates in ${warm.rounds} rounds`);

      let floorWorker: WorkerProcess | undefined = await startWorkerProcess({
        entry: FLOOR_WORKER_ENTRY,
        env: await workerEnv(address, floorQueue, { FLOOR_WORKFLOWS_PATH: writeFloorWorkflows(workDir, plan) }),
      });
      cleanups.push(() => floorWorker?.kill() ?? Promise.resolve());
      log(`floor worker up: pid ${floorWorker.pid}`);
      const floorOpts = { taskQueue: floorQueue, concurrency: config.concurrency };
      await runFloor(client, { ...floorOpts, n: config.concurrency, k, runId: `${runId}w` });
      await runEqualWorkFloor(client, plan, { ...floorOpts, n: config.concurrency, runId: `${runId}w` });

      const onFloorWorker = { worker: floorWorker.pid, idle: [engineWorker.pid, api.pid] };
      log(`floor: N=${config.n}, K=${k}, concurrency ${config.concurrency}`);
      const floorRun = await run.phase('floor', () =>
        countingActions(metricsUrl, config.n, () => withCpu(onFloorWorker, config.n, () => runFloor(client, { ...floorOpts, n: config.n, k, runId }), serverProcesses())),
      );
      const floor = { ...floorRun.value.value, cpuMsPerLifecycle: floorRun.value.cpu };
      run.keep({ floor, settings: { n: config.n, k, concurrency: config.concurrency, scale: config.scale, scaleSample: config.scaleSample, rounds: warm.rounds } });
      log(`floor with the engine's Temporal work: N=${config.n}`);
      const equalRun = await run.phase('floor, equal Temporal work', () =>
        countingActions(metricsUrl, config.n, () => withCpu(onFloorWorker, config.n, () => runEqualWorkFloor(client, plan, { ...floorOpts, n: config.n, runId }), serverProcesses())),
      );
      const floorEqualWork = { ...equalRun.value.value, cpuMsPerLifecycle: equalRun.value.cpu };
      run.keep({ floorEqualWork });
      const equalWorkHistory = await totalsOf(client.workflow.getHandle(equalWorkWorkflowId(runId, 0)));
      const bareFloorHistory = await totalsOf(client.workflow.getHandle(floorWorkflowId(runId, 0)));
      await floorWorker.kill();
      floorWorker = undefined;

      const onEngineWorker = { worker: engineWorker.pid, api: api.pid, idle: [] };
      log(`engine: N=${config.n}, concurrency ${config.concurrency}`);
      const engineRun = await run.phase('engine', () =>
        countingActions(metricsUrl, config.n, () => withCpu(onEngineWorker, config.n, () => runEngine(api, { n: config.n, concurrency: config.concurrency, runId }), serverProcesses())),
      );
      const engine = { ...engineRun.value.value, cpuMsPerLifecycle: engineRun.value.cpu };
      const actionMetric = engineRun.actions && floorRun.actions && equalRun.actions ? { floor: floorRun.actions, floorEqualWork: equalRun.actions, engine: engineRun.actions } : undefined;
      run.keep({ engine, ...(actionMetric ? { actionMetric } : {}) });
      const recordLagOfEngine = await recordLag(await benchRecordUrl(), benchEntryIdPrefix(runId, 'e'));
      log(`record lag over the engine run: p50 ${recordLagOfEngine.p50} ms, p99 ${recordLagOfEngine.p99} ms (${recordLagOfEngine.count} audit rows)`);
      const engineHistories = await Promise.all([0, Math.floor(config.n / 2), config.n - 1].map((i) => totalsOfEntry(client, benchPartyId(runId, 'e', i))));
      log(`engine without HTTP (diagnostic): N=${config.n}`);
      const sdkRun = await run.phase('engine without HTTP', () => withCpu({ worker: engineWorker.pid, idle: [api.pid] }, config.n, () =>
        runEngineViaSdk(client, { taskQueue: engineQueue, n: config.n, concurrency: config.concurrency, runId }),
      serverProcesses()));
      const engineViaSdk = { ...sdkRun.value, cpuMsPerLifecycle: sdkRun.cpu };
      const workerRssAfterRunsMiB = Math.round((engineWorker.rssBytes() ?? NaN) / 1024 / 1024);
      run.keep({ engineViaSdk, recordLag: recordLagOfEngine, histories: { engine: engineHistories, floorEqualWork: equalWorkHistory, floor: bareFloorHistory }, workerRssAfterRunsMiB });

      const liveInbox = await liveInboxPhase(run, api, workDir, config, runId);
      if (liveInbox) run.keep({ liveInbox });

      let scale;
      if (config.scale > 0) {
        log(`scale: ${config.scale} open entries`);
        scale = await run.phase('scale', async () => runScale(client, api, engineWorker, {
          scale: config.scale,
          sample: config.scaleSample,
          startConcurrency: config.startConcurrency,
          runId,
          taskQueue: engineQueue,
          namespace: DEFAULT_NAMESPACE,
          recordUrl: await benchRecordUrl(),
        }));
        run.keep({ scale });
      }
      let timeSkipping;
      if (config.timeSkipping) {
        log('time skipping: a six-month lifecycle');
        timeSkipping = await run.phase('time skipping', () => runTimeSkippingLifecycle(warm.rounds));
        run.keep({ timeSkipping });
      }

      let consoleResult;
      if (config.consoleEntries > 0) {
        log(`console: a DCC inbox of ${config.consoleEntries} entries in chromium`);
        consoleResult = await run.phase('console', () => runConsole({ entries: config.consoleEntries, startConcurrency: config.startConcurrency, runId, log }));
      }
      const files = await filesPhase(run, config);

      const partial: Omit<BenchResult, 'targets'> = {
        at: startedAt.toISOString(),
        quick: config.quick,
        machine,
        server: cluster
          ? `Temporal cluster on PostgreSQL (npm run cluster): ${cluster.versions.temporal}, ${cluster.services().length} service processes; ${cluster.versions.postgres}`
          : address === config.temporalAddress
            ? `Temporal at ${address}`
            : `Temporal dev server (${machine.temporalCli}), in memory`,
        settings: { n: config.n, k, concurrency: config.concurrency, scale: config.scale, scaleSample: config.scaleSample, rounds: warm.rounds },
        floor,
        floorEqualWork,
        engine,
        engineViaSdk,
        histories: { engine: engineHistories, floorEqualWork: equalWorkHistory, floor: bareFloorHistory },
        load: { atStart: loadAtStart, atEnd: loadAverage() },
        workerRssAfterRunsMiB,
        recordLag: recordLagOfEngine,
        workPlan: plan,
        ...(actionMetric ? { actionMetric } : {}),
        ...(scale ? { scale } : {}),
        ...(timeSkipping ? { timeSkipping } : {}),
        ...(consoleResult ? { console: consoleResult } : {}),
        ...(liveInbox ? { liveInbox } : {}),
        ...(files ? { files } : {}),
      };
      const result: BenchResult = { ...partial, targets: checkTargets(partial) };
      console.log(renderReport(result));
      mkdirSync(RESULTS_DIR, { recursive: true });
      const out = resultPath('');
      writeFileSync(out, JSON.stringify(result, null, 2));
      log(`wrote ${path.relative(process.cwd(), out)}`);
    }, () => resultPath('-partial'));
  } finally {
    await cleanup();
  }
}

exitWhenDone(main);
