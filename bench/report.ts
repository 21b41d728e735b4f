/** The benchmark's result: targets checked, a table for the terminal and a markdown page. */
import type { RunResult } from './lifecycle-run';
import type { MachineInfo } from './machine';
import type { ScaleResult } from './scale-run';
import type { TimeSkippingResult } from './time-skipping-run';
import type { ConsoleResult } from './console-run';

/** The targets on the 2-core machine. */
export const TARGETS = {
  throughputRatioMin: 0.8,
  decisionP50RatioMax: 1.25,
  scaleRssMiBMax: 1024,
  scaleStatusP99MsMax: 100,
  scaleEntries: 10_000,
  consoleInboxEntries: 1000,
  consoleInboxInteractiveMsMax: 1000,
  consoleJsGzipKiBMax: 200,
} as const;

export interface BenchResult {
  at: string;
  quick: boolean;
  machine: MachineInfo;
  settings: { n: number; k: number; concurrency: number; scale: number; scaleSample: number; rounds: number };
  floor: RunResult;
  engine: RunResult;
  /** Diagnostic: the engine's workflow driven with the SDK directly (no HTTP). */
  engineViaSdk: RunResult;
  workerRssAfterRunsMiB: number;
  scale?: ScaleResult;
  timeSkipping?: TimeSkippingResult;
  console?: ConsoleResult;
  targets: TargetCheck[];
}

export interface TargetCheck {
  target: string;
  value: string;
  met: boolean;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export function checkTargets(r: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [
    {
      target: `engine throughput >= ${TARGETS.throughputRatioMin} x floor`,
      value: `${ratio(r.engine.updatesPerSec, r.floor.updatesPerSec)} x`,
      met: r.engine.updatesPerSec >= TARGETS.throughputRatioMin * r.floor.updatesPerSec,
    },
    {
      target: `decision p50 <= ${TARGETS.decisionP50RatioMax} x floor update p50`,
      value: `${ratio(r.engine.update.p50, r.floor.update.p50)} x (${r.engine.update.p50} vs ${r.floor.update.p50} ms)`,
      met: r.engine.update.p50 <= TARGETS.decisionP50RatioMax * r.floor.update.p50,
    },
  ];
  if (r.scale) {
    const full = r.scale.openEntries >= TARGETS.scaleEntries ? '' : ` (only ${r.scale.openEntries} entries: not the target's scale)`;
    checks.push(
      { target: `worker RSS <= ${TARGETS.scaleRssMiBMax} MiB at ${TARGETS.scaleEntries} open entries`, value: `${r.scale.workerRssMiB} MiB (peak ${r.scale.workerPeakRssMiB})${full}`, met: r.scale.workerPeakRssMiB <= TARGETS.scaleRssMiBMax },
      { target: `status p99 <= ${TARGETS.scaleStatusP99MsMax} ms at ${TARGETS.scaleEntries} open entries`, value: `${r.scale.status.p99} ms${full}`, met: r.scale.status.p99 <= TARGETS.scaleStatusP99MsMax },
    );
  }
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
  return checks;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)];
}

/** The result as markdown tables (also what the terminal shows). */
export function renderReport(r: BenchResult): string {
  const m = r.machine;
  const s = r.settings;
  const out: string[] = [
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ${m.temporalCli}; time-skipping server ${m.temporalTestServer}; SDK ${m.temporalSdk}`,
    `Run: ${r.at}${r.quick ? ' (BENCH_QUICK)' : ''}; N=${s.n} lifecycles, K=${s.k} updates each (${s.rounds} rounds), concurrency ${s.concurrency}`,
    '',
  ];
  const runRow = (x: RunResult, floor: RunResult) => [
    x.name,
    String(x.lifecyclesPerSec),
    String(x.updatesPerSec),
    String(ratio(x.updatesPerSec, floor.updatesPerSec)),
    String(x.update.p50),
    String(x.update.p99),
    String(ratio(x.update.p50, floor.update.p50)),
    String(x.start.p50),
    String(x.lifecycle.p50),
    String(x.wallMs),
  ];
  out.push(
    ...table([
      ['run', 'lifecycles/s', 'updates/s', 'x floor', 'update p50 ms', 'update p99 ms', 'p50 x floor', 'start p50 ms', 'lifecycle p50 ms', 'wall ms'],
      runRow(r.floor, r.floor),
      runRow(r.engine, r.floor),
      runRow(r.engineViaSdk, r.floor),
    ]),
    '',
    ...table([
      ['CPU ms per lifecycle', 'bench process (API + clients)', 'worker', 'Temporal server', 'total'],
      ...[r.floor, r.engine, r.engineViaSdk].map((x) => {
        const c = x.cpuMsPerLifecycle;
        return [x.name, ...(c ? [c.benchProcess, c.worker, c.temporalServer, c.benchProcess + c.worker + c.temporalServer].map(String) : ['', '', '', ''])];
      }),
    ]),
    '',
  );
  if (r.scale) {
    const sc = r.scale;
    out.push(
      ...table([
        ['scale', 'value'],
        ['open entries (running per visibility)', `${sc.openEntries} (${sc.running})`],
        ['started with the client', `${sc.startWallMs} ms (${sc.startsPerSec}/s), worker settled ${sc.settleMs} ms later`],
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
        ['notifications sent', String(t.notifications)],
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
  out.push(...table([['target', 'value', 'met'], ...r.targets.map((t) => [t.target, t.value, t.met ? 'yes' : 'NO'])]));
  return out.join('\n');
}
