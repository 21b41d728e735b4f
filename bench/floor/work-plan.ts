/**
 * What an engine lifecycle asks of Temporal, read off its history: per step (the start, then each
 * update) the patch markers, search attribute upserts (as written), activities (input and result
 * sizes), timers started and cancelled, and the update's request and result sizes; plus the start
 * input, static summary and workflow result sizes. The equal-work floor (./equal-work.ts) replays
 * exactly this plan with nothing else around it.
 *
 * Sizes are payload data bytes (JSON), the same measure on both sides. Workflow-safe: the floor
 * workflow imports this module into its sandbox.
 */
import { defineSearchAttributeKey, type SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { google, temporal } from '@temporalio/proto';
import { billableActionsOf, type BillableActions } from '../../testkit/billable-actions';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;

/** One search attribute as an upsert command carried it: Temporal's type name and the JSON value. */
export interface PlannedAttribute {
  name: string;
  /** Temporal's payload type name: Keyword, Text, KeywordList, Datetime, Bool, Int, Double */
  type: string;
  /** JSON value (null removes the attribute) */
  value: unknown;
}

export interface PlannedActivity {
  inputBytes: number;
  resultBytes: number;
  /** scheduled with a heartbeat timeout (the engine's notification activity; its record hand-over has none) */
  heartbeats: boolean;
}

export interface StepWork {
  /** patched() ids first recorded in this step (each a marker and a TemporalChangeVersion upsert) */
  patches: string[];
  /** the engine's own search attribute upserts, TemporalChangeVersion ones excluded (patches make those) */
  upserts: PlannedAttribute[][];
  activities: PlannedActivity[];
  /** durations of the timers started, in ms */
  timersStarted: number[];
  timersCanceled: number;
  /** the update's request and result (0 for the start) */
  requestBytes: number;
  resultBytes: number;
}

export interface WorkPlan {
  startInputBytes: number;
  startSearchAttributes: PlannedAttribute[];
  staticSummaryBytes: number;
  /** the first workflow task */
  start: StepWork;
  updates: StepWork[];
  resultBytes: number;
  /** the status query's answer, as the API's one GET per lifecycle reads it */
  statusBytes: number;
}

/** Totals of a history, to compare the engine's with the equal-work floor's. */
export interface HistoryTotals {
  events: number;
  historyBytes: number;
  updates: number;
  upserts: number;
  upsertBytes: number;
  patchMarkers: number;
  activities: number;
  activityBytes: number;
  timersStarted: number;
  timersCanceled: number;
  updateResultBytes: number;
  /** Temporal Cloud's billable actions, as far as the history shows them (testkit/billable-actions.ts) */
  actions: BillableActions;
}

const CHANGE_VERSION = 'TemporalChangeVersion';
const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : '');
const dataBytes = (p: Payload | null | undefined) => p?.data?.length ?? 0;
const sumBytes = (payloads: Payload[] | null | undefined) => (payloads ?? []).reduce((n, p) => n + dataBytes(p), 0);
const ms = (d: google.protobuf.IDuration | null | undefined) => Number(d?.seconds ?? 0) * 1000 + Math.round((d?.nanos ?? 0) / 1e6);

function attributes(fields: Record<string, Payload> | null | undefined): PlannedAttribute[] {
  return Object.entries(fields ?? {}).map(([name, p]) => ({ name, type: text(p.metadata?.type), value: JSON.parse(text(p.data) || 'null') as unknown }));
}

const emptyStep = (): StepWork => ({ patches: [], upserts: [], activities: [], timersStarted: [], timersCanceled: 0, requestBytes: 0, resultBytes: 0 });

/**
 * The plan of one completed lifecycle whose updates came one at a time (as the bench drives them).
 * `statusBytes` is not in a history: the caller measures it.
 */
export function planFromHistory(events: readonly HistoryEvent[], statusBytes: number): WorkPlan {
  const start = events[0]?.workflowExecutionStartedEventAttributes;
  if (!start) throw new Error('a history starts with WorkflowExecutionStarted');
  const plan: WorkPlan = {
    startInputBytes: sumBytes(start.input?.payloads),
    startSearchAttributes: attributes(start.searchAttributes?.indexedFields).filter((a) => a.name !== CHANGE_VERSION),
    staticSummaryBytes: dataBytes(events[0]?.userMetadata?.summary),
    start: emptyStep(),
    updates: [],
    resultBytes: 0,
    statusBytes,
  };
  let step = plan.start;
  const activityStep = new Map<string, PlannedActivity>();
  for (const e of events) {
    const id = String(e.eventId);
    if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      step = emptyStep();
      step.requestBytes = sumBytes(e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.args?.payloads);
      plan.updates.push(step);
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      step.resultBytes = sumBytes(e.workflowExecutionUpdateCompletedEventAttributes.outcome?.success?.payloads);
    } else if (e.markerRecordedEventAttributes?.markerName === 'core_patch') {
      const data = e.markerRecordedEventAttributes.details?.['patch-data']?.payloads?.[0];
      step.patches.push((JSON.parse(text(data?.data)) as { id: string }).id);
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const attrs = attributes(e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields).filter((a) => a.name !== CHANGE_VERSION);
      if (attrs.length > 0) step.upserts.push(attrs);
    } else if (e.activityTaskScheduledEventAttributes) {
      const activity = {
        inputBytes: sumBytes(e.activityTaskScheduledEventAttributes.input?.payloads),
        resultBytes: 0,
        heartbeats: ms(e.activityTaskScheduledEventAttributes.heartbeatTimeout) > 0,
      };
      step.activities.push(activity);
      activityStep.set(id, activity);
    } else if (e.activityTaskCompletedEventAttributes) {
      const activity = activityStep.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId));
      if (activity) activity.resultBytes = sumBytes(e.activityTaskCompletedEventAttributes.result?.payloads);
    } else if (e.timerStartedEventAttributes) {
      step.timersStarted.push(ms(e.timerStartedEventAttributes.startToFireTimeout));
    } else if (e.timerCanceledEventAttributes) {
      step.timersCanceled++;
    } else if (e.workflowExecutionCompletedEventAttributes) {
      plan.resultBytes = sumBytes(e.workflowExecutionCompletedEventAttributes.result?.payloads);
    }
  }
  return plan;
}

/** Counts and sizes of a history; `encodedBytes` sizes one event (its protobuf encoding). */
export function historyTotals(events: readonly HistoryEvent[], encodedBytes: (e: HistoryEvent) => number): HistoryTotals {
  const plan = planFromHistory(events, 0);
  const steps = [plan.start, ...plan.updates];
  const all = <T>(f: (s: StepWork) => T[]) => steps.flatMap(f);
  return {
    events: events.length,
    historyBytes: events.reduce((n, e) => n + encodedBytes(e), 0),
    updates: plan.updates.length,
    upserts: events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length,
    upsertBytes: events.reduce((n, e) => n + sumBytes(Object.values(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})), 0),
    patchMarkers: all((s) => s.patches).length,
    activities: all((s) => s.activities).length,
    activityBytes: all((s) => s.activities).reduce((n, a) => n + a.inputBytes + a.resultBytes, 0),
    timersStarted: all((s) => s.timersStarted).length,
    timersCanceled: steps.reduce((n, s) => n + s.timersCanceled, 0),
    updateResultBytes: plan.updates.reduce((n, s) => n + s.resultBytes, 0),
    actions: billableActionsOf(events),
  };
}

/** `base` plus a `pad` string, so that its JSON is `bytes` long (ASCII), or as short as it gets. */
export function padTo<T extends object>(base: T, bytes: number): T & { pad: string } {
  const bare = JSON.stringify({ ...base, pad: '' }).length;
  return { ...base, pad: 'x'.repeat(Math.max(0, bytes - bare)) };
}

/** A string whose JSON is `bytes` long. */
export const paddedString = (bytes: number) => 'x'.repeat(Math.max(0, bytes - 2));

const SEARCH_ATTRIBUTE_TYPE: Record<string, SearchAttributeType> = {
  Keyword: 'KEYWORD',
  Text: 'TEXT',
  KeywordList: 'KEYWORD_LIST',
  Datetime: 'DATETIME',
  Bool: 'BOOL',
  Int: 'INT',
  Double: 'DOUBLE',
};

/** A planned attribute as the typed pair that writes it again. */
export function searchAttributePair(a: PlannedAttribute): SearchAttributeUpdatePair {
  const type = SEARCH_ATTRIBUTE_TYPE[a.type];
  if (!type) throw new Error(`unknown search attribute type ${a.type} of ${a.name}`);
  const value = a.value === null ? null : type === 'DATETIME' ? new Date(a.value as string) : a.value;
  return { key: defineSearchAttributeKey(a.name, type), value } as SearchAttributeUpdatePair;
}
