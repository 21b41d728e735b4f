/** The benchmark's result: targets checked, a table for the terminal and a markdown page. */
import { actionBreakdown } from '../testkit/billable-actions';
import { cpuTotal } from './cpu';
import type { HistoryTotals, WorkPlan } from './floor/work-plan';
import type { RunResult } from './lifecycle-run';
import type { MachineInfo } from './machine';
import type { ScaleResult } from './scale-run';
import type { TimeSkippingResult } from './time-skipping-run';
import type { ConsoleResult } from './console-run';
import type { FilesResult } from './files-run';
import type { LiveInboxResult } from './live-inbox-run';
import type { LatencySummary } from './stats';

/** The targets on the 2-core machine (issue 17), each against the floors measured in the same run. */
export const TARGETS = {
  throughputVsEqualWorkMin: 0.9,
  throughputVsFloorMin: 0.6,
  decisionP50RatioMax: 1.6,
  workerCpuVsEqualWorkMax: 1.2,
  apiCpuMsMax: 35,
  scaleRssMiBMax: 600,
  scaleStatusP99MsMax: 60,
  scaleEntries: 10_000,
  consoleInboxEntries: 1000,
  consoleInboxInteractiveMsMax: 1000,
  consoleJsGzipKiBMax: 200,
  recordLagP99MaxMs: 1000,
  /** Issue 26: work arriving reaches an open inbox within 2 s. */
  liveInboxP99MsMax: 2000,
  /** Issue 26: a 50 MB evidence file streams through the API in constant memory. */
  filesRssGrowthMiBMax: 30,
} as const;

export interface BenchResult {
  at: string;
  quick: boolean;
  machine: MachineInfo;
  /** What the Temporal side was: the dev server, a given address, or the cluster. */
  server?: string;
  /** load averages (1, 5, 15 min) when the run started and ended: the machine may be shared */
  load: { atStart: number[]; atEnd: number[] };
  settings: { n: number; k: number; concurrency: number; scale: number; scaleSample: number; rounds: number };
  floor: RunResult;
  /** The raw SDK asking of Temporal what an engine lifecycle asks (bench/floor/equal-work.ts). */
  floorEqualWork: RunResult;
  engine: RunResult;
  /** Diagnostic: the engine's workflow driven with the SDK directly (no HTTP). */
  engineViaSdk: RunResult;
  /** Per lifecycle, read off histories: three engine entries of the run, one of each floor. */
  histories: { engine: HistoryTotals[]; floorEqualWork: HistoryTotals; floor: HistoryTotals };
  workerRssAfterRunsMiB: number;
  /** What the warm-up entry asked of Temporal, step by step (the equal-work floor's plan): where each action comes from. */
  workPlan?: WorkPlan;
  /**
   * Per lifecycle, what the dev server's own `action` counter rose by in each run, by action_type
   * (testkit/server-action-counter.ts); only when the bench started the dev server.
   */
  actionMetric?: { floor: Record<string, number>; floorEqualWork: Record<string, number>; engine: Record<string, number> };
  /** ms from each command of the engine run (workflow time) to its audit row in the record. */
  recordLag?: LatencySummary;
  scale?: ScaleResult;
  timeSkipping?: TimeSkippingResult;
  console?: ConsoleResult;
  liveInbox?: LiveInboxResult;
  files?: FilesResult;
  targets: TargetCheck[];
}

/** `BENCH_ONLY`: the parts asked for, each on a stack of its own, without the floor and engine runs. */
export interface BenchPartsResult {
  at: string;
  quick: boolean;
  machine: MachineInfo;
  only: string[];
  load: { atStart: number[]; atEnd: number[] };
  console?: ConsoleResult;
  liveInbox?: LiveInboxResult;
  files?: FilesResult;
  targets: TargetCheck[];
}

export interface TargetCheck {
  target: string;
  value: string;
  met: boolean;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export function checkTargets(r: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const eq = r.floorEqualWork;
  const engineCpu = r.engine.cpuMsPerLifecycle;
  const eqCpu = eq.cpuMsPerLifecycle;
  const checks: TargetCheck[] = [
    {
      target: `engine throughput >= ${TARGETS.throughputVsEqualWorkMin} x equal-work floor`,
      value: `${ratio(r.engine.updatesPerSec, eq.updatesPerSec)} x (${r.engine.updatesPerSec} vs ${eq.updatesPerSec} updates/s)`,
      met: r.engine.updatesPerSec >= TARGETS.throughputVsEqualWorkMin * eq.updatesPerSec,
    },
    {
      target: `engine throughput >= ${TARGETS.throughputVsFloorMin} x bare floor`,
      value: `${ratio(r.engine.updatesPerSec, r.floor.updatesPerSec)} x (${r.engine.updatesPerSec} vs ${r.floor.updatesPerSec} updates/s)`,
      met: r.engine.updatesPerSec >= TARGETS.throughputVsFloorMin * r.floor.updatesPerSec,
    },
    {
      target: `decision p50 <= ${TARGETS.decisionP50RatioMax} x bare floor update p50`,
      value: `${ratio(r.engine.update.p50, r.floor.update.p50)} x (${r.engine.update.p50} vs ${r.floor.update.p50} ms)`,
      met: r.engine.update.p50 <= TARGETS.decisionP50RatioMax * r.floor.update.p50,
    },
  ];
  if (r.recordLag) {
    checks.push({
      target: `record lag p99 <= ${TARGETS.recordLagP99MaxMs} ms while the engine run drives entries`,
      value: `p50 ${r.recordLag.p50} ms, p99 ${r.recordLag.p99} ms over ${r.recordLag.count} audit rows`,
      met: r.recordLag.p99 <= TARGETS.recordLagP99MaxMs,
    });
  }
  if (engineCpu && eqCpu) {
    checks.push(
      {
        target: `worker CPU per lifecycle <= ${TARGETS.workerCpuVsEqualWorkMax} x equal-work floor's worker`,
        value: `${ratio(engineCpu.worker, eqCpu.worker)} x (${engineCpu.worker} vs ${eqCpu.worker} ms)`,
        met: engineCpu.worker <= TARGETS.workerCpuVsEqualWorkMax * eqCpu.worker,
      },
      {
        target: `API process CPU per lifecycle <= ${TARGETS.apiCpuMsMax} ms`,
        value: `${engineCpu.api} ms`,
        met: engineCpu.api <= TARGETS.apiCpuMsMax,
      },
    );
  }
  if (r.scale) {
    const full = r.scale.openEntries >= TARGETS.scaleEntries ? '' : ` (only ${r.scale.openEntries} entries: not the target's scale)`;
    checks.push(
      { target: `worker RSS peak <= ${TARGETS.scaleRssMiBMax} MiB at ${TARGETS.scaleEntries} open entries`, value: `${r.scale.workerPeakRssMiB} MiB (settled ${r.scale.workerRssMiB})${full}`, met: r.scale.workerPeakRssMiB <= TARGETS.scaleRssMiBMax },
      { target: `status p99 <= ${TARGETS.scaleStatusP99MsMax} ms at ${TARGETS.scaleEntries} open entries`, value: `${r.scale.status.p99} ms${full}`, met: r.scale.status.p99 <= TARGETS.scaleStatusP99MsMax },
    );
  }
  checks.push(...partTargets(r));
  return checks;
}

/** The targets of the parts that also run alone (BENCH_ONLY). */
export function partTargets(r: Pick<BenchResult, 'console' | 'liveInbox' | 'files'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (r.console) {
    const c = r.console;
    const full = c.inboxItems >= TARGETS.consoleInboxEntries ? '' : ` (only ${c.inboxItems} items: not the target's scale)`;
    checks.push(
      {
        target: `console inbox with ${TARGETS.consoleInboxEntries} entries interactive <= ${TARGETS.consoleInboxInteractiveMsMax} ms`,
        value: `${c.inboxInteractive.p50} ms median (max ${c.inboxInteractive.max})${full}`,
        met: c.inboxInteractive.p50 <= TARGETS.consoleInboxInteractiveMsMax,
      },
      { target: `console JavaScript <= ${TARGETS.consoleJsGzipKiBMax} KiB gzipped`, value: `${c.jsGzipKiB} KiB (${c.jsKiB} KiB raw)`, met: c.jsGzipKiB <= TARGETS.consoleJsGzipKiBMax },
    );
  }
  if (r.liveInbox) {
    const l = r.liveInbox;
    checks.push({
      target: `live inbox: a change reaches every open stream, p99 <= ${TARGETS.liveInboxP99MsMax} ms`,
      value: `p99 ${l.delay.p99} ms over ${l.connections} streams x ${l.changes} changes${l.missed ? `; ${l.missed} events missed` : ''}`,
      met: l.delay.p99 <= TARGETS.liveInboxP99MsMax && l.missed === 0,
    });
  }
  if (r.files) checks.push(filesTarget(r.files));
  return checks;
}

export function filesTarget(f: FilesResult): TargetCheck {
  return {
    target: `evidence file of ${f.fileMiB} MiB up and down: the API's RSS grows < ${TARGETS.filesRssGrowthMiBMax} MiB`,
    value: `${f.engineGrowthMiB.toFixed(1)} MiB (the bare node:http floor: ${f.floorGrowthMiB.toFixed(1)} MiB; ${f.fileMiB * f.boundFactor} MiB: ${f.largerFileExtraMiB >= 0 ? '+' : ''}${f.largerFileExtraMiB.toFixed(1)} MiB more)`,
    met: f.engineGrowthMiB < TARGETS.filesRssGrowthMiBMax,
  };
}

export function filesTable(f: FilesResult): string[] {
  return table([
    ['evidence file through the API (real PostgreSQL)', 'file', 'upload', 'download', 'RSS before', 'RSS growth at peak'],
    ...f.transfers.map((t) => [
      t.service === 'floor' ? 'floor (bare node:http)' : 'engine (API process)',
      `${t.fileMiB} MiB`,
      `${t.upload.ms.toFixed(0)} ms (${t.upload.mibPerS.toFixed(1)} MiB/s)`,
      `${t.download.ms.toFixed(0)} ms (${t.download.mibPerS.toFixed(1)} MiB/s)`,
      `${t.rssBeforeMiB.toFixed(1)} MiB`,
      `${t.rssGrowthMiB.toFixed(1)} MiB`,
    ]),
  ]);
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)];
}

/**
 * Billable actions per lifecycle by what they come from (Temporal Cloud's mapping over the
 * histories: the first engine entry, each floor's), and the server's own counter beside them.
 */
function actionTables(r: BenchResult): string[] {
  const columns = [
    ['engine entry 1', r.histories.engine[0]!.actions],
    ['floor (equal Temporal work)', r.histories.floorEqualWork.actions],
    ['floor (raw SDK)', r.histories.floor.actions],
  ] as const;
  const kinds = [...new Set(columns.flatMap(([, a]) => actionBreakdown(a).map(([what]) => what)))];
  const rows = kinds.map((what) => [what, ...columns.map(([, a]) => String(actionBreakdown(a).find(([w]) => w === what)?.[1] ?? 0))]);
  const out = [
    ...table([
      ['billable actions per lifecycle, from the history (docs.temporal.io/cloud/actions)', ...columns.map(([name]) => name)],
      ...rows,
      ['total (queries and heartbeats are not in a history: see the counter below)', ...columns.map(([, a]) => String(a.total))],
    ]),
    '',
  ];
  const m = r.actionMetric;
  if (m) {
    const runs = [['floor (raw SDK)', m.floor], ['floor (equal Temporal work)', m.floorEqualWork], ['engine (HTTP API)', m.engine]] as const;
    const types = [...new Set(runs.flatMap(([, counts]) => Object.keys(counts)))].sort();
    const total = (counts: Record<string, number>) => Math.round(Object.values(counts).reduce((n, v) => n + v, 0) * 100) / 100;
    out.push(
      ...table([
        ["the dev server's `action` counter per lifecycle, by action_type", ...runs.map(([name]) => name)],
        ...types.map((t) => [t, ...runs.map(([, counts]) => String(counts[t] ?? 0))]),
        ['total', ...runs.map(([, counts]) => String(total(counts)))],
        [
          'billable on Temporal Cloud: the history count + heartbeats + queries',
          ...[r.histories.floor, r.histories.floorEqualWork, r.histories.engine[0]!].map((h, i) => {
            const counts = runs[i]![1];
            return String(h.actions.total + (counts.grpc_RecordActivityTaskHeartbeat ?? 0) + (counts.grpc_QueryWorkflow ?? 0));
          }),
        ],
      ]),
      '',
    );
  }
  return out;
}

/** The result as markdown tables (also what the terminal shows). */
export function renderReport(r: BenchResult): string {
  const m = r.machine;
  const s = r.settings;
  const out: string[] = [
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ${m.temporalCli}; time-skipping server ${m.temporalTestServer}; SDK ${m.temporalSdk}`,
    ...(r.server ? [`Temporal: ${r.server}`] : []),
    `Run: ${r.at}${r.quick ? ' (BENCH_QUICK)' : ''}; N=${s.n} lifecycles, K=${s.k} updates each (${s.rounds} rounds), concurrency ${s.concurrency}`,
    `Load average (1/5/15 min): ${r.load.atStart.join(' ')} at the start, ${r.load.atEnd.join(' ')} at the end (${m.cores} cores)`,
    '',
  ];
  const runs = [r.floor, r.floorEqualWork, r.engine, r.engineViaSdk];
  out.push(
    ...table([
      ['run', 'lifecycles/s', 'updates/s', 'x floor', 'x equal-work', 'update p50 ms', 'update p99 ms', 'p50 x floor', 'start p50 ms', 'lifecycle p50 ms', 'wall ms', 'retries (busy)'],
      ...runs.map((x) => [
        x.name,
        String(x.lifecyclesPerSec),
        String(x.updatesPerSec),
        String(ratio(x.updatesPerSec, r.floor.updatesPerSec)),
        String(ratio(x.updatesPerSec, r.floorEqualWork.updatesPerSec)),
        String(x.update.p50),
        String(x.update.p99),
        String(ratio(x.update.p50, r.floor.update.p50)),
        String(x.start.p50),
        String(x.lifecycle.p50),
        String(x.wallMs),
        String(x.retries),
      ]),
    ]),
    '',
    ...table([
      ['Temporal work per lifecycle (histories)', 'billable actions', 'events', 'history KB', 'upserts (KB)', 'patch markers', 'activities (KB)', 'timers started / cancelled', 'update results KB'],
      ...[
        ...r.histories.engine.map((h, i) => [`engine entry ${i + 1} of 3`, h] as const),
        ['floor (equal Temporal work)', r.histories.floorEqualWork] as const,
        ['floor (raw SDK)', r.histories.floor] as const,
      ].map(([name, h]) => [
        name,
        String(h.actions.total),
        String(h.events),
        kb(h.historyBytes),
        `${h.upserts} (${kb(h.upsertBytes)})`,
        String(h.patchMarkers),
        `${h.activities} (${kb(h.activityBytes)})`,
        `${h.timersStarted} / ${h.timersCanceled}`,
        kb(h.updateResultBytes),
      ]),
    ]),
    '',
    ...actionTables(r),
    ...table([
      ['CPU ms per lifecycle', 'bench process (clients)', 'API process', 'worker', 'Temporal server', 'total'],
      ...runs.map((x) => {
        const c = x.cpuMsPerLifecycle;
        return [x.name, ...(c ? [c.benchProcess, c.api, c.worker, c.temporalServer, cpuTotal(c)].map(String) : ['', '', '', '', ''])];
      }),
    ]),
    '',
    ...table([
      ['worker CPU ms per lifecycle, by thread', 'workflow thread (workflow code, SDK sandbox)', 'main thread (activities, SDK bridge)', 'other threads (Temporal core, V8, exited)'],
      ...runs.map((x) => {
        const t = x.cpuMsPerLifecycle?.workerThreads;
        return [x.name, ...(t ? [t.workflow, t.main, t.other].map(String) : ['', '', ''])];
      }),
    ]),
    '',
  );
  const split = runs.filter((x) => x.cpuMsPerLifecycle?.byProcess);
  if (split.length > 0) {
    const names = Object.keys(split[0]!.cpuMsPerLifecycle!.byProcess!);
    out.push(
      ...table([
        ['Temporal server CPU ms per lifecycle, by process', ...names],
        ...split.map((x) => [x.name, ...names.map((n) => String(x.cpuMsPerLifecycle!.byProcess![n] ?? ''))]),
      ]),
      '',
    );
  }
  const engineCpu = r.engine.cpuMsPerLifecycle;
  const eqCpu = r.floorEqualWork.cpuMsPerLifecycle;
  if (engineCpu && eqCpu) {
    const row = (name: string, engine: number, temporal: number) => [name, String(engine), String(temporal), String(engine - temporal), `${Math.round(((engine - temporal) / engine) * 100)}%`];
    out.push(
      ...table([
        ['engine (HTTP API), CPU ms per lifecycle', 'engine', "what Temporal's work costs (equal-work floor)", 'what our code costs (engine - equal-work)', 'our share'],
        row('clients and API (engine: HTTP clients + API process; floor: SDK client)', engineCpu.benchProcess + engineCpu.api, eqCpu.benchProcess + eqCpu.api),
        row('worker', engineCpu.worker, eqCpu.worker),
        row('Temporal server', engineCpu.temporalServer, eqCpu.temporalServer),
        row('total', cpuTotal(engineCpu), cpuTotal(eqCpu)),
      ]),
      '',
    );
  }
  if (r.scale) {
    const sc = r.scale;
    out.push(
      ...table([
        ['scale', 'value'],
        ['open entries (running per visibility)', `${sc.openEntries} (${sc.running})`],
        ['started with the client', `${sc.startWallMs} ms (${sc.startsPerSec}/s)`],
        ['recorded after the last start (the record holds them)', `${sc.recordedMs} ms (${sc.recorded} of ${sc.openEntries} entries), worker idle ${sc.settleMs} ms after that`],
        ['worker RSS after runs, before scale', `${r.workerRssAfterRunsMiB} MiB`],
        ['worker RSS at scale (peak)', `${sc.workerRssMiB} MiB (${sc.workerPeakRssMiB} MiB)`],
        ['GET /v1/entries/:id p50 / p99 / max', `${sc.status.p50} / ${sc.status.p99} / ${sc.status.max} ms (${sc.status.count} samples)`],
        ['GET /v1/entries?limit=50 p50 / p99', `${sc.list.p50} / ${sc.list.p99} ms (${sc.list.count} samples)`],
        ['GET /v1/entries?status&awaitedBody p50 / p99', `${sc.listFiltered.p50} / ${sc.listFiltered.p99} ms (${sc.listFiltered.count} samples)`],
      ]),
      '',
    );
  }
  if (r.timeSkipping) {
    const t = r.timeSkipping;
    out.push(
      ...table([
        ['time skipping', 'value'],
        ['lifecycle', `${t.simulatedDays} simulated days, ${t.rounds} rounds`],
        ['wall time', `${t.wallMs} ms`],
        ['history events', String(t.historyEvents)],
        ...(t.historyBytes === undefined ? [] : [['history KB', kb(t.historyBytes)]]),
        ...(t.actions ? [['billable actions in the history (no heartbeats here)', `${t.actions.total}: ${actionBreakdown(t.actions).map(([what, n]) => `${what} ${n}`).join(', ')}`]] : []),
        ['notifications sent', String(t.notifications)],
      ]),
      '',
    );
  }
  out.push(...partTables(r));
  out.push(...table([['target', 'value', 'met'], ...r.targets.map((t) => [t.target, t.value, t.met ? 'yes' : 'NO'])]));
  return out.join('\n');
}

/** The tables of the parts that also run alone (BENCH_ONLY). */
function partTables(r: Pick<BenchResult, 'console' | 'liveInbox' | 'files'>): string[] {
  const out: string[] = [];
  if (r.files) out.push(...filesTable(r.files), '');
  if (r.liveInbox) {
    const l = r.liveInbox;
    out.push(
      ...table([
        ['live inbox (SSE, real PostgreSQL, API process)', 'value'],
        ['open streams', `${l.connections} (${Object.entries(l.byBody).map(([b, n]) => `${b} ${n}`).join(', ')})`],
        ['changes (one record write each, awaiting every body)', `${l.changes} (write ${l.write.p50} ms p50)`],
        ['commit to event, per stream: p50 / p90 / p99 / max', `${l.delay.p50} / ${l.delay.p90} / ${l.delay.p99} / ${l.delay.max} ms (${l.delay.count} events, ${l.missed} missed)`],
        ['slowest stream per change: p50 / max', `${l.slowestPerChange.p50} / ${l.slowestPerChange.max} ms`],
        ["of which PostgreSQL's: commit to its notice heard, p50 / p99 / max", `${l.notice.p50} / ${l.notice.p99} / ${l.notice.max} ms`],
        ["of which the feed's settle pause", `${l.settleMs} ms`],
        ...(l.apiCpuMs === undefined ? [] : [['API CPU per change', `${Math.round(l.apiCpuMs / Math.max(1, l.changes))} ms`]]),
      ]),
      '',
    );
  }
  if (r.console) {
    const c = r.console;
    out.push(
      ...table([
        ['console (chromium)', 'value'],
        ['DCC inbox', `${c.inboxItems} items from ${c.entries} entries`],
        ['GET /v1/inbox p50 / max', `${c.inboxApi.p50} / ${c.inboxApi.max} ms`],
        ['navigation to inbox interactive, every row shown: p50 / max', `${c.inboxInteractive.p50} / ${c.inboxInteractive.max} ms (${c.inboxInteractive.count} loads)`],
        ['JavaScript sent', `${c.jsGzipKiB} KiB gzipped (${c.jsKiB} KiB)`],
      ]),
      '',
    );
  }
  return out;
}

/** `BENCH_ONLY`'s result as markdown tables. */
export function renderPartsReport(r: BenchPartsResult): string {
  const m = r.machine;
  return [
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}`,
    `Run: ${r.at}${r.quick ? ' (BENCH_QUICK)' : ''}; only ${r.only.join(', ')}`,
    `Load average (1/5/15 min): ${r.load.atStart.join(' ')} at the start, ${r.load.atEnd.join(' ')} at the end (${m.cores} cores)`,
    '',
    ...partTables(r),
    ...table([['target', 'value', 'met'], ...r.targets.map((t) => [t.target, t.value, t.met ? 'yes' : 'NO'])]),
  ].join('\n');
}
