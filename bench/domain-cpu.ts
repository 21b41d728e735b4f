/**
 * `npm run bench:domain`: the CPU the worker spends in the domain per command, without Temporal.
 * Each command does what the entry workflow does with it: the update's validator
 * (`checkCommand`), the handler (`applyCommand`) and the summary it answers with (`summarise`,
 * given the transition's own view where the domain has one). Between rounds a day passes and
 * the entry wakes (`advanceTime` and its summary), as on its timer.
 *
 * N lifecycles (a one-role and a three-role entry taken in turn) are run R times after a warm-up;
 * the result is CPU µs per command, per wake and per lifecycle (median and spread over the R repeats), with the
 * load average beside it. BENCH_DOMAIN_DIR points at another domain/ folder (e.g. a git worktree
 * of an older commit) to measure it with the same driver:
 *   npx tsx bench/domain-cpu.ts                                   (this tree)
 *   BENCH_DOMAIN_DIR=/tmp/old/domain npx tsx bench/domain-cpu.ts  (another commit's domain)
 * Settings: BENCH_DOMAIN_N (200 lifecycles), BENCH_DOMAIN_REPEATS (7).
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import type * as Domain from '../domain';
import type { EntryCommand, EntryState, EntrySummary, Principal, StageSummary, StartEntryInput } from '../domain';

const DAY_MS = 86_400_000;
const domainDir = path.resolve(process.env.BENCH_DOMAIN_DIR ?? path.join(__dirname, '../domain'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the folder is chosen at run time
const domain = require(domainDir) as typeof Domain;
const { advanceTime, applyCommand, checkCommand, getCatalogue, openStagesOf, startEntry, summarise } = domain;
/** The domain's summary, read from the transition's view when it has one (the view takes a third argument). */
const summaryOf = (state: EntryState, now: number, view: unknown): EntrySummary =>
  (summarise as (s: EntryState, n: number, v?: unknown) => EntrySummary)(state, now, view ?? undefined);

const lifecycles = Number(process.env.BENCH_DOMAIN_N ?? 200);
const repeats = Number(process.env.BENCH_DOMAIN_REPEATS ?? 7);

const ROLE_SETS: StartEntryInput['roles'][] = [['IMPORT_SUPPLIER'], ['IMPORT_SUPPLIER', 'GAS_SUPPLIER', 'OTHER_USER']];
const OPS: Principal = { body: 'OPS', id: 'ops-officer' };

function startInput(i: number): StartEntryInput {
  return {
    partyId: `CPU-${i}`,
    partyName: `Bench Energy ${i}`,
    cohort: 'SMALL_DOMESTIC_SUPPLIER',
    roles: ROLE_SETS[i % ROLE_SETS.length] ?? ['IMPORT_SUPPLIER'],
    mandateDeadline: '2027-09-30',
    uepContact: { name: 'Bench Contact', email: 'contact@bench.example' },
    startedBy: OPS,
  };
}

/** A submission when the Party is awaited, else the first passing decision by the stage's owner. */
function commandFor(summary: EntrySummary, stage: StageSummary, n: number): EntryCommand {
  const where = { stage: stage.stage, ...(stage.role ? { role: stage.role } : {}) };
  if (stage.state === 'AWAITING_PARTY') {
    return { type: 'SUBMIT_EVIDENCE', submissionId: `s${n}`, ...where, reference: `doc-${n}`, principal: { body: 'PARTY', id: 'contact', partyId: summary.partyId } };
  }
  const def = getCatalogue(summary.catalogueVersion).stages.find((s) => s.id === stage.stage);
  const outcome = def?.outcomes.find((o) => o.effect === 'DONE' && !o.sharedResourceOnly)?.outcome;
  if (!outcome) throw new Error(`no passing outcome for ${stage.stage}`);
  return { type: 'RECORD_DECISION', decisionId: `d${n}`, ...where, outcome, evidence: `ev-${n}`, principal: { body: stage.owner, id: 'officer' } };
}

interface Counts {
  commands: number;
  wakes: number;
  commandUs: number;
  wakeUs: number;
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function lifecycle(i: number, counts: Counts): void {
  let now = Date.parse('2026-12-01T10:00:00Z') + i * 60_000;
  const first = startEntry(startInput(i), now);
  let state = first.state;
  let summary = summaryOf(state, now, (first as { view?: unknown }).view);
  for (let round = 0; summary.status === 'IN_PROGRESS'; round++) {
    if (round > 60) throw new Error(`entry did not complete: ${summary.headline}`);
    for (const stage of openStagesOf(summary)) {
      const command = commandFor(summary, stage, counts.commands);
      const t0 = cpuUs();
      const refusal = checkCommand(state, command, now);
      const outcome = applyCommand(state, command, now);
      if (refusal || !outcome.ok) throw new Error(`refused: ${JSON.stringify(refusal ?? (outcome.ok ? '' : outcome.refusal))}`);
      state = outcome.state;
      summary = summaryOf(state, now, (outcome as { view?: unknown }).view);
      counts.commandUs += cpuUs() - t0;
      counts.commands++;
    }
    now += DAY_MS;
    const t0 = cpuUs();
    const woken = advanceTime(state, now);
    state = woken.state;
    summary = summaryOf(state, now, (woken as { view?: unknown }).view);
    counts.wakeUs += cpuUs() - t0;
    counts.wakes++;
  }
}

function run(): Counts {
  const counts: Counts = { commands: 0, wakes: 0, commandUs: 0, wakeUs: 0 };
  for (let i = 0; i < lifecycles; i++) lifecycle(i, counts);
  return counts;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const loadAtStart = loadavg()[0] ?? NaN;
run(); // warm-up: the JIT, the catalogue and calendar caches
const runs = Array.from({ length: repeats }, run);
const perCommand = runs.map((c) => c.commandUs / c.commands);
const perWake = runs.map((c) => c.wakeUs / c.wakes);
const perLifecycle = runs.map((c) => (c.commandUs + c.wakeUs) / lifecycles);
const first = runs[0] as Counts;
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} µs (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
console.log(`domain: ${path.relative(process.cwd(), domainDir) || '.'}`);
console.log(`${lifecycles} lifecycles x ${repeats} repeats; per repeat ${first.commands} commands, ${first.wakes} wakes`);
console.log(`CPU per command (check + apply + summary): ${fmt(perCommand)}`);
console.log(`CPU per wake (advanceTime + summary):      ${fmt(perWake)}`);
console.log(`CPU per lifecycle (its commands and wakes): ${fmt(perLifecycle)}`);
console.log(`load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${(loadavg()[0] ?? NaN).toFixed(2)}`);
