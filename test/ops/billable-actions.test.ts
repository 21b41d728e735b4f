/**
 * The bench's count of Temporal Cloud's billable Actions (testkit/billable-actions.ts) over a
 * hand-built history: one event of each kind that counts, and the ones that do not.
 */
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { actionsPerLifecycle, parseActionCounter } from '../../testkit/server-action-counter';
import { actionBreakdown, billableActionsOf } from '../../testkit/billable-actions';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const json = (value: unknown) => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify(value)) });
const attributes = (fields: Record<string, unknown>) => ({ indexedFields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, json(v)])) });

let nextId = 0;
const event = (e: HistoryEvent): HistoryEvent => ({ eventId: Long.fromNumber(++nextId), ...e });
const taskCompleted = (extra: HistoryEvent['workflowTaskCompletedEventAttributes'] = {}) => event({ workflowTaskCompletedEventAttributes: { scheduledEventId: Long.fromNumber(1), ...extra } });
const scheduled = (type: string) => event({ activityTaskScheduledEventAttributes: { activityType: { name: type } } });
const marker = (task: HistoryEvent, name = 'core_local_activity') => event({ markerRecordedEventAttributes: { markerName: name, workflowTaskCompletedEventId: task.eventId } });

function lifecycle(): HistoryEvent[] {
  nextId = 0;
  const start = event({ workflowExecutionStartedEventAttributes: { searchAttributes: attributes({ UepStatus: 'IN_PROGRESS' }) } });
  const task1 = taskCompleted();
  const task2 = taskCompleted({ meteringMetadata: { nonfirstLocalActivityExecutionAttempts: 2 } });
  return [
    start,
    task1,
    // patched(): a marker and a TemporalChangeVersion upsert (exempt); a second marker in the same task adds nothing
    marker(task1, 'core_patch'),
    event({ upsertWorkflowSearchAttributesEventAttributes: { workflowTaskCompletedEventId: task1.eventId, searchAttributes: attributes({ TemporalChangeVersion: ['p1'] }) } }),
    marker(task1),
    event({ upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: attributes({ UepStatus: 'AT_RISK', UepStage: 'x' }) } }),
    scheduled('recordEntry'),
    event({ activityTaskStartedEventAttributes: { attempt: 1 } }),
    scheduled('deliverNotification'),
    event({ activityTaskStartedEventAttributes: { attempt: 3 } }),
    scheduled('recordEntry'),
    event({ timerStartedEventAttributes: { timerId: '1' } }),
    event({ timerCanceledEventAttributes: { timerId: '1' } }),
    event({ workflowExecutionUpdateAcceptedEventAttributes: { protocolInstanceId: 'u1' } }),
    event({ workflowExecutionUpdateCompletedEventAttributes: {} }),
    event({ workflowExecutionSignaledEventAttributes: { signalName: 's' } }),
    event({ signalExternalWorkflowExecutionInitiatedEventAttributes: { signalName: 's' } }),
    event({ startChildWorkflowExecutionInitiatedEventAttributes: { workflowId: 'child' } }),
    task2,
    marker(task2),
    event({ workflowTaskFailedEventAttributes: { cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW } }),
    event({ workflowTaskFailedEventAttributes: { cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR } }),
    event({ workflowExecutionCompletedEventAttributes: {} }),
  ];
}

describe('billable actions of a history (docs.temporal.io/cloud/actions)', () => {
  it('counts each billable event by the published mapping, and nothing else', () => {
    expect(billableActionsOf(lifecycle())).toEqual({
      total: 17,
      workflowStarts: 1,
      childWorkflowStarts: 2,
      updates: 1,
      signals: 1,
      upserts: 1,
      timers: 1,
      activities: { recordEntry: 2, deliverNotification: 1 },
      activityRetries: 2,
      markerTasks: 2,
      localActivityRetries: 2,
      other: 1,
    });
  });

  it("does not count a child's own start (its parent's initiated event does) but counts a new run's", () => {
    const child = [{ workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: 'parent' } } }];
    const continued = [{ workflowExecutionStartedEventAttributes: { continuedExecutionRunId: 'previous' } }];
    expect(billableActionsOf(child).total).toBe(0);
    expect(billableActionsOf(continued).workflowStarts).toBe(1);
  });

  it('breaks the count down largest first, activities by type, leaving out what is zero', () => {
    expect(actionBreakdown(billableActionsOf(lifecycle()))).toEqual([
      ['child workflow starts', 2],
      ['activity recordEntry', 2],
      ['activity retries', 2],
      ['workflow tasks with markers', 2],
      ['local activity retries', 2],
      ['workflow starts', 1],
      ['updates accepted', 1],
      ['signals', 1],
      ['search attribute upserts', 1],
      ['timers started', 1],
      ['activity deliverNotification', 1],
      ['other (options updated, resets, Nexus)', 1],
    ]);
  });
});

describe("the server's action counter", () => {
  const page = (starts: number) =>
    [
      '# HELP action action counter',
      '# TYPE action counter',
      `action{action_type="grpc_StartWorkflowExecution",namespace="default",operation="StartWorkflowExecution",service_name="frontend"} ${starts}`,
      'action{action_type="grpc_StartWorkflowExecution",namespace="temporal_system",operation="StartWorkflowExecution",service_name="frontend"} 2',
      'action{action_type="command_StartTimer",namespace="default",service_name="history"} 4',
      'action_latency_bucket{le="1"} 9',
    ].join('\n');

  it('is read by action_type for one namespace, and per lifecycle as the rise between two readings', () => {
    expect(parseActionCounter(page(1), 'default')).toEqual({ grpc_StartWorkflowExecution: 1, command_StartTimer: 4 });
    expect(actionsPerLifecycle(parseActionCounter(page(1), 'default'), parseActionCounter(page(5), 'default'), 4)).toEqual({ grpc_StartWorkflowExecution: 1 });
  });
});
