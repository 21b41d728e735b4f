/**
 * Every notification the engine sends, one builder per kind: who receives it, its subject and its
 * body (docs/domain.md, "Notifications"). The machine decides when; this module decides what is
 * said and to whom. Delivery belongs to activities/.
 * Recipients: PARTY_CONTACT is the entry's UEP contact; BODY recipients are the bodies' desks.
 */
import { workingDaysBetween } from './calendar';
import { DURATION, dependenciesOf, durationBasis, getCatalogue, slaOf, stageDef, type StageDef } from './catalogue';
import { DAY_MS, daysBetween, toDate, toIso } from './dates';
import { notificationIds } from './ids';
import { dayInWords, meetingFor, meetingPhrase, type Meeting } from './meetings';
import { isOpenStage } from './read-model';
import { RULES_VERSION, rulesAtLeast } from './rules';
import { bodyInWords, capitalised, namingOf, roleInWords, type Naming } from './wording';
import { findRecord, refKey, refLabel, type EntryState, type StageRecord } from './state';
import { AUDIT_ACTION, NOTIFICATION_KIND, type AuditRecord, type Notification, type NotificationKind, type Recipient } from './types';
import { BODY, ENTRY_STATUS, OUTCOME_EFFECT, STAGE_STATE, type Body, type OutcomeEffect, type UserRole } from './vocabulary';

export function partyContact(state: EntryState): Recipient {
  return { kind: 'PARTY_CONTACT', name: state.uepContact.name, email: state.uepContact.email };
}

export function bodyRecipient(body: Body): Recipient {
  return { kind: 'BODY', body };
}

/** Roles still pending, e.g. 'GAS_SUPPLIER, IMPORT_SUPPLIER'. */
export function pendingRoles(state: EntryState): UserRole[] {
  return state.roles.filter((r) => state.roleCompletedAt[r] === undefined);
}

export { roleInWords };

/** 'DCC decision' (codes) or 'the DCC's decision' (words). */
function decisionOf(n: Naming, owner: Body): string {
  return n.inWords ? `${n.body(owner)}'s decision` : `${owner} decision`;
}

/**
 * A stage as a notice names it, with `extra` in its brackets: 'Credit Cover (CREDIT_COVER, SEC x)'
 * in codes; 'Credit Cover (SEC x)' and 'UEP Testing for Gas Supplier' in words.
 */
function stageNamed(n: Naming, def: StageDef, record: StageRecord, extra?: string): string {
  if (n.inWords) return `${n.stage(record)}${extra ? ` (${extra})` : ''}`;
  return `${def.title} (${refLabel(record)}${extra ? `, ${extra}` : ''})`;
}

/**
 * Who is awaited on what: 'DCC (UEPT for GAS_SUPPLIER, due 2026-12-04)'; from rules version 7
 * 'the DCC (User Entry Process Tests for Gas Supplier, due 4 Dec 2026)'.
 */
export function awaitingPhrase(state: EntryState, record: StageRecord): string {
  const catalogue = getCatalogue(state.catalogueVersion);
  const def = stageDef(catalogue, record.stage);
  const n = namingOf(state);
  if (record.state === STAGE_STATE.AWAITING_PARTY) return `${n.body(BODY.PARTY)} (${n.stage(record)}: ${def.submission ?? 'a submission'})`;
  if (record.meeting) return `${n.body(def.owner)} (${n.stage(record)}, ${meetingPhrase(record.meeting)})`;
  return `${n.body(def.owner)} (${n.stage(record)}, due ${record.slaDue ? n.date(record.slaDue) : '?'})`;
}

function awaitingSentence(state: EntryState): string {
  const open = state.stages.filter((s) => isOpenStage(s.state));
  if (open.length === 0) return 'Nothing is awaited at the moment.';
  return `Awaiting: ${open.map((s) => awaitingPhrase(state, s)).join('; ')}.`;
}

function pendingSummary(state: EntryState): string {
  const pending = pendingRoles(state);
  return `${pending.length} of ${state.roles.length} roles pending (${namingOf(state).roles(pending)}).`;
}

interface NotificationFields {
  id: string;
  kind: NotificationKind;
  recipients: Recipient[];
  dueAtMs: number;
  subject: string;
  body: string;
  stage?: Notification['stage'];
  role?: Notification['role'];
  awaitedBody?: Body;
  reference?: string;
  /** The date the notification is about; days left are counted from the due date to it. */
  deadline?: string;
}

function makeNotification(state: EntryState, f: NotificationFields): Notification {
  const n: Notification = {
    id: f.id,
    kind: f.kind,
    entryId: state.entryId,
    partyId: state.partyId,
    partyName: state.partyName,
    recipients: f.recipients,
    dueAt: toIso(f.dueAtMs),
    subject: f.subject,
    body: f.body,
  };
  if (f.stage !== undefined) n.stage = f.stage;
  if (f.role !== undefined) n.role = f.role;
  if (f.awaitedBody !== undefined) n.awaitedBody = f.awaitedBody;
  if (f.reference !== undefined) n.reference = f.reference;
  if (f.deadline !== undefined) {
    const from = toDate(f.dueAtMs);
    n.deadline = f.deadline;
    n.calendarDaysLeft = daysBetween(from, f.deadline);
    n.workingDaysLeft = workingDaysBetween(from, f.deadline, state.calendarVersion);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Deadlines: reminders before, breach after

/** `days` before the mandate deadline: to the Party and SECAS. */
export function mandateReminder(state: EntryState, deadline: string, days: number, atMs: number): Notification {
  const day = namingOf(state).date(deadline);
  return makeNotification(state, {
    id: notificationIds.mandateReminder(state.entryId, days, state.mandate.version),
    kind: NOTIFICATION_KIND.MANDATE_REMINDER,
    recipients: [partyContact(state), bodyRecipient(BODY.SECAS)],
    dueAtMs: atMs,
    subject: `${state.partyName}: ${days} day${days === 1 ? '' : 's'} to the DCC User mandate deadline (${day})`,
    body: `The DCC User mandate deadline is ${day}. ${pendingSummary(state)} ${awaitingSentence(state)}`,
    deadline,
  });
}

/** The mandate deadline passed with roles incomplete: to SECAS and OPS. */
export function mandateBreach(state: EntryState, deadline: string, atMs: number): Notification {
  const day = namingOf(state).date(deadline);
  return makeNotification(state, {
    id: notificationIds.mandateBreach(state.entryId, state.mandate.version),
    kind: NOTIFICATION_KIND.MANDATE_BREACH,
    recipients: [bodyRecipient(BODY.SECAS), bodyRecipient(BODY.OPS)],
    dueAtMs: atMs,
    subject: `${state.partyName}: DCC User mandate deadline ${day} passed with roles incomplete`,
    body: `The mandate deadline ${day} has passed. ${pendingSummary(state)} ${awaitingSentence(state)}`,
    deadline,
  });
}

/**
 * The mandate deadline passed with roles incomplete (or had passed when the entry started): to the
 * Party, written for it (rules version 4): what the breach means and what it can do now.
 */
export function partyBreach(state: EntryState, deadline: string, atMs: number): Notification {
  const pending = pendingRoles(state);
  const due = awaitingParty(state);
  const n = namingOf(state);
  const day = n.date(deadline);
  const atStart = state.mandate.version === 1 && atMs === state.startedAtMs;
  const passed = atStart ? 'had already passed when your User Entry Process started' : 'has passed';
  const next =
    due.length > 0
      ? `What you can do now, in the console: submit ${due.map((s) => submissionItem(state, s)).join('; ')}.`
      : 'Nothing is awaited from you at the moment; you will be told as soon as it is your turn.';
  return makeNotification(state, {
    id: notificationIds.partyBreach(state.entryId, state.mandate.version),
    kind: NOTIFICATION_KIND.MANDATE_BREACH,
    recipients: [partyContact(state)],
    dueAtMs: atMs,
    subject: `${state.partyName}: your DCC User mandate deadline (${day}) has passed`,
    body:
      `Your DCC User mandate deadline, ${day}, ${passed}, with ${pending.length} of ${state.roles.length} role${state.roles.length === 1 ? '' : 's'} ` +
      `still to complete (${n.roles(pending)}). You are in breach of the mandate until every role you seek is complete, or SECAS agrees a new deadline; ` +
      `SECAS and UEP operations have been told. ${next}`,
    deadline,
  });
}

/** Week `week` of the breach (the breach itself began at `breachAtMs`): to SECAS and OPS. */
export function breachReminder(state: EntryState, deadline: string, week: number, atMs: number, breachAtMs: number): Notification {
  const day = namingOf(state).date(deadline);
  return makeNotification(state, {
    id: notificationIds.breachReminder(state.entryId, week, state.mandate.version),
    kind: NOTIFICATION_KIND.BREACH_REMINDER,
    recipients: [bodyRecipient(BODY.SECAS), bodyRecipient(BODY.OPS)],
    dueAtMs: atMs,
    subject: `${state.partyName}: still in breach of the DCC User mandate (deadline ${day}, week ${week})`,
    body: `The mandate deadline ${day} passed ${Math.round((atMs - breachAtMs) / DAY_MS)} days ago. ${pendingSummary(state)} ${awaitingSentence(state)}`,
    deadline,
  });
}

// ---------------------------------------------------------------------------------------------
// A decision overdue

/** When a decision awaited since `sinceMs` fell due (`due`) and when twice its SLA fell due. */
export interface SlaDates {
  sinceMs: number;
  due: string;
  twiceDue: string;
}

type OverdueKind = typeof NOTIFICATION_KIND.SLA_REMINDER | typeof NOTIFICATION_KIND.SLA_ESCALATION;

/** What the two overdue-decision kinds share: the stage, the awaited owner, the attempt's id. */
function overdueDecision(state: EntryState, record: StageRecord, def: StageDef, kind: OverdueKind, atMs: number, text: { subject: string; body: string; deadline: string }): Notification {
  const escalation = kind === NOTIFICATION_KIND.SLA_ESCALATION;
  const idOf = escalation ? notificationIds.slaEscalation : notificationIds.slaReminder;
  const recipients = [bodyRecipient(escalation ? BODY.OPS : def.owner)];
  return makeNotification(state, { stage: record.stage, role: record.role, awaitedBody: def.owner, id: idOf(state.entryId, refKey(record), record.attempts), kind, recipients, dueAtMs: atMs, ...text });
}

/**
 * A body's time for a decision, as a chaser may name it: the source's words when one gives it;
 * otherwise this deployment's service level, never a target the SEC sets (it sets none).
 */
export function responseTime(state: EntryState, def: StageDef): { sourced: boolean; words: string; short: string } {
  const days = slaOf(def, state.durationSettings);
  const basis = durationBasis(def, DURATION.SLA);
  return basis.kind === 'SOURCED'
    ? { sourced: true, words: `${days} working days (${basis.source})`, short: `${days} working days (${basis.source})` }
    : { sourced: false, words: `${days} working days, this deployment's service level (the SEC sets no time for it)`, short: `${days} working days (this deployment's service level)` };
}

/** The owner's decision is past its response time: to the owner. */
export function slaReminder(state: EntryState, record: StageRecord, def: StageDef, sla: SlaDates, atMs: number): Notification {
  const time = responseTime(state, def);
  const n = namingOf(state);
  const subject = `${state.partyName}: ${decisionOf(n, def.owner)} on ${n.stage(record)} ${time.sourced ? 'was expected by' : "is past this deployment's service level,"} ${n.date(sla.due)}`;
  const body = `${capitalised(n.body(def.owner))}'s decision on ${stageNamed(n, def, record, `SEC ${def.secRef}`)} has been awaited since ${n.date(toDate(sla.sinceMs))}; the time for it, ${time.words}, ran to ${n.date(sla.due)}.`;
  return overdueDecision(state, record, def, NOTIFICATION_KIND.SLA_REMINDER, atMs, { subject, body, deadline: sla.due });
}

/** The owner's decision is twice over its response time: to OPS. */
export function slaEscalation(state: EntryState, record: StageRecord, def: StageDef, sla: SlaDates, atMs: number): Notification {
  const time = responseTime(state, def);
  const n = namingOf(state);
  const subject = `${state.partyName}: ${decisionOf(n, def.owner)} on ${n.stage(record)} is twice over ${time.sourced ? 'its expected time' : "this deployment's service level"}`;
  const body = `${capitalised(n.body(def.owner))}'s decision on ${stageNamed(n, def, record)} has been awaited since ${n.date(toDate(sla.sinceMs))}: the time for it, ${time.words}, ran to ${n.date(sla.due)}; twice it ran to ${n.date(sla.twiceDue)}.`;
  return overdueDecision(state, record, def, NOTIFICATION_KIND.SLA_ESCALATION, atMs, { subject, body, deadline: sla.twiceDue });
}

// ---------------------------------------------------------------------------------------------
// The forecast against the deadline

type RiskKind = typeof NOTIFICATION_KIND.AT_RISK | typeof NOTIFICATION_KIND.BACK_ON_TRACK;

/** What the two at-risk kinds share: the Party and SECAS, the forecast against the deadline. */
function riskChange(state: EntryState, kind: RiskKind, change: number, forecast: string, nowMs: number, subject: (deadline: string | undefined, forecast: string) => string): Notification {
  const deadline = state.mandate.deadline ?? undefined;
  const n = namingOf(state);
  const id = kind === NOTIFICATION_KIND.AT_RISK ? notificationIds.atRisk(state.entryId, change) : notificationIds.backOnTrack(state.entryId, change);
  const body = `The projected completion of every role sought is ${n.date(forecast)}; the mandate deadline is ${deadline ? n.date(deadline) : 'none'}. Roles pending: ${n.roles(pendingRoles(state))}.`;
  const recipients = [partyContact(state), bodyRecipient(BODY.SECAS)];
  return makeNotification(state, { id, kind, recipients, dueAtMs: nowMs, subject: subject(deadline === undefined ? undefined : n.date(deadline), n.date(forecast)), body, ...(deadline !== undefined ? { deadline } : {}) });
}

/** The forecast moved after the mandate deadline (change number `change`): to the Party and SECAS. */
export function atRisk(state: EntryState, change: number, forecast: string, nowMs: number): Notification {
  return riskChange(state, NOTIFICATION_KIND.AT_RISK, change, forecast, nowMs, (deadline, day) => `${state.partyName}: UEP at risk: forecast ${day} is after the mandate deadline ${deadline ?? ''}`);
}

/** The forecast is back within the mandate deadline (or there is none): to the Party and SECAS. */
export function backOnTrack(state: EntryState, change: number, forecast: string, nowMs: number): Notification {
  return riskChange(state, NOTIFICATION_KIND.BACK_ON_TRACK, change, forecast, nowMs, (deadline, day) => `${state.partyName}: UEP back on track: forecast ${day}, mandate deadline ${deadline ?? 'none'}`);
}

// ---------------------------------------------------------------------------------------------
// Acts

type Actor = AuditRecord['principal'];

/** SECAS confirmed a role complete (H1.12): to the Party, SECAS and DCC. */
export function roleComplete(state: EntryState, role: UserRole, nowMs: number): Notification {
  const pending = pendingRoles(state);
  const n = namingOf(state);
  return makeNotification(state, {
    id: notificationIds.roleComplete(state.entryId, role),
    kind: NOTIFICATION_KIND.ROLE_COMPLETE,
    recipients: [partyContact(state), bodyRecipient(BODY.SECAS), bodyRecipient(BODY.DCC)],
    dueAtMs: nowMs,
    role,
    subject: `${state.partyName}: UEP complete for ${n.role(role)}`,
    body: `SECAS confirmed the User Entry Process complete for ${n.role(role)} (SEC H1.12): that role may use live DCC services. ${
      pending.length === 0 ? 'Every role sought is now complete.' : `Still pending: ${n.roles(pending)}.`
    }`,
  });
}

/**
 * The mandate deadline was amended (the state holds the new one): to the Party and SECAS.
 * `riskNote` says how the at-risk state changed with it (rules version 2), or is ''.
 */
export function deadlineAmended(state: EntryState, previous: string | null, by: Actor, reason: string, riskNote: string, nowMs: number): Notification {
  const deadline = state.mandate.deadline;
  const n = namingOf(state);
  const now = deadline ? n.date(deadline) : 'none';
  const was = previous ? n.date(previous) : 'none';
  return makeNotification(state, {
    id: notificationIds.deadlineAmended(state.entryId, state.mandate.version),
    kind: NOTIFICATION_KIND.DEADLINE_AMENDED,
    recipients: [partyContact(state), bodyRecipient(BODY.SECAS)],
    dueAtMs: nowMs,
    subject: `${state.partyName}: DCC User mandate deadline now ${now} (was ${was})`,
    body: `The mandate deadline was amended from ${was} to ${now} by ${n.body(by.body)} (${by.id}): ${reason}${riskNote}`,
    ...(deadline !== null ? { deadline } : {}),
  });
}

/** The entry was withdrawn: to the Party, SECAS and DCC. */
export function entryWithdrawn(state: EntryState, by: Actor, reason: string, nowMs: number): Notification {
  return makeNotification(state, {
    id: notificationIds.entryWithdrawn(state.entryId),
    kind: NOTIFICATION_KIND.ENTRY_WITHDRAWN,
    recipients: [partyContact(state), bodyRecipient(BODY.SECAS), bodyRecipient(BODY.DCC)],
    dueAtMs: nowMs,
    subject: `${state.partyName}: User Entry Process withdrawn`,
    body: `The entry was withdrawn by ${namingOf(state).body(by.body)} (${by.id}): ${reason}. Every reminder stops.`,
  });
}

/** How Temporal closed a run behind the engine's back, as the record's reconciler found it in visibility. */
export interface OutsideClosureFacts {
  runId: string;
  /** Temporal's execution status: TERMINATED, FAILED, TIMED_OUT, CANCELED, ... */
  temporalStatus: string;
  closedAtMs: number;
}

/**
 * Temporal closed the entry's run outside the engine (terminate, reset, a failure): to OPS. Built
 * from the record's row, not the machine: the workflow that would have sent it is gone.
 */
export function closedOutsideEngine(entry: Pick<EntryState, 'entryId' | 'partyId' | 'partyName'>, closure: OutsideClosureFacts): Notification {
  return {
    id: notificationIds.closedOutsideEngine(entry.entryId, closure.runId),
    kind: NOTIFICATION_KIND.ENTRY_CLOSED_OUTSIDE_ENGINE,
    entryId: entry.entryId,
    partyId: entry.partyId,
    partyName: entry.partyName,
    recipients: [bodyRecipient(BODY.OPS)],
    dueAt: toIso(closure.closedAtMs),
    subject: `${entry.partyName}: entry closed outside the engine (Temporal: ${closure.temporalStatus})`,
    body:
      `Temporal closed the entry's workflow run ${closure.runId} as ${closure.temporalStatus} at ${toIso(closure.closedAtMs)}, outside the engine: ` +
      'no reminder is sent and no decision is taken for it any more. The record now marks the entry CLOSED_OUTSIDE_ENGINE, ' +
      "with an audit record. See in Temporal who closed it and why; to carry on, start the Party's entry again.",
  };
}

/** A reset of an entry's run, as the record found it. */
export interface RunResetFacts {
  /** The run the reset created, which carries on from an earlier point. */
  runId: string;
  /** The run it replaced, when known. */
  previousRunId: string | null;
  /** When the reset happened, or when the record first saw the new run. */
  atMs: number;
}

/**
 * Temporal reset the entry's run: to OPS. What the rewound run had recorded after the reset point
 * stays in the record's trail, but the workflow no longer holds it: someone has to look.
 */
export function runReset(entry: Pick<EntryState, 'entryId' | 'partyId' | 'partyName'>, reset: RunResetFacts): Notification {
  const previous = reset.previousRunId ? ` replaced run ${reset.previousRunId}` : '';
  return {
    id: notificationIds.runReset(entry.entryId, reset.runId),
    kind: NOTIFICATION_KIND.ENTRY_RUN_RESET,
    entryId: entry.entryId,
    partyId: entry.partyId,
    partyName: entry.partyName,
    recipients: [bodyRecipient(BODY.OPS)],
    dueAt: toIso(reset.atMs),
    subject: `${entry.partyName}: the entry's workflow was reset in Temporal`,
    body:
      `Temporal reset the entry's workflow: run ${reset.runId}${previous} at ${toIso(reset.atMs)} and carries on from an earlier point. ` +
      'Decisions and submissions the earlier run took after that point stay in the audit trail, but the workflow no longer holds them: ' +
      'check the entry and ask the bodies to record again what it still needs.',
  };
}

// ---------------------------------------------------------------------------------------------
// What the Party can act on (rules version 3): to the Party's UEP contact only

/** 'User Security Assessment (FUSA) (SECURITY_ASSESSMENT): the User Security Assessment report'. */
function submissionItem(state: EntryState, record: StageRecord): string {
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  return `${stageNamed(namingOf(state), def, record)}: ${def.submission ?? 'what the stage needs'}`;
}

/** The stages the Party submits for as soon as what is open now is done: its next turns. */
function nextSubmissions(state: EntryState): StageRecord[] {
  const catalogue = getCatalogue(state.catalogueVersion);
  return state.stages.filter(
    (record) =>
      record.state === STAGE_STATE.BLOCKED &&
      stageDef(catalogue, record.stage).partySubmitsFirst &&
      dependenciesOf(catalogue, record).every((dep) => {
        const found = findRecord(state, dep);
        return found !== undefined && (found.state === STAGE_STATE.DONE || isOpenStage(found.state));
      }),
  );
}

/** The stages awaiting the Party now. */
export function awaitingParty(state: EntryState): StageRecord[] {
  return state.stages.filter((s) => s.state === STAGE_STATE.AWAITING_PARTY);
}

/**
 * The mandate deadline as the Party's start notice states it: ahead, or (rules version 4) already
 * passed, the entry starting in breach.
 */
function deadlineSentence(state: EntryState, nowMs: number): string {
  const deadline = state.mandate.deadline;
  if (!rulesAtLeast(state, RULES_VERSION.V4)) return `the DCC User mandate deadline is ${deadline ?? 'not set'}.`;
  if (deadline === null) return 'no DCC User mandate deadline is set.';
  const day = namingOf(state).date(deadline);
  if (toDate(nowMs) <= deadline) return `the DCC User mandate deadline is ${day}.`;
  return `your DCC User mandate deadline, ${day}, has already passed: you are in breach of the mandate until every role you seek is complete.`;
}

/** The entry started: what comes first, and what the Party submits first. */
export function entryStarted(state: EntryState, nowMs: number): Notification {
  const deadline = state.mandate.deadline;
  const due = awaitingParty(state);
  const others = state.stages.filter((s) => s.state === STAGE_STATE.AWAITING_DECISION).map((s) => awaitingPhrase(state, s));
  const first =
    due.length > 0
      ? `Submit first, in the console: ${due.map((s) => submissionItem(state, s)).join('; ')}.`
      : `Nothing is awaited from you yet.${nextSubmissions(state).length > 0 ? ` Your first submissions will be: ${nextSubmissions(state).map((s) => submissionItem(state, s)).join('; ')}; you will be told when each is due.` : ''}`;
  return makeNotification(state, {
    id: notificationIds.entryStarted(state.entryId),
    kind: NOTIFICATION_KIND.ENTRY_STARTED,
    recipients: [partyContact(state)],
    dueAtMs: nowMs,
    subject: `${state.partyName}: your User Entry Process has started (${namingOf(state).roles(state.roles)})`,
    body: `Your User Entry Process has started for ${namingOf(state).roles(state.roles)}; ${deadlineSentence(state, nowMs)} ${first}${
      others.length > 0 ? ` Under way: ${others.join('; ')}.` : ''
    }`,
    ...(deadline !== null ? { deadline } : {}),
  });
}

/**
 * Stages became open for the Party's submission (`due`, at least one) after the act recorded
 * as audit record `seq`, described by `cause` ('SECAS recorded ACCEDED on ACCESSION').
 */
export function submissionDue(state: EntryState, due: StageRecord[], seq: number, cause: string, nowMs: number): Notification {
  const catalogue = getCatalogue(state.catalogueVersion);
  const [only] = due;
  const one = due.length === 1 && only !== undefined ? only : undefined;
  const times = due.map((s) => ({ record: s, def: stageDef(catalogue, s.stage) })).map(({ record, def }) => ({ record, def, time: responseTime(state, def) }));
  const today = toDate(nowMs);
  const n = namingOf(state);
  const decidedBy = times.map(({ record, def, time }) => {
    if (!def.decidedAt) return `${n.body(def.owner)} on ${n.stage(record)} within ${time.short}`;
    const next = meetingFor(state.meetings, def.decidedAt, today);
    return `${n.body(def.owner)} on ${n.stage(record)} at the first meeting whose paper cut-off follows your submission${next ? ` (submitted today: the ${meetingPhrase(next)})` : ''}`;
  });
  const serviceLevels = times.some(({ time }) => !time.sourced) ? " The SEC sets no time for these decisions: the service levels are this deployment's." : '';
  return makeNotification(state, {
    id: notificationIds.submissionDue(state.entryId, seq),
    kind: NOTIFICATION_KIND.SUBMISSION_DUE,
    recipients: [partyContact(state)],
    dueAtMs: nowMs,
    ...(one ? { stage: one.stage, ...(one.role ? { role: one.role } : {}) } : {}),
    awaitedBody: BODY.PARTY,
    subject: one
      ? `${state.partyName}: your turn: submit ${stageDef(catalogue, one.stage).submission ?? 'evidence'} for ${n.stage(one)}`
      : `${state.partyName}: your turn: ${due.length} submissions are due`,
    body: `${cause}. It is now your turn to submit, in the console: ${due.map((s) => submissionItem(state, s)).join('; ')}. After your submission the decision is due from ${decidedBy.join('; ')}.${serviceLevels}`,
  });
}

const NEXT_STEP: Record<Exclude<OutcomeEffect, typeof OUTCOME_EFFECT.DONE>, string> = {
  [OUTCOME_EFFECT.REWORK]: 'address the comment and submit again',
  [OUTCOME_EFFECT.RESTART]: 'the stage starts again from the beginning: submit afresh',
};

/**
 * A decision on the Party's stage that did not complete it (REJECTED, DEFERRED, FAILED...): which
 * stage, who decided, their comment and what the Party does next. `record` is the stage as it now
 * stands (reopened), `attempt` the attempt that was decided.
 */
export function decisionNeedsAction(
  state: EntryState,
  record: StageRecord,
  decision: { outcome: string; effect: Exclude<OutcomeEffect, typeof OUTCOME_EFFECT.DONE>; by: Actor; comment?: string; evidence: string; attempt: number },
  nowMs: number,
  reopened?: StageRecord,
): Notification {
  const catalogue = getCatalogue(state.catalogueVersion);
  const def = stageDef(catalogue, record.stage);
  const n = namingOf(state);
  const by = `${capitalised(n.body(decision.by.body))} (${decision.by.name ?? decision.by.id})`;
  const from = reopened ? stageDef(catalogue, reopened.stage) : undefined;
  const next =
    reopened && from
      ? `It starts over from ${stageNamed(n, from, reopened)}, attempt ${reopened.attempts}; ${def.title} follows when that is done. ${
          reopened.state === STAGE_STATE.AWAITING_PARTY
            ? `What to do next: submit ${from.submission ?? 'what the stage needs'} in the console.`
            : `Nothing is needed from you yet: ${n.body(from.owner)} decides by ${reopened.slaDue ? n.date(reopened.slaDue) : '?'}.`
        }`
      : record.state === STAGE_STATE.AWAITING_PARTY
        ? `What to do next: ${NEXT_STEP[decision.effect]} (${def.submission ?? 'what the stage needs'}) in the console; this will be attempt ${record.attempts}.`
        : `Nothing is needed from you yet: ${n.body(def.owner)} decides again by ${record.slaDue ? n.date(record.slaDue) : '?'}.`;
  return makeNotification(state, {
    id: notificationIds.decisionNeedsAction(state.entryId, refKey(record), decision.attempt),
    kind: NOTIFICATION_KIND.DECISION_NEEDS_ACTION,
    recipients: [partyContact(state)],
    dueAtMs: nowMs,
    stage: record.stage,
    ...(record.role ? { role: record.role } : {}),
    awaitedBody: (reopened ?? record).state === STAGE_STATE.AWAITING_PARTY ? BODY.PARTY : (from ?? def).owner,
    subject: n.inWords
      ? `${state.partyName}: ${n.stage(record)}: ${n.body(def.owner)} decided ${n.outcome(decision.outcome)}: action needed`
      : `${state.partyName}: ${def.owner} ${decision.outcome} ${refLabel(record)}: action needed`,
    body: `${by} recorded ${n.outcome(decision.outcome)} on ${stageNamed(n, def, record, `SEC ${def.secRef}`)}, evidence ${decision.evidence}. Comment: ${
      decision.comment ? `"${decision.comment}"` : 'none given'
    }. ${next}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Meetings (catalogue v2)

/**
 * The meeting a decision waits for moved, was cancelled or became known with a new calendar
 * version: to the Party and SECAS. `previous` is the meeting it waited for (none: it had none).
 */
export function meetingMoved(state: EntryState, record: StageRecord, previous: Meeting | undefined, calendarVersion: number, nowMs: number): Notification {
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  const n = namingOf(state);
  const now = record.meeting;
  const was = previous ? `was expected at the ${meetingPhrase(previous, '')}` : 'had no meeting in the calendar';
  const cancelled = previous && !now ? ' That meeting is cancelled or no longer in the calendar, and no later one is published yet.' : '';
  return makeNotification(state, {
    id: notificationIds.meetingMoved(state.entryId, refKey(record), calendarVersion),
    kind: NOTIFICATION_KIND.MEETING_MOVED,
    recipients: [partyContact(state), bodyRecipient(BODY.SECAS)],
    dueAtMs: nowMs,
    stage: record.stage,
    ...(record.role ? { role: record.role } : {}),
    awaitedBody: def.owner,
    subject: `${state.partyName}: ${stageNamed(n, def, record)} now at the ${now ? meetingPhrase(now) : 'next meeting to be published'}`,
    body: `The meeting calendar changed (version ${calendarVersion}). The decision on ${stageNamed(n, def, record, `SEC ${def.secRef}`)} ${was}; it is now expected at the ${
      now ? meetingPhrase(now) : `next meeting to be published (until then, ${record.slaDue ? n.date(record.slaDue) : '?'})`
    }.${cancelled}`,
    ...(now ? { deadline: now.date } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Work arriving at a body (rules version 6): to the body whose decision a stage now awaits

/** The bodies a DECISION_DUE goes to: those that decide stages. */
export const DECIDING_BODIES: readonly Body[] = [BODY.DCC, BODY.SEC_PANEL, BODY.SECAS];


/** The stage in words: 'Credit Cover', 'UEP Testing (UEPT), for the Import Supplier role'. */
function stageInWords(def: StageDef, record: StageRecord): string {
  return `${def.title}${record.role ? `, for the ${roleInWords(record.role)} role` : ''}`;
}

/** The submission that opened this attempt for the owner's decision: the last one recorded for the stage. */
function lastSubmission(state: EntryState, record: StageRecord): AuditRecord | undefined {
  return [...state.audit].reverse().find((a) => a.action === AUDIT_ACTION.SUBMISSION && a.stage === record.stage && (a.role ?? null) === (record.role ?? null));
}

/**
 * A stage began awaiting its owner's decision (`record` as it now stands, AWAITING_DECISION): to
 * that body's route. Names the Party, the stage and role in words, what the Party submitted (its
 * reference), when the decision is due or the meeting it is taken at; the id is per attempt.
 */
export function decisionDue(state: EntryState, record: StageRecord, nowMs: number): Notification {
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  const owner = bodyInWords(def.owner);
  const what = stageInWords(def, record);
  const submitted = def.partySubmitsFirst ? lastSubmission(state, record) : undefined;
  const reference = submitted?.reference;
  const by = submitted && submitted.principal.body !== BODY.PARTY ? `${namingOf(state).body(submitted.principal.body)}, for ${state.partyName},` : state.partyName;
  const submission =
    submitted && reference !== undefined
      ? `${by} submitted ${def.submission ?? 'what the stage needs'} on ${dayInWords(submitted.at.slice(0, 10))}: reference "${reference}"${submitted.comment ? `, with the comment "${submitted.comment}"` : ''}. `
      : 'Nothing is submitted by the Party for this stage: the next step is yours. ';
  const time = responseTime(state, def);
  const due = record.meeting
    ? `it is decided at the ${meetingPhrase(record.meeting)}`
    : `your decision is due by ${record.slaDue ? dayInWords(record.slaDue) : '?'}, within ${time.short}`;
  const dueShort = record.meeting ? `at the ${meetingPhrase(record.meeting)}` : `due ${record.slaDue ? dayInWords(record.slaDue) : '?'}`;
  const attempt = record.attempts > 1 ? ` (attempt ${record.attempts})` : '';
  return makeNotification(state, {
    id: notificationIds.decisionDue(state.entryId, refKey(record), record.attempts),
    kind: NOTIFICATION_KIND.DECISION_DUE,
    recipients: [bodyRecipient(def.owner)],
    dueAtMs: nowMs,
    stage: record.stage,
    ...(record.role ? { role: record.role } : {}),
    awaitedBody: def.owner,
    ...(reference !== undefined ? { reference } : {}),
    subject: `${state.partyName}: ${what} awaits ${owner}'s decision${attempt}, ${dueShort}`,
    body:
      `${what} (SEC ${def.secRef}) for ${state.partyName} (${state.partyId}) now awaits ${owner}'s decision${attempt}. ${submission}` +
      `${due.charAt(0).toUpperCase()}${due.slice(1)}. Decide in the console, on the entry's page (the link below), with the outcome and its evidence.`,
    ...(record.slaDue !== undefined ? { deadline: record.slaDue } : {}),
  });
}

/** A stage's attempt: 'CREDIT_COVER:1', 'UEPT.GAS_SUPPLIER:2'. */
const attemptKey = (record: StageRecord) => `${refKey(record)}:${record.attempts}`;

/** The attempts of the stages awaiting a decision now: what an act that opens more is compared with. */
export function awaitingDecisionNow(state: EntryState): Set<string> {
  return new Set(state.stages.filter((s) => s.state === STAGE_STATE.AWAITING_DECISION).map(attemptKey));
}

/**
 * Rules version 6: every stage that began awaiting a deciding body's decision (at the start, or
 * in an act: awaiting none of it before, given as `before`), told to that body now, in the order
 * of the entry's stages; never twice for one attempt. Records their ids. An entry moved onto
 * version 6 while running is told of the stages that start awaiting from then on.
 */
export function tellDecidingBodies(state: EntryState, nowMs: number, before: ReadonlySet<string> = new Set()): Notification[] {
  if (!rulesAtLeast(state, RULES_VERSION.V6) || state.status !== ENTRY_STATUS.IN_PROGRESS) return [];
  const catalogue = getCatalogue(state.catalogueVersion);
  const out: Notification[] = [];
  for (const record of state.stages) {
    if (record.state !== STAGE_STATE.AWAITING_DECISION || before.has(attemptKey(record))) continue;
    if (!DECIDING_BODIES.includes(stageDef(catalogue, record.stage).owner)) continue;
    if (state.sentNotificationIds.includes(notificationIds.decisionDue(state.entryId, refKey(record), record.attempts))) continue;
    const n = decisionDue(state, record, nowMs);
    out.push(n);
    state.sentNotificationIds.push(n.id);
  }
  return out;
}
