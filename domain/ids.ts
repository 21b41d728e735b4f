/**
 * Every id the domain derives, in one place. Notification ids are stable and unique:
 * `<entryId>:<KIND>:<key>[:v<deadline version>]`, e.g. `uep-P1:MANDATE_REMINDER:d30:v1`,
 * `uep-P1:SLA_REMINDER:UEPT.GAS_SUPPLIER:a2` (a = the stage's attempt), `uep-P1:AT_RISK:c1`
 * (c = the n-th change of the at-risk state), `uep-P1:BREACH_REMINDER:w3:v1` (third week),
 * `uep-P1:SUBMISSION_DUE:s7` (s = the audit record of the act that made it due),
 * `uep-P1:DECISION_DUE:CREDIT_COVER:a1` (the attempt now awaiting the owner's decision).
 */
import { NOTIFICATION_KIND } from './types';
import type { UserRole } from './vocabulary';

/** The workflow id of a Party's entry: one entry per Party. */
export function entryIdFor(partyId: string): string {
  return `uep-${partyId}`;
}

export const notificationIds = {
  mandateReminder: (entryId: string, offsetDays: number, version: number) =>
    `${entryId}:${NOTIFICATION_KIND.MANDATE_REMINDER}:d${offsetDays}:v${version}`,
  mandateBreach: (entryId: string, version: number) => `${entryId}:${NOTIFICATION_KIND.MANDATE_BREACH}:v${version}`,
  /** The Party's own breach notice (rules version 4). */
  partyBreach: (entryId: string, version: number) => `${entryId}:${NOTIFICATION_KIND.MANDATE_BREACH}:party:v${version}`,
  breachReminder: (entryId: string, week: number, version: number) =>
    `${entryId}:${NOTIFICATION_KIND.BREACH_REMINDER}:w${week}:v${version}`,
  slaReminder: (entryId: string, key: string, attempt: number) => `${entryId}:${NOTIFICATION_KIND.SLA_REMINDER}:${key}:a${attempt}`,
  slaEscalation: (entryId: string, key: string, attempt: number) => `${entryId}:${NOTIFICATION_KIND.SLA_ESCALATION}:${key}:a${attempt}`,
  atRisk: (entryId: string, change: number) => `${entryId}:${NOTIFICATION_KIND.AT_RISK}:c${change}`,
  backOnTrack: (entryId: string, change: number) => `${entryId}:${NOTIFICATION_KIND.BACK_ON_TRACK}:c${change}`,
  roleComplete: (entryId: string, role: UserRole) => `${entryId}:${NOTIFICATION_KIND.ROLE_COMPLETE}:${role}`,
  deadlineAmended: (entryId: string, version: number) => `${entryId}:${NOTIFICATION_KIND.DEADLINE_AMENDED}:v${version}`,
  entryWithdrawn: (entryId: string) => `${entryId}:${NOTIFICATION_KIND.ENTRY_WITHDRAWN}`,
  entryStarted: (entryId: string) => `${entryId}:${NOTIFICATION_KIND.ENTRY_STARTED}`,
  /** `seq`: the audit record of the act that made the submissions due. */
  submissionDue: (entryId: string, seq: number) => `${entryId}:${NOTIFICATION_KIND.SUBMISSION_DUE}:s${seq}`,
  /** `attempt`: the attempt the decision was on. */
  decisionNeedsAction: (entryId: string, key: string, attempt: number) => `${entryId}:${NOTIFICATION_KIND.DECISION_NEEDS_ACTION}:${key}:a${attempt}`,
  /** `attempt`: the stage's attempt now awaiting its owner's decision (one notice per attempt). */
  decisionDue: (entryId: string, key: string, attempt: number) => `${entryId}:${NOTIFICATION_KIND.DECISION_DUE}:${key}:a${attempt}`,
  /** `version`: the meeting calendar version that moved the stage's meeting. */
  meetingMoved: (entryId: string, key: string, version: number) => `${entryId}:${NOTIFICATION_KIND.MEETING_MOVED}:${key}:m${version}`,
  /** `runId`: the run Temporal closed (one notice per run, however many passes find it). */
  closedOutsideEngine: (entryId: string, runId: string) => `${entryId}:${NOTIFICATION_KIND.ENTRY_CLOSED_OUTSIDE_ENGINE}:${runId}`,
  /** `runId`: the run a reset created (one notice per reset, whoever finds it first). */
  runReset: (entryId: string, runId: string) => `${entryId}:${NOTIFICATION_KIND.ENTRY_RUN_RESET}:${runId}`,
};
