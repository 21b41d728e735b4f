/**
 * What one entry run says about itself, for the recovery command: its whole projection, asked of
 * the workflow (a query, answered by a worker replaying the run, closed or not), or else the
 * projections its history handed to the record activity (generations that record by activity).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { RecordActivities } from '../activities/types';
import { mergeProjections, type EntryProjection } from '../record/projection';
import { getRecordProjectionQuery } from '../workflows/messages';

const RECORD_ACTIVITY: keyof RecordActivities = 'recordEntry';
const EVENT = temporal.api.enums.v1.EventType;

export type RunProjection = { ok: true; projection: EntryProjection; source: 'query' | 'history' } | { ok: false; reason: string };

export async function readRunProjection(client: Client, run: WorkflowExecutionInfo, queryTimeoutMs: number): Promise<RunProjection> {
  const handle = client.workflow.getHandle(run.workflowId, run.runId);
  let queryError: string;
  try {
    const projection = await client.connection.withDeadline(Date.now() + queryTimeoutMs, () => handle.query(getRecordProjectionQuery));
    return { ok: true, projection, source: 'query' };
  } catch (err) {
    queryError = messageOf(err);
  }
  try {
    const projection = await projectionFromHistory(client, run);
    if (projection) return { ok: true, projection, source: 'history' };
    return { ok: false, reason: `query failed (${queryError}) and its history hands nothing to the record (a generation before 'record-by-activity')` };
  } catch (err) {
    return { ok: false, reason: `query failed (${queryError}); history not read (${messageOf(err)})` };
  }
}

/** Every projection the run scheduled for the record activity, merged oldest first; undefined when none. */
async function projectionFromHistory(client: Client, run: WorkflowExecutionInfo): Promise<EntryProjection | undefined> {
  const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  const converter = client.options.loadedDataConverter.payloadConverter;
  let merged: EntryProjection | undefined;
  for (const event of history.events ?? []) {
    const scheduled = event.eventType === EVENT.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ? event.activityTaskScheduledEventAttributes : undefined;
    if (scheduled?.activityType?.name !== RECORD_ACTIVITY) continue;
    const payload = scheduled.input?.payloads?.[0];
    if (!payload) continue;
    const projection = converter.fromPayload<EntryProjection>(payload);
    merged = merged ? mergeProjections(merged, projection) : projection;
  }
  return merged;
}

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 300);
}
