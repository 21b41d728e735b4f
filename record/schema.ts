/**
 * The record's tables as Kysely sees them: one typed SQL layer for the embedded PGlite and a real
 * PostgreSQL server. The migrations in record/migrations/ create exactly these.
 */
import type { ColumnType, Generated } from 'kysely';
import type { AuditRecord, Notification, Recipient } from '../domain/types';
import type { EntryState } from '../domain';
import type { Principal } from '../domain/vocabulary';
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
  /** The entry's last audit seq when the chain's first record was written: its records follow it. */
  seq_offset: number;
  started_at: Instant;
}

/** Append-only: one row per accepted command, across runs. The engine's role cannot update or delete it. */
export interface AuditTable {
  entry_id: string;
  /** Continuous across the entry's runs and resets: the record numbers its rows as it appends them. */
  seq: number;
  chain_id: string;
  /**
   * The record's seq within its run chain as the workflow numbered it (a reset hands numbers out
   * again: not unique); not positive for the record's own rows (RUN_RESET, CLOSED_OUTSIDE_ENGINE).
   */
  chain_seq: number;
  /** What is unique about the record within its chain (record/audit-keys.ts). */
  record_key: string;
  /** The run that handed it over first; null before migration 0006. */
  run_id: string | null;
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
  /** Which delivery (run and activity) is sending it, and since when (record/write.ts claimDelivery). */
  claimed_by: string | null;
  claimed_at: Instant | null;
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
  console_sign_ins: ConsoleSignInsTable;
  console_sessions: ConsoleSessionsTable;
  party_invitations: PartyInvitationsTable;
  party_members: PartyMembersTable;
  party_membership_events: PartyMembershipEventsTable;
  stage_claims: StageClaimsTable;
  evidence_files: EvidenceFilesTable;
  evidence_file_chunks: EvidenceFileChunksTable;
  person_notice_settings: PersonNoticeSettingsTable;
  person_notices: PersonNoticesTable;
  notice_digests: NoticeDigestsTable;
}

/** A console sign-in under way: what the callback needs to finish it, used once. */
export interface ConsoleSignInsTable {
  state_sha256: string;
  code_verifier: string;
  nonce: string;
  /** The console path to land on once signed in */
  return_to: string;
  created_at: Instant;
  expires_at: Instant;
  /** The invitation this sign-in accepts, by its token's hash (migration 0009). */
  invitation_sha256: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A signed-in person's console session; the cookie holds the id, the record only its hash. */
export interface ConsoleSessionsTable {
  id_sha256: string;
  csrf_token: string;
  principal: ColumnType<Principal, string, string>;
  /** The IdP's subject: every session of a person who leaves can be ended at once. */
  subject: string;
  /** Sent back as id_token_hint when the person signs out at the IdP. */
  id_token: string;
  created_at: Instant;
  last_seen_at: Instant;
  /** Absolute end: the session ends then however busy it is. */
  expires_at: Instant;
}

/** An invitation to act for a Party: the emailed link's token by its hash, used once, expiring. */
export interface PartyInvitationsTable {
  token_sha256: string;
  party_id: string;
  email: string;
  invited_by: ColumnType<Principal, string, string>;
  created_at: Instant;
  expires_at: Instant;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The IdP subject that accepted it. */
  used_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A person bound to a Party by their IdP subject; a removed membership stays, with when and by whom. */
export interface PartyMembersTable {
  party_id: string;
  subject: string;
  name: string;
  email: string | null;
  invited_by: ColumnType<Principal, string, string>;
  accepted_at: Instant;
  removed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  removed_by: ColumnType<Principal | null, string | null | undefined, string | null>;
}

/** What happened to a Party's people: invited, accepted, removed, and by whom. */
export interface PartyMembershipEventsTable {
  id: Generated<string>;
  party_id: string;
  action: 'INVITED' | 'ACCEPTED' | 'REMOVED';
  at: Instant;
  principal: ColumnType<Principal, string, string>;
  email: string | null;
  subject: string | null;
}

/** Who works a waiting stage (migration 0010): held for the wait it was made in. */
export interface StageClaimsTable {
  entry_id: string;
  stage: string;
  /** '' for a stage of the whole entry */
  role: string;
  awaiting: string;
  /** The stage's awaitingSince when claimed: a later wait is unclaimed. */
  awaiting_since: string | null;
  /** Who works it */
  claimant: ColumnType<Principal, string, string>;
  /** Who claimed it for them (themselves, or a colleague assigning it) */
  claimed_by: ColumnType<Principal, string, string>;
  claimed_at: Instant;
}

/** A file attached to a stage (migration 0011); its content is in evidence_file_chunks. */
export interface EvidenceFilesTable {
  file_id: string;
  entry_id: string;
  stage: string;
  /** '' for a stage of the whole entry */
  role: string;
  name: string;
  content_type: string;
  size: ColumnType<string, number, number>;
  sha256: string;
  uploaded_by: ColumnType<Principal, string, string>;
  uploaded_at: Instant;
}

export interface EvidenceFileChunksTable {
  file_id: string;
  n: number;
  data: Uint8Array;
}

/** How a person is told (migration 0012): at once, or in a daily digest; their name and email as last seen. */
export interface PersonNoticeSettingsTable {
  body: string;
  person_id: string;
  cadence: string;
  party_id: string | null;
  name: string | null;
  email: string | null;
  changed_at: Instant;
}

/** The outbox of notices to a person: written with what caused them, handed to delivery by the worker. */
export interface PersonNoticesTable {
  id: string;
  body: string;
  person_id: string;
  notice: ColumnType<Notification, string, string>;
  recorded_at: Generated<Date>;
  handed_over_at: Instant | null;
  /** IMMEDIATE (mailed), or DAILY_DIGEST (only webhooks: the person reads it in their digest) */
  handed_as: string | null;
}

/** A daily digest sent: one per person and day. */
export interface NoticeDigestsTable {
  body: string;
  person_id: string;
  day: ColumnType<string, string, string>;
  items: number;
  sent_at: Instant;
}
