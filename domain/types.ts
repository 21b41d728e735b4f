/**
 * The contract of the entry state machine: what goes in (start input, commands, time) and what
 * comes out (state, effects, summaries, refusals). Every value here is plain JSON so that it can
 * cross Temporal's boundaries (workflow arguments, continue-as-new, queries, activities).
 * Dates are 'YYYY-MM-DD' strings; instants are ISO-8601 UTC strings in outputs and epoch ms
 * (`now`, `wakeAt`) in the machine's calls.
 */
import type { MeetingBody, MeetingCalendar } from './meetings';
import type { Body, Cohort, EntryStatus, OutcomeEffect, Principal, StageId, StageState, UserRole } from './vocabulary';

export interface UepContact {
  name: string;
  email: string;
}

export interface CompletedStageInput {
  stage: StageId;
  role?: UserRole;
  outcome: string;
  /** 'YYYY-MM-DD' */
  at: string;
  evidence?: string;
}

export interface StartEntryInput {
  partyId: string;
  partyName: string;
  cohort: Cohort;
  roles: UserRole[];
  /** 'YYYY-MM-DD'. Omitted: the cohort's default. null: no mandate deadline. */
  mandateDeadline?: string | null;
  uepContact: UepContact;
  sharedResourceProvider?: string;
  /** Stages done before the entry started (e.g. accession), with their dates. */
  completedStages?: CompletedStageInput[];
  /** Days before the mandate deadline at which reminders go out; default 90, 60, 30, 14, 7, 1. */
  reminderOffsetsDays?: number[];
  /** Default: the current catalogue / calendar version. Fixed for the entry's life. */
  catalogueVersion?: string;
  calendarVersion?: string;
  /** The SEC Panel's and SSC's meetings as the record holds them (meetings.ts). */
  meetings?: MeetingCalendar;
  /** The deployment's settings of the catalogue's assumed durations (catalogue.ts); unknown names are ignored. */
  durationSettings?: Readonly<Record<string, number>>;
  startedBy: Principal;
}

/** Something a caller should know about an accepted start. */
export const START_WARNING = {
  /** The mandate deadline (given, or the cohort's default) is already past: the entry starts in breach. */
  MANDATE_DEADLINE_PASSED: 'MANDATE_DEADLINE_PASSED',
  /** The Party's UEP contact could not be mailed an invitation to the console (invite them again). */
  CONTACT_NOT_INVITED: 'CONTACT_NOT_INVITED',
} as const;
export type StartWarningCode = (typeof START_WARNING)[keyof typeof START_WARNING];

export interface StartWarning {
  code: StartWarningCode;
  message: string;
}

export type EntryCommand =
  | {
      type: 'SUBMIT_EVIDENCE';
      submissionId: string;
      stage: StageId;
      role?: UserRole;
      reference: string;
      comment?: string;
      principal: Principal;
    }
  | {
      type: 'RECORD_DECISION';
      decisionId: string;
      stage: StageId;
      role?: UserRole;
      outcome: string;
      evidence: string;
      comment?: string;
      principal: Principal;
    }
  | { type: 'AMEND_DEADLINE'; deadline: string | null; reason: string; principal: Principal }
  | { type: 'ADD_ROLE'; role: UserRole; principal: Principal }
  | { type: 'WITHDRAW'; reason: string; principal: Principal }
  /** SECAS or OPS changed the meeting calendar: the entry takes the new version. */
  | { type: 'UPDATE_MEETINGS'; calendar: MeetingCalendar; principal: Principal };

export type EntryCommandType = EntryCommand['type'];

export const REFUSAL = {
  UNKNOWN_STAGE: 'UNKNOWN_STAGE',
  STAGE_NOT_APPLICABLE: 'STAGE_NOT_APPLICABLE',
  ROLE_REQUIRED: 'ROLE_REQUIRED',
  WRONG_BODY: 'WRONG_BODY',
  NOT_OWN_PARTY: 'NOT_OWN_PARTY',
  NOT_AWAITING: 'NOT_AWAITING',
  UNKNOWN_OUTCOME: 'UNKNOWN_OUTCOME',
  ENTRY_CLOSED: 'ENTRY_CLOSED',
  ROLE_ALREADY_SOUGHT: 'ROLE_ALREADY_SOUGHT',
  INVALID_DEADLINE: 'INVALID_DEADLINE',
  ID_REUSED: 'ID_REUSED',
  /** A start input the domain cannot take (a missing field, an unknown cohort or version). */
  INVALID_INPUT: 'INVALID_INPUT',
  /** An outcome that must say why (e.g. an Evidence Form returned) given without a comment. */
  REASON_REQUIRED: 'REASON_REQUIRED',
  /** Another officer of the body has claimed the stage: take it over first, or ask them. */
  CLAIMED_BY_OTHER: 'CLAIMED_BY_OTHER',
} as const;
export type RefusalCode = (typeof REFUSAL)[keyof typeof REFUSAL];

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export const AUDIT_ACTION = {
  STARTED: 'STARTED',
  SUBMISSION: 'SUBMISSION',
  DECISION: 'DECISION',
  DEADLINE_AMENDED: 'DEADLINE_AMENDED',
  ROLE_ADDED: 'ROLE_ADDED',
  WITHDRAWN: 'WITHDRAWN',
  ROLE_COMPLETE: 'ROLE_COMPLETE',
  /** The entry took a new version of the meeting calendar. */
  MEETINGS_UPDATED: 'MEETINGS_UPDATED',
  /** Written by the record's reconciler, not the workflow: Temporal closed the run behind the engine's back. */
  CLOSED_OUTSIDE_ENGINE: 'CLOSED_OUTSIDE_ENGINE',
  /**
   * Written by the record, not the workflow: Temporal reset the run. The run it created carries on
   * from an earlier point; what the rewound run recorded after that point stays in the trail.
   */
  RUN_RESET: 'RUN_RESET',
  /** Written by the record, not the workflow: an officer took a waiting stage (for themselves or a colleague). */
  CLAIMED: 'CLAIMED',
  /** Written by the record, not the workflow: a claimed stage was handed back to the body's queue. */
  RELEASED: 'RELEASED',
  /** Written by the record, not the workflow: a file attached to a stage (its SHA-256 in `file`). */
  FILE_ATTACHED: 'FILE_ATTACHED',
  /** Written by the record, not the workflow: a comment in a stage's thread (by a body or the Party). */
  COMMENTED: 'COMMENTED',
} as const;
export type AuditAction = (typeof AUDIT_ACTION)[keyof typeof AUDIT_ACTION];

export interface AuditRecord {
  seq: number;
  /** ISO instant */
  at: string;
  action: AuditAction;
  principal: { body: Body; id: string; name?: string; email?: string };
  /** decision or submission id, where the action had one */
  id?: string;
  stage?: StageId;
  role?: UserRole;
  outcome?: string;
  evidence?: string;
  reference?: string;
  comment?: string;
  reason?: string;
  /** For DEADLINE_AMENDED: the old and new dates. */
  previousDeadline?: string | null;
  deadline?: string | null;
  /** For RUN_RESET: the run the reset created, and the run it replaced when known. */
  runId?: string;
  previousRunId?: string | null;
  /** For CLAIMED: who works the stage now; for CLAIMED and RELEASED: who worked it before, if anyone. */
  assignee?: ClaimHolder;
  previousAssignee?: ClaimHolder;
  /** For FILE_ATTACHED: the file, as the record keeps it. */
  file?: AttachedFile;
}

/** A file attached to a stage: its content is kept by the record, its fingerprint in the audit trail. */
export interface AttachedFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the content */
  sha256: string;
}

/** The officer a claim names. */
export interface ClaimHolder {
  id: string;
  name?: string;
}

export const NOTIFICATION_KIND = {
  MANDATE_REMINDER: 'MANDATE_REMINDER',
  MANDATE_BREACH: 'MANDATE_BREACH',
  BREACH_REMINDER: 'BREACH_REMINDER',
  SLA_REMINDER: 'SLA_REMINDER',
  SLA_ESCALATION: 'SLA_ESCALATION',
  AT_RISK: 'AT_RISK',
  BACK_ON_TRACK: 'BACK_ON_TRACK',
  ROLE_COMPLETE: 'ROLE_COMPLETE',
  DEADLINE_AMENDED: 'DEADLINE_AMENDED',
  ENTRY_WITHDRAWN: 'ENTRY_WITHDRAWN',
  ENTRY_STARTED: 'ENTRY_STARTED',
  SUBMISSION_DUE: 'SUBMISSION_DUE',
  DECISION_NEEDS_ACTION: 'DECISION_NEEDS_ACTION',
  /** The meeting a stage waits for moved, was cancelled, or became known (catalogue v2). */
  MEETING_MOVED: 'MEETING_MOVED',
  /** A stage began awaiting its owner's decision (rules version 6): to the owning body's route. */
  DECISION_DUE: 'DECISION_DUE',
  /** Sent by the record's reconciler, not the machine: Temporal closed the run behind the engine's back. */
  ENTRY_CLOSED_OUTSIDE_ENGINE: 'ENTRY_CLOSED_OUTSIDE_ENGINE',
  /** Sent by the record's writers, not the machine: Temporal reset the entry's run. */
  ENTRY_RUN_RESET: 'ENTRY_RUN_RESET',
  /** Sent from the record's outbox, not the machine: an officer gave a waiting stage to a colleague (domain/person-notices.ts). */
  STAGE_ASSIGNED: 'STAGE_ASSIGNED',
} as const;
export type NotificationKind = (typeof NOTIFICATION_KIND)[keyof typeof NOTIFICATION_KIND];

/** A PERSON: one officer (or Party member), mailed at their own address when it is known; their body's webhooks get the same event. */
export type Recipient =
  | { kind: 'PARTY_CONTACT'; name: string; email: string }
  | { kind: 'BODY'; body: Body }
  | { kind: 'PERSON'; body: Body; id: string; name: string; email?: string };

/** A message the engine decided to send. Rendering and delivery belong to activities/. */
export interface Notification {
  /** Stable: derived from (entry, reason, deadline version), so a retried delivery can be deduplicated. */
  id: string;
  kind: NotificationKind;
  entryId: string;
  partyId: string;
  partyName: string;
  recipients: Recipient[];
  /** ISO instant the notification became due. */
  dueAt: string;
  /** One line a person can act on. */
  subject: string;
  /** A few sentences: which stage and role, what is awaited and from whom, by when. */
  body: string;
  stage?: StageId;
  role?: UserRole;
  awaitedBody?: Body;
  /** The date the notification is about: the mandate deadline, or an SLA due date ('YYYY-MM-DD'). */
  deadline?: string;
  /** The reference of what the Party submitted for the stage (DECISION_DUE after a submission). */
  reference?: string;
  workingDaysLeft?: number;
  calendarDaysLeft?: number;
}

/** The values behind the Temporal search attributes (the ops view). */
export interface EntrySearchAttributes {
  partyId: string;
  partyName: string;
  cohort: Cohort;
  roles: UserRole[];
  status: EntryStatus;
  awaitedBodies: Body[];
  openStages: StageId[];
  /** ISO instant, or null */
  mandateDeadline: string | null;
  /**
   * ISO instant the entry next acts (its next wake-up: a reminder, an SLA, the breach) from rules
   * version 4; before, 00:00 of the next thing's date. Null when nothing is scheduled.
   */
  nextDeadline: string | null;
  atRisk: boolean;
  inBreach: boolean;
}

export interface Effects {
  notifications: Notification[];
  searchAttributes: EntrySearchAttributes;
  /** Epoch ms the workflow must next wake up at; null when nothing is pending. Never in the past. */
  wakeAt: number | null;
}

/** One outcome the owner may choose for a stage, and what it does to the stage. */
export interface AllowedOutcome {
  outcome: string;
  effect: OutcomeEffect;
  /** The stage is done; the decision's comment stays on the entry as a follow-up condition. */
  followUp: boolean;
  /** The decision must say why (its comment). */
  needsReason?: boolean;
}

/** The Party's latest submission on a stage instance. */
export interface LatestSubmission {
  submissionId: string;
  reference: string;
  comment?: string;
  at: string;
}

export interface StageSummary {
  stage: StageId;
  role?: UserRole;
  title: string;
  secRef: string;
  owner: Body;
  state: StageState;
  attempts: number;
  /** Who is awaited now: PARTY when awaiting the party, the owner when awaiting a decision. */
  awaiting?: Body;
  awaitingSince?: string;
  /** SLA due date of the awaited decision ('YYYY-MM-DD'); a decision at a meeting: the meeting's date */
  dueBy?: string;
  /** The meeting the awaited decision is taken at (catalogue v2). */
  meeting?: { body: MeetingBody; date: string; papersBy: string };
  outcome?: string;
  doneAt?: string;
  /** The outcomes the owner may choose (this entry's catalogue version; Shared Resource ones only with a provider). */
  allowedOutcomes: AllowedOutcome[];
  /** What the stage waits for now, in words ('' once done or while blocked). */
  expected: string;
  /** What the Party (or SECAS for it) submitted last, if anything. */
  latestSubmission?: LatestSubmission;
}

export interface RoleSummary {
  role: UserRole;
  complete: boolean;
  completedAt?: string;
  /** Projected completion date ('YYYY-MM-DD'), null once complete. */
  forecast: string | null;
  stages: StageSummary[];
}

export interface FollowUp {
  stage: StageId;
  role?: UserRole;
  outcome: string;
  conditions: string;
  evidence: string;
  at: string;
}

export interface EntrySummary {
  entryId: string;
  partyId: string;
  partyName: string;
  cohort: Cohort;
  roles: UserRole[];
  status: EntryStatus;
  /** One line: where the entry stands. */
  headline: string;
  catalogueVersion: string;
  calendarVersion: string;
  uepContact: UepContact;
  sharedResourceProvider?: string;
  mandateDeadline: string | null;
  deadlineVersion: number;
  nextDeadline: { at: string; what: string } | null;
  forecastCompletion: string | null;
  atRisk: boolean;
  inBreach: boolean;
  awaitedBodies: Body[];
  partyStages: StageSummary[];
  roleStages: RoleSummary[];
  followUps: FollowUp[];
  startedAt: string;
  closedAt?: string;
  withdrawnReason?: string;
}

/** A stage as an update's answer shows it: where it stands and who it waits for (the full stage is in the summary). */
export interface StageBrief {
  stage: StageId;
  role?: UserRole;
  owner: Body;
  state: StageState;
  attempts: number;
  awaiting?: Body;
  /** SLA due date of the awaited decision ('YYYY-MM-DD') */
  dueBy?: string;
  outcome?: string;
}

/**
 * What an accepted command answers: what it recorded and what the caller needs to render the
 * change and act next. The entry's full summary is one read (the status query) away.
 */
export interface EntryChange {
  record: AuditRecord;
  /** true when the id was seen before: `record` is the first answer and nothing changed */
  duplicate: boolean;
  status: EntryStatus;
  /** How many audit records the entry holds: grows by one with every recorded change. */
  version: number;
  headline: string;
  awaitedBodies: Body[];
  /** The stage the record names, as it now stands (null for a command on no stage). */
  stage: StageBrief | null;
  /** The stages awaiting someone now. */
  openStages: StageBrief[];
}

/** The answer to a command. A duplicate id gets the first answer's record back, and nothing changes. */
export type CommandOutcome<S, V = unknown> =
  | { ok: true; state: S; view: V; effects: Effects; record: AuditRecord; duplicate: boolean }
  | { ok: false; refusal: Refusal };

/** A new state, its effects, and the view they were read from (for the summary of the same instant). */
export interface Transition<S, V = unknown> {
  state: S;
  view: V;
  effects: Effects;
}
