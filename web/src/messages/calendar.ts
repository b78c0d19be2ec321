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
  datesHint: '用日期选择器添加（也可键入 YYYY-MM-DD），按回车或“添加”',
  datesInvalid: '有无效日期或数量过多（节假日最多 60 天，调休最多 30 天）',
  timeZone: '时区',
  timeZoneHint: '期限与统计按此时区的日期和时刻计算；改动后，此后的计算按新时区进行',
  datePick: '选择日期',
  dateAdd: '添加',
  dateRemove: '删除',
  dateNotInYear: '日期须在所选年份内',
  dateTwice: '该日期已在列表中',
  dateBoth: '同一天不能既是节假日又是调休上班日',
  dateTooMany: '数量已达上限',
  noDates: '暂无日期',
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
  datesHint: 'Add dates with the date picker (or type YYYY-MM-DD), then Enter or “Add”',
  datesInvalid: 'A date is invalid or there are too many (at most 60 holidays, 30 make-up days)',
  timeZone: 'Time zone',
  timeZoneHint:
    'Time limits and figures count in the dates and hours of this zone; a change applies from then on',
  datePick: 'Pick a date',
  dateAdd: 'Add',
  dateRemove: 'Remove',
  dateNotInYear: 'The date must be in the chosen year',
  dateTwice: 'The date is already listed',
  dateBoth: 'A day cannot be both a holiday and a make-up working day',
  dateTooMany: 'The list is full',
  noDates: 'No dates',
};
