/**
 * The entry state machine: start input, commands and time in; new state and effects out.
 * Pure and deterministic: `now` (epoch ms, UTC) is the only clock. Every public function
 * returns a new state and never mutates its argument.
 */
import { addWorkingDays, CURRENT_CALENDAR_VERSION } from './calendar';
import {
  CURRENT_CATALOGUE_VERSION,
  dependenciesOf,
  findStage,
  getCatalogue,
  outcomesFor,
  stageDef,
  stageInstances,
  type StageRef,
} from './catalogue';
import { isValidDate, toDate, toIso } from './dates';
import { atRiskFromDate, forecastEntry, isAtRisk } from './forecast';
import { entryIdFor, notificationIds } from './ids';
import { DEFAULT_REMINDER_OFFSETS_DAYS, resolveMandateDeadline } from './mandates';
import { bodyRecipient, makeNotification, partyContact, pendingRoles } from './notify';
import { pendingTimedItems } from './reminders';
import { CURRENT_RULES_VERSION, RULES_VERSION, rulesAtLeast, rulesOf, type RulesVersion } from './rules';
import { checkRetry, fingerprint, type RetryCheck } from './retries';
import { cloneState, findRecord, refLabel, type EntryState, type StageRecord } from './state';
import { searchAttributesOf } from './summary';
import {
  AUDIT_ACTION,
  NOTIFICATION_KIND,
  REFUSAL,
  type AuditRecord,
  type CommandOutcome,
  type Effects,
  type EntryCommand,
  type Notification,
  type Refusal,
  type RefusalCode,
  type StartEntryInput,
  type Transition,
} from './types';
import {
  ALL_USER_ROLES,
  BODY,
  ENTRY_STATUS,
  OUTCOME_EFFECT,
  STAGE_LEVEL,
  STAGE_STATE,
  type Principal,
  type UserRole,
} from './vocabulary';

const refuse = (code: RefusalCode, message: string): Refusal => ({ code, message });

function principalOf(p: Principal): AuditRecord['principal'] {
  return { body: p.body, id: p.id, ...(p.name ? { name: p.name } : {}) };
}

function addAudit(state: EntryState, record: Omit<AuditRecord, 'seq'>): AuditRecord {
  const full: AuditRecord = { seq: state.audit.length + 1, ...record };
  state.audit.push(full);
  return full;
}

/** Puts a stage instance into an AWAITING_* state, starting its SLA clock when a decision is awaited. */
function openStage(state: EntryState, record: StageRecord, now: number): void {
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  record.sinceMs = now;
  if (def.partySubmitsFirst) {
    record.state = STAGE_STATE.AWAITING_PARTY;
    delete record.slaDue;
  } else {
    awaitDecision(state, record, now);
  }
}

function awaitDecision(state: EntryState, record: StageRecord, now: number): void {
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  record.state = STAGE_STATE.AWAITING_DECISION;
  record.sinceMs = now;
  record.slaDue = addWorkingDays(toDate(now), def.slaWorkingDays, state.calendarVersion);
}

/** Unblocks every stage whose dependencies are all done. */
function unblock(state: EntryState, now: number): void {
  const catalogue = getCatalogue(state.catalogueVersion);
  for (const record of state.stages) {
    if (record.state !== STAGE_STATE.BLOCKED) continue;
    const ready = dependenciesOf(catalogue, record).every((dep) => findRecord(state, dep)?.state === STAGE_STATE.DONE);
    if (ready) {
      record.attempts = 1;
      openStage(state, record, now);
    }
  }
}

function newRecord(ref: StageRef): StageRecord {
  return ref.role ? { stage: ref.stage, role: ref.role, state: STAGE_STATE.BLOCKED, attempts: 0 } : { stage: ref.stage, state: STAGE_STATE.BLOCKED, attempts: 0 };
}

/** Adds the stage instances `roles` need that the entry does not have yet. */
function addStages(state: EntryState): void {
  for (const ref of stageInstances(getCatalogue(state.catalogueVersion), state.roles)) {
    if (!findRecord(state, ref)) state.stages.push(newRecord(ref));
  }
  // Keep party-level stages first and roles in the order sought (catalogue order inside).
  const order = stageInstances(getCatalogue(state.catalogueVersion), state.roles);
  const index = (r: StageRecord) => order.findIndex((o) => o.stage === r.stage && (o.role ?? null) === (r.role ?? null));
  state.stages.sort((a, b) => index(a) - index(b));
}

// ---------------------------------------------------------------------------------------------
// Time

/**
 * Emits every timed notification due at or before `now` not yet sent, then re-evaluates the
 * at-risk state (telling the Party and SECAS when it changed). Mutates `state`.
 */
function tick(state: EntryState, now: number): Notification[] {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) return [];
  const out: Notification[] = [];
  for (const item of pendingTimedItems(state, now)) {
    if (item.at > now) break;
    out.push(item.build());
    state.sentNotificationIds.push(item.id);
  }
  const atRisk = isAtRisk(state, toDate(now));
  if (atRisk !== state.atRisk) {
    state.atRisk = atRisk;
    state.atRiskChanges += 1;
    const change = state.atRiskChanges;
    const deadline = state.mandate.deadline ?? undefined;
    const forecast = forecastEntry(state, toDate(now)) ?? 'n/a';
    const id = atRisk ? notificationIds.atRisk(state.entryId, change) : notificationIds.backOnTrack(state.entryId, change);
    out.push(
      makeNotification(state, {
        id,
        kind: atRisk ? NOTIFICATION_KIND.AT_RISK : NOTIFICATION_KIND.BACK_ON_TRACK,
        recipients: [partyContact(state), bodyRecipient(BODY.SECAS)],
        dueAtMs: now,
        subject: atRisk
          ? `${state.partyName}: UEP at risk: forecast ${forecast} is after the mandate deadline ${deadline ?? ''}`
          : `${state.partyName}: UEP back on track: forecast ${forecast}, mandate deadline ${deadline ?? 'none'}`,
        body: `The projected completion of every role sought is ${forecast}; the mandate deadline is ${deadline ?? 'none'}. Roles pending: ${pendingRoles(state).join(', ')}.`,
        ...(deadline !== undefined ? { deadline } : {}),
      }),
    );
    state.sentNotificationIds.push(id);
  }
  return out;
}

/** The next instant anything is due: a timed notification, or the day time alone makes the entry at risk. */
function nextWake(state: EntryState, now: number): number | null {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) return null;
  const candidates: number[] = [];
  const next = pendingTimedItems(state, now)[0];
  if (next) candidates.push(next.at);
  const riskDate = atRiskFromDate(state, toDate(now));
  if (riskDate !== null) candidates.push(Date.parse(`${riskDate}T00:00:00.000Z`));
  if (candidates.length === 0) return null;
  return Math.max(now, Math.min(...candidates));
}

function effectsOf(state: EntryState, notifications: Notification[], now: number): Effects {
  return { notifications, searchAttributes: searchAttributesOf(state, now), wakeAt: nextWake(state, now) };
}

export function advanceTime(state: EntryState, now: number): Transition<EntryState> {
  const next = cloneState(state);
  const notifications = tick(next, now);
  return { state: next, effects: effectsOf(next, notifications, now) };
}

/** Moves a running entry onto newer rules (never back); the state is otherwise unchanged. */
export function upgradeRules(state: EntryState, rules: RulesVersion): EntryState {
  if (rulesOf(state) >= rules) return state;
  return { ...cloneState(state), rulesVersion: rules };
}

// ---------------------------------------------------------------------------------------------
// Start

/**
 * Starts an entry under `rules` (the workflow passes the version `patched()` allows; see
 * domain/rules.ts). Version 1 leaves `rulesVersion` out of the state, as it always was.
 */
export function startEntry(input: StartEntryInput, now: number, rules: RulesVersion = CURRENT_RULES_VERSION): Transition<EntryState> {
  const catalogueVersion = input.catalogueVersion ?? CURRENT_CATALOGUE_VERSION;
  const catalogue = getCatalogue(catalogueVersion);
  const offsets = [...(input.reminderOffsetsDays ?? DEFAULT_REMINDER_OFFSETS_DAYS)].sort((a, b) => b - a);
  const state: EntryState = {
    schemaVersion: 1,
    entryId: entryIdFor(input.partyId),
    partyId: input.partyId,
    partyName: input.partyName,
    cohort: input.cohort,
    roles: [...input.roles],
    uepContact: { name: input.uepContact.name, email: input.uepContact.email },
    catalogueVersion,
    calendarVersion: input.calendarVersion ?? CURRENT_CALENDAR_VERSION,
    ...(rules === RULES_VERSION.V1 ? {} : { rulesVersion: rules }),
    reminderOffsetsDays: offsets,
    status: ENTRY_STATUS.IN_PROGRESS,
    startedAtMs: now,
    mandate: { deadline: resolveMandateDeadline(input), version: 1, setAtMs: now },
    stages: [],
    roleCompletedAt: {},
    audit: [],
    commandIds: {},
    sentNotificationIds: [],
    atRisk: false,
    atRiskChanges: 0,
    followUps: [],
  };
  if (input.sharedResourceProvider !== undefined) state.sharedResourceProvider = input.sharedResourceProvider;
  addStages(state);
  const by = principalOf(input.startedBy);
  addAudit(state, {
    at: toIso(now),
    action: AUDIT_ACTION.STARTED,
    principal: by,
    deadline: state.mandate.deadline,
    comment: `roles ${state.roles.join(', ')}; catalogue ${catalogueVersion}; calendar ${state.calendarVersion}`,
  });
  for (const c of input.completedStages ?? []) {
    const ref: StageRef = c.role ? { stage: c.stage, role: c.role } : { stage: c.stage };
    const record = findRecord(state, ref);
    if (!record) continue; // validateStartInput refuses this; tolerate it here
    record.state = STAGE_STATE.DONE;
    record.attempts = 1;
    record.outcome = c.outcome;
    record.doneAt = c.at;
    const def = stageDef(catalogue, c.stage);
    if (def.completesRole && c.role) state.roleCompletedAt[c.role] = c.at;
    const outcome = def.outcomes.find((o) => o.outcome === c.outcome);
    if (outcome?.followUp) {
      state.followUps.push({ stage: c.stage, ...(c.role ? { role: c.role } : {}), outcome: c.outcome, conditions: '', evidence: c.evidence ?? '', at: c.at });
    }
    addAudit(state, {
      at: toIso(now),
      action: AUDIT_ACTION.STARTED,
      principal: by,
      stage: c.stage,
      ...(c.role ? { role: c.role } : {}),
      outcome: c.outcome,
      ...(c.evidence !== undefined ? { evidence: c.evidence } : {}),
      comment: `done on ${c.at}, before the entry started`,
    });
  }
  unblock(state, now);
  if (state.roles.every((r) => state.roleCompletedAt[r] !== undefined)) {
    state.status = ENTRY_STATUS.COMPLETE;
    state.closedAtMs = now;
  }
  const notifications = tick(state, now);
  return { state, effects: effectsOf(state, notifications, now) };
}

// ---------------------------------------------------------------------------------------------
// Commands

/**
 * A decision or submission id seen before is answered with its first answer, even after the
 * entry closed (a retried sign-off must get the same answer); the same id with different
 * content is refused (domain/retries.ts).
 */
function checkDuplicate(state: EntryState, command: EntryCommand): RetryCheck {
  return checkRetry(state.audit, command);
}

function resolveStage(state: EntryState, stage: string, role: UserRole | undefined): { record: StageRecord } | { refusal: Refusal } {
  const def = findStage(getCatalogue(state.catalogueVersion), stage);
  if (!def) return { refusal: refuse(REFUSAL.UNKNOWN_STAGE, `unknown stage: ${stage}`) };
  if (def.level === STAGE_LEVEL.ROLE && role === undefined) {
    return { refusal: refuse(REFUSAL.ROLE_REQUIRED, `${stage} is done per User Role: name the role`) };
  }
  if (def.level === STAGE_LEVEL.PARTY && role !== undefined) {
    return { refusal: refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${stage} is a party-level stage: name no role`) };
  }
  if (role !== undefined && !state.roles.includes(role)) {
    return { refusal: refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${role} is not a role this entry seeks`) };
  }
  const record = findRecord(state, role ? { stage: def.id, role } : { stage: def.id });
  if (!record) return { refusal: refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${stage} does not apply${role ? ` to ${role}` : ''}`) };
  return { record };
}

function notAwaiting(record: StageRecord, wanted: string): Refusal {
  const label = refLabel(record);
  return refuse(REFUSAL.NOT_AWAITING, `${label} is ${record.state}, not ${wanted}`);
}

function ownPartyRefusal(state: EntryState, principal: Principal): Refusal | undefined {
  if (principal.body === BODY.PARTY && principal.partyId !== state.partyId) {
    return refuse(REFUSAL.NOT_OWN_PARTY, `${principal.id} may act only for party ${principal.partyId ?? '(none)'}, not ${state.partyId}`);
  }
  return undefined;
}

/** Why a (new) command cannot be accepted now, or undefined. */
function refusalFor(state: EntryState, command: EntryCommand): Refusal | undefined {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) {
    return refuse(REFUSAL.ENTRY_CLOSED, `the entry is ${state.status}: it takes no more commands`);
  }
  switch (command.type) {
    case 'SUBMIT_EVIDENCE': {
      const resolved = resolveStage(state, command.stage, command.role);
      if ('refusal' in resolved) return resolved.refusal;
      const { body } = command.principal;
      if (body !== BODY.PARTY && body !== BODY.SECAS) {
        return refuse(REFUSAL.WRONG_BODY, `only the Party (or SECAS on its behalf) submits evidence, not ${body}`);
      }
      const own = ownPartyRefusal(state, command.principal);
      if (own) return own;
      if (resolved.record.state !== STAGE_STATE.AWAITING_PARTY) return notAwaiting(resolved.record, STAGE_STATE.AWAITING_PARTY);
      return undefined;
    }
    case 'RECORD_DECISION': {
      const resolved = resolveStage(state, command.stage, command.role);
      if ('refusal' in resolved) return resolved.refusal;
      const def = stageDef(getCatalogue(state.catalogueVersion), resolved.record.stage);
      if (command.principal.body !== def.owner) {
        return refuse(REFUSAL.WRONG_BODY, `${def.owner} decides ${command.stage}, not ${command.principal.body}`);
      }
      if (resolved.record.state !== STAGE_STATE.AWAITING_DECISION) return notAwaiting(resolved.record, STAGE_STATE.AWAITING_DECISION);
      const outcomes = outcomesFor(def, state.sharedResourceProvider !== undefined);
      if (!outcomes.some((o) => o.outcome === command.outcome)) {
        return refuse(REFUSAL.UNKNOWN_OUTCOME, `${command.stage} outcomes are ${outcomes.map((o) => o.outcome).join(', ')}; not ${command.outcome}`);
      }
      return undefined;
    }
    case 'AMEND_DEADLINE': {
      const own = ownPartyRefusal(state, command.principal);
      if (own) return own;
      if (command.deadline !== null && !isValidDate(command.deadline)) {
        return refuse(REFUSAL.INVALID_DEADLINE, `deadline must be a 'YYYY-MM-DD' date or null: ${String(command.deadline)}`);
      }
      if (command.deadline === state.mandate.deadline) {
        return refuse(REFUSAL.INVALID_DEADLINE, `the mandate deadline is already ${command.deadline ?? 'none'}`);
      }
      return undefined;
    }
    case 'ADD_ROLE': {
      const own = ownPartyRefusal(state, command.principal);
      if (own) return own;
      if (!ALL_USER_ROLES.includes(command.role)) return refuse(REFUSAL.STAGE_NOT_APPLICABLE, `unknown User Role: ${String(command.role)}`);
      if (state.roles.includes(command.role)) return refuse(REFUSAL.ROLE_ALREADY_SOUGHT, `${command.role} is already sought`);
      return undefined;
    }
    case 'WITHDRAW':
      return ownPartyRefusal(state, command.principal);
  }
}

/** Validator: why the command would be refused now; undefined when it would be accepted or is a duplicate. */
export function checkCommand(state: EntryState, command: EntryCommand, _now: number): Refusal | undefined {
  const dup = checkDuplicate(state, command);
  if (dup.kind === 'reused') return dup.refusal;
  if (dup.kind === 'duplicate') return undefined;
  return refusalFor(state, command);
}

/** Carries out an accepted command on `state` (mutated); returns its audit record and event notifications. */
function execute(state: EntryState, command: EntryCommand, now: number): { record: AuditRecord; notifications: Notification[] } {
  const at = toIso(now);
  const principal = principalOf(command.principal);
  const notifications: Notification[] = [];
  switch (command.type) {
    case 'SUBMIT_EVIDENCE': {
      const record = findRecord(state, command.role ? { stage: command.stage, role: command.role } : { stage: command.stage });
      if (!record) throw new Error('unreachable: checked stage');
      record.reference = command.reference;
      awaitDecision(state, record, now);
      const audit = addAudit(state, {
        at,
        action: AUDIT_ACTION.SUBMISSION,
        principal,
        id: command.submissionId,
        stage: command.stage,
        ...(command.role ? { role: command.role } : {}),
        reference: command.reference,
        ...(command.comment !== undefined ? { comment: command.comment } : {}),
      });
      state.commandIds[`S:${command.submissionId}`] = { fingerprint: fingerprint(command), seq: audit.seq };
      return { record: audit, notifications };
    }
    case 'RECORD_DECISION': {
      const record = findRecord(state, command.role ? { stage: command.stage, role: command.role } : { stage: command.stage });
      if (!record) throw new Error('unreachable: checked stage');
      const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
      const outcome = def.outcomes.find((o) => o.outcome === command.outcome);
      if (!outcome) throw new Error('unreachable: checked outcome');
      const audit = addAudit(state, {
        at,
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
        if (def.completesRole && record.role) notifications.push(...completeRole(state, record.role, principal, now));
        unblock(state, now);
      } else {
        record.attempts += 1;
        record.lastEffect = outcome.effect;
        openStage(state, record, now);
      }
      return { record: audit, notifications };
    }
    case 'AMEND_DEADLINE': {
      const previous = state.mandate.deadline;
      state.mandate = { deadline: command.deadline, version: state.mandate.version + 1, setAtMs: now };
      const audit = addAudit(state, {
        at,
        action: AUDIT_ACTION.DEADLINE_AMENDED,
        principal,
        reason: command.reason,
        previousDeadline: previous,
        deadline: command.deadline,
      });
      const id = notificationIds.deadlineAmended(state.entryId, state.mandate.version);
      const riskNote = rulesAtLeast(state, RULES_VERSION.V2) ? foldAtRiskChange(state, now) : '';
      notifications.push(
        makeNotification(state, {
          id,
          kind: NOTIFICATION_KIND.DEADLINE_AMENDED,
          recipients: [partyContact(state), bodyRecipient(BODY.SECAS)],
          dueAtMs: now,
          subject: `${state.partyName}: DCC User mandate deadline now ${command.deadline ?? 'none'} (was ${previous ?? 'none'})`,
          body: `The mandate deadline was amended from ${previous ?? 'none'} to ${command.deadline ?? 'none'} by ${principal.body} (${principal.id}): ${command.reason}${riskNote}`,
          ...(command.deadline !== null ? { deadline: command.deadline } : {}),
        }),
      );
      state.sentNotificationIds.push(id);
      return { record: audit, notifications };
    }
    case 'ADD_ROLE': {
      state.roles.push(command.role);
      addStages(state);
      unblock(state, now);
      const audit = addAudit(state, { at, action: AUDIT_ACTION.ROLE_ADDED, principal, role: command.role });
      return { record: audit, notifications };
    }
    case 'WITHDRAW': {
      state.status = ENTRY_STATUS.WITHDRAWN;
      state.closedAtMs = now;
      state.withdrawnReason = command.reason;
      state.atRisk = false;
      const audit = addAudit(state, { at, action: AUDIT_ACTION.WITHDRAWN, principal, reason: command.reason });
      const id = notificationIds.entryWithdrawn(state.entryId);
      notifications.push(
        makeNotification(state, {
          id,
          kind: NOTIFICATION_KIND.ENTRY_WITHDRAWN,
          recipients: [partyContact(state), bodyRecipient(BODY.SECAS), bodyRecipient(BODY.DCC)],
          dueAtMs: now,
          subject: `${state.partyName}: User Entry Process withdrawn`,
          body: `The entry was withdrawn by ${principal.body} (${principal.id}): ${command.reason}. Every reminder stops.`,
        }),
      );
      state.sentNotificationIds.push(id);
      return { record: audit, notifications };
    }
  }
}

/**
 * Rules version 2: when an amendment moves the entry into or out of being at risk, the
 * amendment's own message says so; no separate AT_RISK / BACK_ON_TRACK goes out for the same act.
 * Returns the sentence to add ('' when the at-risk state did not change).
 */
function foldAtRiskChange(state: EntryState, now: number): string {
  const today = toDate(now);
  const atRisk = isAtRisk(state, today);
  if (atRisk === state.atRisk) return '';
  state.atRisk = atRisk;
  state.atRiskChanges += 1;
  const forecast = forecastEntry(state, today) ?? 'n/a';
  return atRisk
    ? `. The forecast completion ${forecast} is now after the mandate deadline: the entry is at risk.`
    : `. The forecast completion is ${forecast}: the entry is back on track.`;
}

function completeRole(state: EntryState, role: UserRole, principal: AuditRecord['principal'], now: number): Notification[] {
  state.roleCompletedAt[role] = toDate(now);
  addAudit(state, { at: toIso(now), action: AUDIT_ACTION.ROLE_COMPLETE, principal, role });
  const id = notificationIds.roleComplete(state.entryId, role);
  const pending = pendingRoles(state);
  const n = makeNotification(state, {
    id,
    kind: NOTIFICATION_KIND.ROLE_COMPLETE,
    recipients: [partyContact(state), bodyRecipient(BODY.SECAS), bodyRecipient(BODY.DCC)],
    dueAtMs: now,
    role,
    subject: `${state.partyName}: UEP complete for ${role}`,
    body: `SECAS confirmed the User Entry Process complete for ${role} (SEC H1.12): that role may use live DCC services. ${
      pending.length === 0 ? 'Every role sought is now complete.' : `Still pending: ${pending.join(', ')}.`
    }`,
  });
  state.sentNotificationIds.push(id);
  if (pending.length === 0) {
    state.status = ENTRY_STATUS.COMPLETE;
    state.closedAtMs = now;
    state.atRisk = false;
  }
  return [n];
}

export function applyCommand(state: EntryState, command: EntryCommand, now: number): CommandOutcome<EntryState> {
  const dup = checkDuplicate(state, command);
  if (dup.kind === 'reused') return { ok: false, refusal: dup.refusal };
  if (dup.kind === 'duplicate') {
    return { ok: true, duplicate: true, record: dup.record, state, effects: effectsOf(state, [], now) };
  }
  const refusal = refusalFor(state, command);
  if (refusal) return { ok: false, refusal };
  const next = cloneState(state);
  const notifications = tick(next, now); // what fell due before the command, under the old rules
  const { record, notifications: events } = execute(next, command, now);
  notifications.push(...events, ...tick(next, now));
  return { ok: true, duplicate: false, record, state: next, effects: effectsOf(next, notifications, now) };
}
