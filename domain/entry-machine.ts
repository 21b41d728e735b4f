/**
 * The entry state machine: start input, commands and time in; new state and effects out.
 * Pure and deterministic: `now` (epoch ms, UTC) is the only clock. Every public function
 * returns a new state and never mutates its argument.
 */
import { CURRENT_CALENDAR_VERSION } from './calendar';
import { CURRENT_CATALOGUE_VERSION, durationSettingsOf, getCatalogue, stageDef, type Catalogue, type StageRef } from './catalogue';
import { execute } from './commands';
import { dateToMs, toIso } from './dates';
import { atRiskFrom, entryView, riskChangeTold, type EntryView } from './entry-view';
import { refusalFor } from './guards';
import { entryIdFor } from './ids';
import { DEFAULT_REMINDER_OFFSETS_DAYS, resolveMandateDeadline } from './mandates';
import { atRisk as atRiskNotice, backOnTrack, entryStarted, tellDecidingBodies } from './notifications';
import { pendingTimedItems, type TimedItem } from './reminders';
import { namingOf } from './wording';
import { CURRENT_RULES_VERSION, RULES_VERSION, rulesAtLeast, rulesOf, type RulesVersion } from './rules';
import { checkRetry, type RetryCheck } from './retries';
import { addAudit, addStages, principalOf, unblock } from './stage-moves';
import { cloneState, findRecord, type EntryState } from './state';
import { searchAttributesOf } from './summary';
import { AUDIT_ACTION, type CommandOutcome, type Effects, type EntryCommand, type Notification, type Refusal, type StartEntryInput, type Transition } from './types';
import { ENTRY_STATUS, STAGE_STATE } from './vocabulary';

// ---------------------------------------------------------------------------------------------
// Time

/** What a tick leaves: the notifications it sent and the timed items still ahead, in order. */
interface Ticked {
  notifications: Notification[];
  ahead: TimedItem[];
}

/**
 * Emits every timed notification due at or before `now` not yet sent, then re-evaluates the
 * at-risk state from `view` (telling the Party and SECAS when it changed). Mutates `view.state`.
 */
function tick(view: EntryView): Ticked {
  const { state, now } = view;
  if (!view.inProgress) return { notifications: [], ahead: [] };
  const out: Notification[] = [];
  const pending = pendingTimedItems(state, now);
  for (const item of pending) {
    if (item.at > now) break;
    out.push(item.build());
    state.sentNotificationIds.push(item.id);
  }
  if (view.atRisk !== state.atRisk && riskChangeTold(view)) {
    state.atRisk = view.atRisk;
    state.atRiskChanges += 1;
    const change = state.atRiskChanges;
    const forecast = view.forecast ?? 'n/a';
    const n = view.atRisk ? atRiskNotice(state, change, forecast, now) : backOnTrack(state, change, forecast, now);
    out.push(n);
    state.sentNotificationIds.push(n.id);
  }
  return { notifications: out, ahead: pending.filter((item) => item.at > now) };
}

/** The next instant anything is due: a timed notification, or the day time alone makes the entry at risk. */
function nextWake(view: EntryView, ahead: readonly TimedItem[]): number | null {
  if (!view.inProgress) return null;
  const candidates: number[] = [];
  const next = ahead[0];
  if (next) candidates.push(next.at);
  const riskDate = atRiskFrom(view);
  if (riskDate !== null) candidates.push(dateToMs(riskDate));
  if (candidates.length === 0) return null;
  return Math.max(view.now, Math.min(...candidates));
}

/**
 * From rules version 4 the ops view's next deadline (UepNextDeadline) is the instant of the next
 * wake-up, so "UepNextDeadline < now" finds exactly the entries that should have acted and have not;
 * before, it was 00:00 of the next thing's date, hours before the 09:00 wake-up.
 */
function effectsOf(view: EntryView, ticked: Ticked): Effects {
  const wakeAt = nextWake(view, ticked.ahead);
  const searchAttributes = searchAttributesOf(view.state, view.now, view);
  if (rulesAtLeast(view.state, RULES_VERSION.V4)) searchAttributes.nextDeadline = wakeAt === null ? null : toIso(wakeAt);
  return { notifications: ticked.notifications, searchAttributes, wakeAt };
}

/** Ticks the (copied, owned) state at the view's instant; its effects, read from the one view. */
function settle(view: EntryView, before: Notification[] = []): Transition<EntryState, EntryView> {
  const ticked = tick(view);
  return { state: view.state, view, effects: effectsOf(view, { ...ticked, notifications: [...before, ...ticked.notifications] }) };
}

export function advanceTime(state: EntryState, now: number): Transition<EntryState, EntryView> {
  return settle(entryView(cloneState(state), now));
}

/** Moves a running entry onto newer rules (never back); the state is otherwise unchanged. */
export function upgradeRules(state: EntryState, rules: RulesVersion): EntryState {
  if (rulesOf(state) >= rules) return state;
  return { ...cloneState(state), rulesVersion: rules };
}

// ---------------------------------------------------------------------------------------------
// Start

/** The settings the catalogue's assumed durations read, of those given (none: the state carries no field). */
function settingsFor(catalogue: Catalogue, given: StartEntryInput['durationSettings']): Pick<EntryState, 'durationSettings'> {
  const known = durationSettingsOf(catalogue);
  const picked = Object.fromEntries(Object.entries(given ?? {}).filter(([name, days]) => name in known && Number.isInteger(days) && days >= 0));
  return Object.keys(picked).length > 0 ? { durationSettings: picked } : {};
}

/**
 * Starts an entry under `rules` (the workflow passes the version `patched()` allows; see
 * domain/rules.ts). Version 1 leaves `rulesVersion` out of the state, as it always was.
 */
export function startEntry(input: StartEntryInput, now: number, rules: RulesVersion = CURRENT_RULES_VERSION): Transition<EntryState, EntryView> {
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
    ...settingsFor(catalogue, input.durationSettings),
    ...(rules === RULES_VERSION.V1 ? {} : { rulesVersion: rules }),
    reminderOffsetsDays: offsets,
    status: ENTRY_STATUS.IN_PROGRESS,
    startedAtMs: now,
    mandate: { deadline: resolveMandateDeadline({ ...input, catalogueVersion }), version: 1, setAtMs: now },
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
  if (input.meetings !== undefined) state.meetings = { version: input.meetings.version, meetings: input.meetings.meetings.map((m) => ({ ...m })) };
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
      comment: `done on ${namingOf(state).date(c.at)}, before the entry started`,
    });
  }
  unblock(state, now);
  if (state.roles.every((r) => state.roleCompletedAt[r] !== undefined)) {
    state.status = ENTRY_STATUS.COMPLETE;
    state.closedAtMs = now;
  }
  const started: Notification[] = [];
  if (rulesAtLeast(state, RULES_VERSION.V3) && state.status === ENTRY_STATUS.IN_PROGRESS) {
    const n = entryStarted(state, now);
    started.push(n);
    state.sentNotificationIds.push(n.id);
  }
  started.push(...tellDecidingBodies(state, now)); // rules version 6: the bodies whose decision a stage awaits from the start
  return settle(entryView(state, now), started);
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

export function applyCommand(state: EntryState, command: EntryCommand, now: number): CommandOutcome<EntryState, EntryView> {
  const dup = checkDuplicate(state, command);
  if (dup.kind === 'reused') return { ok: false, refusal: dup.refusal };
  if (dup.kind === 'duplicate') {
    const view = entryView(state, now);
    const ahead = view.inProgress ? pendingTimedItems(state, now) : [];
    return { ok: true, duplicate: true, record: dup.record, state, view, effects: effectsOf(view, { notifications: [], ahead }) };
  }
  const refusal = refusalFor(state, command);
  if (refusal) return { ok: false, refusal };
  const next = cloneState(state);
  const before = tick(entryView(next, now)).notifications; // what fell due before the command, under the old rules
  const { record, notifications: events } = execute(next, command, now);
  const transition = settle(entryView(next, now), [...before, ...events]);
  return { ok: true, duplicate: false, record, ...transition };
}
