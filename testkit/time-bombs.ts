/**
 * The time-bomb guard (test/ops/time-bombs.test.ts): a literal date still ahead of today, in a file
 * that runs on the real clock, changes a test's outcome the day it passes. Such a date is written
 * relative to today (./dates.ts: daysFromToday), or its file runs on a clock it controls and is
 * listed in FIXED_CLOCK with the reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { toDate } from '../domain/dates';

/** What tests run or read: every file under these folders, and these files. */
export const SCANNED = ['test', 'testkit', 'bench', 'scripts/console-screenshots.ts'];
/** What is written, not run: the bench's results (its measurements hold the dates of the run that wrote them). */
export const NOT_SCANNED = ['bench/results'];

/**
 * Files (or folders, ending in '/') that run on a fixed clock they control: their literal dates
 * never meet the real clock. Reviewed: each says why.
 */
export const FIXED_CLOCK: Record<string, string> = {
  'test/domain/': 'the domain is pure: every test passes its own `now` (domain-fixtures.ts: at(...))',
  'test/replay/histories/': 'recorded histories replay on the clock they were recorded with',
  'test/record/store.test.ts': 'projections are written as of T0 (2026-11-02) and read with ctx.now fixed',
  'test/workflows/search-attributes.test.ts': 'encodes and decodes values; no clock involved',
  'bench/domain-cpu.ts': 'drives the pure domain from a fixed instant (2026-12-01T10:00Z)',
  'test/ops/time-bombs.test.ts': "the guard's own examples: each passes its `today`",
};

export interface TimeBomb {
  file: string;
  line: number;
  date: string;
}

const ISO_DATE = /(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)/g;
/** A real calendar date, not an impossible one ('2030-02-30') nor the year-9999 sentinel for "never". */
const isCalendarDate = (d: string) => d < '9999' && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && toDate(Date.parse(`${d}T00:00:00Z`)) === d;

/** Every real calendar date later than `today` ('YYYY-MM-DD') in the given files, except those on a fixed clock. */
export function timeBombs(files: { file: string; text: string }[], today: string, fixedClock: Record<string, string> = FIXED_CLOCK): TimeBomb[] {
  const fixed = Object.keys(fixedClock);
  const found: TimeBomb[] = [];
  for (const { file, text } of files) {
    if (fixed.some((f) => (f.endsWith('/') ? file.startsWith(f) : file === f))) continue;
    text.split('\n').forEach((content, i) => {
      for (const [, date] of content.matchAll(ISO_DATE)) {
        if (date! > today && isCalendarDate(date!)) found.push({ file, line: i + 1, date: date! });
      }
    });
  }
  return found;
}

export function explain(bombs: TimeBomb[], today: string): string {
  return [
    `${bombs.length} literal date(s) still ahead of today (${today}) in files that run on the real clock;`,
    'each changes its test the day it passes:',
    ...bombs.map((b) => `  ${b.file}:${b.line}: ${b.date}`),
    'Fix: write the date relative to today (testkit/dates.ts: daysFromToday(30)), or, if the file runs on a',
    'clock it controls (every instant passed in as `now`), add it to FIXED_CLOCK in testkit/time-bombs.ts with the reason.',
  ].join('\n');
}

/** The scanned files of the checkout at `root`, with their text. */
export function scannedFiles(root: string): { file: string; text: string }[] {
  const under = (rel: string): string[] => {
    const abs = path.join(root, rel);
    if (!statSync(abs).isDirectory()) return [rel];
    if (NOT_SCANNED.includes(rel)) return [];
    return readdirSync(abs, { withFileTypes: true }).flatMap((d) => (d.name === 'node_modules' ? [] : under(path.posix.join(rel, d.name))));
  };
  return SCANNED.flatMap(under).map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));
}
