/**
 * The record's tables as Kysely sees them: one typed SQL layer for the embedded PGlite and a real
 * PostgreSQL server. The migrations in record/migrations/ create exactly these.
 */
import type { ColumnType, Generated } from 'kysely';
import type { AuditRecord, Recipient } from '../domain/types';
import type { EntryState } from '../domain';
import type { Meeting } from '../domain/meetings';

/** Timestamps go in as Date or ISO strings and come out as Date. */
type Instant = ColumnType<Date, Date | string, Date | string>;
/** Dates ('YYYY-MM-DD') are read back as text by record/db.ts (no time zone shift). */
type CalendarDate = ColumnType<string, string, string>;

/** One row per Party entry: its current state (the domain's JSON) and the columns people filter and sort on. */
export interface EntriesTable {
  entry_id: string;
  party_id: string;
  party_name: string;
  cohort: string;
  /** The domain's status, or CLOSED_OUTSIDE_ENGINE when Temporal closed the run behind the engine's back. */
  status: string;
  roles: string[];
  awaited_bodies: string[];
  open_stages: string[];
  mandate_deadline: CalendarDate | null;
  started_at: Instant;
  closed_at: Instant | null;
  /** The first run id of the current run chain (continue-as-new keeps it). */
  chain_id: string;
  run_id: string;
  /** Workflow time of the state held here. A write with an older as_of never replaces a newer one. */
  as_of: Instant;
  /** The domain's EntryState without its audit trail (that lives in audit). */
  state: ColumnType<EntryState, string, string>;
  /** Set by the reconciler: how Temporal closed the run (TERMINATED, FAILED, ...). */
  temporal_status: string | null;
  recorded_at: Generated<Date>;
  // Derived from the state at each projection (record/derived.ts): what bulk reads need of it.
  /** Working days on the critical path (0 once closed): the forecast is today plus these. */
  remaining_working_days: number;
  roles_complete: number;
  calendar_version: string;
  /** The entry's compliance row's unchanging part, rendered as JSON text (ComplianceLine). */
  report_line: string;
}

/** One row per open stage of an entry as last written: its inbox line, rendered (record/derived.ts). */
export interface InboxLinesTable {
  entry_id: string;
  /** The stage's place among the entry's open stages */
  position: number;
  awaiting: string;
  due_by: CalendarDate | null;
  /** ISO instant, as the line has it */
  awaiting_since: string | null;
  /** The InboxLine as JSON text */
  line: string;
}

/** Which run chains an entry had, and where each chain's audit records start in the entry's one trail. */
export interface EntryChainsTable {
  entry_id: string;
  chain_id: string;
  /** The entry's audit seq of the chain's record 0: record n of the chain is seq_offset + n. */
  seq_offset: number;
  started_at: Instant;
}

/** Append-only: one row per accepted command, across runs. The engine's role cannot update or delete it. */
export interface AuditTable {
  entry_id: string;
  /** Continuous across the entry's runs. */
  seq: number;
  chain_id: string;
  /** The record's seq within its run chain, as the workflow numbered it. */
  chain_seq: number;
  at: Instant;
  action: string;
  principal_body: string;
  principal_id: string;
  record: ColumnType<AuditRecord, string, string>;
  recorded_at: Generated<Date>;
}

export interface NotificationsTable {
  id: string;
  entry_id: string;
  kind: string;
  recipients: ColumnType<Recipient[], string, string>;
  due_at: Instant;
  delivered_at: Instant | null;
  recorded_at: Generated<Date>;
}

/** How each run chain ended: by the engine (COMPLETE, WITHDRAWN) or outside it (TERMINATED, ...). */
export interface ClosuresTable {
  run_id: string;
  entry_id: string;
  chain_id: string;
  closed_at: Instant;
  /** COMPLETE, WITHDRAWN, or CLOSED_OUTSIDE_ENGINE */
  outcome: string;
  /** ENGINE (the workflow said so) or RECONCILER (found in Temporal's visibility) */
  source: string;
  temporal_status: string | null;
  recorded_at: Generated<Date>;
}

/** One row per version of the meeting calendar (domain/meetings.ts), never edited. */
export interface MeetingCalendarsTable {
  version: number;
  meetings: ColumnType<Meeting[], string, string>;
  changed_by: string;
  changed_at: Generated<Date>;
}

export interface RecordDatabase {
  meeting_calendars: MeetingCalendarsTable;
  entries: EntriesTable;
  inbox_lines: InboxLinesTable;
  entry_chains: EntryChainsTable;
  audit: AuditTable;
  notifications: NotificationsTable;
  closures: ClosuresTable;
}
