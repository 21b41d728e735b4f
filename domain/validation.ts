/**
 * Checks of a start input, before an entry exists: the first problem found, or undefined.
 * Shape problems (which the API's schema already rejects) are INVALID_INPUT, with a message
 * naming the field; rule problems have their own codes.
 */
import { CURRENT_CALENDAR_VERSION, isKnownCalendarVersion, outsideCalendar } from './calendar';
import { dependenciesOf, findStage, getCatalogue, isKnownCatalogueVersion, outcomesFor, type StageRef } from './catalogue';
import { isValidDate } from './dates';
import { sameRef } from './state';
import { refuse } from './guards';
import { REFUSAL, type Refusal, type StartEntryInput } from './types';
import { ALL_COHORTS, ALL_USER_ROLES, OUTCOME_EFFECT, STAGE_LEVEL, type UserRole } from './vocabulary';

export const MAX_REMINDER_OFFSET_DAYS = 3650;

/**
 * `calendarRange`: whether a mandate deadline outside the calendar's years is refused (the API's
 * check before it starts an entry; the workflow's own check leaves it out).
 */
export function validateStartInput(input: StartEntryInput, calendarRange = true): Refusal | undefined {
  if (typeof input.partyId !== 'string' || input.partyId.trim() === '') return refuse(REFUSAL.INVALID_INPUT, 'partyId is required');
  if (typeof input.partyName !== 'string' || input.partyName.trim() === '') return refuse(REFUSAL.INVALID_INPUT, 'partyName is required');
  if (!ALL_COHORTS.includes(input.cohort)) return refuse(REFUSAL.INVALID_INPUT, `unknown cohort: ${String(input.cohort)}`);
  if (!Array.isArray(input.roles) || input.roles.length === 0) return refuse(REFUSAL.ROLE_REQUIRED, 'at least one User Role must be sought');
  const seen = new Set<string>();
  for (const role of input.roles) {
    if (!ALL_USER_ROLES.includes(role)) return refuse(REFUSAL.INVALID_INPUT, `unknown User Role: ${String(role)}`);
    if (seen.has(role)) return refuse(REFUSAL.ROLE_ALREADY_SOUGHT, `${role} is listed twice`);
    seen.add(role);
  }
  if (input.mandateDeadline !== undefined && input.mandateDeadline !== null && !isValidDate(input.mandateDeadline)) {
    return refuse(REFUSAL.INVALID_DEADLINE, `mandateDeadline must be a 'YYYY-MM-DD' date: ${String(input.mandateDeadline)}`);
  }
  const outside = calendarRange && input.mandateDeadline ? outsideCalendar(input.mandateDeadline, input.calendarVersion ?? CURRENT_CALENDAR_VERSION) : undefined;
  if (outside) return refuse(REFUSAL.INVALID_DEADLINE, `The mandate deadline ${outside}`);
  if (!input.uepContact || typeof input.uepContact.email !== 'string' || input.uepContact.email.trim() === '') {
    return refuse(REFUSAL.INVALID_INPUT, 'uepContact with an email is required');
  }
  if (input.reminderOffsetsDays !== undefined) {
    const offsets = input.reminderOffsetsDays;
    if (!Array.isArray(offsets)) return refuse(REFUSAL.INVALID_INPUT, 'reminderOffsetsDays must be a list of days');
    for (const k of offsets) {
      if (!Number.isInteger(k) || k < 0 || k > MAX_REMINDER_OFFSET_DAYS) {
        return refuse(REFUSAL.INVALID_INPUT, `reminder offsets are whole days from 0 to ${MAX_REMINDER_OFFSET_DAYS}: ${String(k)}`);
      }
    }
    if (new Set(offsets).size !== offsets.length) return refuse(REFUSAL.INVALID_INPUT, 'reminderOffsetsDays has a day twice');
  }
  if (input.catalogueVersion !== undefined && !isKnownCatalogueVersion(input.catalogueVersion)) {
    return refuse(REFUSAL.INVALID_INPUT, `unknown catalogue version: ${input.catalogueVersion}`);
  }
  if (input.calendarVersion !== undefined && !isKnownCalendarVersion(input.calendarVersion)) {
    return refuse(REFUSAL.INVALID_INPUT, `unknown calendar version: ${input.calendarVersion}`);
  }
  if (!input.startedBy || typeof input.startedBy.id !== 'string') return refuse(REFUSAL.INVALID_INPUT, 'startedBy is required');
  return validateCompletedStages(input);
}

function validateCompletedStages(input: StartEntryInput): Refusal | undefined {
  const completed = input.completedStages ?? [];
  const catalogue = getCatalogue(input.catalogueVersion);
  const roles: readonly UserRole[] = input.roles;
  const refs: StageRef[] = [];
  for (const c of completed) {
    const def = findStage(catalogue, c.stage);
    if (!def) return refuse(REFUSAL.UNKNOWN_STAGE, `unknown stage in completedStages: ${String(c.stage)}`);
    if (def.level === STAGE_LEVEL.ROLE && c.role === undefined) return refuse(REFUSAL.ROLE_REQUIRED, `${c.stage} is done per role: give the role`);
    if (def.level === STAGE_LEVEL.PARTY && c.role !== undefined) {
      return refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${c.stage} is a party-level stage: give no role`);
    }
    if (c.role !== undefined && (!roles.includes(c.role) || !def.appliesTo.includes(c.role))) {
      return refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${c.stage} does not apply to ${c.role} in this entry`);
    }
    if (def.level === STAGE_LEVEL.PARTY && !roles.some((r) => def.appliesTo.includes(r))) {
      return refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${c.stage} applies to none of the roles sought`);
    }
    const outcome = outcomesFor(def, input.sharedResourceProvider !== undefined).find((o) => o.outcome === c.outcome);
    if (!outcome || outcome.effect !== OUTCOME_EFFECT.DONE) {
      return refuse(REFUSAL.UNKNOWN_OUTCOME, `${String(c.outcome)} is not an outcome that completes ${c.stage}`);
    }
    if (!isValidDate(c.at)) return refuse(REFUSAL.INVALID_INPUT, `completed ${c.stage}: 'at' must be a 'YYYY-MM-DD' date`);
    const ref: StageRef = c.role ? { stage: c.stage, role: c.role } : { stage: c.stage };
    if (refs.some((r) => sameRef(r, ref))) return refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${c.stage}${c.role ? ` (${c.role})` : ''} is listed twice`);
    refs.push(ref);
  }
  for (const ref of refs) {
    for (const dep of dependenciesOf(catalogue, ref)) {
      if (!refs.some((r) => sameRef(r, dep))) {
        return refuse(REFUSAL.NOT_AWAITING, `${ref.stage} cannot be done before ${dep.stage}${dep.role ? ` (${dep.role})` : ''}: list it as completed too`);
      }
    }
  }
  return undefined;
}
