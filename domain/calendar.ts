/**
 * Working days in England and Wales: not a Saturday or Sunday, not a bank holiday. The holiday
 * list is versioned data (calendar-data.ts, generated from date-holidays); an entry keeps the
 * version it started with. Outside a version's years its bank holidays are unknown: a start
 * with a mandate deadline there is refused (outsideCalendar, validation.ts), since working days to
 * it cannot be counted.
 */
import { CALENDARS } from './calendar-data';
import { DAY_MS, dateToMs, toDate } from './dates';

export const CURRENT_CALENDAR_VERSION = 'ew-2026-11';

export function calendarVersions(): string[] {
  return Object.keys(CALENDARS);
}

export function isKnownCalendarVersion(version: string): boolean {
  return Object.prototype.hasOwnProperty.call(CALENDARS, version);
}

/** Holidays per version as epoch-day numbers (days since 1970-01-01), built once. */
const holidayDays: Record<string, ReadonlySet<number>> = {};

function holidays(version: string): ReadonlySet<number> {
  const cached = holidayDays[version];
  if (cached) return cached;
  const data = CALENDARS[version];
  if (!data) throw new Error(`unknown calendar version: ${version}`);
  const set = new Set(data.holidays.map(toDay));
  holidayDays[version] = set;
  return set;
}

const toDay = (date: string): number => Math.round(dateToMs(date) / DAY_MS);
const fromDay = (day: number): string => toDate(day * DAY_MS);

function isWorkingDayNumber(day: number, set: ReadonlySet<number>): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
  return weekday !== 0 && weekday !== 6 && !set.has(day);
}

/**
 * Why working days to `date` cannot be counted under `version` (a year whose bank holidays it does
 * not hold), in words; undefined when they can (or the version is unknown: refused elsewhere).
 */
export function outsideCalendar(date: string, version: string = CURRENT_CALENDAR_VERSION): string | undefined {
  const data = CALENDARS[version];
  const year = Number(date.slice(0, 4));
  if (!data || (year >= data.firstYear && year <= data.lastYear)) return undefined;
  return (
    `${date} is outside the working-day calendar: calendar ${version} knows the bank holidays of England and Wales ` +
    `from ${data.firstYear} to ${data.lastYear} only, so the working days to it cannot be counted. ` +
    `Give a date from ${data.firstYear}-01-01 to ${data.lastYear}-12-31.`
  );
}

/** The bank holidays of a calendar version, sorted 'YYYY-MM-DD'. */
export function bankHolidays(version: string = CURRENT_CALENDAR_VERSION): readonly string[] {
  holidays(version);
  return CALENDARS[version]?.holidays ?? [];
}

export function isWorkingDay(date: string, version: string = CURRENT_CALENDAR_VERSION): boolean {
  return isWorkingDayNumber(toDay(date), holidays(version));
}

/**
 * The date `n` working days after `date` (`date` itself does not count; n = 0 gives `date`).
 * Negative `n` counts back.
 */
export function addWorkingDays(date: string, n: number, version: string = CURRENT_CALENDAR_VERSION): string {
  const set = holidays(version);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let day = toDay(date);
  while (left > 0) {
    day += step;
    if (isWorkingDayNumber(day, set)) left--;
  }
  return fromDay(day);
}

/**
 * The first date after `from` on which `addWorkingDays(date, n)` falls after `limit` (n >= 1):
 * the day time alone pushes an n-working-day forecast past a deadline. Integer day arithmetic,
 * since it may walk years of days.
 */
export function firstDatePushingPast(from: string, n: number, limit: string, version: string = CURRENT_CALENDAR_VERSION): string {
  const set = holidays(version);
  const limitDay = toDay(limit);
  let day = toDay(from);
  let forecast = toDay(addWorkingDays(from, n, version));
  for (;;) {
    day++;
    // forecast(day) is the next working day after forecast(day - 1) when day is a working day, else unchanged
    if (isWorkingDayNumber(day, set)) {
      do forecast++;
      while (!isWorkingDayNumber(forecast, set));
    }
    if (forecast > limitDay) return fromDay(day);
  }
}

/** `date` when it is a working day, else the first working day after it. */
export function workingDayOnOrAfter(date: string, version: string = CURRENT_CALENDAR_VERSION): string {
  return isWorkingDay(date, version) ? date : nextWorkingDay(date, version);
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
  const set = holidays(version);
  let count = 0;
  for (let day = toDay(from) + 1, end = toDay(to); day <= end; day++) {
    if (isWorkingDayNumber(day, set)) count++;
  }
  return count;
}
