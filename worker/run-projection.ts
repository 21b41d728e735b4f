/**
 * What one entry run says about itself, for the recovery command. Its state and trail: asked of
 * the workflow (a query, answered by a worker replaying the run, closed or not), or else the
 * projections its history handed to the record activity (generations that record by activity).
 * Its notifications and their deliveries: always from its history (every generation hands each
 * notification to a delivery activity, alone or with the rest of its step, whose result says
 * whether it reached someone).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DELIVERY_ACTIVITIES, DELIVERY_STATUS, asList, type DeliveryReport, type RecordActivities } from '../activities/types';
import type { Notification } from '../domain/types';
import { mergeProjections, type EntryProjection } from '../domain/projection';
import { getRecordProjectionQuery } from '../workflows/messages';
import { msOf } from '../config/sdk-internals';

const RECORD_ACTIVITY: keyof RecordActivities = 'recordEntry';
const EVENT = temporal.api.enums.v1.EventType;
const DELIVERED: string[] = [DELIVERY_STATUS.DELIVERED, DELIVERY_STATUS.PARTIAL];

export interface Delivery {
  notificationId: string;
  at: Date;
}

export type RunProjection =
  | { ok: true; projection: EntryProjection; deliveries: Delivery[]; source: 'query' | 'history' }
  | { ok: false; reason: string };

interface RunHistory {
  /** The record activity's inputs, merged oldest first; undefined when it was never called. */
  recorded?: EntryProjection;
  notifications: EntryProjection['notifications'];
  deliveries: Delivery[];
}

export async function readRunProjection(client: Client, run: WorkflowExecutionInfo, queryTimeoutMs: number): Promise<RunProjection> {
  const handle = client.workflow.getHandle(run.workflowId, run.runId);
  let history: RunHistory;
  try {
    history = readHistory(client, await handle.fetchHistory());
  } catch (err) {
    return { ok: false, reason: `history not read (${messageOf(err)})` };
  }
  try {
    const queried = await client.connection.withDeadline(Date.now() + queryTimeoutMs, () => handle.query(getRecordProjectionQuery));
    return { ok: true, projection: { ...queried, notifications: history.notifications }, deliveries: history.deliveries, source: 'query' };
  } catch (err) {
    if (!history.recorded) {
      return { ok: false, reason: `query failed (${messageOf(err)}) and its history hands nothing to the record (a generation before 'record-by-activity')` };
    }
    return { ok: true, projection: { ...history.recorded, notifications: history.notifications }, deliveries: history.deliveries, source: 'history' };
  }
}

function readHistory(client: Client, history: temporal.api.history.v1.IHistory): RunHistory {
  const converter = client.options.loadedDataConverter.payloadConverter;
  const decode = <T>(payloads: temporal.api.common.v1.IPayloads | null | undefined): T | undefined => {
    const payload = payloads?.payloads?.[0];
    return payload ? converter.fromPayload<T>(payload) : undefined;
  };
  let recorded: EntryProjection | undefined;
  const notifications = new Map<string, EntryProjection['notifications'][number]>();
  const deliveryScheduled = new Map<string, string[]>(); // scheduled event id -> notification ids
  const deliveries: Delivery[] = [];
  for (const event of history.events ?? []) {
    if (event.eventType === EVENT.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      const activity = scheduled?.activityType?.name;
      if (activity === RECORD_ACTIVITY) {
        const projection = decode<EntryProjection>(scheduled?.input);
        if (projection) recorded = recorded ? mergeProjections(recorded, projection) : projection;
      } else if (DELIVERY_ACTIVITIES.some((a) => a === activity)) {
        const batch = asList(decode<Notification | Notification[]>(scheduled?.input));
        for (const n of batch) notifications.set(n.id, { id: n.id, kind: n.kind, recipients: n.recipients, dueAt: n.dueAt });
        deliveryScheduled.set(String(event.eventId), batch.map((n) => n.id));
      }
    } else if (event.eventType === EVENT.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const completed = event.activityTaskCompletedEventAttributes;
      if (!deliveryScheduled.has(String(completed?.scheduledEventId))) continue;
      for (const report of asList(decode<DeliveryReport | DeliveryReport[]>(completed?.result))) {
        if (DELIVERED.includes(report.status)) deliveries.push({ notificationId: report.notificationId, at: new Date(msOf(event.eventTime) ?? 0) });
      }
    }
  }
  return { ...(recorded ? { recorded } : {}), notifications: [...notifications.values()], deliveries };
}

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 300);
}
