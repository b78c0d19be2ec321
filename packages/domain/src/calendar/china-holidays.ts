import { type TenantCalendar, TenantCalendarSchema, type YearSchedule } from './calendar';
import { addDays, type LocalDate } from './zoned-time';

/**
 * China's national public holidays with their make-up working days (调休), as the General Office
 * of the State Council publishes them each year (国务院办公厅关于YYYY年部分节假日安排的通知):
 * 2025 from the notice of November 2024, 2026 from the notice of November 2025.
 *
 * This is configuration shipped as default data, not code, and it was entered from memory of the
 * notices: check every year's dates against the official notice (www.gov.cn) before relying on
 * them, and add the next year when its notice appears. A tenant overrides or extends these dates
 * through its calendar configuration (TenantCalendar.years), e.g. for a local holiday or a
 * corrected date, without a release.
 */
export interface PublicHoliday {
  name: { zh: string; en: string };
  /** First and last day off, inclusive; the span includes the weekend days the holiday absorbs. */
  off: readonly [LocalDate, LocalDate];
  /** Weekend days worked in exchange (调休上班). */
  workdays: readonly LocalDate[];
}

export const CHINA_PUBLIC_HOLIDAYS: Readonly<Record<string, readonly PublicHoliday[]>> = {
  '2025': [
    { name: { zh: '元旦', en: "New Year's Day" }, off: ['2025-01-01', '2025-01-01'], workdays: [] },
    {
      name: { zh: '春节', en: 'Spring Festival' },
      off: ['2025-01-28', '2025-02-04'],
      workdays: ['2025-01-26', '2025-02-08'],
    },
    { name: { zh: '清明节', en: 'Qingming Festival' }, off: ['2025-04-04', '2025-04-06'], workdays: [] },
    { name: { zh: '劳动节', en: 'Labour Day' }, off: ['2025-05-01', '2025-05-05'], workdays: ['2025-04-27'] },
    { name: { zh: '端午节', en: 'Dragon Boat Festival' }, off: ['2025-05-31', '2025-06-02'], workdays: [] },
    {
      // In 2025 Mid-Autumn (October 6) fell inside the National Day week and shared its days.
      name: { zh: '国庆节、中秋节', en: 'National Day and Mid-Autumn Festival' },
      off: ['2025-10-01', '2025-10-08'],
      workdays: ['2025-09-28', '2025-10-11'],
    },
  ],
  '2026': [
    {
      name: { zh: '元旦', en: "New Year's Day" },
      off: ['2026-01-01', '2026-01-03'],
      workdays: ['2026-01-04'],
    },
    {
      name: { zh: '春节', en: 'Spring Festival' },
      off: ['2026-02-15', '2026-02-23'],
      workdays: ['2026-02-14', '2026-02-28'],
    },
    { name: { zh: '清明节', en: 'Qingming Festival' }, off: ['2026-04-04', '2026-04-06'], workdays: [] },
    { name: { zh: '劳动节', en: 'Labour Day' }, off: ['2026-05-01', '2026-05-05'], workdays: ['2026-05-09'] },
    { name: { zh: '端午节', en: 'Dragon Boat Festival' }, off: ['2026-06-19', '2026-06-21'], workdays: [] },
    { name: { zh: '中秋节', en: 'Mid-Autumn Festival' }, off: ['2026-09-25', '2026-09-27'], workdays: [] },
    {
      name: { zh: '国庆节', en: 'National Day' },
      off: ['2026-10-01', '2026-10-07'],
      workdays: ['2026-09-20', '2026-10-10'],
    },
  ],
};

const daysOff = ([first, last]: readonly [LocalDate, LocalDate]): LocalDate[] => {
  const days: LocalDate[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
};

/** A year's holidays flattened into the dates a TenantCalendar lists. */
export const toYearSchedule = (holidays: readonly PublicHoliday[]): YearSchedule => ({
  holidays: holidays.flatMap((holiday) => daysOff(holiday.off)),
  workdays: holidays.flatMap((holiday) => [...holiday.workdays]),
});

/** The national calendar: Asia/Shanghai, 09:00-12:00 and 13:30-17:30, Saturday and Sunday off. */
export const defaultChinaCalendar = (): TenantCalendar =>
  TenantCalendarSchema.parse({
    years: Object.fromEntries(
      Object.entries(CHINA_PUBLIC_HOLIDAYS).map(([year, holidays]) => [year, toYearSchedule(holidays)]),
    ),
  });
