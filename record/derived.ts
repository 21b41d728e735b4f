/**
 * What the record keeps beside each entry's state so that bulk reads (the inbox, the compliance
 * report) walk no stage graph and parse no state: every part of their answers that only a
 * transition changes, derived once per projection through the pure domain. What time moves
 * (forecast, at risk, in breach, days left, overdue) is computed from these at read time.
 */
import { complianceLineOf, entryView, inboxLinesOf, remainingWorkingDaysOf, summarise, type EntryState, type InboxLine } from '../domain';
import { AUDIT_ACTION, type AuditRecord } from '../domain/types';
import { ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from './db';

/**
 * An inbox line as the record keeps it (one row per open stage, table inbox_lines): rendered as
 * JSON text, so that a bulk read parses and serialises nothing of it (the API appends what time
 * moves), beside the line's own values the inbox filters and sorts on.
 */
export interface RenderedInboxLine extends Pick<InboxLine, 'awaiting' | 'dueBy' | 'awaitingSince'> {
  /** JSON.stringify of the InboxLine */
  line: string;
}

export interface DerivedColumns {
  /** Working days on the entry's critical path (0 once closed). */
  remaining_working_days: number;
  roles_complete: number;
  calendar_version: string;
  /** The ComplianceLine, as JSON */
  report_line: string;
}

/** `state` with its run chain's submissions in `audit` (the latest submission of each open stage is shown). */
export function derivedOf(state: EntryState, asOfMs: number): { columns: DerivedColumns; inboxLines: RenderedInboxLine[] } {
  const view = entryView(state, asOfMs);
  const summary = summarise(state, asOfMs, view);
  const reportLine = complianceLineOf(summary);
  return {
    columns: {
      remaining_working_days: remainingWorkingDaysOf(view),
      roles_complete: reportLine.rolesComplete,
      calendar_version: state.calendarVersion,
      report_line: JSON.stringify(reportLine),
    },
    inboxLines: inboxLinesOf(summary, null).map((line) => ({ awaiting: line.awaiting, dueBy: line.dueBy, awaitingSince: line.awaitingSince, line: JSON.stringify(line) })),
  };
}

/** The entry's inbox lines become `lines` (its open stages as of the state just written). */
export async function replaceInboxLines(db: RecordDb, entryId: string, lines: RenderedInboxLine[]): Promise<void> {
  await db.deleteFrom('inbox_lines').where('entry_id', '=', entryId).execute();
  if (lines.length === 0) return;
  await db
    .insertInto('inbox_lines')
    .values(lines.map((l, position) => ({ entry_id: entryId, position, awaiting: l.awaiting, due_by: l.dueBy, awaiting_since: l.awaitingSince, line: l.line })))
    .execute();
}

/**
 * Whether the run whose state this is holds the record: a decision or submission a Temporal reset
 * rewound stays in the chain's trail, but the run that carries on has no such id (its state is
 * what reads show of the entry's open stages).
 */
export function heldByState(state: Pick<EntryState, 'commandIds'>, record: AuditRecord): boolean {
  if (record.id === undefined) return true;
  if (record.action === AUDIT_ACTION.SUBMISSION) return state.commandIds[`S:${record.id}`] !== undefined;
  if (record.action === AUDIT_ACTION.DECISION) return state.commandIds[`D:${record.id}`] !== undefined;
  return true;
}

/** The submissions of the entry's run chain its state holds, oldest first (a closed entry has no open stage to show them on). */
export async function chainSubmissions(db: RecordDb, entryId: string, chainId: string, state: EntryState): Promise<AuditRecord[]> {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) return [];
  const rows = await db
    .selectFrom('audit')
    .select('record')
    .where('entry_id', '=', entryId)
    .where('chain_id', '=', chainId)
    .where('action', '=', AUDIT_ACTION.SUBMISSION)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.record).filter((r) => heldByState(state, r));
}

/** Every recorded entry's state with its chain's submissions, a batch at a time: what a migration that adds derived columns fills them from. */
export async function* recordedStatesForDerivation(db: RecordDb, batch = 500): AsyncGenerator<{ entryId: string; state: EntryState; asOfMs: number }> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('entries').select(['entry_id', 'chain_id', 'state', 'as_of']).where('entry_id', '>', after).orderBy('entry_id').limit(batch).execute();
    for (const row of rows) {
      yield { entryId: row.entry_id, state: { ...row.state, audit: await chainSubmissions(db, row.entry_id, row.chain_id, row.state) }, asOfMs: row.as_of.getTime() };
    }
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.entry_id;
  }
}
