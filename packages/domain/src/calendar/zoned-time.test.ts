import { describe, expect, it } from 'vitest';
import { addDays, instantAt, isLocalDate, isValidTimeZone, wallClockAt, weekdayOf } from './zoned-time';

const HOUR = 3_600_000;

describe('zoned time', () => {
  it('reads the wall clock of a zone, milliseconds included', () => {
    expect(wallClockAt(Date.parse('2026-03-16T01:02:03.456Z'), 'Asia/Shanghai')).toEqual({
      date: '2026-03-16',
      msOfDay: 9 * HOUR + 2 * 60_000 + 3_456,
    });
    expect(wallClockAt(Date.parse('2026-03-16T20:00:00Z'), 'Asia/Shanghai').date).toBe('2026-03-17');
  });

  it('finds the instant of a wall-clock time', () => {
    expect(new Date(instantAt('2026-03-16', 9 * HOUR, 'Asia/Shanghai')).toISOString()).toBe(
      '2026-03-16T01:00:00.000Z',
    );
    expect(new Date(instantAt('2026-07-01', 9 * HOUR, 'Europe/Berlin')).toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(new Date(instantAt('2026-03-16', 24 * HOUR, 'Asia/Shanghai')).toISOString()).toBe(
      '2026-03-16T16:00:00.000Z',
    );
  });

  it('pushes a skipped time forward and takes the earlier of a repeated one', () => {
    // 02:30 does not exist in Berlin on 29 March 2026; it becomes 03:30 CEST.
    expect(new Date(instantAt('2026-03-29', 2.5 * HOUR, 'Europe/Berlin')).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 02:30 happens twice on 25 October 2026; the first is 02:30 CEST.
    expect(new Date(instantAt('2026-10-25', 2.5 * HOUR, 'Europe/Berlin')).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('does date arithmetic on civil dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(weekdayOf('2026-10-10')).toBe(6);
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(isValidTimeZone('Asia/Urumqi')).toBe(true);
    expect(isValidTimeZone('+08:00 Beijing')).toBe(false);
  });
});
