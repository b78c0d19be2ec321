import { z } from 'zod';
import { type TimeLimit, TimeLimitSchema } from '../catalog/duty-catalog';
import { ValidationError } from '../errors';
import {
  addDays,
  clockTimeToMs,
  instantAt,
  isLocalDate,
  isValidTimeZone,
  type LocalDate,
  localDateOf,
  wallClockAt,
  weekdayOf,
} from './zoned-time';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
/** A calendar that finds no working time within this many days is misconfigured, not busy. */
const MAX_IDLE_DAYS = 3660;

export const LocalDateSchema = z
  .string()
  .refine(isLocalDate, 'a real date written YYYY-MM-DD')
  .describe('a civil date in the tenant time zone');

/** 'HH:MM' on a 24-hour clock; '24:00' is allowed as the end of a period that runs to midnight. */
export const ClockTimeSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time written HH:MM, from 00:00 to 24:00');

export const WorkingPeriodSchema = z
  .strictObject({ start: ClockTimeSchema, end: ClockTimeSchema })
  .refine((period) => clockTimeToMs(period.start) < clockTimeToMs(period.end), {
    message: 'a working period ends after it starts',
    path: ['end'],
  });
export type WorkingPeriod = z.infer<typeof WorkingPeriodSchema>;

/**
 * One year's schedule as a State Council notice publishes it. The key is the notice's year, not
 * necessarily each date's: a notice sometimes moves days at the turn of the year before.
 */
export const YearScheduleSchema = z.strictObject({
  /** Days off on what would otherwise be working days (weekend days inside a holiday are harmless). */
  holidays: z.array(LocalDateSchema).max(60).default([]),
  /** Make-up working days (调休上班): weekend days that are worked to lengthen a holiday. */
  workdays: z.array(LocalDateSchema).max(30).default([]),
});
export type YearSchedule = z.infer<typeof YearScheduleSchema>;

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** 09:00-12:00 and 13:30-17:30: a usual government office day, 7 hours; tenants set their own. */
export const DEFAULT_WORKING_HOURS: readonly WorkingPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

export const TenantCalendarSchema = z
  .strictObject({
    timeZone: z
      .string()
      .refine(isValidTimeZone, 'an IANA time zone such as Asia/Shanghai')
      .default(DEFAULT_TIME_ZONE),
    workingHours: z
      .array(WorkingPeriodSchema)
      .min(1)
      .max(8)
      .default(() => DEFAULT_WORKING_HOURS.map((period) => ({ ...period }))),
    /** 0 = Sunday … 6 = Saturday. At least one weekday must remain, or nothing could ever be due. */
    weekendDays: z
      .array(z.number().int().min(0).max(6))
      .max(6)
      .default(() => [6, 0]),
    years: z.record(z.string().regex(/^\d{4}$/, 'a four-digit year'), YearScheduleSchema).default(() => ({})),
  })
  .superRefine((calendar, ctx) => {
    const periods = calendar.workingHours;
    for (let i = 1; i < periods.length; i++) {
      const previous = periods[i - 1];
      const current = periods[i];
      if (previous && current && clockTimeToMs(current.start) < clockTimeToMs(previous.end)) {
        ctx.addIssue({
          code: 'custom',
          message: 'working periods are in order and do not overlap',
          path: ['workingHours', i],
        });
      }
    }
    if (new Set(calendar.weekendDays).size !== calendar.weekendDays.length) {
      ctx.addIssue({ code: 'custom', message: 'a weekend day is listed twice', path: ['weekendDays'] });
    }
    const holidays = new Set(Object.values(calendar.years).flatMap((year) => year.holidays));
    for (const [year, schedule] of Object.entries(calendar.years)) {
      schedule.workdays.forEach((date, index) => {
        if (holidays.has(date)) {
          ctx.addIssue({
            code: 'custom',
            message: `${date} is both a holiday and a make-up working day`,
            path: ['years', year, 'workdays', index],
          });
        }
      });
    }
  });
export type TenantCalendar = z.output<typeof TenantCalendarSchema>;
export type TenantCalendarInput = z.input<typeof TenantCalendarSchema>;

export type DeadlineStatus = 'on_time' | 'due_soon' | 'overdue';

interface Interval {
  start: number;
  end: number;
}

const toMs = (value: Date, name: string): number => {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
};

/**
 * Time limits counted by a tenant's calendar. Pure: every answer depends only on the calendar and
 * the instants passed in, so the caller's Clock decides what "now" is.
 *
 * Working time is real elapsed time inside the working periods of working days, each period placed
 * on the wall clock of the tenant's zone (so a period on a daylight-saving day keeps its local
 * times). A day is a working day when it is a listed make-up working day, or else when it is
 * neither a listed holiday nor a weekend day. Years the calendar does not list fall back to
 * weekends alone; `coversDate` lets callers warn when a schedule is missing.
 */
export class WorkingCalendar {
  readonly config: TenantCalendar;
  private readonly holidays: ReadonlySet<LocalDate>;
  private readonly workdays: ReadonlySet<LocalDate>;
  private readonly weekend: ReadonlySet<number>;
  private readonly periods: readonly { start: number; end: number }[];
  private readonly dayStartMs: number;
  private readonly dayEndMs: number;
  // Deadline checks repeat the same few weeks; the cap keeps a long-lived process from growing.
  private readonly intervalCache = new Map<LocalDate, readonly Interval[]>();

  constructor(config: TenantCalendarInput = {}) {
    const parsed = TenantCalendarSchema.safeParse(config);
    if (!parsed.success) {
      throw new ValidationError('invalid tenant calendar', { issues: parsed.error.issues });
    }
    this.config = parsed.data;
    const years = Object.values(parsed.data.years);
    this.holidays = new Set(years.flatMap((year) => year.holidays));
    this.workdays = new Set(years.flatMap((year) => year.workdays));
    this.weekend = new Set(parsed.data.weekendDays);
    this.periods = parsed.data.workingHours.map((period) => ({
      start: clockTimeToMs(period.start),
      end: clockTimeToMs(period.end),
    }));
    this.dayStartMs = this.periods[0]?.start ?? 0;
    this.dayEndMs = this.periods[this.periods.length - 1]?.end ?? 0;
  }

  get timeZone(): string {
    return this.config.timeZone;
  }

  /** Working minutes in one working day (420 with the default hours). */
  get minutesPerWorkingDay(): number {
    return this.periods.reduce((sum, period) => sum + (period.end - period.start), 0) / MS_PER_MINUTE;
  }

  /** Whether the calendar lists a holiday schedule for the year of `localDate`. */
  coversDate(localDate: LocalDate): boolean {
    return localDate.slice(0, 4) in this.config.years;
  }

  /** The civil date in the tenant's zone at `instant`. */
  localDateOf(instant: Date): LocalDate {
    return localDateOf(toMs(instant, 'instant'), this.timeZone);
  }

  isWorkingDay(localDate: LocalDate): boolean {
    if (!isLocalDate(localDate)) throw new RangeError(`not a date: ${localDate}`);
    if (this.workdays.has(localDate)) return true;
    if (this.holidays.has(localDate)) return false;
    return !this.weekend.has(weekdayOf(localDate));
  }

  /**
   * The deadline for `limit` started at `start`.
   *
   * - natural hours: elapsed time, around the clock.
   * - natural days: the same wall-clock time N calendar days later, so a daylight-saving change
   *   does not move a deadline by an hour.
   * - working hours: N × 60 working minutes; a deadline reached exactly at the end of a period
   *   stays there (17:30) rather than jumping to the next period's start.
   * - working days: N working days, i.e. always N × `minutesPerWorkingDay` of working time:
   *   - started during working hours (a lunch break counts as the afternoon's start, 13:30): the
   *     same wall-clock time on the N-th working day after that day;
   *   - started at or before the start of work on a working day, after work, or on a day off: the
   *     count starts with the next working day, which counts as day 1, and the deadline is the end
   *     of working hours on day N. Received Friday evening with 1 working day: due Monday 17:30.
   *     (A 09:00 start due 17:30 the same day, not 09:00 the next: the same working time, but a
   *     deadline nobody reads as "tomorrow".)
   */
  addTime(start: Date, limit: TimeLimit): Date {
    const checked = TimeLimitSchema.safeParse(limit);
    if (!checked.success) throw new ValidationError('invalid time limit', { issues: checked.error.issues });
    const from = toMs(start, 'start');
    const { amount, unit, basis } = checked.data;
    if (basis === 'natural') {
      if (unit === 'hours') return new Date(from + amount * MS_PER_HOUR);
      const { date, msOfDay } = wallClockAt(from, this.timeZone);
      return new Date(instantAt(addDays(date, amount), msOfDay, this.timeZone));
    }
    if (unit === 'hours') return new Date(this.addWorkingMs(from, amount * MS_PER_HOUR));
    return new Date(this.addWorkingDays(from, amount));
  }

  /**
   * Working minutes from `a` to `b` (fractional when the instants are not on whole minutes);
   * negative when `b` is before `a`, so that "overdue by" reads naturally.
   */
  workingMinutesBetween(a: Date, b: Date): number {
    const from = toMs(a, 'a');
    const to = toMs(b, 'b');
    if (to < from) return -this.workingMinutesBetween(b, a);
    let total = 0;
    const lastDate = localDateOf(to, this.timeZone);
    for (let date = localDateOf(from, this.timeZone); date <= lastDate; date = addDays(date, 1)) {
      for (const interval of this.intervalsOf(date)) {
        total += Math.max(0, Math.min(to, interval.end) - Math.max(from, interval.start));
      }
    }
    return total / MS_PER_MINUTE;
  }

  /**
   * Where a step stands against its deadline. Overdue once `now` is past the deadline; due soon
   * when no more than `warnBeforeMinutes` remain. Remaining time is counted in working minutes by
   * default, because a working-time deadline on Monday morning is already pressing on Friday
   * evening; pass 'natural' for limits that run around the clock.
   */
  deadlineStatus(
    deadline: Date,
    now: Date,
    warnBeforeMinutes: number,
    basis: TimeLimit['basis'] = 'working',
  ): DeadlineStatus {
    if (!Number.isFinite(warnBeforeMinutes) || warnBeforeMinutes < 0) {
      throw new RangeError('warnBeforeMinutes is a non-negative number');
    }
    const due = toMs(deadline, 'deadline');
    const at = toMs(now, 'now');
    if (at > due) return 'overdue';
    const remaining =
      basis === 'working' ? this.workingMinutesBetween(now, deadline) : (due - at) / MS_PER_MINUTE;
    return remaining <= warnBeforeMinutes ? 'due_soon' : 'on_time';
  }

  // -------------------------------------------------------------------------------------------

  private intervalsOf(date: LocalDate): readonly Interval[] {
    const cached = this.intervalCache.get(date);
    if (cached) return cached;
    const intervals = this.isWorkingDay(date)
      ? this.periods.map((period) => ({
          start: instantAt(date, period.start, this.timeZone),
          end: instantAt(date, period.end, this.timeZone),
        }))
      : [];
    if (this.intervalCache.size >= 2000) this.intervalCache.clear();
    this.intervalCache.set(date, intervals);
    return intervals;
  }

  /** Working intervals from the local date of `from` onwards; throws on a calendar with no working time. */
  private *intervalsFrom(from: number): Generator<Interval> {
    let idle = 0;
    for (let date = localDateOf(from, this.timeZone); ; date = addDays(date, 1)) {
      const intervals = this.intervalsOf(date);
      if (intervals.length === 0) {
        idle += 1;
        if (idle > MAX_IDLE_DAYS) throw new RangeError('the calendar has no working time for ten years');
        continue;
      }
      idle = 0;
      yield* intervals;
    }
  }

  private addWorkingMs(from: number, amount: number): number {
    let remaining = amount;
    for (const interval of this.intervalsFrom(from)) {
      if (interval.end <= from) continue;
      const begin = Math.max(from, interval.start);
      const available = interval.end - begin;
      if (remaining <= available) return begin + remaining;
      remaining -= available;
    }
    throw new RangeError('unreachable: working intervals never end');
  }

  /** The first working instant at or after `from` (an instant at a period's end moves on). */
  private nextWorkingInstant(from: number): number {
    for (const interval of this.intervalsFrom(from)) {
      if (interval.end > from) return Math.max(from, interval.start);
    }
    throw new RangeError('unreachable: working intervals never end');
  }

  /** The `count`-th working day after `date` (0 gives `date` itself, which is a working day here). */
  private workingDayAfter(date: LocalDate, count: number): LocalDate {
    let day = date;
    let left = count;
    let idle = 0;
    while (left > 0) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) {
        left -= 1;
        idle = 0;
      } else if (++idle > MAX_IDLE_DAYS) {
        throw new RangeError('the calendar has no working time for ten years');
      }
    }
    return day;
  }

  private addWorkingDays(from: number, days: number): number {
    const begin = this.nextWorkingInstant(from);
    const { date, msOfDay } = wallClockAt(begin, this.timeZone);
    if (msOfDay <= this.dayStartMs) {
      return instantAt(this.workingDayAfter(date, days - 1), this.dayEndMs, this.timeZone);
    }
    return instantAt(this.workingDayAfter(date, days), msOfDay, this.timeZone);
  }
}
