/**
 * Dates relative to the day a test runs. A literal date still ahead of today changes a test's
 * outcome the day it passes (an entry on track today is in breach then); test/ops/time-bombs.test.ts
 * refuses such literals in tests that run on the real clock.
 */
import { DAY_MS, toDate } from '../domain/dates';

/** 'YYYY-MM-DD', `days` calendar days from today (UTC); negative for the past. */
export function daysFromToday(days: number): string {
  return toDate(Date.now() + days * DAY_MS);
}
