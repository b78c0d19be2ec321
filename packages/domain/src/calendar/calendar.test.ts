import { describe, expect, it } from 'vitest';
import type { TimeLimit } from '../catalog/duty-catalog';
import { ValidationError } from '../errors';
import { TenantCalendarSchema, WorkingCalendar } from './calendar';
import { defaultChinaCalendar } from './china-holidays';

/** Beijing time, written as the tests think of it. */
const bj = (local: string): Date => new Date(`${local}+08:00`);
const iso = (date: Date): string => date.toISOString();

const working = (amount: number, unit: TimeLimit['unit']): TimeLimit => ({ amount, unit, basis: 'working' });
const natural = (amount: number, unit: TimeLimit['unit']): TimeLimit => ({ amount, unit, basis: 'natural' });

const china = new WorkingCalendar(defaultChinaCalendar());

describe('WorkingCalendar.isWorkingDay', () => {
  it.each([
    ['2026-03-16', true, 'a Monday'],
    ['2026-03-14', false, 'a Saturday'],
    ['2026-03-15', false, 'a Sunday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-05', false, 'a Monday inside the National Day week'],
    ['2026-09-20', true, 'a Sunday worked for National Day'],
    ['2026-10-10', true, 'a Saturday worked for National Day'],
    ['2026-02-14', true, 'a Saturday worked for the Spring Festival'],
    ['2025-10-08', false, 'the last day of the 2025 National Day week'],
    ['2025-10-11', true, 'a Saturday worked in 2025'],
  ])('%s is %s (%s)', (date, expected) => {
    expect(china.isWorkingDay(date)).toBe(expected);
  });

  it('falls back to weekends for a year the calendar does not list', () => {
    expect(china.coversDate('2027-10-01')).toBe(false);
    expect(china.isWorkingDay('2027-10-01')).toBe(true);
    expect(china.coversDate('2026-10-01')).toBe(true);
  });

  it('rejects what is not a date', () => {
    expect(() => china.isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('WorkingCalendar.addTime, working days', () => {
  it('skips a weekend', () => {
    // Friday 10:00 + 2 working days = Tuesday 10:00.
    expect(iso(china.addTime(bj('2026-03-13T10:00'), working(2, 'days')))).toBe(iso(bj('2026-03-17T10:00')));
  });

  it('skips the National Day week', () => {
    expect(iso(china.addTime(bj('2026-09-30T10:00'), working(1, 'days')))).toBe(iso(bj('2026-10-08T10:00')));
  });

  it('lands on a make-up working day', () => {
    // Thursday 8 and Friday 9 October, then Saturday 10 October is worked.
    expect(iso(china.addTime(bj('2026-09-30T10:00'), working(3, 'days')))).toBe(iso(bj('2026-10-10T10:00')));
    // Friday 18 September + 1 = Sunday 20 September, a make-up working day.
    expect(iso(china.addTime(bj('2026-09-18T15:00'), working(1, 'days')))).toBe(iso(bj('2026-09-20T15:00')));
    // Before the Spring Festival: Saturday 14 February is worked, then nine days off.
    expect(iso(china.addTime(bj('2026-02-13T10:00'), working(1, 'days')))).toBe(iso(bj('2026-02-14T10:00')));
    expect(iso(china.addTime(bj('2026-02-13T10:00'), working(2, 'days')))).toBe(iso(bj('2026-02-24T10:00')));
  });

  it('counts a case started last year across the new year', () => {
    // Wednesday 31 December 2025, then 1-3 January off and Sunday 4 January worked.
    expect(iso(china.addTime(bj('2025-12-31T16:00'), working(1, 'days')))).toBe(iso(bj('2026-01-04T16:00')));
  });

  it.each([
    ['Friday evening', '2026-03-13T20:00', 1, '2026-03-16T17:30'],
    ['early Monday', '2026-03-16T08:00', 1, '2026-03-16T17:30'],
    ['the very start of the working day', '2026-03-16T09:00', 1, '2026-03-16T17:30'],
    ['a Saturday', '2026-03-14T11:00', 2, '2026-03-17T17:30'],
    ['the evening before National Day', '2026-09-30T19:00', 1, '2026-10-08T17:30'],
    ['the close of business', '2026-03-16T17:30', 1, '2026-03-17T17:30'],
  ])('started outside working hours (%s): end of the N-th working day', (_label, start, days, due) => {
    expect(iso(china.addTime(bj(start), working(days, 'days')))).toBe(iso(bj(due)));
  });

  it('treats a start in the lunch break as the start of the afternoon', () => {
    expect(iso(china.addTime(bj('2026-03-16T12:30'), working(1, 'days')))).toBe(iso(bj('2026-03-17T13:30')));
  });
});

describe('WorkingCalendar.addTime, working hours', () => {
  it.each([
    ['within the morning', '2026-03-16T09:30', 2, '2026-03-16T11:30'],
    ['across the lunch break', '2026-03-16T11:00', 2, '2026-03-16T14:30'],
    ['to exactly the close of business', '2026-03-16T15:30', 2, '2026-03-16T17:30'],
    ['overnight', '2026-03-16T16:30', 2, '2026-03-17T10:00'],
    ['over a weekend', '2026-03-13T17:00', 1, '2026-03-16T09:30'],
    ['over National Day to the make-up Saturday', '2026-10-09T17:00', 1, '2026-10-10T09:30'],
    ['from a Saturday', '2026-03-14T10:00', 1, '2026-03-16T10:00'],
    ['from the lunch break', '2026-03-16T12:15', 1, '2026-03-16T14:30'],
    ['from the evening, a whole day', '2026-03-16T22:00', 7, '2026-03-17T17:30'],
    ['more than a day', '2026-03-16T10:00', 16, '2026-03-18T12:00'],
  ])('%s', (_label, start, hours, due) => {
    expect(iso(china.addTime(bj(start), working(hours, 'hours')))).toBe(iso(bj(due)));
  });
});

describe('WorkingCalendar.addTime, natural time', () => {
  it('ignores weekends, holidays and working hours', () => {
    expect(iso(china.addTime(bj('2026-09-30T10:00'), natural(24, 'hours')))).toBe(
      iso(bj('2026-10-01T10:00')),
    );
    expect(iso(china.addTime(bj('2026-09-30T10:00'), natural(3, 'days')))).toBe(iso(bj('2026-10-03T10:00')));
    expect(iso(china.addTime(bj('2026-03-14T23:00'), natural(2, 'hours')))).toBe(iso(bj('2026-03-15T01:00')));
  });
});

describe('WorkingCalendar.addTime, invalid input', () => {
  it('rejects a limit the catalog would reject, and an invalid start', () => {
    expect(() => china.addTime(bj('2026-03-16T10:00'), working(0, 'hours'))).toThrow(ValidationError);
    expect(() => china.addTime(new Date(Number.NaN), working(1, 'hours'))).toThrow(RangeError);
  });
});

describe('WorkingCalendar.workingMinutesBetween', () => {
  it('counts only working periods of working days', () => {
    expect(china.workingMinutesBetween(bj('2026-03-16T08:00'), bj('2026-03-16T20:00'))).toBe(420);
    expect(china.workingMinutesBetween(bj('2026-03-16T11:30'), bj('2026-03-16T14:00'))).toBe(60);
    expect(china.workingMinutesBetween(bj('2026-03-13T17:00'), bj('2026-03-16T09:30'))).toBe(60);
    expect(china.workingMinutesBetween(bj('2026-09-30T17:30'), bj('2026-10-08T09:00'))).toBe(0);
    expect(china.workingMinutesBetween(bj('2026-03-16T10:00'), bj('2026-03-16T09:00'))).toBe(-60);
  });

  it('agrees with addTime for every start over weeks full of holidays', () => {
    // Every 47 minutes from mid-September to late October 2026, so starts fall at all times of
    // day, on weekends, in the National Day week and on make-up days.
    const first = bj('2026-09-14T00:00').getTime();
    const last = bj('2026-10-20T00:00').getTime();
    let checked = 0;
    for (let t = first; t < last; t += 47 * 60_000) {
      const start = new Date(t);
      for (const hours of [1, 3, 8, 20]) {
        const due = china.addTime(start, working(hours, 'hours'));
        expect(china.workingMinutesBetween(start, due)).toBe(hours * 60);
        // And it is the earliest such instant: a minute earlier is a minute short.
        expect(china.workingMinutesBetween(start, new Date(due.getTime() - 60_000))).toBe(hours * 60 - 1);
      }
      for (const days of [1, 2, 5]) {
        const due = china.addTime(start, working(days, 'days'));
        expect(china.workingMinutesBetween(start, due)).toBe(days * china.minutesPerWorkingDay);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('WorkingCalendar.deadlineStatus', () => {
  const deadline = bj('2026-03-16T10:00');

  it('is due soon within the warning window, counted in working minutes', () => {
    expect(china.deadlineStatus(deadline, bj('2026-03-16T08:00'), 60)).toBe('due_soon');
    expect(china.deadlineStatus(deadline, bj('2026-03-16T08:00'), 59)).toBe('on_time');
    // Friday evening: only an hour of working time is left before Monday 10:00.
    expect(china.deadlineStatus(deadline, bj('2026-03-13T18:00'), 60)).toBe('due_soon');
    expect(china.deadlineStatus(deadline, bj('2026-03-13T18:00'), 60, 'natural')).toBe('on_time');
    expect(china.deadlineStatus(deadline, bj('2026-03-16T09:00'), 60, 'natural')).toBe('due_soon');
  });

  it('is overdue only once the deadline has passed', () => {
    expect(china.deadlineStatus(deadline, deadline, 0)).toBe('due_soon');
    expect(china.deadlineStatus(deadline, new Date(deadline.getTime() + 1), 0)).toBe('overdue');
    expect(china.deadlineStatus(deadline, bj('2026-03-16T09:59'), 0)).toBe('on_time');
  });

  it('rejects a negative warning window', () => {
    expect(() => china.deadlineStatus(deadline, deadline, -1)).toThrow(RangeError);
  });
});

describe('TenantCalendarSchema', () => {
  it('fills the defaults', () => {
    expect(TenantCalendarSchema.parse({})).toEqual({
      timeZone: 'Asia/Shanghai',
      workingHours: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
      weekendDays: [6, 0],
      years: {},
    });
    expect(new WorkingCalendar().minutesPerWorkingDay).toBe(420);
  });

  it('accepts other working hours', () => {
    const calendar = new WorkingCalendar({ workingHours: [{ start: '08:00', end: '24:00' }] });
    expect(calendar.minutesPerWorkingDay).toBe(960);
    expect(iso(calendar.addTime(bj('2026-03-16T23:00'), working(2, 'hours')))).toBe(
      iso(bj('2026-03-17T09:00')),
    );
  });

  it.each([
    ['a one-digit hour', { workingHours: [{ start: '9:00', end: '12:00' }] }],
    ['minute 60', { workingHours: [{ start: '09:00', end: '12:60' }] }],
    ['a time past midnight', { workingHours: [{ start: '09:00', end: '24:30' }] }],
    ['a period ending before it starts', { workingHours: [{ start: '13:00', end: '12:00' }] }],
    [
      'overlapping periods',
      {
        workingHours: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '17:00' },
        ],
      },
    ],
    ['no working period', { workingHours: [] }],
    ['an unknown field in a period', { workingHours: [{ start: '09:00', end: '12:00', lunch: true }] }],
    ['an impossible date', { years: { '2026': { holidays: ['2026-02-30'], workdays: [] } } }],
    ['a date in another format', { years: { '2026': { holidays: ['2026/10/01'], workdays: [] } } }],
    ['a short year', { years: { '26': { holidays: [], workdays: [] } } }],
    ['an unknown field in a year', { years: { '2026': { holidays: [], workdays: [], local: [] } } }],
    [
      'a day both off and worked',
      { years: { '2026': { holidays: ['2026-10-10'], workdays: ['2026-10-10'] } } },
    ],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['a weekday 7', { weekendDays: [7] }],
    ['a weekend day twice', { weekendDays: [0, 0] }],
    ['every day a weekend day', { weekendDays: [0, 1, 2, 3, 4, 5, 6] }],
    ['an unknown field', { holidays: [] }],
  ])('rejects %s', (_label, input) => {
    expect(TenantCalendarSchema.safeParse(input).success).toBe(false);
    expect(() => new WorkingCalendar(input as never)).toThrow(ValidationError);
  });
});

describe('time zones', () => {
  it('places working hours on the tenant zone, not on Beijing time', () => {
    // Asia/Urumqi is UTC+6 in the tz database: its 09:00 is 11:00 in Beijing.
    const urumqi = new WorkingCalendar({ ...defaultChinaCalendar(), timeZone: 'Asia/Urumqi' });
    expect(iso(urumqi.addTime(bj('2026-03-16T10:00'), working(1, 'hours')))).toBe(
      iso(bj('2026-03-16T12:00')),
    );
    expect(iso(urumqi.addTime(bj('2026-03-16T10:00'), working(1, 'days')))).toBe(iso(bj('2026-03-16T19:30')));
    // 01:00 on 1 October in Beijing is still 30 September, a working day, in Urumqi.
    expect(urumqi.localDateOf(bj('2026-10-01T01:00'))).toBe('2026-09-30');
    expect(china.localDateOf(bj('2026-10-01T01:00'))).toBe('2026-10-01');
  });

  describe('Europe/Berlin, across daylight-saving changes', () => {
    const berlin = new WorkingCalendar({ timeZone: 'Europe/Berlin' });
    const utc = (value: string): Date => new Date(`${value}Z`);

    it('keeps working hours on the wall clock when clocks go forward (29 March 2026)', () => {
      // Friday 16:30 CET + 2 working hours = Monday 10:00 CEST.
      expect(iso(berlin.addTime(utc('2026-03-27T15:30'), working(2, 'hours')))).toBe(
        '2026-03-30T08:00:00.000Z',
      );
      // Friday 10:00 CET + 1 working day = Monday 10:00 CEST: 71 hours later, not 72.
      expect(iso(berlin.addTime(utc('2026-03-27T09:00'), working(1, 'days')))).toBe(
        '2026-03-30T08:00:00.000Z',
      );
      expect(berlin.workingMinutesBetween(utc('2026-03-27T08:00'), utc('2026-03-30T07:00'))).toBe(420);
    });

    it('keeps working hours on the wall clock when clocks go back (25 October 2026)', () => {
      // Friday 17:00 CEST + 1 working hour = Monday 09:30 CET.
      expect(iso(berlin.addTime(utc('2026-10-23T15:00'), working(1, 'hours')))).toBe(
        '2026-10-26T08:30:00.000Z',
      );
    });

    it('counts natural days on the wall clock and natural hours as elapsed time', () => {
      // Saturday 12:00 CET + 1 day = Sunday 12:00 CEST, 23 hours later; + 24 hours = 13:00 CEST.
      expect(iso(berlin.addTime(utc('2026-03-28T11:00'), natural(1, 'days')))).toBe(
        '2026-03-29T10:00:00.000Z',
      );
      expect(iso(berlin.addTime(utc('2026-03-28T11:00'), natural(24, 'hours')))).toBe(
        '2026-03-29T11:00:00.000Z',
      );
    });

    it('takes the date from the tenant zone', () => {
      // 23:30 UTC on Friday is already Saturday in Berlin (and in Beijing).
      expect(berlin.localDateOf(utc('2026-03-27T22:30'))).toBe('2026-03-27');
      expect(berlin.localDateOf(utc('2026-03-27T23:30'))).toBe('2026-03-28');
      expect(china.localDateOf(utc('2026-03-27T22:30'))).toBe('2026-03-28');
    });
  });
});
