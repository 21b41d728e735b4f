/**
 * The forecast: per role, the longest path of remaining estimates (working days from today)
 * through the stages not done; the entry's forecast is the latest role's. What remains of a
 * stage not done is its full estimate: the forecast credits no progress inside a stage. Under
 * rules version 1, a stage whose last decision was a REWORK counted only its SLA (a
 * re-decision), so a rework brought the forecast forward; from version 2 a rework never
 * shortens what remained (docs/domain.md, "Forecast").
 */
import { addWorkingDays, firstDatePushingPast } from './calendar';
import { appliesToRole, dependenciesOf, estimateFor, getCatalogue, stageDef, type StageRef } from './catalogue';
import { RULES_VERSION, rulesAtLeast } from './rules';
import { findRecord, refKey, type EntryState } from './state';
import { ENTRY_STATUS, OUTCOME_EFFECT, STAGE_LEVEL, STAGE_STATE, type UserRole } from './vocabulary';

/** Remaining working days of one stage instance (0 when done). */
export function remainingOf(state: EntryState, ref: StageRef): number {
  const record = findRecord(state, ref);
  if (!record || record.state === STAGE_STATE.DONE) return 0;
  const def = stageDef(getCatalogue(state.catalogueVersion), ref.stage);
  const estimate = estimateFor(def, state.sharedResourceProvider !== undefined);
  if (record.lastEffect !== OUTCOME_EFFECT.REWORK) return estimate;
  return rulesAtLeast(state, RULES_VERSION.V2) ? Math.max(def.slaWorkingDays, estimate) : def.slaWorkingDays;
}

/** Working days on the critical path to the role's completion; 0 when the role is complete. */
export function roleRemainingWorkingDays(state: EntryState, role: UserRole): number {
  if (state.roleCompletedAt[role] !== undefined) return 0;
  const catalogue = getCatalogue(state.catalogueVersion);
  const memo: Record<string, number> = {};
  const finish = (ref: StageRef): number => {
    const key = refKey(ref);
    const known = memo[key];
    if (known !== undefined) return known;
    const record = findRecord(state, ref);
    let value = 0;
    if (record && record.state !== STAGE_STATE.DONE) {
      const deps = dependenciesOf(catalogue, ref).map(finish);
      value = remainingOf(state, ref) + Math.max(0, ...deps);
    }
    memo[key] = value;
    return value;
  };
  const refs = catalogue.stages
    .filter((s) => appliesToRole(s, role))
    .map((s) => (s.level === STAGE_LEVEL.PARTY ? { stage: s.id } : { stage: s.id, role }));
  return Math.max(0, ...refs.map(finish));
}

/** Projected completion date of a role, or null once it is complete (or the entry closed). */
export function forecastRole(state: EntryState, role: UserRole, today: string): string | null {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS || state.roleCompletedAt[role] !== undefined) return null;
  return addWorkingDays(today, roleRemainingWorkingDays(state, role), state.calendarVersion);
}

function entryRemainingWorkingDays(state: EntryState): number {
  return Math.max(0, ...state.roles.map((r) => roleRemainingWorkingDays(state, r)));
}

/** The latest role's forecast; null when nothing is pending. */
export function forecastEntry(state: EntryState, today: string): string | null {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) return null;
  return addWorkingDays(today, entryRemainingWorkingDays(state), state.calendarVersion);
}

/** At risk: in progress, with a mandate deadline, and forecast after it. */
export function isAtRisk(state: EntryState, today: string): boolean {
  const deadline = state.mandate.deadline;
  if (deadline === null) return false;
  const forecast = forecastEntry(state, today);
  return forecast !== null && forecast > deadline;
}

/**
 * While not at risk, the first date after `today` on which time alone makes the entry at risk
 * (the forecast only moves later as days pass), or null when that cannot happen.
 */
export function atRiskFromDate(state: EntryState, today: string): string | null {
  const deadline = state.mandate.deadline;
  if (deadline === null || state.status !== ENTRY_STATUS.IN_PROGRESS || isAtRisk(state, today)) return null;
  return firstDatePushingPast(today, entryRemainingWorkingDays(state), deadline, state.calendarVersion);
}
