/**
 * Date and instant helpers. Conventions: every instant is UTC epoch milliseconds (or its ISO
 * string); a date is 'YYYY-MM-DD' and means that calendar day in UTC. Pure: `new Date(ms)` is
 * used for formatting only, never to read the clock.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** How a date is written: 'YYYY-MM-DD' (whether that day exists is `isValidDate`). */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Year, month (1-12) and day of a date written 'YYYY-MM-DD'; undefined for anything else. */
export function dateParts(date: string): [year: number, month: number, day: number] | undefined {
  if (!DATE_PATTERN.test(date)) return undefined;
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** True when `s` is a real calendar date written 'YYYY-MM-DD'. */
export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const parts = dateParts(s);
  return parts !== undefined && toDate(Date.UTC(parts[0], parts[1] - 1, parts[2])) === s;
}

/** Epoch ms of 00:00 UTC on `date`. */
export function dateToMs(date: string): number {
  const parts = dateParts(date);
  if (!parts) throw new Error(`not a date: ${date}`);
  return Date.UTC(parts[0], parts[1] - 1, parts[2]);
}

/** The UTC calendar date of an instant. */
export function toDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Epoch ms of `hour`:00 UTC on `date`. */
export function atHourUtc(date: string, hour: number): number {
  return dateToMs(date) + hour * HOUR_MS;
}

export function addDays(date: string, days: number): string {
  return toDate(dateToMs(date) + days * DAY_MS);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateToMs(to) - dateToMs(from)) / DAY_MS);
}
