import fc from 'fast-check';
import { deriveEnglandAndWalesHolidays, FIRST_YEAR, LAST_YEAR } from '../../scripts/generate-calendar';
import { CALENDARS } from '../../domain/calendar-data';
import {
  addWorkingDays,
  bankHolidays,
  calendarVersions,
  CURRENT_CALENDAR_VERSION,
  isKnownCalendarVersion,
  isWorkingDay,
  nextWorkingDay,
  workingDaysBetween,
} from '../../domain';
import { firstDatePushingPast } from '../../domain/calendar';
import { addDays, dateParts, daysBetween, isValidDate } from '../../domain/dates';

describe('generated England and Wales calendar', () => {
  it('equals what date-holidays gives now (drift check)', () => {
    const data = CALENDARS[CURRENT_CALENDAR_VERSION];
    expect(data).toBeDefined();
    expect(data?.firstYear).toBe(FIRST_YEAR);
    expect(data?.lastYear).toBe(LAST_YEAR);
    expect([...(data?.holidays ?? [])]).toEqual(deriveEnglandAndWalesHolidays());
  });

  it('covers 2015 to 2035, sorted, valid dates, no duplicates', () => {
    const hs = bankHolidays();
    expect(hs[0]?.startsWith('2015-')).toBe(true);
    expect(hs[hs.length - 1]?.startsWith('2035-')).toBe(true);
    expect([...hs].sort()).toEqual([...hs]);
    expect(new Set(hs).size).toBe(hs.length);
    expect(hs.every(isValidDate)).toBe(true);
    expect(calendarVersions()).toContain(CURRENT_CALENDAR_VERSION);
    expect(isKnownCalendarVersion('ew-1999-01')).toBe(false);
  });

  it.each([
    ['2020-05-08', 'VE Day (moved early May bank holiday)', false],
    ['2022-06-02', 'Spring bank holiday (moved)', false],
    ['2022-06-03', 'Platinum Jubilee', false],
    ['2022-09-19', 'State Funeral', false],
    ['2023-05-08', 'Coronation', false],
    ['2020-12-28', 'Boxing Day substitute', false],
    ['2022-12-27', 'Christmas Day substitute', false],
    ['2021-12-28', 'Boxing Day substitute', false],
    ['2017-01-02', 'New Year substitute', false],
    ['2018-03-30', 'Good Friday', false],
    ['2018-04-02', 'Easter Monday', false],
    ['2018-08-27', 'Summer bank holiday', false],
    ['2026-12-25', 'Christmas', false],
    ['2027-12-28', 'Boxing Day substitute', false],
    ['2035-12-25', 'Christmas 2035', false],
    ['2020-05-04', 'the usual early May Monday in 2020 was moved', true],
    ['2022-05-30', 'the usual spring Monday in 2022 was moved', true],
    ['2026-11-30', 'an ordinary Monday', true],
    ['2018-08-31', 'a Friday', true],
  ])('%s (%s): a working day: %s', (date, _why, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });

  it('weekends are not working days', () => {
    expect(isWorkingDay('2026-11-28')).toBe(false);
    expect(isWorkingDay('2026-11-29')).toBe(false);
    expect(isWorkingDay('2040-01-07')).toBe(false); // beyond the data: weekends only
    expect(isWorkingDay('2040-01-09')).toBe(true);
  });

  it.each([
    ['2026-11-27', 0, '2026-11-27'],
    ['2026-11-27', 1, '2026-11-30'], // Friday + 1 = Monday
    ['2026-11-28', 1, '2026-11-30'], // Saturday + 1 = Monday
    ['2026-12-24', 1, '2026-12-29'], // over Christmas and Boxing Day (substitute Monday 28th)
    ['2022-06-01', 1, '2022-06-06'], // Jubilee weekend
    ['2022-09-16', 1, '2022-09-20'], // State Funeral Monday
    ['2026-11-30', 5, '2026-12-07'],
    ['2026-12-07', -5, '2026-11-30'],
    ['2018-03-01', 20, '2018-03-29'],
  ])('addWorkingDays(%s, %d) = %s', (from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });

  it.each([
    ['2026-11-27', '2026-11-30', 1],
    ['2026-11-30', '2026-11-30', 0],
    ['2026-12-24', '2026-12-31', 3],
    ['2026-12-31', '2026-12-24', -3],
    ['2022-06-01', '2022-06-06', 1],
  ])('workingDaysBetween(%s, %s) = %d', (from, to, n) => {
    expect(workingDaysBetween(from, to)).toBe(n);
  });

  it('workingDaysBetween inverts addWorkingDays', () => {
    for (let i = 0; i < 60; i += 7) {
      const from = addDays('2019-12-20', i);
      for (const n of [0, 1, 3, 10, 25]) expect(workingDaysBetween(from, addWorkingDays(from, n))).toBe(n);
    }
    expect(nextWorkingDay('2020-12-24')).toBe('2020-12-29');
  });

  it('rejects an unknown version', () => {
    expect(() => isWorkingDay('2026-11-30', 'nope')).toThrow(/unknown calendar version/);
  });

  it('date helpers', () => {
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-1-01')).toBe(false);
    expect(isValidDate(20261101)).toBe(false);
    expect(daysBetween('2026-11-01', '2026-12-01')).toBe(30);
    expect(dateParts('2026-06-12')).toEqual([2026, 6, 12]);
    expect(['2026-6-12', '2026-06-12T00:00:00Z', ' 2026-06-12'].map(dateParts)).toEqual([undefined, undefined, undefined]);
  });
});

describe('firstDatePushingPast', () => {
  /** The definition, day by day: the first date after `from` whose n-working-day forecast is after `limit`. */
  function naive(from: string, n: number, limit: string): string {
    for (let d = addDays(from, 1); ; d = addDays(d, 1)) if (addWorkingDays(d, n) > limit) return d;
  }

  test('agrees with the day-by-day definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 700 }), (start, n, slack) => {
        const from = addDays('2015-01-01', start);
        const limit = addDays(addWorkingDays(from, n), slack);
        expect(firstDatePushingPast(from, n, limit)).toBe(naive(from, n, limit));
      }),
      { numRuns: 200 },
    );
  });

  test('one working day left: Christmas, the Boxing Day substitute and New Year hold the forecast at 2027-01-04 until that day', () => {
    expect(firstDatePushingPast('2026-12-24', 1, '2027-01-04')).toBe('2027-01-04');
  });
});
