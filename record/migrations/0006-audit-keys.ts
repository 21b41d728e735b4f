/**
 * Audit rows keyed by what is unique about them (record/audit-keys.ts), not by the workflow's seq:
 * a run rewound by a Temporal reset hands the same seqs out again, and the rows keyed by them were
 * dropped. `record_key` is filled for every row already recorded, then unique within its entry's
 * run chain; `seq` stays the entry's own continuous numbering, now given by the record as rows are
 * appended; `chain_seq` keeps the workflow's number, no longer unique. `run_id`: the run that
 * handed the row over first (null for rows recorded before this migration).
 * Notifications get a delivery claim (who is delivering it, since when): a run a reset created
 * hands the rewound run's notifications (same ids) to delivery again, maybe while the old run's
 * delivery is still under way; one delivers, the other waits for its stamp (activities/record.ts).
 */
import { sql, type Kysely } from 'kysely';
import { AUDIT_ACTION, type AuditRecord } from '../../domain/types';
import { auditKeyOf, outsideClosureAuditKey } from '../audit-keys';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit').addColumn('record_key', 'text').addColumn('run_id', 'text').execute();
  // the trail is append-only for everyone but this migration, run as the tables' owner
  await sql`ALTER TABLE audit DISABLE TRIGGER audit_no_update_or_delete`.execute(db);
  const rows = await sql<{ entry_id: string; seq: number; chain_id: string; record: AuditRecord }>`SELECT entry_id, seq, chain_id, record FROM audit ORDER BY entry_id, seq`.execute(db);
  // the reconciler's rows are about the run it found closed (its closure, at the row's instant)
  const closures = await sql<{ entry_id: string; chain_id: string; closed_at: Date; run_id: string }>`SELECT entry_id, chain_id, closed_at, run_id FROM closures WHERE source = 'RECONCILER'`.execute(db);
  const closedRun = new Map(closures.rows.map((c) => [`${c.entry_id}\n${c.chain_id}\n${c.closed_at.toISOString()}`, c.run_id]));
  const seen = new Set<string>();
  for (const row of rows.rows) {
    const run = row.record.action === AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE ? closedRun.get(`${row.entry_id}\n${row.chain_id}\n${new Date(row.record.at).toISOString()}`) : undefined;
    let key = run ? outsideClosureAuditKey(run) : auditKeyOf(row.record);
    // two rows alike in every way but their seq (never written by the engine): both kept
    if (seen.has(`${row.entry_id}\n${row.chain_id}\n${key}`)) key = `${key}:${row.seq}`;
    seen.add(`${row.entry_id}\n${row.chain_id}\n${key}`);
    await sql`UPDATE audit SET record_key = ${key} WHERE entry_id = ${row.entry_id} AND seq = ${row.seq}`.execute(db);
  }
  await sql`ALTER TABLE audit ENABLE TRIGGER audit_no_update_or_delete`.execute(db);
  await sql`ALTER TABLE audit ALTER COLUMN record_key SET NOT NULL`.execute(db);
  await sql`ALTER TABLE audit DROP CONSTRAINT audit_chain_seq`.execute(db);
  await sql`ALTER TABLE audit ADD CONSTRAINT audit_record_key UNIQUE (entry_id, chain_id, record_key)`.execute(db);
  await db.schema.alterTable('notifications').addColumn('claimed_by', 'text').addColumn('claimed_at', 'timestamptz').execute();
}

export async function down(): Promise<void> {
  throw new Error('the record is never migrated down: restore a backup instead (docs/operations.md)');
}
