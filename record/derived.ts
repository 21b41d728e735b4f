/**
 * What the record keeps beside each entry's state so that bulk reads (the inbox, the compliance
 * report) walk no stage graph and parse no state: every part of their answers that only a
 * transition changes, derived once per projection through the pure domain. What time moves
 * (forecast, at risk, in breach, days left, overdue) is computed from these at read time.
 */
import { entryView, openStagesOf, remainingWorkingDaysOf, summarise, type EntryState } from '../domain';
import { AUDIT_ACTION, type AuditRecord } from '../domain/types';
import { ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from './db';

export interface DerivedColumns {
  /** Working days on the entry's critical path (0 once closed). */
  remaining_working_days: number;
  roles_complete: number;
  calendar_version: string;
  /** The summary's open stages (StageSummary[]), as the inbox lists them. */
  open_stage_summaries: string;
}

/** `state` with its run chain's submissions in `audit` (the latest submission of each open stage is shown). */
export function derivedColumns(state: EntryState, asOfMs: number): DerivedColumns {
  const view = entryView(state, asOfMs);
  const summary = summarise(state, asOfMs, view);
  return {
    remaining_working_days: remainingWorkingDaysOf(view),
    roles_complete: summary.roleStages.filter((r) => r.complete).length,
    calendar_version: state.calendarVersion,
    open_stage_summaries: JSON.stringify(openStagesOf(summary)),
  };
}

/** The submissions of the entry's run chain, oldest first (a closed entry has no open stage to show them on). */
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
  return rows.map((r) => r.record);
}
