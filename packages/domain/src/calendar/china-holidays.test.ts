import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar';
import { CHINA_PUBLIC_HOLIDAYS, defaultChinaCalendar } from './china-holidays';
import { weekdayOf } from './zoned-time';

describe('CHINA_PUBLIC_HOLIDAYS', () => {
  it.each(Object.keys(CHINA_PUBLIC_HOLIDAYS))(
    '%s gives the 13 statutory days off, net of make-up days',
    (year) => {
      // Since 2025 the statutory holidays are 13 working days a year (the State Council's 2024
      // revision of the holiday rules); extra weekdays off are paid back by make-up weekend days.
      const calendar = new WorkingCalendar(defaultChinaCalendar());
      const schedule = calendar.config.years[year];
      const weekdaysOff = (schedule?.holidays ?? []).filter((date) => ![0, 6].includes(weekdayOf(date)));
      expect(weekdaysOff.length - (schedule?.workdays.length ?? 0)).toBe(13);
    },
  );

  it('moves work only onto weekend days', () => {
    for (const holidays of Object.values(CHINA_PUBLIC_HOLIDAYS)) {
      for (const holiday of holidays) {
        for (const date of holiday.workdays) expect([0, 6]).toContain(weekdayOf(date));
        expect(holiday.off[0] <= holiday.off[1]).toBe(true);
      }
    }
  });

  it('lists the 2026 blocks as published', () => {
    const schedule = defaultChinaCalendar().years['2026'];
    expect(schedule?.holidays).toHaveLength(33);
    expect(schedule?.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('lets a tenant correct or extend the dates through its configuration', () => {
    const base = defaultChinaCalendar();
    const tenant = new WorkingCalendar({
      ...base,
      years: { ...base.years, '2027': { holidays: ['2027-01-01'], workdays: [] } },
    });
    expect(tenant.isWorkingDay('2027-01-01')).toBe(false);
    expect(tenant.isWorkingDay('2026-10-01')).toBe(false);
  });

  it('gives each caller its own copy to adapt', () => {
    const mine = defaultChinaCalendar();
    mine.years['2026']?.holidays.push('2026-12-25');
    expect(defaultChinaCalendar().years['2026']?.holidays).not.toContain('2026-12-25');
  });
});
