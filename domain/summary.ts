/**
 * Read-only views of an entry: the search attribute values (the ops view), the status summary
 * with its one-line headline, and the audit trail.
 * Dates shown as instants (mandateDeadline, nextDeadline) are 00:00 UTC of that date.
 */
import { meetingPhrase } from './meetings';
import { dependenciesOf, getCatalogue, outcomesFor, stageDef, type OutcomeDef, type StageDef } from './catalogue';
import { dateToMs, daysBetween, toDate, toIso } from './dates';
import { entryView, roleForecast, type EntryView } from './entry-view';
import { awaitingPhrase, pendingRoles } from './notifications';
import { BREACH_REMINDER_INTERVAL_DAYS, breachInstant, breachReminderInstant, decisionChasers } from './reminders';
import { RULES_VERSION, rulesAtLeast } from './rules';
import { isOpenStage } from './read-model';
import { findRecord, refKey, type EntryState, type StageRecord } from './state';
import { AUDIT_ACTION, type AuditRecord, type EntrySearchAttributes, type EntrySummary, type LatestSubmission, type StageSummary } from './types';
import { capitalised, namingOf, type Naming } from './wording';
import { ALL_BODIES, ALL_STAGES, BODY, ENTRY_STATUS, STAGE_STATE, type Body, type StageId } from './vocabulary';

const isOpen = (r: StageRecord): boolean => isOpenStage(r.state);

function openRecords(state: EntryState): StageRecord[] {
  return state.status === ENTRY_STATUS.IN_PROGRESS ? state.stages.filter(isOpen) : [];
}

function awaitedBody(state: EntryState, r: StageRecord): Body {
  return r.state === STAGE_STATE.AWAITING_PARTY ? BODY.PARTY : stageDef(getCatalogue(state.catalogueVersion), r.stage).owner;
}

export function awaitedBodies(state: EntryState): Body[] {
  const bodies = new Set(openRecords(state).map((r) => awaitedBody(state, r)));
  return ALL_BODIES.filter((b) => bodies.has(b));
}

export function openStages(state: EntryState): StageId[] {
  const stages = new Set(openRecords(state).map((r) => r.stage));
  return ALL_STAGES.filter((s) => stages.has(s));
}

export function inBreach(state: EntryState, now: number): boolean {
  const deadline = state.mandate.deadline;
  return state.status === ENTRY_STATUS.IN_PROGRESS && deadline !== null && now >= breachInstant(deadline);
}

function dateInstant(date: string): string {
  return toIso(dateToMs(date));
}

/**
 * The earliest outstanding deadline: an awaited decision's SLA due date or the mandate deadline
 * (either may already have passed: then it is overdue). Null when closed or none. Rules version 1.
 */
function earliestOutstandingDeadline(state: EntryState): { date: string; what: string } | null {
  const candidates: { date: string; what: string }[] = [];
  const catalogue = getCatalogue(state.catalogueVersion);
  for (const r of openRecords(state)) {
    if (r.state === STAGE_STATE.AWAITING_DECISION && r.slaDue) {
      candidates.push({ date: r.slaDue, what: decisionWhat(namingOf(state), stageDef(catalogue, r.stage).owner, r) });
    }
  }
  if (state.mandate.deadline !== null) candidates.push({ date: state.mandate.deadline, what: 'DCC User mandate deadline' });
  return earliest(candidates);
}

function earliest(candidates: { date: string; what: string }[]): { date: string; what: string } | null {
  candidates.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return candidates[0] ?? null;
}

/** 'DCC decision on USER_ID for GAS_SUPPLIER', from rules version 7 'the DCC's decision on User ID acceptance for Gas Supplier'. */
function decisionWhat(n: Naming, owner: Body, r: StageRecord): string {
  return `${n.inWords ? `${n.body(owner)}'s` : owner} decision on ${n.stage(r)}`;
}

/**
 * The next thing due, never a date already passed (rules version 2): the mandate deadline until
 * it passes, then the next weekly breach reminder; each awaited decision's SLA due date until it
 * passes, then the day it is twice over its SLA (OPS is told then). Null when closed or none.
 */
function nextThingDue(state: EntryState, now: number): { date: string; what: string } | null {
  const today = toDate(now);
  const candidates: { date: string; what: string }[] = [];
  const catalogue = getCatalogue(state.catalogueVersion);
  for (const r of openRecords(state)) {
    if (r.state !== STAGE_STATE.AWAITING_DECISION || !r.slaDue || r.sinceMs === undefined) continue;
    const def = stageDef(catalogue, r.stage);
    const decision = decisionWhat(namingOf(state), def.owner, r);
    if (r.slaDue >= today) {
      candidates.push({ date: r.slaDue, what: decision });
      continue;
    }
    const twice = decisionChasers(state, r, def, r.sinceMs).escalation.due;
    if (twice >= today) candidates.push({ date: twice, what: `${decision}, twice over its response target` });
  }
  const deadline = state.mandate.deadline;
  if (deadline !== null && deadline >= today) candidates.push({ date: deadline, what: 'DCC User mandate deadline' });
  if (deadline !== null && inBreach(state, now)) {
    const breachDate = toDate(Math.max(breachInstant(deadline), state.mandate.setAtMs));
    const elapsedWeeks = Math.floor(daysBetween(breachDate, today) / BREACH_REMINDER_INTERVAL_DAYS);
    let week = Math.max(1, elapsedWeeks - 1); // a reminder moved to a working day may fall a few days late
    while (breachReminderInstant(state, breachDate, week) <= now) week++;
    candidates.push({ date: toDate(breachReminderInstant(state, breachDate, week)), what: `weekly breach reminder (week ${week})` });
  }
  return earliest(candidates);
}

/** The entry's next deadline as the ops view shows it (domain/rules.ts: it changed in version 2). */
export function nextDeadline(state: EntryState, now: number): { date: string; what: string } | null {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) return null;
  return rulesAtLeast(state, RULES_VERSION.V2) ? nextThingDue(state, now) : earliestOutstandingDeadline(state);
}

export function searchAttributesOf(state: EntryState, now: number, view: EntryView = entryView(state, now)): EntrySearchAttributes {
  const next = nextDeadline(state, now);
  return {
    partyId: state.partyId,
    partyName: state.partyName,
    cohort: state.cohort,
    roles: [...state.roles],
    status: state.status,
    awaitedBodies: awaitedBodies(state),
    openStages: openStages(state),
    mandateDeadline: state.mandate.deadline === null ? null : dateInstant(state.mandate.deadline),
    nextDeadline: next ? dateInstant(next.date) : null,
    atRisk: view.atRisk,
    inBreach: view.inBreach,
  };
}

/** The latest submission on each stage instance, by refKey. */
function latestSubmissions(state: EntryState): Map<string, LatestSubmission> {
  const latest = new Map<string, LatestSubmission>();
  for (const a of state.audit) {
    if (a.action !== AUDIT_ACTION.SUBMISSION || a.stage === undefined || a.reference === undefined) continue;
    const key = refKey(a.role ? { stage: a.stage, role: a.role } : { stage: a.stage });
    latest.set(key, { submissionId: a.id ?? '', reference: a.reference, at: a.at, ...(a.comment !== undefined ? { comment: a.comment } : {}) });
  }
  return latest;
}

/** What the stage waits for now, in words. */
function expectedOf(state: EntryState, r: StageRecord, def: StageDef, outcomes: readonly OutcomeDef[]): string {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) return '';
  const n = namingOf(state);
  const owner = capitalised(n.body(def.owner));
  const names = outcomes.map((o) => n.outcome(o.outcome));
  const last = names.pop();
  const choices = n.inWords && names.length > 0 ? `${names.join(', ')} or ${last}` : [...names, last].join(', ');
  switch (r.state) {
    case STAGE_STATE.AWAITING_PARTY:
      return `The Party submits ${def.submission ?? 'what the stage needs'}${r.attempts > 1 ? ' again' : ''}`;
    case STAGE_STATE.AWAITING_DECISION:
      if (r.meeting) return `${owner} decides at the ${meetingPhrase(r.meeting)}: ${choices}`;
      return `${owner} decides: ${choices}${r.slaDue ? ` (due ${n.date(r.slaDue)})` : ''}`;
    case STAGE_STATE.BLOCKED: {
      const waiting = dependenciesOf(getCatalogue(state.catalogueVersion), r)
        .filter((d) => findRecord(state, d)?.state !== STAGE_STATE.DONE)
        .map((d) => n.stage(d));
      return waiting.length > 0 ? `Starts when ${waiting.join(', ')} ${waiting.length === 1 ? 'is' : 'are'} done` : '';
    }
    default:
      return '';
  }
}

function stageSummary(state: EntryState, r: StageRecord, submissions: Map<string, LatestSubmission>): StageSummary {
  const def = stageDef(getCatalogue(state.catalogueVersion), r.stage);
  const outcomes = outcomesFor(def, state.sharedResourceProvider !== undefined);
  const s: StageSummary = {
    stage: r.stage,
    title: def.title,
    secRef: def.secRef,
    owner: def.owner,
    state: r.state,
    attempts: r.attempts,
    allowedOutcomes: outcomes.map((o) => ({ outcome: o.outcome, effect: o.effect, followUp: o.followUp === true, ...(o.needsReason ? { needsReason: true } : {}) })),
    expected: expectedOf(state, r, def, outcomes),
  };
  const latest = submissions.get(refKey(r));
  if (latest) s.latestSubmission = latest;
  if (r.role) s.role = r.role;
  if (isOpen(r) && state.status === ENTRY_STATUS.IN_PROGRESS) {
    s.awaiting = awaitedBody(state, r);
    if (r.sinceMs !== undefined) s.awaitingSince = toIso(r.sinceMs);
    if (r.state === STAGE_STATE.AWAITING_DECISION && r.slaDue) s.dueBy = r.slaDue;
    if (r.state === STAGE_STATE.AWAITING_DECISION && r.meeting) s.meeting = { body: r.meeting.body, date: r.meeting.date, papersBy: r.meeting.papersBy };
  }
  if (r.outcome !== undefined) s.outcome = r.outcome;
  if (r.doneAt !== undefined) s.doneAt = r.doneAt;
  return s;
}

/** The one thing most worth saying about who is awaited: the earliest-due decision, else the Party. */
function awaitingHeadline(state: EntryState): string {
  const open = openRecords(state);
  const decisions = open
    .filter((r) => r.state === STAGE_STATE.AWAITING_DECISION)
    .sort((a, b) => ((a.slaDue ?? '') < (b.slaDue ?? '') ? -1 : (a.slaDue ?? '') > (b.slaDue ?? '') ? 1 : 0));
  const first = decisions[0] ?? open[0];
  if (!first) return 'nothing awaited';
  const more = open.length - 1;
  return `awaiting ${awaitingPhrase(state, first)}${more > 0 ? ` (+${more} more open)` : ''}`;
}

export function headline(state: EntryState, now: number, view: EntryView = entryView(state, now)): string {
  const name = state.partyName;
  const n = namingOf(state);
  if (state.status === ENTRY_STATUS.WITHDRAWN) {
    return `${name}: withdrawn on ${n.date(toDate(state.closedAtMs ?? now))} (${state.withdrawnReason ?? 'no reason given'})`;
  }
  if (state.status === ENTRY_STATUS.COMPLETE) {
    return `${name}: UEP complete for all ${state.roles.length} role${state.roles.length === 1 ? '' : 's'} on ${n.date(toDate(state.closedAtMs ?? now))}`;
  }
  const parts = [
    `${name}: ${pendingRoles(state).length}/${state.roles.length} roles pending`,
    awaitingHeadline(state),
    `forecast ${view.forecast ? n.date(view.forecast) : 'n/a'}`,
    `mandate ${state.mandate.deadline ? n.date(state.mandate.deadline) : 'none'}`,
  ];
  if (view.inBreach) parts.push('IN BREACH');
  else if (view.atRisk) parts.push('AT RISK');
  return parts.join('; ');
}

/** The entry as it stands; `view` is the transition's own when the caller has it. */
export function summarise(state: EntryState, now: number, view: EntryView = entryView(state, now)): EntrySummary {
  const next = nextDeadline(state, now);
  const submissions = latestSubmissions(state);
  const summary: EntrySummary = {
    entryId: state.entryId,
    partyId: state.partyId,
    partyName: state.partyName,
    cohort: state.cohort,
    roles: [...state.roles],
    status: state.status,
    headline: headline(state, now, view),
    catalogueVersion: state.catalogueVersion,
    calendarVersion: state.calendarVersion,
    uepContact: { ...state.uepContact },
    mandateDeadline: state.mandate.deadline,
    deadlineVersion: state.mandate.version,
    nextDeadline: next ? { at: dateInstant(next.date), what: next.what } : null,
    forecastCompletion: view.forecast,
    atRisk: view.atRisk,
    inBreach: view.inBreach,
    awaitedBodies: awaitedBodies(state),
    partyStages: state.stages.filter((r) => !r.role).map((r) => stageSummary(state, r, submissions)),
    roleStages: state.roles.map((role) => {
      const completedAt = state.roleCompletedAt[role];
      return {
        role,
        complete: completedAt !== undefined,
        ...(completedAt !== undefined ? { completedAt } : {}),
        forecast: roleForecast(view, role),
        stages: state.stages.filter((r) => r.role === role).map((r) => stageSummary(state, r, submissions)),
      };
    }),
    followUps: state.followUps.map((f) => ({ ...f })),
    startedAt: toIso(state.startedAtMs),
  };
  if (state.sharedResourceProvider !== undefined) summary.sharedResourceProvider = state.sharedResourceProvider;
  if (state.closedAtMs !== undefined) summary.closedAt = toIso(state.closedAtMs);
  if (state.withdrawnReason !== undefined) summary.withdrawnReason = state.withdrawnReason;
  return summary;
}

/** Every accepted action, oldest first. */
export function auditTrail(state: EntryState): AuditRecord[] {
  return state.audit.map((r) => ({ ...r }));
}
