/**
 * What the engine decided and did, read back from Temporal itself: from each entry's history,
 * every notification the workflow scheduled and the delivery report its activity returned; from
 * its audit trail, every submission and decision it recorded.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { DELIVERY_ACTIVITIES, asList, type DeliveryReport } from '../../activities/types';
import { entryIdFor } from '../../domain';
import { AUDIT_ACTION, type AuditRecord, type Notification } from '../../domain/types';
import { getRecordedEntry, recordedAuditTrail } from '../../record/read';
import type { RecordDb } from '../../record/db';
import { getAuditTrailQuery } from '../../workflows/messages';

export interface NotificationLedger {
  scheduled: Notification[];
  /** Reports of the activities that completed, by notification id. */
  reports: Map<string, DeliveryReport>;
  /** Notification ids whose activity failed or timed out for good. */
  failed: string[];
  historyEvents: number;
}

const decode = <T>(payloads: temporal.api.common.v1.IPayloads | null | undefined): T => defaultPayloadConverter.fromPayload(payloads!.payloads![0]!);

export async function notificationLedger(client: Client, partyId: string): Promise<NotificationLedger> {
  const history = await client.workflow.getHandle(entryIdFor(partyId)).fetchHistory();
  const events = history.events ?? [];
  const byScheduledId = new Map<string, Notification[]>();
  const ledger: NotificationLedger = { scheduled: [], reports: new Map(), failed: [], historyEvents: events.length };
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (DELIVERY_ACTIVITIES.some((a) => a === scheduled?.activityType?.name)) {
      const batch = asList(decode<Notification | Notification[]>(scheduled!.input));
      byScheduledId.set(String(e.eventId), batch);
      ledger.scheduled.push(...batch);
    }
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed && byScheduledId.has(String(completed.scheduledEventId))) {
      for (const report of asList(decode<DeliveryReport | DeliveryReport[]>(completed.result))) ledger.reports.set(report.notificationId, report);
    }
    const failed = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
    for (const n of failed ? (byScheduledId.get(String(failed.scheduledEventId)) ?? []) : []) ledger.failed.push(n.id);
  }
  return ledger;
}

/** Ids of the submissions and decisions in the entry's audit trail, in order. */
export async function recordedUpdateIds(client: Client, partyId: string): Promise<string[]> {
  const trail: AuditRecord[] = await client.workflow.getHandle(entryIdFor(partyId)).query(getAuditTrailQuery);
  return trail.filter((r) => r.action === AUDIT_ACTION.DECISION || r.action === AUDIT_ACTION.SUBMISSION).map((r) => r.id ?? '');
}

export interface RecordComparison {
  entries: number;
  /** Audit records in the Temporal trails, and how many of them the record holds (equal, in order). */
  temporalRecords: number;
  recordRows: number;
  /** Entries whose record differs from Temporal: missing, doubled or out of order rows, or another status. */
  differing: { partyId: string; temporal: string[]; record: string[]; status: string | null }[];
}

const auditKey = (r: AuditRecord) => `${r.seq}:${r.action}:${r.id ?? ''}`;

/** Each entry's audit rows in PostgreSQL against its audit trail in Temporal, entry by entry. */
export async function compareRecordWithTemporal(client: Client, db: RecordDb, partyIds: readonly string[], status: string): Promise<RecordComparison> {
  const comparison: RecordComparison = { entries: partyIds.length, temporalRecords: 0, recordRows: 0, differing: [] };
  for (const partyId of partyIds) {
    const trail: AuditRecord[] = await client.workflow.getHandle(entryIdFor(partyId)).query(getAuditTrailQuery);
    const rows = await recordedAuditTrail(db, entryIdFor(partyId));
    const entry = await getRecordedEntry(db, entryIdFor(partyId));
    comparison.temporalRecords += trail.length;
    comparison.recordRows += rows.length;
    const [temporal, record] = [trail.map(auditKey), rows.map(auditKey)];
    if (JSON.stringify(temporal) !== JSON.stringify(record) || entry?.status !== status) {
      comparison.differing.push({ partyId, temporal, record, status: entry?.status ?? null });
    }
  }
  return comparison;
}

export const describeRecordComparison = (c: RecordComparison) =>
  `record: ${c.recordRows}/${c.temporalRecords} audit rows of ${c.entries} entries, ${c.differing.length} entries differing`;
