/**
 * The forecast: per role, the longest path of remaining estimates (working days from today)
 * through the stages not done; the entry's forecast is the latest role's. What remains of a
 * stage not done is its full estimate: the forecast credits no progress inside a stage. Under
 * rules version 1, a stage whose last decision was a REWORK counted only its SLA (a
 * re-decision), so a rework brought the forecast forward; from version 2 a rework never
 * shortens what remained (docs/domain.md, "Forecast").
 */
import { workingDaysBetween } from './calendar';
import { appliesToRole, dependenciesOf, estimateFor, getCatalogue, slaOf, stageDef, type StageRef } from './catalogue';
import { RULES_VERSION, rulesAtLeast } from './rules';
import { findRecord, refKey, type EntryState } from './state';
import { OUTCOME_EFFECT, STAGE_LEVEL, STAGE_STATE, type UserRole } from './vocabulary';

/**
 * Remaining working days of one stage instance (0 when done). A decision awaited at a known
 * meeting (catalogue v2) remains until the meeting's date, counted from `today`.
 */
export function remainingOf(state: EntryState, ref: StageRef, today?: string): number {
  const record = findRecord(state, ref);
  if (!record || record.state === STAGE_STATE.DONE) return 0;
  if (record.meeting && today !== undefined && record.state === STAGE_STATE.AWAITING_DECISION) {
    return Math.max(0, workingDaysBetween(today, record.meeting.date, state.calendarVersion));
  }
  const def = stageDef(getCatalogue(state.catalogueVersion), ref.stage);
  const estimate = estimateFor(def, state.sharedResourceProvider !== undefined, state.durationSettings);
  if (record.lastEffect !== OUTCOME_EFFECT.REWORK) return estimate;
  const sla = slaOf(def, state.durationSettings);
  return rulesAtLeast(state, RULES_VERSION.V2) ? Math.max(sla, estimate) : sla;
}

/** Working days on the critical path to the role's completion; 0 when the role is complete. */
export function roleRemainingWorkingDays(state: EntryState, role: UserRole, today?: string): number {
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
      value = remainingOf(state, ref, today) + Math.max(0, ...deps);
    }
    memo[key] = value;
    return value;
  };
  const refs = catalogue.stages
    .filter((s) => appliesToRole(s, role))
    .map((s) => (s.level === STAGE_LEVEL.PARTY ? { stage: s.id } : { stage: s.id, role }));
  return Math.max(0, ...refs.map(finish));
}
