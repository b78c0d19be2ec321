import type { Messages } from './messages';

/** The working calendar editor. */
export const zh = {
  workingHours: '工作时段',
  workingHoursHint: '如 09:00-12:00, 13:30-17:30；按时间先后、互不重叠，1–8 段',
  weekendDays: '休息日',
  weekendAtLeastOne: '至少保留一个工作日',
  weekdayNames: '周日,周一,周二,周三,周四,周五,周六',
  calendarYear: '年份',
  holidays: '节假日',
  makeUpDays: '调休上班日',
  datesHint: '日期写作 YYYY-MM-DD，以逗号或换行分隔',
  datesInvalid: '有无效日期或数量过多（节假日最多 60 天，调休最多 30 天）',
} as const;

export const en: Messages<typeof zh> = {
  workingHours: 'Working hours',
  workingHoursHint: 'E.g. 09:00-12:00, 13:30-17:30; in order, not overlapping, 1–8 periods',
  weekendDays: 'Days off',
  weekendAtLeastOne: 'At least one weekday must remain a working day',
  weekdayNames: 'Sun,Mon,Tue,Wed,Thu,Fri,Sat',
  calendarYear: 'Year',
  holidays: 'Holidays',
  makeUpDays: 'Make-up working days',
  datesHint: 'Dates as YYYY-MM-DD, separated by commas or new lines',
  datesInvalid: 'A date is invalid or there are too many (at most 60 holidays, 30 make-up days)',
};
