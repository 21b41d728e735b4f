/**
 * Working days in England and Wales: not a Saturday or Sunday, not a bank holiday. The holiday
 * list is versioned data (calendar-data.ts, generated from date-holidays); an entry keeps the
 * version it started with. Outside a version's years only weekends are non-working days.
 */
import { CALENDARS } from './calendar-data';
import { addDays, weekday } from './dates';

export const CURRENT_CALENDAR_VERSION = 'ew-2026-11';

export function calendarVersions(): string[] {
  return Object.keys(CALENDARS);
}

export function isKnownCalendarVersion(version: string): boolean {
  return Object.prototype.hasOwnProperty.call(CALENDARS, version);
}

const holidaySets: Record<string, ReadonlySet<string>> = {};

function holidays(version: string): ReadonlySet<string> {
  const cached = holidaySets[version];
  if (cached) return cached;
  const data = CALENDARS[version];
  if (!data) throw new Error(`unknown calendar version: ${version}`);
  const set = new Set(data.holidays);
  holidaySets[version] = set;
  return set;
}

/** The bank holidays of a calendar version, sorted 'YYYY-MM-DD'. */
export function bankHolidays(version: string = CURRENT_CALENDAR_VERSION): readonly string[] {
  holidays(version);
  return CALENDARS[version]?.holidays ?? [];
}

export function isWorkingDay(date: string, version: string = CURRENT_CALENDAR_VERSION): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !holidays(version).has(date);
}

/**
 * The date `n` working days after `date` (`date` itself does not count; n = 0 gives `date`).
 * Negative `n` counts back.
 */
export function addWorkingDays(date: string, n: number, version: string = CURRENT_CALENDAR_VERSION): string {
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let d = date;
  while (left > 0) {
    d = addDays(d, step);
    if (isWorkingDay(d, version)) left--;
  }
  return d;
}

/** The first working day after `date`. */
export function nextWorkingDay(date: string, version: string = CURRENT_CALENDAR_VERSION): string {
  return addWorkingDays(date, 1, version);
}

/**
 * Working days d with from < d <= to; negative (the count of from >= d > to) when `to` is
 * before `from`. So workingDaysBetween(a, addWorkingDays(a, n)) === n.
 */
export function workingDaysBetween(from: string, to: string, version: string = CURRENT_CALENDAR_VERSION): number {
  if (to < from) return -workingDaysBetween(to, from, version);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    if (isWorkingDay(d, version)) count++;
  }
  return count;
}
