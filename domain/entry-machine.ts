/**
 * The entry state machine: start input, commands and time in; new state and effects out.
 * Pure and deterministic: `now` (epoch ms, UTC) is the only clock. Every public function
 * returns a new state and never mutates its argument.
 */
import { CURRENT_CALENDAR_VERSION } from './calendar';
import { CURRENT_CATALOGUE_VERSION, getCatalogue, stageDef, type StageRef } from './catalogue';
import { execute } from './commands';
import { toDate, toIso } from './dates';
import { atRiskFromDate, forecastEntry, isAtRisk } from './forecast';
import { refusalFor } from './guards';
import { entryIdFor } from './ids';
import { DEFAULT_REMINDER_OFFSETS_DAYS, resolveMandateDeadline } from './mandates';
import { atRisk as atRiskNotice, backOnTrack } from './notifications';
import { pendingTimedItems } from './reminders';
import { CURRENT_RULES_VERSION, RULES_VERSION, rulesOf, type RulesVersion } from './rules';
import { checkRetry, type RetryCheck } from './retries';
import { addAudit, addStages, principalOf, unblock } from './stage-moves';
import { cloneState, findRecord, type EntryState } from './state';
import { searchAttributesOf } from './summary';
import { AUDIT_ACTION, type CommandOutcome, type Effects, type EntryCommand, type Notification, type Refusal, type StartEntryInput, type Transition } from './types';
import { ENTRY_STATUS, STAGE_STATE } from './vocabulary';

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
    const forecast = forecastEntry(state, toDate(now)) ?? 'n/a';
    const n = atRisk ? atRiskNotice(state, change, forecast, now) : backOnTrack(state, change, forecast, now);
    out.push(n);
    state.sentNotificationIds.push(n.id);
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

/** Validator: why the command would be refused now; undefined when it would be accepted or is a duplicate. */
export function checkCommand(state: EntryState, command: EntryCommand, _now: number): Refusal | undefined {
  const dup = checkDuplicate(state, command);
  if (dup.kind === 'reused') return dup.refusal;
  if (dup.kind === 'duplicate') return undefined;
  return refusalFor(state, command);
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
