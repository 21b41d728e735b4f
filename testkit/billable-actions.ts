/**
 * Temporal Cloud's billable Actions of one workflow execution, counted off its history by the
 * mapping Temporal publishes: https://docs.temporal.io/cloud/actions (each Action type with the
 * History Event Type it shows as). Per event:
 *
 * - WorkflowExecutionStarted: 1 (a client start, Continue-As-New's new run); 0 for a child, whose
 *   start the parent's StartChildWorkflowExecutionInitiated already counts (2: the intent and the start)
 * - WorkflowExecutionUpdateAccepted: 1 (rejected updates are billed too, but never written to history)
 * - WorkflowExecutionSignaled: 1 (the signaller's SignalExternalWorkflowExecutionInitiated: 0)
 * - UpsertWorkflowSearchAttributes: 1, unless it writes only `TemporalChangeVersion` (exempt);
 *   search attributes given at the start are not billed
 * - ActivityTaskScheduled: 1; ActivityTaskStarted: `attempt - 1` more (retries)
 * - TimerStarted: 1 (also the implicit timer of `condition(fn, timeout)`)
 * - MarkerRecorded: 1 per workflow task that recorded any ("all RecordMarkers from each Workflow
 *   Task as one action": local activities, side effects and, read literally, patch markers);
 *   WorkflowTaskCompleted's `meteringMetadata.nonfirstLocalActivityExecutionAttempts` more
 * - WorkflowExecutionOptionsUpdated, NexusOperationScheduled, NexusOperationCancelRequested: 1
 * - WorkflowTaskFailed with cause RESET_WORKFLOW: 1
 *
 * Not in a history, so not counted here: queries, activity heartbeats that reach the server,
 * workflow task heartbeats, rejected updates, schedules and exports. Pure and workflow-safe.
 */
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface BillableActions {
  total: number;
  workflowStarts: number;
  childWorkflowStarts: number;
  updates: number;
  signals: number;
  upserts: number;
  timers: number;
  /** first attempts, by activity type */
  activities: Record<string, number>;
  activityRetries: number;
  /** workflow tasks that recorded markers (local activities, side effects, patches), and local activity retries */
  markerTasks: number;
  localActivityRetries: number;
  /** workflow options updates, resets, Nexus operations scheduled or cancelled */
  other: number;
}

const CHANGE_VERSION = 'TemporalChangeVersion';
/** temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW */
const RESET_WORKFLOW_CAUSE = 20;

const none = (): BillableActions => ({
  total: 0,
  workflowStarts: 0,
  childWorkflowStarts: 0,
  updates: 0,
  signals: 0,
  upserts: 0,
  timers: 0,
  activities: {},
  activityRetries: 0,
  markerTasks: 0,
  localActivityRetries: 0,
  other: 0,
});

const sum = (values: Iterable<number>) => [...values].reduce((n, v) => n + v, 0);

export function billableActionsOf(events: readonly HistoryEvent[]): BillableActions {
  const a = none();
  const tasksWithMarkers = new Set<string>();
  for (const e of events) {
    if (e.workflowExecutionStartedEventAttributes) {
      if (!e.workflowExecutionStartedEventAttributes.parentWorkflowExecution) a.workflowStarts++;
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      a.childWorkflowStarts += 2;
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      a.updates++;
    } else if (e.workflowExecutionSignaledEventAttributes) {
      a.signals++;
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const names = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {});
      if (names.some((name) => name !== CHANGE_VERSION)) a.upserts++;
    } else if (e.timerStartedEventAttributes) {
      a.timers++;
    } else if (e.activityTaskScheduledEventAttributes) {
      const type = e.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
      a.activities[type] = (a.activities[type] ?? 0) + 1;
    } else if (e.activityTaskStartedEventAttributes) {
      a.activityRetries += Math.max(0, (e.activityTaskStartedEventAttributes.attempt ?? 1) - 1);
    } else if (e.markerRecordedEventAttributes) {
      tasksWithMarkers.add(String(e.markerRecordedEventAttributes.workflowTaskCompletedEventId));
    } else if (e.workflowTaskCompletedEventAttributes) {
      a.localActivityRetries += e.workflowTaskCompletedEventAttributes.meteringMetadata?.nonfirstLocalActivityExecutionAttempts ?? 0;
    } else if (e.workflowTaskFailedEventAttributes) {
      if (Number(e.workflowTaskFailedEventAttributes.cause) === RESET_WORKFLOW_CAUSE) a.other++;
    } else if (e.workflowExecutionOptionsUpdatedEventAttributes || e.nexusOperationScheduledEventAttributes || e.nexusOperationCancelRequestedEventAttributes) {
      a.other++;
    }
  }
  a.markerTasks = tasksWithMarkers.size;
  const { total: _total, activities, ...counts } = a;
  a.total = sum(Object.values(counts)) + sum(Object.values(activities));
  return a;
}

/** The per-lifecycle breakdown as rows of (what, actions), largest first; activities by type. */
export function actionBreakdown(a: BillableActions): [string, number][] {
  const rows: [string, number][] = [
    ['workflow starts', a.workflowStarts],
    ['child workflow starts', a.childWorkflowStarts],
    ['updates accepted', a.updates],
    ['signals', a.signals],
    ['search attribute upserts', a.upserts],
    ['timers started', a.timers],
    ...Object.entries(a.activities).map(([type, n]): [string, number] => [`activity ${type}`, n]),
    ['activity retries', a.activityRetries],
    ['workflow tasks with markers', a.markerTasks],
    ['local activity retries', a.localActivityRetries],
    ['other (options updated, resets, Nexus)', a.other],
  ];
  return rows.filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
}
