/**
 * The entry's state: one plain JSON object (no classes, Maps or Dates), so it can cross
 * continue-as-new and queries unchanged. Instants are epoch ms, dates 'YYYY-MM-DD' (UTC).
 */
import type { DurationSettings, StageRef } from './catalogue';
import type { Meeting, MeetingCalendar } from './meetings';
import type { RulesVersion } from './rules';
import type { AuditRecord, FollowUp, UepContact } from './types';
import type { Cohort, EntryStatus, OutcomeEffect, StageId, StageState, UserRole } from './vocabulary';

export interface StageRecord {
  stage: StageId;
  role?: UserRole;
  state: StageState;
  /** 0 while never opened; 1 on the first attempt; +1 on every rework or restart. */
  attempts: number;
  /** Epoch ms the current AWAITING_* state began. */
  sinceMs?: number;
  /** While AWAITING_DECISION: the owner's SLA due date. */
  slaDue?: string;
  /** The effect of the last decision that sent the stage back (REWORK or RESTART). */
  lastEffect?: OutcomeEffect;
  /** The last submission's reference. */
  reference?: string;
  outcome?: string;
  /** Date the stage was done. */
  doneAt?: string;
  /** While AWAITING_DECISION at a meeting (catalogue v2): the meeting it waits for; `slaDue` is its date. */
  meeting?: Meeting;
}

export interface MandateState {
  /** Last permitted day, or null: no mandate. */
  deadline: string | null;
  /** 1 at start, +1 on every amendment. Reminder ids carry it. */
  version: number;
  /** When this deadline version was set: reminders planned before it are not sent. */
  setAtMs: number;
}

export interface EntryState {
  schemaVersion: 1;
  entryId: string;
  partyId: string;
  partyName: string;
  cohort: Cohort;
  roles: UserRole[];
  uepContact: UepContact;
  sharedResourceProvider?: string;
  catalogueVersion: string;
  calendarVersion: string;
  /** The meeting calendar the entry was last given (meetings.ts); absent: none yet. */
  meetings?: MeetingCalendar;
  /** The deployment's settings of the catalogue's assumed durations, fixed at start (catalogue.ts); absent: the defaults. */
  durationSettings?: DurationSettings;
  /** The engine's rules version (domain/rules.ts); absent: version 1. */
  rulesVersion?: RulesVersion;
  reminderOffsetsDays: number[];
  status: EntryStatus;
  startedAtMs: number;
  closedAtMs?: number;
  withdrawnReason?: string;
  mandate: MandateState;
  stages: StageRecord[];
  /** role -> date it completed */
  roleCompletedAt: Partial<Record<UserRole, string>>;
  audit: AuditRecord[];
  /** 'D:<decisionId>' / 'S:<submissionId>' -> what it was and the audit record answering it */
  commandIds: Record<string, { fingerprint: string; seq: number }>;
  /** Every notification id emitted so far: none is ever emitted twice. */
  sentNotificationIds: string[];
  atRisk: boolean;
  /** How many times the at-risk state changed (AT_RISK / BACK_ON_TRACK ids carry it). */
  atRiskChanges: number;
  followUps: FollowUp[];
}

export function sameRef(a: StageRef, b: StageRef): boolean {
  return a.stage === b.stage && (a.role ?? null) === (b.role ?? null);
}

export function findRecord(state: EntryState, ref: StageRef): StageRecord | undefined {
  return state.stages.find((r) => sameRef(r, ref));
}

/** 'UEPT.GAS_SUPPLIER' or 'ACCESSION': the key of a stage instance in ids and text. */
export function refKey(ref: StageRef): string {
  return ref.role ? `${ref.stage}.${ref.role}` : ref.stage;
}

export function refLabel(ref: StageRef): string {
  return ref.role ? `${ref.stage} for ${ref.role}` : ref.stage;
}

export function cloneState(state: EntryState): EntryState {
  return JSON.parse(JSON.stringify(state)) as EntryState;
}
