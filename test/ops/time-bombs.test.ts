/**
 * No test that ages (testkit/time-bombs.ts): a mandate deadline of '2026-12-01' expected AT_RISK
 * read IN_BREACH from 2026-12-02 and failed every build; this guard fails on such a date at once.
 */
import path from 'node:path';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { toDate } from '../../domain/dates';
import { explain, FIXED_CLOCK, scannedFiles, timeBombs } from '../../testkit/time-bombs';

const ROOT = path.resolve(__dirname, '../..');

test('the old compliance report test is caught weeks before it breaks', () => {
  const old = { file: 'test/api/entries.test.ts', text: "  const a = 1;\n    await started(late, startBodyAcceded(late, { mandateDeadline: '2026-12-01' }));\n" };
  expect(timeBombs([old], '2026-11-20')).toEqual([{ file: 'test/api/entries.test.ts', line: 2, date: '2026-12-01' }]);
  expect(explain(timeBombs([old], '2026-11-20'), '2026-11-20')).toContain('test/api/entries.test.ts:2: 2026-12-01');
  // past dates never flip; impossible dates (a validation test's '2030-02-30') are no dates; a fixed-clock file may hold any
  expect(timeBombs([old], '2026-12-01')).toEqual([]);
  expect(timeBombs([{ file: 'test/api/x.test.ts', text: "deadline: '2030-02-30', at: '2026-11-20T10:00:00Z', never: '9999-12-31'" }], '2026-11-20')).toEqual([]);
  expect(timeBombs([{ ...old, file: 'test/domain/x.test.ts' }], '2026-11-20')).toEqual([]);
  expect(timeBombs([{ file: 'test/api/y.test.ts', text: 'at: "2027-01-04T09:00:00.000Z"' }], '2026-11-20')).toEqual([{ file: 'test/api/y.test.ts', line: 1, date: '2027-01-04' }]);
});

test('no test or fixture on the real clock holds a date still ahead of today', () => {
  const files = scannedFiles(ROOT);
  expect(files.length).toBeGreaterThan(50);
  const today = toDate(Date.now());
  const bombs = timeBombs(files, today);
  if (bombs.length > 0) throw new Error(explain(bombs, today));
});

test("the bench's results, written while the suite may run beside the bench, are not scanned: their dates are the run's", () => {
  const probe = path.join(ROOT, 'bench/results/time-bomb-probe.json');
  writeFileSync(probe, `{ "deadline": "${toDate(Date.now() + 400 * 86_400_000)}" }\n`);
  try {
    expect(scannedFiles(ROOT).map((f) => f.file)).not.toContain('bench/results/time-bomb-probe.json');
    expect(scannedFiles(ROOT).map((f) => f.file)).toContain('bench/run.ts');
  } finally {
    rmSync(probe);
  }
});

test('every fixed-clock exception names a file or folder that exists', () => {
  for (const entry of Object.keys(FIXED_CLOCK)) expect({ entry, exists: statSync(path.join(ROOT, entry), { throwIfNoEntry: false }) !== undefined }).toEqual({ entry, exists: true });
});
