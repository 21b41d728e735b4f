/**
 * One function per command: what an accepted command does to the entry (the guards in guards.ts
 * have already let it through). Each mutates the state it is given (a copy the caller owns) and
 * returns its audit record and the notifications the act itself sends.
 */
import { getCatalogue, stageDef, type OutcomeDef } from './catalogue';
import { toDate, toIso } from './dates';
import { entryView, riskChangeTold } from './entry-view';
import { capitalised, namingOf } from './wording';
import { awaitingDecisionNow, awaitingParty, deadlineAmended, decisionNeedsAction, entryWithdrawn, meetingMoved, pendingRoles, roleComplete, submissionDue, tellDecidingBodies } from './notifications';
import { fingerprint } from './retries';
import { RULES_VERSION, rulesAtLeast } from './rules';
import { addAudit, addStages, awaitDecision, openStage, principalOf, unblock, waitForDecision } from './stage-moves';
import { findRecord, refKey, type EntryState, type StageRecord } from './state';
import { AUDIT_ACTION, NOTIFICATION_KIND, type AuditRecord, type EntryCommand, type Notification } from './types';
import { ENTRY_STATUS, OUTCOME_EFFECT, STAGE_STATE, type UserRole } from './vocabulary';

export interface Done {
  record: AuditRecord;
  notifications: Notification[];
}

type Command<T extends EntryCommand['type']> = Extract<EntryCommand, { type: T }>;

function stageRecordOf(state: EntryState, command: { stage: StageRecord['stage']; role?: UserRole }): StageRecord {
  const record = findRecord(state, command.role ? { stage: command.stage, role: command.role } : { stage: command.stage });
  if (!record) throw new Error('unreachable: checked stage');
  return record;
}

/** The Party (or SECAS for it) submitted: the stage now awaits its owner's decision. */
export function submitEvidence(state: EntryState, command: Command<'SUBMIT_EVIDENCE'>, now: number): Done {
  const record = stageRecordOf(state, command);
  record.reference = command.reference;
  awaitDecision(state, record, now);
  const audit = addAudit(state, {
    at: toIso(now),
    action: AUDIT_ACTION.SUBMISSION,
    principal: principalOf(command.principal),
    id: command.submissionId,
    stage: command.stage,
    ...(command.role ? { role: command.role } : {}),
    reference: command.reference,
    ...(command.comment !== undefined ? { comment: command.comment } : {}),
  });
  state.commandIds[`S:${command.submissionId}`] = { fingerprint: fingerprint(command), seq: audit.seq };
  return { record: audit, notifications: [] };
}

/**
 * A new version of the meeting calendar: every decision awaited at a meeting is due at the first
 * meeting whose cut-off follows its submission under it; where that meeting changed, the Party
 * and SECAS are told.
 */
export function updateMeetings(state: EntryState, command: Command<'UPDATE_MEETINGS'>, now: number): Done {
  const catalogue = getCatalogue(state.catalogueVersion);
  state.meetings = { version: command.calendar.version, meetings: command.calendar.meetings.map((m) => ({ ...m })) };
  const audit = addAudit(state, {
    at: toIso(now),
    action: AUDIT_ACTION.MEETINGS_UPDATED,
    principal: principalOf(command.principal),
    comment: `meeting calendar version ${command.calendar.version}`,
  });
  const notifications: Notification[] = [];
  for (const record of state.stages) {
    const def = stageDef(catalogue, record.stage);
    if (record.state !== STAGE_STATE.AWAITING_DECISION || !def.decidedAt) continue;
    const previous = record.meeting;
    if (!waitForDecision(state, record, def)) continue;
    const n = meetingMoved(state, record, previous, command.calendar.version, now);
    notifications.push(n);
    state.sentNotificationIds.push(n.id);
  }
  return { record: audit, notifications };
}

/** The owner decided: the stage is done (maybe completing its role) or goes round again. */
export function recordDecision(state: EntryState, command: Command<'RECORD_DECISION'>, now: number): Done {
  const record = stageRecordOf(state, command);
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  const outcome = def.outcomes.find((o) => o.outcome === command.outcome);
  if (!outcome) throw new Error('unreachable: checked outcome');
  const principal = principalOf(command.principal);
  const notifications: Notification[] = [];
  const audit = addAudit(state, {
    at: toIso(now),
    action: AUDIT_ACTION.DECISION,
    principal,
    id: command.decisionId,
    stage: command.stage,
    ...(command.role ? { role: command.role } : {}),
    outcome: command.outcome,
    evidence: command.evidence,
    ...(command.comment !== undefined ? { comment: command.comment } : {}),
  });
  state.commandIds[`D:${command.decisionId}`] = { fingerprint: fingerprint(command), seq: audit.seq };
  if (outcome.effect === OUTCOME_EFFECT.DONE) {
    record.state = STAGE_STATE.DONE;
    record.outcome = command.outcome;
    record.doneAt = toDate(now);
    delete record.sinceMs;
    delete record.slaDue;
    delete record.meeting;
    if (outcome.followUp) {
      state.followUps.push({
        stage: record.stage,
        ...(record.role ? { role: record.role } : {}),
        outcome: command.outcome,
        conditions: command.comment ?? '',
        evidence: command.evidence,
        at: toDate(now),
      });
    }
    if (def.completesRole && record.role) notifications.push(completeRole(state, record.role, principal, now));
    unblock(state, now);
  } else {
    const attempt = record.attempts;
    record.attempts += 1;
    record.lastEffect = outcome.effect;
    const from = restartFrom(state, record, outcome);
    if (from) {
      // rules version 5: the earlier stage opens again; this one waits for it
      record.state = STAGE_STATE.BLOCKED;
      delete record.sinceMs;
      delete record.slaDue;
      delete record.meeting;
      from.attempts += 1;
      from.lastEffect = outcome.effect;
      delete from.outcome;
      delete from.doneAt;
      openStage(state, from, now);
    } else {
      openStage(state, record, now);
    }
    if (rulesAtLeast(state, RULES_VERSION.V3)) {
      const effect = outcome.effect;
      const n = decisionNeedsAction(state, record, { outcome: command.outcome, effect, by: principal, evidence: command.evidence, attempt, ...(command.comment !== undefined ? { comment: command.comment } : {}) }, now, from);
      notifications.push(n);
      state.sentNotificationIds.push(n.id);
    }
  }
  return { record: audit, notifications };
}

/** The done earlier stage a RESTART starts over from (rules version 5, the outcome's `restartsFrom`), or undefined. */
function restartFrom(state: EntryState, record: StageRecord, outcome: OutcomeDef): StageRecord | undefined {
  if (outcome.effect !== OUTCOME_EFFECT.RESTART || !outcome.restartsFrom || !rulesAtLeast(state, RULES_VERSION.V5)) return undefined;
  const from = findRecord(state, { stage: outcome.restartsFrom, ...(record.role ? { role: record.role } : {}) });
  return from?.state === STAGE_STATE.DONE ? from : undefined;
}

function completeRole(state: EntryState, role: UserRole, principal: AuditRecord['principal'], now: number): Notification {
  state.roleCompletedAt[role] = toDate(now);
  addAudit(state, { at: toIso(now), action: AUDIT_ACTION.ROLE_COMPLETE, principal, role });
  const n = roleComplete(state, role, now);
  state.sentNotificationIds.push(n.id);
  if (pendingRoles(state).length === 0) {
    state.status = ENTRY_STATUS.COMPLETE;
    state.closedAtMs = now;
    state.atRisk = false;
  }
  return n;
}

/** A new mandate deadline (or none): a new deadline version, whose reminders replace the old ones. */
export function amendDeadline(state: EntryState, command: Command<'AMEND_DEADLINE'>, now: number): Done {
  const principal = principalOf(command.principal);
  const previous = state.mandate.deadline;
  state.mandate = { deadline: command.deadline, version: state.mandate.version + 1, setAtMs: now };
  const audit = addAudit(state, {
    at: toIso(now),
    action: AUDIT_ACTION.DEADLINE_AMENDED,
    principal,
    reason: command.reason,
    previousDeadline: previous,
    deadline: command.deadline,
  });
  const riskNote = rulesAtLeast(state, RULES_VERSION.V2) ? foldAtRiskChange(state, now) : '';
  const n = deadlineAmended(state, previous, principal, command.reason, riskNote, now);
  state.sentNotificationIds.push(n.id);
  return { record: audit, notifications: [n] };
}

/**
 * Rules version 2: when an amendment moves the entry into or out of being at risk, the
 * amendment's own message says so; no separate AT_RISK / BACK_ON_TRACK goes out for the same act.
 * Returns the sentence to add ('' when the at-risk state did not change).
 */
function foldAtRiskChange(state: EntryState, now: number): string {
  const view = entryView(state, now);
  const atRisk = view.atRisk;
  if (atRisk === state.atRisk || !riskChangeTold(view)) return '';
  state.atRisk = atRisk;
  state.atRiskChanges += 1;
  const forecast = view.forecast ?? 'n/a';
  return atRisk
    ? `. The forecast completion ${forecast} is now after the mandate deadline: the entry is at risk.`
    : `. The forecast completion is ${forecast}: the entry is back on track.`;
}

/** One more User Role: its stages are added, and those already unblocked open. */
export function addRole(state: EntryState, command: Command<'ADD_ROLE'>, now: number): Done {
  state.roles.push(command.role);
  addStages(state);
  unblock(state, now);
  const audit = addAudit(state, { at: toIso(now), action: AUDIT_ACTION.ROLE_ADDED, principal: principalOf(command.principal), role: command.role });
  return { record: audit, notifications: [] };
}

/** The entry closes WITHDRAWN; every reminder stops. */
export function withdraw(state: EntryState, command: Command<'WITHDRAW'>, now: number): Done {
  const principal = principalOf(command.principal);
  state.status = ENTRY_STATUS.WITHDRAWN;
  state.closedAtMs = now;
  state.withdrawnReason = command.reason;
  state.atRisk = false;
  const audit = addAudit(state, { at: toIso(now), action: AUDIT_ACTION.WITHDRAWN, principal, reason: command.reason });
  const n = entryWithdrawn(state, principal, command.reason, now);
  state.sentNotificationIds.push(n.id);
  return { record: audit, notifications: [n] };
}

/** Carries out an accepted command on `state` (mutated). */
export function execute(state: EntryState, command: EntryCommand, now: number): Done {
  const before = new Set(awaitingParty(state).map(turnKey));
  const decisionsBefore = awaitingDecisionNow(state);
  const done = run(state, command, now);
  if (rulesAtLeast(state, RULES_VERSION.V3)) yourTurn(state, done, before, now);
  done.notifications.push(...tellDecidingBodies(state, now, decisionsBefore)); // rules version 6
  return done;
}

const turnKey = (record: StageRecord) => `${refKey(record)}:${record.attempts}`;

/**
 * Rules version 3: stages the act opened for the Party's submission are announced in one message
 * to it, unless the act's own message already says so (a decision that sent its stage back).
 */
function yourTurn(state: EntryState, done: Done, before: ReadonlySet<string>, now: number): void {
  const due = awaitingParty(state).filter((record) => !before.has(turnKey(record)));
  if (due.length === 0 || done.notifications.some((n) => n.kind === NOTIFICATION_KIND.DECISION_NEEDS_ACTION)) return;
  const { record } = done;
  const words = namingOf(state);
  const decided = record.stage ? words.stage(record.role ? { stage: record.stage, role: record.role } : { stage: record.stage }) : '';
  const cause =
    record.action === AUDIT_ACTION.DECISION
      ? `${capitalised(words.body(record.principal.body))} recorded ${words.outcome(record.outcome ?? '')} on ${decided}`
      : `The role ${record.role ? words.role(record.role) : ''} was added to your entry`;
  const n = submissionDue(state, due, record.seq, cause, now);
  done.notifications.push(n);
  state.sentNotificationIds.push(n.id);
}

function run(state: EntryState, command: EntryCommand, now: number): Done {
  switch (command.type) {
    case 'SUBMIT_EVIDENCE':
      return submitEvidence(state, command, now);
    case 'RECORD_DECISION':
      return recordDecision(state, command, now);
    case 'AMEND_DEADLINE':
      return amendDeadline(state, command, now);
    case 'ADD_ROLE':
      return addRole(state, command, now);
    case 'WITHDRAW':
      return withdraw(state, command, now);
    case 'UPDATE_MEETINGS':
      return updateMeetings(state, command, now);
  }
}
