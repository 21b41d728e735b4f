/**
 * The business itself as Prometheus gauges on the API's /metrics: entries by status and cohort,
 * at risk and in breach, open stages and overdue ones per awaited body and the longest wait, the
 * record's lag and whether it answers, notices not delivered, the reconciler's last pass, and whether Temporal answers
 * and a worker polls. One snapshot per scrape (three grouped queries on the record and the
 * readiness calls to Temporal, each bounded by TEMPORAL_RPC_TIMEOUT_MS), kept SNAPSHOT_TTL_MS so
 * that several Prometheus servers scraping at once cost one. Time-dependent values are computed
 * as of the API's clock, as every read of the API is.
 */
import { Gauge, type Registry } from 'prom-client';
import { closedOutsideEngineView, inboxTimingOf, isClosedOutsideEngine, standingOf } from '../domain';
import { toDate } from '../domain/dates';
import { NOTIFICATION_KIND } from '../domain/types';
import { BODY, COHORT, ENTRY_STATUS } from '../domain/vocabulary';
import { entryGroups, openStageGroups, undeliveredNoticeGroups } from '../record/business-facts';
import { recordLagMs } from '../record/read';
import type { AppContext } from './context';
import type { RecordDb } from '../record/db';

/** A snapshot serves the scrapes of this long. */
export const SNAPSHOT_TTL_MS = 5_000;
/** A notice undelivered this long after it was due counts as failing (deliveries retry within seconds at first). */
export const NOTICE_GRACE_MS = 15 * 60_000;
/** Notices due longer ago than this are given up by delivery (7 days of retries) and no longer counted. */
export const NOTICE_WINDOW_MS = 8 * 86_400_000;

type Labels = Record<string, string>;
interface Sample {
  labels: Labels;
  value: number;
}

/** Each gauge's samples at one instant. */
interface Snapshot {
  entries: Sample[];
  atRisk: Sample[];
  inBreach: Sample[];
  stagesAwaiting: Sample[];
  stagesOverdue: Sample[];
  oldestWait: Sample[];
  recordLag: Sample[];
  noticesUndelivered: Sample[];
  recordUp: Sample[];
  temporalUp: Sample[];
  workerPollers: Sample[];
  reconcilerLastPass: Sample[];
  reconcilerInterval: Sample[];
  reconcilerPaused: Sample[];
  snapshotSeconds: Sample[];
}

export type BusinessMetricsContext = Pick<AppContext, 'gateway' | 'now' | 'logger' | 'config'> & { record: RecordDb };

/** Adds counts into a map keyed by the labels' JSON. */
function tally(): { add(labels: Labels, n: number): void; max(labels: Labels, n: number): void; samples(): Sample[] } {
  const byKey = new Map<string, Sample>();
  const at = (labels: Labels) => {
    const key = JSON.stringify(labels);
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { labels, value: 0 }));
    return s;
  };
  return {
    add: (labels, n) => void (at(labels).value += n),
    max: (labels, n) => {
      const s = at(labels);
      s.value = Math.max(s.value, n);
    },
    samples: () => [...byKey.values()],
  };
}

type RecordPart = Pick<Snapshot, 'entries' | 'atRisk' | 'inBreach' | 'stagesAwaiting' | 'stagesOverdue' | 'oldestWait' | 'recordLag' | 'noticesUndelivered' | 'recordUp'>;

async function recordPart(ctx: BusinessMetricsContext, now: number): Promise<RecordPart> {
  try {
    return await recordFacts(ctx, now);
  } catch (err) {
    ctx.logger.warn({ err }, 'business metrics: the record did not answer');
    return { entries: [], atRisk: [], inBreach: [], stagesAwaiting: [], stagesOverdue: [], oldestWait: [], recordLag: [], noticesUndelivered: [], recordUp: [{ labels: {}, value: 0 }] };
  }
}

async function recordFacts(ctx: BusinessMetricsContext, now: number): Promise<RecordPart> {
  const [groups, stages, notices, lagMs] = await Promise.all([
    entryGroups(ctx.record),
    openStageGroups(ctx.record),
    undeliveredNoticeGroups(ctx.record, now, NOTICE_GRACE_MS, NOTICE_WINDOW_MS),
    recordLagMs(ctx.record),
  ]);
  const today = toDate(now);
  // Every status, cohort, body and kind has its series, zeros included: a panel shows 0 rather
  // than nothing, and a rule comparing with the past has a past to compare with.
  const entries = tally();
  const atRisk = tally();
  const inBreach = tally();
  for (const cohort of Object.values(COHORT)) {
    for (const status of Object.values(ENTRY_STATUS)) entries.add({ status, cohort }, 0);
    atRisk.add({ cohort }, 0);
    inBreach.add({ cohort }, 0);
  }
  for (const g of groups) {
    entries.add({ status: g.status, cohort: g.cohort }, g.count);
    atRisk.add({ cohort: g.cohort }, 0);
    inBreach.add({ cohort: g.cohort }, 0);
    const computed = standingOf({ inProgress: g.status === ENTRY_STATUS.IN_PROGRESS, remainingWorkingDays: g.remainingWorkingDays, mandateDeadline: g.mandateDeadline, calendarVersion: g.calendarVersion }, now, today);
    const standing = isClosedOutsideEngine(g.status) ? closedOutsideEngineView(computed) : computed;
    if (standing.atRisk) atRisk.add({ cohort: g.cohort }, g.count);
    if (standing.inBreach) inBreach.add({ cohort: g.cohort }, g.count);
  }
  const awaiting = tally();
  const overdue = tally();
  const oldest = tally();
  for (const body of Object.values(BODY)) {
    awaiting.add({ body }, 0);
    overdue.add({ body }, 0);
    oldest.add({ body }, 0);
  }
  const undelivered = tally();
  for (const kind of Object.values(NOTIFICATION_KIND)) undelivered.add({ kind }, 0);
  for (const n of notices) undelivered.add({ kind: n.kind }, n.count);
  for (const s of stages) {
    const labels = { body: s.awaiting };
    awaiting.add(labels, s.count);
    overdue.add(labels, inboxTimingOf(s.dueBy, today, s.calendarVersion).overdue ? s.count : 0);
    const since = s.oldestAwaitingSince === null ? NaN : Date.parse(s.oldestAwaitingSince);
    oldest.max(labels, Number.isFinite(since) ? Math.max(0, (now - since) / 1000) : 0);
  }
  return {
    entries: entries.samples(),
    atRisk: atRisk.samples(),
    inBreach: inBreach.samples(),
    stagesAwaiting: awaiting.samples(),
    stagesOverdue: overdue.samples(),
    oldestWait: oldest.samples(),
    recordLag: [{ labels: {}, value: lagMs / 1000 }],
    noticesUndelivered: undelivered.samples(),
    recordUp: [{ labels: {}, value: 1 }],
  };
}

async function temporalPart(ctx: BusinessMetricsContext, now: number): Promise<Pick<Snapshot, 'temporalUp' | 'workerPollers' | 'reconcilerLastPass' | 'reconcilerInterval' | 'reconcilerPaused'>> {
  const taskQueue = ctx.config.TEMPORAL_TASK_QUEUE;
  try {
    const [readiness, schedule] = await Promise.all([ctx.gateway.readiness(now), ctx.gateway.reconcileSchedule()]);
    return {
      temporalUp: [{ labels: {}, value: 1 }],
      workerPollers: [
        { labels: { task_queue: taskQueue, type: 'workflow' }, value: readiness.workflowPollers },
        { labels: { task_queue: taskQueue, type: 'activity' }, value: readiness.activityPollers },
      ],
      // a schedule no worker has created yet has never passed: 0, as old as it gets (and no interval: 0)
      reconcilerLastPass: [{ labels: {}, value: (schedule?.lastStartedAt?.getTime() ?? 0) / 1000 }],
      reconcilerInterval: [{ labels: {}, value: (schedule?.everyMs ?? 0) / 1000 }],
      reconcilerPaused: [{ labels: {}, value: schedule?.paused ? 1 : 0 }],
    };
  } catch (err) {
    ctx.logger.warn({ err }, 'business metrics: Temporal did not answer');
    return { temporalUp: [{ labels: {}, value: 0 }], workerPollers: [], reconcilerLastPass: [], reconcilerInterval: [], reconcilerPaused: [] };
  }
}

async function takeSnapshot(ctx: BusinessMetricsContext): Promise<Snapshot> {
  const started = performance.now();
  const now = ctx.now();
  const [record, temporal] = await Promise.all([recordPart(ctx, now), temporalPart(ctx, now)]);
  return { ...record, ...temporal, snapshotSeconds: [{ labels: {}, value: (performance.now() - started) / 1000 }] };
}

interface GaugeSpec {
  name: string;
  help: string;
  labelNames: string[];
  pick: (s: Snapshot) => Sample[];
}

/** Every business metric: the one list the dashboard, the alert rules and their tests name. */
export const BUSINESS_GAUGES: readonly GaugeSpec[] = [
  { name: 'uep_entries', help: 'Entries in the record, by status and cohort', labelNames: ['status', 'cohort'], pick: (s) => s.entries },
  { name: 'uep_entries_at_risk', help: 'Entries in progress forecast to finish after their mandate deadline, as of now, by cohort', labelNames: ['cohort'], pick: (s) => s.atRisk },
  { name: 'uep_entries_in_breach', help: 'Entries in progress past their mandate deadline, as of now, by cohort', labelNames: ['cohort'], pick: (s) => s.inBreach },
  { name: 'uep_stages_awaiting', help: 'Open stages of entries in progress, by the body they await', labelNames: ['body'], pick: (s) => s.stagesAwaiting },
  { name: 'uep_stages_overdue', help: 'Open stages past their due date, as of now, by the body they await', labelNames: ['body'], pick: (s) => s.stagesOverdue },
  { name: 'uep_stage_oldest_wait_seconds', help: 'How long the longest-waiting open stage has awaited its body, in seconds (0: none waits)', labelNames: ['body'], pick: (s) => s.oldestWait },
  { name: 'uep_record_lag_seconds', help: 'How far the record trailed the workflows over the last minute: the largest gap between a transition and its row, in seconds', labelNames: [], pick: (s) => s.recordLag },
  { name: 'uep_notices_undelivered', help: 'Notices still undelivered 15 minutes after they were due (within the 7 days delivery retries), by kind', labelNames: ['kind'], pick: (s) => s.noticesUndelivered },
  { name: 'uep_record_up', help: 'Whether the record answered the queries of this scrape (1) or not (0)', labelNames: [], pick: (s) => s.recordUp },
  { name: 'uep_temporal_up', help: 'Whether Temporal answered the API within TEMPORAL_RPC_TIMEOUT_MS at this scrape (1) or not (0)', labelNames: [], pick: (s) => s.temporalUp },
  { name: 'uep_worker_pollers', help: 'Workers polling the engine task queue (seen in the last 2 minutes), by task type', labelNames: ['task_queue', 'type'], pick: (s) => s.workerPollers },
  { name: 'uep_reconciler_last_pass_timestamp_seconds', help: 'When the reconciler schedule last started a pass (Unix seconds; 0 when it never has)', labelNames: [], pick: (s) => s.reconcilerLastPass },
  { name: 'uep_reconciler_interval_seconds', help: 'The reconciler schedule interval (RECONCILE_INTERVAL_MS), in seconds (0 when no schedule exists)', labelNames: [], pick: (s) => s.reconcilerInterval },
  { name: 'uep_reconciler_paused', help: 'Whether the reconciler schedule is paused (1) or not (0)', labelNames: [], pick: (s) => s.reconcilerPaused },
  { name: 'uep_business_metrics_snapshot_seconds', help: 'How long the last snapshot of these metrics took, in seconds', labelNames: [], pick: (s) => s.snapshotSeconds },
];

/** Registers the business gauges; each scrape reads one shared snapshot, taken at most every SNAPSHOT_TTL_MS. */
export function registerBusinessMetrics(registry: Registry, ctx: BusinessMetricsContext): void {
  let cached: { at: number; snapshot: Promise<Snapshot> } | undefined;
  const snapshot = (): Promise<Snapshot> => {
    const now = ctx.now();
    if (!cached || now - cached.at > SNAPSHOT_TTL_MS || now < cached.at) {
      const taking = takeSnapshot(ctx);
      cached = { at: now, snapshot: taking };
    }
    return cached.snapshot;
  };
  for (const spec of BUSINESS_GAUGES) {
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const sample of spec.pick(await snapshot())) this.set(sample.labels, sample.value);
      },
    });
  }
}
