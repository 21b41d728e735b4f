/**
 * The entry view: what every view of an entry reads (its search attributes, its next wake-up,
 * the at-risk check of a tick, its summary), derived once per transition from the state and the
 * instant. The forecast is the costly part (a walk of the stage graph per role): it is walked
 * here, once, and nowhere else.
 */
import { addWorkingDays, firstDatePushingPast } from './calendar';
import { dateToMs, toDate } from './dates';
import { roleRemainingWorkingDays } from './forecast';
import { breachInstant } from './reminders';
import { RULES_VERSION, rulesAtLeast } from './rules';
import type { EntryState } from './state';
import { ENTRY_STATUS, type UserRole } from './vocabulary';

export interface EntryView {
  readonly state: EntryState;
  readonly now: number;
  readonly today: string;
  readonly inProgress: boolean;
  /** Working days left on each role's critical path (0 when complete); empty once closed. */
  readonly roleRemaining: ReadonlyMap<UserRole, number>;
  /** Projected completion of every role sought; null once closed. */
  readonly forecast: string | null;
  /** In progress, with a mandate deadline, and forecast after it. */
  readonly atRisk: boolean;
  /** In progress, and the mandate deadline has passed. */
  readonly inBreach: boolean;
}

export function entryView(state: EntryState, now: number): EntryView {
  const today = toDate(now);
  const inProgress = state.status === ENTRY_STATUS.IN_PROGRESS;
  const roleRemaining = new Map<UserRole, number>(inProgress ? state.roles.map((r) => [r, roleRemainingWorkingDays(state, r, today)]) : []);
  const standing = standingOf({ inProgress, remainingWorkingDays: entryRemaining(roleRemaining), mandateDeadline: state.mandate.deadline, calendarVersion: state.calendarVersion }, now, today);
  return { state, now, today, inProgress, roleRemaining, ...standing };
}

/** What an entry's standing depends on that only transitions change (the record stores it per entry). */
export interface StandingFacts {
  inProgress: boolean;
  /** Working days on the entry's critical path (the latest role's); 0 once closed. */
  remainingWorkingDays: number;
  mandateDeadline: string | null;
  calendarVersion: string;
}

export type Standing = Pick<EntryView, 'forecast' | 'atRisk' | 'inBreach'>;

/** The entry's forecast, at risk and in breach at `now` (`today` is its date), from the facts alone. */
export function standingOf(facts: StandingFacts, now: number, today: string = toDate(now)): Standing {
  const forecast = facts.inProgress ? addWorkingDays(today, facts.remainingWorkingDays, facts.calendarVersion) : null;
  const deadline = facts.mandateDeadline;
  return {
    forecast,
    atRisk: deadline !== null && forecast !== null && forecast > deadline,
    inBreach: facts.inProgress && deadline !== null && now >= breachInstant(deadline),
  };
}

/**
 * Whether a change of the at-risk state is told (and kept) now: not while the entry is in breach
 * under rules version 4, where "at risk" is long past and the breach notices say where it stands.
 * The state keeps what was last told, so an amendment out of the breach tells the change then.
 */
export function riskChangeTold(view: EntryView): boolean {
  return !(view.inBreach && rulesAtLeast(view.state, RULES_VERSION.V4));
}

/** The view's working days on the entry's critical path (0 once closed): what time does not move. */
export function remainingWorkingDaysOf(view: EntryView): number {
  return entryRemaining(view.roleRemaining);
}

function entryRemaining(roleRemaining: ReadonlyMap<UserRole, number>): number {
  return Math.max(0, ...roleRemaining.values());
}

/** Projected completion date of a role, or null once it is complete (or the entry closed). */
export function roleForecast(view: EntryView, role: UserRole): string | null {
  if (!view.inProgress || view.state.roleCompletedAt[role] !== undefined) return null;
  return addWorkingDays(view.today, view.roleRemaining.get(role) ?? 0, view.state.calendarVersion);
}

/**
 * While not at risk, the first date after today on which time alone makes the entry at risk
 * (the forecast only moves later as days pass), or null when that cannot happen.
 */
export function atRiskFrom(view: EntryView): string | null {
  const deadline = view.state.mandate.deadline;
  if (deadline === null || !view.inProgress || view.atRisk) return null;
  return firstDatePushingPast(view.today, entryRemaining(view.roleRemaining), deadline, view.state.calendarVersion);
}

// The same answers for a state and a date alone (tests, tools): a view of that day.

export function forecastEntry(state: EntryState, today: string): string | null {
  return entryView(state, dateToMs(today)).forecast;
}

export function forecastRole(state: EntryState, role: UserRole, today: string): string | null {
  return roleForecast(entryView(state, dateToMs(today)), role);
}

export function isAtRisk(state: EntryState, today: string): boolean {
  return entryView(state, dateToMs(today)).atRisk;
}

export function atRiskFromDate(state: EntryState, today: string): string | null {
  return atRiskFrom(entryView(state, dateToMs(today)));
}
