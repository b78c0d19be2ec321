/**
 * Civil dates and wall-clock times in an IANA time zone, computed through Intl so that no offset
 * is ever assumed: a tenant's calendar may name any zone, including ones with daylight saving.
 */

/** A civil date, 'YYYY-MM-DD', with no time zone attached. */
export type LocalDate = string;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Formatters are costly to build and calendars ask for the same zone over and over.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

export const isValidTimeZone = (timeZone: string): boolean => {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
};

export interface WallClock {
  date: LocalDate;
  /** Milliseconds since local midnight as the wall clock shows it. */
  msOfDay: number;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** Where the wall clock of `timeZone` stands at `instant`. */
export const wallClockAt = (instant: number, timeZone: string): WallClock => {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  // Intl drops milliseconds; they do not depend on the zone's offset, which is whole seconds.
  const ms = ((instant % 1000) + 1000) % 1000;
  return {
    date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    msOfDay: ((hour * 60 + minute) * 60 + second) * 1000 + ms,
  };
};

export const localDateOf = (instant: Date | number, timeZone: string): LocalDate =>
  wallClockAt(typeof instant === 'number' ? instant : instant.getTime(), timeZone).date;

/** Milliseconds by which the zone's wall clock is ahead of UTC at `instant`. */
const offsetAt = (instant: number, timeZone: string): number => {
  const { date, msOfDay } = wallClockAt(instant, timeZone);
  return dateToEpochDay(date) * MS_PER_DAY + msOfDay - instant;
};

/**
 * The instant at which the wall clock of `timeZone` shows `date` plus `msOfDay`. A time that occurs
 * twice (clocks going back) gives the earlier instant; a time skipped by clocks going forward is
 * pushed forward by the size of the gap. Both match what JavaScript's Temporal calls 'compatible'.
 */
export const instantAt = (date: LocalDate, msOfDay: number, timeZone: string): number => {
  const wall = dateToEpochDay(date) * MS_PER_DAY + msOfDay;
  // Real zones change offset at most once within a day, so the offsets a day either side are the
  // only candidates.
  const before = offsetAt(wall - MS_PER_DAY, timeZone);
  const after = offsetAt(wall + MS_PER_DAY, timeZone);
  const valid = [before, after]
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
};

// ---------------------------------------------------------------------------------------------
// Civil date arithmetic: zone-free, done on days since 1970-01-01.

/** Whether `value` is a real date written 'YYYY-MM-DD' (so 2026-02-30 is not). */
export const isLocalDate = (value: string): boolean => {
  const match = LOCAL_DATE.exec(value);
  if (match === null) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const dateToEpochDay = (date: LocalDate): number => {
  const match = LOCAL_DATE.exec(date);
  if (match === null) throw new RangeError(`not a date: ${date}`);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
};

const epochDayToDate = (epochDay: number): LocalDate =>
  new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);

export const addDays = (date: LocalDate, days: number): LocalDate =>
  epochDayToDate(dateToEpochDay(date) + days);

/** 0 = Sunday … 6 = Saturday, as Date.getDay counts. */
export const weekdayOf = (date: LocalDate): number => new Date(dateToEpochDay(date) * MS_PER_DAY).getUTCDay();

/** 'HH:MM' (with '24:00' for midnight at the end of a day) to milliseconds since midnight. */
export const clockTimeToMs = (time: string): number => {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return (hours * 60 + minutes) * MS_PER_MINUTE;
};
