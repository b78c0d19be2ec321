import { type FormEvent, useId, useState } from 'react';
import { useT } from '../i18n';
import { type Versioned, VersionedSettings } from './AdminSettings';

interface YearSchedule {
  holidays: string[];
  workdays: string[];
}

export interface CalendarValue {
  timeZone: string;
  workingHours: { start: string; end: string }[];
  weekendDays: number[];
  years: Record<string, YearSchedule>;
}

const minutesOf = (time: string) => {
  const match = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/.exec(time);
  if (!match) return undefined;
  return Number(match[1] ?? match[3]) * 60 + Number(match[2] ?? match[4]);
};

/** `09:00-12:00, 13:30-17:30` → periods, or undefined unless each is valid, in order and apart. */
export const parseWorkingHours = (text: string): CalendarValue['workingHours'] | undefined => {
  const parts = text
    .split(/[,，;\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 1 || parts.length > 8) return undefined;
  const periods: CalendarValue['workingHours'] = [];
  let previousEnd = -1;
  for (const part of parts) {
    const [start = '', end = '', ...rest] = part.split(/\s*[-–~]\s*/);
    const from = minutesOf(start);
    const to = minutesOf(end);
    if (rest.length > 0 || from === undefined || to === undefined || from >= to || from < previousEnd)
      return undefined;
    previousEnd = to;
    periods.push({ start, end });
  }
  return periods;
};

const isDate = (text: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

/** Dates separated by commas or new lines, each a real YYYY-MM-DD, no more than `max`; sorted, distinct. */
export const parseDates = (text: string, max: number): string[] | undefined => {
  const dates = [
    ...new Set(
      text
        .split(/[\s,，;]+/)
        .map((d) => d.trim())
        .filter(Boolean),
    ),
  ].sort();
  return dates.length <= max && dates.every(isDate) ? dates : undefined;
};

function CalendarForm(props: {
  initial: CalendarValue;
  busy: boolean;
  save: (value: CalendarValue) => Promise<void>;
}) {
  const i18n = useT();
  const id = useId();
  const thisYear = String(new Date().getFullYear());
  const years = [
    ...new Set([...Object.keys(props.initial.years), thisYear, String(Number(thisYear) + 1)]),
  ].sort();
  const [year, setYear] = useState(thisYear);
  const [hours, setHours] = useState(props.initial.workingHours.map((p) => `${p.start}-${p.end}`).join(', '));
  const [weekend, setWeekend] = useState<number[]>(props.initial.weekendDays);
  const [schedules, setSchedules] = useState<Record<string, { holidays: string; workdays: string }>>(() =>
    Object.fromEntries(
      years.map((y) => [
        y,
        {
          holidays: (props.initial.years[y]?.holidays ?? []).join('\n'),
          workdays: (props.initial.years[y]?.workdays ?? []).join('\n'),
        },
      ]),
    ),
  );
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const names = i18n.t('weekdayNames').split(',');
  const current = schedules[year] ?? { holidays: '', workdays: '' };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const workingHours = parseWorkingHours(hours);
    if (!workingHours) problems.hours = i18n.t('workingHoursHint');
    if (weekend.length >= 7) problems.weekend = i18n.t('weekendAtLeastOne');
    const parsed: Record<string, YearSchedule> = { ...props.initial.years };
    for (const [y, schedule] of Object.entries(schedules)) {
      const holidays = parseDates(schedule.holidays, 60);
      const workdays = parseDates(schedule.workdays, 30);
      if (!holidays || !workdays) {
        problems.dates = `${y}: ${i18n.t('datesInvalid')}`;
        continue;
      }
      if (holidays.length > 0 || workdays.length > 0 || props.initial.years[y])
        parsed[y] = { holidays, workdays };
    }
    setInvalid(problems);
    if (Object.keys(problems).length > 0 || !workingHours) return;
    void props.save({
      timeZone: props.initial.timeZone,
      workingHours,
      weekendDays: [...weekend].sort(),
      years: parsed,
    });
  };

  const error = (key: string) =>
    invalid[key] && (
      <span className="error" id={`${id}-${key}-e`}>
        {invalid[key]}
      </span>
    );

  return (
    <form onSubmit={submit} noValidate aria-label={i18n.t('calendar')}>
      <div className="field">
        <label htmlFor={`${id}-hours`}>{i18n.t('workingHours')}</label>
        <input
          id={`${id}-hours`}
          value={hours}
          aria-invalid={invalid.hours ? true : undefined}
          aria-describedby={invalid.hours ? `${id}-hours-e` : undefined}
          onChange={(e) => setHours(e.target.value)}
        />
        {error('hours')}
      </div>
      <fieldset>
        <legend>{i18n.t('weekendDays')}</legend>
        {names.map((name, day) => (
          <label key={name} className="check">
            <input
              type="checkbox"
              checked={weekend.includes(day)}
              onChange={(e) =>
                setWeekend(e.target.checked ? [...weekend, day] : weekend.filter((d) => d !== day))
              }
            />{' '}
            {name}
          </label>
        ))}
        {error('weekend')}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-year`}>{i18n.t('calendarYear')}</label>
        <select id={`${id}-year`} value={year} onChange={(e) => setYear(e.target.value)}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <p className="muted">{i18n.t('datesHint')}</p>
      <div className="grid2">
        <div className="field">
          <label htmlFor={`${id}-holidays`}>{i18n.t('holidays')}</label>
          <textarea
            id={`${id}-holidays`}
            rows={6}
            value={current.holidays}
            onChange={(e) => setSchedules({ ...schedules, [year]: { ...current, holidays: e.target.value } })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-workdays`}>{i18n.t('makeUpDays')}</label>
          <textarea
            id={`${id}-workdays`}
            rows={6}
            value={current.workdays}
            onChange={(e) => setSchedules({ ...schedules, [year]: { ...current, workdays: e.target.value } })}
          />
        </div>
      </div>
      {invalid.dates && (
        <p className="error" role="alert">
          {invalid.dates}
        </p>
      )}
      <button type="submit" className="primary" disabled={props.busy}>
        {i18n.t('save')}
      </button>
    </form>
  );
}

/** The city's working calendar: working hours, days off, and per year its holidays and make-up days. */
export function CalendarEditor() {
  const i18n = useT();
  return (
    <VersionedSettings<Versioned & { calendar: CalendarValue }>
      path="/v1/settings/calendar"
      field="calendar"
      title={i18n.t('calendar')}
      form={(value, save, busy) => (
        <CalendarForm key={value.version} initial={value.calendar} busy={busy} save={save} />
      )}
    />
  );
}
