/**
 * Read-model rules: how the views of entries (an entry's open stages, a body's inbox, the
 * compliance report) read an entry's summary. Pure; the API and the tools call these, never a
 * copy of them.
 */
import { workingDaysBetween } from './calendar';
import type { AuditRecord, EntryChange, EntrySummary, StageBrief, StageSummary } from './types';
import { ENTRY_STATUS, STAGE_STATE, type Body, type StageState } from './vocabulary';
import { isClosedOutsideEngine } from './closed-outside-engine';

/** A stage is open while it awaits someone: the Party's submission or its owner's decision. */
export function isOpenStage(state: StageState): boolean {
  return state === STAGE_STATE.AWAITING_PARTY || state === STAGE_STATE.AWAITING_DECISION;
}

/** Every stage of an entry: party-level first, then each role's. */
export function stagesOf(summary: Pick<EntrySummary, 'partyStages' | 'roleStages'>): StageSummary[] {
  return [...summary.partyStages, ...summary.roleStages.flatMap((r) => r.stages)];
}

/** The stages awaiting someone now (none once the entry is closed). */
export function openStagesOf(summary: Pick<EntrySummary, 'partyStages' | 'roleStages'>): StageSummary[] {
  return stagesOf(summary).filter((s) => isOpenStage(s.state) && s.awaiting !== undefined);
}

function briefOf(s: StageSummary): StageBrief {
  return {
    stage: s.stage,
    ...(s.role ? { role: s.role } : {}),
    owner: s.owner,
    state: s.state,
    attempts: s.attempts,
    ...(s.awaiting ? { awaiting: s.awaiting } : {}),
    ...(s.dueBy ? { dueBy: s.dueBy } : {}),
    ...(s.outcome ? { outcome: s.outcome } : {}),
  };
}

/** An accepted command's answer, read from the entry's summary at the same instant. */
export function entryChangeOf(summary: EntrySummary, record: AuditRecord, duplicate: boolean, version: number): EntryChange {
  const stages = stagesOf(summary);
  const named = record.stage === undefined ? undefined : stages.find((s) => s.stage === record.stage && s.role === record.role);
  return {
    record,
    duplicate,
    status: summary.status,
    version,
    headline: summary.headline,
    awaitedBodies: summary.awaitedBodies,
    stage: named ? briefOf(named) : null,
    openStages: openStagesOf(summary).map(briefOf),
  };
}

/** One line of a body's inbox: a stage that body is awaited on. */
export interface InboxEntry {
  partyId: string;
  partyName: string;
  stage: StageSummary['stage'];
  role?: StageSummary['role'];
  title: string;
  awaiting: Body;
  state: StageState;
  awaitingSince: string | null;
  dueBy: string | null;
  /** The meeting the awaited decision is taken at (catalogue v2). */
  meeting?: StageSummary['meeting'];
  /** The due date has passed (`today` is after it). */
  overdue: boolean;
  /** Working days from `today` to the due date (negative: overdue). */
  workingDaysLeft: number | null;
  mandateDeadline: string | null;
  atRisk: boolean;
  inBreach: boolean;
  allowedOutcomes: StageSummary['allowedOutcomes'];
  expected: string;
  latestSubmission?: StageSummary['latestSubmission'];
}

/** What a body's inbox reads of an entry's summary (the record keeps the same lines rendered: record/derived.ts). */
export type InboxSource = Pick<EntrySummary, 'partyId' | 'partyName' | 'calendarVersion' | 'mandateDeadline' | 'atRisk' | 'inBreach' | 'partyStages' | 'roleStages'>;

/** What an inbox line holds that only a transition changes (the record keeps it per open stage). */
export type InboxLine = Omit<InboxEntry, 'overdue' | 'workingDaysLeft' | 'atRisk' | 'inBreach'>;

/** The entry's open stages awaiting `body` (null: awaiting anyone) as inbox lines. */
export function inboxLinesOf(summary: Pick<EntrySummary, 'partyId' | 'partyName' | 'mandateDeadline' | 'partyStages' | 'roleStages'>, body: Body | null): InboxLine[] {
  return openStagesOf(summary)
    .filter((s) => body === null || s.awaiting === body)
    .map((s) => ({
      partyId: summary.partyId,
      partyName: summary.partyName,
      stage: s.stage,
      ...(s.role ? { role: s.role } : {}),
      title: s.title,
      awaiting: s.awaiting as Body,
      state: s.state,
      awaitingSince: s.awaitingSince ?? null,
      dueBy: s.dueBy ?? null,
      ...(s.meeting ? { meeting: s.meeting } : {}),
      mandateDeadline: summary.mandateDeadline,
      allowedOutcomes: s.allowedOutcomes,
      expected: s.expected,
      ...(s.latestSubmission ? { latestSubmission: s.latestSubmission } : {}),
    }));
}

/** What time moves in an inbox line, as of `today`. */
export function inboxTimingOf(dueBy: string | null, today: string, calendarVersion: string): Pick<InboxEntry, 'overdue' | 'workingDaysLeft'> {
  return {
    overdue: dueBy !== null && dueBy < today,
    workingDaysLeft: dueBy === null ? null : workingDaysBetween(today, dueBy, calendarVersion),
  };
}

/** The inbox's order: the earliest due first (none last), then the longest waiting, then by party. */
export function inboxOrder(a: Pick<InboxEntry, 'dueBy' | 'awaitingSince' | 'partyId'>, b: Pick<InboxEntry, 'dueBy' | 'awaitingSince' | 'partyId'>): number {
  return (
    (a.dueBy ?? '9999-12-31').localeCompare(b.dueBy ?? '9999-12-31') ||
    (a.awaitingSince ?? '').localeCompare(b.awaitingSince ?? '') ||
    a.partyId.localeCompare(b.partyId)
  );
}

/** A body's inbox over entries' summaries (`body` null: every body's), in the inbox's order. */
export function inboxOf(summaries: readonly InboxSource[], body: Body | null, today: string): InboxEntry[] {
  const items = summaries.flatMap((summary) =>
    inboxLinesOf(summary, body).map(
      (line): InboxEntry => ({ ...line, ...inboxTimingOf(line.dueBy, today, summary.calendarVersion), atRisk: summary.atRisk, inBreach: summary.inBreach }),
    ),
  );
  return items.sort(inboxOrder);
}

/** Where an entry stands against its mandate deadline, in the compliance report. */
export const COMPLIANCE = {
  COMPLETE_ON_TIME: 'COMPLETE_ON_TIME',
  COMPLETE_LATE: 'COMPLETE_LATE',
  ON_TRACK: 'ON_TRACK',
  AT_RISK: 'AT_RISK',
  IN_BREACH: 'IN_BREACH',
  NO_MANDATE: 'NO_MANDATE',
  WITHDRAWN: 'WITHDRAWN',
  /** Temporal closed the run behind the engine's back (see the entry's audit trail). */
  CLOSED_OUTSIDE_ENGINE: 'CLOSED_OUTSIDE_ENGINE',
} as const;
export type Compliance = (typeof COMPLIANCE)[keyof typeof COMPLIANCE];

export type ComplianceFacts = Pick<EntrySummary, 'status' | 'mandateDeadline' | 'closedAt' | 'inBreach' | 'atRisk'>;

/** Withdrawn, closed outside the engine, no mandate, complete on time or late (by the completion date), in breach, at risk, or on track. */
export function complianceOf(s: ComplianceFacts): Compliance {
  if (s.status === ENTRY_STATUS.WITHDRAWN) return COMPLIANCE.WITHDRAWN;
  if (isClosedOutsideEngine(s.status)) return COMPLIANCE.CLOSED_OUTSIDE_ENGINE;
  if (s.mandateDeadline === null) return COMPLIANCE.NO_MANDATE;
  if (s.status === ENTRY_STATUS.COMPLETE) {
    const completed = (s.closedAt ?? '').slice(0, 10);
    return completed !== '' && completed <= s.mandateDeadline ? COMPLIANCE.COMPLETE_ON_TIME : COMPLIANCE.COMPLETE_LATE;
  }
  if (s.inBreach) return COMPLIANCE.IN_BREACH;
  return s.atRisk ? COMPLIANCE.AT_RISK : COMPLIANCE.ON_TRACK;
}

/** What a compliance row holds that only a transition changes (the record keeps it per entry). */
export type ComplianceLine = Pick<EntrySummary, 'partyId' | 'partyName' | 'cohort' | 'roles' | 'mandateDeadline'> & { rolesComplete: number };

export function complianceLineOf(summary: Pick<EntrySummary, 'partyId' | 'partyName' | 'cohort' | 'roles' | 'mandateDeadline' | 'roleStages'>): ComplianceLine {
  return {
    partyId: summary.partyId,
    partyName: summary.partyName,
    cohort: summary.cohort,
    roles: summary.roles,
    rolesComplete: summary.roleStages.filter((r) => r.complete).length,
    mandateDeadline: summary.mandateDeadline,
  };
}

/** The report's order: the earliest mandate deadline first (none last), then by party. */
export function byMandateDeadline(a: { mandateDeadline: string | null; partyId: string }, b: { mandateDeadline: string | null; partyId: string }): number {
  return (a.mandateDeadline ?? '9999').localeCompare(b.mandateDeadline ?? '9999') || a.partyId.localeCompare(b.partyId);
}

/** How many rows of each compliance, every compliance listed (0 when none). */
export function complianceTotals(rows: readonly { compliance: Compliance }[]): Record<Compliance, number> {
  const totals = Object.fromEntries(Object.values(COMPLIANCE).map((c) => [c, 0])) as Record<Compliance, number>;
  for (const row of rows) totals[row.compliance] += 1;
  return totals;
}
