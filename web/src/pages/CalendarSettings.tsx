import { type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { type MessageKey, useT } from '../i18n';
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

/** The IANA zones the browser knows, with the city's own first among them if the browser lacks it. */
export const timeZoneChoices = (current: string): string[] => {
  const known: string[] =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Shanghai'];
  return known.includes(current) ? known : [current, ...known];
};

type Kind = 'holidays' | 'workdays';
const limits: Record<Kind, number> = { holidays: 60, workdays: 30 };

/**
 * Why a date cannot join a year's list, or undefined when it can: a real date of that year, not yet
 * listed, not in the other list (a day is a holiday or a make-up working day, never both), room left.
 */
export const dateProblem = (
  date: string,
  year: string,
  schedule: YearSchedule,
  kind: Kind,
): 'datesInvalid' | 'dateNotInYear' | 'dateTwice' | 'dateBoth' | 'dateTooMany' | undefined => {
  if (!isDate(date)) return 'datesInvalid';
  if (!date.startsWith(`${year}-`)) return 'dateNotInYear';
  if (schedule[kind].includes(date)) return 'dateTwice';
  if (schedule[kind === 'holidays' ? 'workdays' : 'holidays'].includes(date)) return 'dateBoth';
  if (schedule[kind].length >= limits[kind]) return 'dateTooMany';
  return undefined;
};

/** A year's holidays or make-up days: a native date picker that adds to a list, each with its remove button. */
function DateList(props: {
  kind: Kind;
  label: string;
  year: string;
  schedule: YearSchedule;
  onChange: (dates: string[]) => void;
}) {
  const i18n = useT();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<MessageKey>();
  const dates = props.schedule[props.kind];
  const add = () => {
    const date = value || input.current?.value || '';
    const why = dateProblem(date, props.year, props.schedule, props.kind);
    setProblem(why);
    if (why) return;
    props.onChange([...dates, date].sort());
    setValue('');
  };
  const remove = (date: string) => {
    props.onChange(dates.filter((d) => d !== date));
    // The removed button is gone; the picker keeps the keyboard's place.
    input.current?.focus();
  };
  return (
    <fieldset className="date-list">
      <legend>{props.label}</legend>
      <div className="row">
        <label htmlFor={`${id}-pick`}>{i18n.t('datePick')}</label>
        <input
          ref={input}
          id={`${id}-pick`}
          type="date"
          min={`${props.year}-01-01`}
          max={`${props.year}-12-31`}
          value={value}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-e` : undefined}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              // Enter adds the date here; it does not submit the whole calendar.
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add} aria-label={`${i18n.t('dateAdd')} · ${props.label}`}>
          {i18n.t('dateAdd')}
        </button>
      </div>
      {problem && (
        <p className="error" id={`${id}-e`} role="alert">
          {i18n.t(problem)}
        </p>
      )}
      {dates.length === 0 ? (
        <p className="muted small">{i18n.t('noDates')}</p>
      ) : (
        <ul className="date-items" aria-label={`${props.label} · ${props.year}`}>
          {dates.map((date) => (
            <li key={date}>
              <time dateTime={date}>{date}</time>{' '}
              <button
                type="button"
                className="small"
                aria-label={`${i18n.t('dateRemove')} ${date}`}
                onClick={() => remove(date)}
              >
                {i18n.t('dateRemove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

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
  const [timeZone, setTimeZone] = useState(props.initial.timeZone);
  const zones = useMemo(() => timeZoneChoices(props.initial.timeZone), [props.initial.timeZone]);
  const [hours, setHours] = useState(props.initial.workingHours.map((p) => `${p.start}-${p.end}`).join(', '));
  const [weekend, setWeekend] = useState<number[]>(props.initial.weekendDays);
  const [schedules, setSchedules] = useState<Record<string, YearSchedule>>(() =>
    Object.fromEntries(
      years.map((y) => [
        y,
        {
          holidays: [...(props.initial.years[y]?.holidays ?? [])],
          workdays: [...(props.initial.years[y]?.workdays ?? [])],
        },
      ]),
    ),
  );
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const names = i18n.t('weekdayNames').split(',');
  const current = schedules[year] ?? { holidays: [], workdays: [] };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const workingHours = parseWorkingHours(hours);
    if (!workingHours) problems.hours = i18n.t('workingHoursHint');
    if (weekend.length >= 7) problems.weekend = i18n.t('weekendAtLeastOne');
    const parsed: Record<string, YearSchedule> = { ...props.initial.years };
    for (const [y, schedule] of Object.entries(schedules)) {
      // The lists are built date by date, yet a stored calendar may hold what the API would now refuse.
      const holidays = parseDates(schedule.holidays.join('\n'), limits.holidays);
      const workdays = parseDates(schedule.workdays.join('\n'), limits.workdays);
      if (!holidays || !workdays) {
        problems.dates = `${y}: ${i18n.t('datesInvalid')}`;
        continue;
      }
      if (workdays.some((d) => holidays.includes(d))) {
        problems.dates = `${y}: ${i18n.t('dateBoth')}`;
        continue;
      }
      if (holidays.length > 0 || workdays.length > 0 || props.initial.years[y])
        parsed[y] = { holidays, workdays };
    }
    setInvalid(problems);
    if (Object.keys(problems).length > 0 || !workingHours) return;
    void props.save({
      timeZone,
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
        <label htmlFor={`${id}-zone`}>{i18n.t('timeZone')}</label>
        <select
          id={`${id}-zone`}
          value={timeZone}
          aria-describedby={`${id}-zone-hint`}
          onChange={(e) => setTimeZone(e.target.value)}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
        <span className="small muted" id={`${id}-zone-hint`}>
          {i18n.t('timeZoneHint')}
        </span>
      </div>
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
        {(['holidays', 'workdays'] as const).map((kind) => (
          <DateList
            key={`${year}-${kind}`}
            kind={kind}
            label={i18n.t(kind === 'holidays' ? 'holidays' : 'makeUpDays')}
            year={year}
            schedule={current}
            onChange={(dates) => setSchedules({ ...schedules, [year]: { ...current, [kind]: dates } })}
          />
        ))}
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
