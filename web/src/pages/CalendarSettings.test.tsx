// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, ApiError } from '../api';
import { AppContext } from '../hooks';
import { I18nContext, translator } from '../i18n';
import type { Session } from '../session';
import {
  CalendarEditor,
  dateProblem,
  parseDates,
  parseWorkingHours,
  timeZoneChoices,
} from './CalendarSettings';

afterEach(cleanup);

const session: Session = {
  tenantId: 'demo-city',
  token: 'tok',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 'u1', username: 'admin', displayName: 'Admin', role: 'city_admin', scope: { kind: 'tenant' } },
};

const year = String(new Date().getFullYear());
const view = (version: number, holidays = [`${year}-10-01`]) => ({
  version,
  isDefault: false,
  calendar: {
    timeZone: 'Asia/Shanghai',
    workingHours: [
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ],
    weekendDays: [6, 0],
    years: { [year]: { holidays, workdays: [] } },
  },
});

const mount = (get: () => unknown, put: (body: unknown) => unknown) => {
  const api = {
    get: vi.fn(async () => get()),
    post: vi.fn(),
    put: vi.fn(async (_path: string, body: unknown) => {
      const answer = put(body);
      if (answer instanceof Error) throw answer;
      return answer;
    }),
  };
  render(
    <I18nContext.Provider value={translator('zh')}>
      <AppContext.Provider value={{ session, api: api as unknown as ApiClient, signOut: () => {} }}>
        <CalendarEditor />
      </AppContext.Provider>
    </I18nContext.Provider>,
  );
  return api;
};

describe('the working calendar', () => {
  it('parses working hours and dates strictly', () => {
    expect(parseWorkingHours('09:00-12:00, 13:30-17:30')).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
    expect(parseWorkingHours('13:30-17:30, 09:00-12:00')).toBeUndefined();
    expect(parseWorkingHours('12:00-09:00')).toBeUndefined();
    expect(parseWorkingHours('25:00-26:00')).toBeUndefined();
    expect(parseWorkingHours('')).toBeUndefined();
    expect(parseDates('2026-10-02\n2026-10-01, 2026-10-01', 60)).toEqual(['2026-10-01', '2026-10-02']);
    expect(parseDates('2026-02-30', 60)).toBeUndefined();
    expect(parseDates('2026-10-01 2026-10-02', 1)).toBeUndefined();
  });

  it('lets a date join a year’s list only once, in its year, and never in both lists', () => {
    const schedule = { holidays: ['2026-10-01'], workdays: ['2026-09-27'] };
    expect(dateProblem('2026-10-02', '2026', schedule, 'holidays')).toBeUndefined();
    expect(dateProblem('2026-02-30', '2026', schedule, 'holidays')).toBe('datesInvalid');
    expect(dateProblem('', '2026', schedule, 'holidays')).toBe('datesInvalid');
    expect(dateProblem('2027-01-01', '2026', schedule, 'holidays')).toBe('dateNotInYear');
    expect(dateProblem('2026-10-01', '2026', schedule, 'holidays')).toBe('dateTwice');
    expect(dateProblem('2026-10-01', '2026', schedule, 'workdays')).toBe('dateBoth');
    const full = { holidays: [], workdays: Array.from({ length: 30 }, (_, i) => `2026-01-${i + 1}`) };
    expect(dateProblem('2026-03-01', '2026', full, 'workdays')).toBe('dateTooMany');
    expect(timeZoneChoices('Asia/Shanghai')).toContain('Asia/Urumqi');
    expect(timeZoneChoices('Etc/Unknown')[0]).toBe('Etc/Unknown');
  });

  it('refuses bad hours and no working day left before sending; adds and removes dates; saves zone and year', async () => {
    const api = mount(
      () => view(4),
      () => view(5),
    );
    const hours = await screen.findByLabelText('工作时段');
    fireEvent.change(hours, { target: { value: '17:00-09:00' } });
    for (const day of ['周一', '周二', '周三', '周四', '周五'])
      fireEvent.click(screen.getByRole('checkbox', { name: day }));
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('如 09:00-12:00, 13:30-17:30；按时间先后、互不重叠，1–8 段')).toBeTruthy();
    expect(screen.getByText('至少保留一个工作日')).toBeTruthy();
    expect(api.put).not.toHaveBeenCalled();

    fireEvent.change(hours, { target: { value: '08:30-12:00, 14:00-18:00' } });
    for (const day of ['周一', '周二', '周三', '周四', '周五'])
      fireEvent.click(screen.getByRole('checkbox', { name: day }));
    const holidays = screen.getByRole('group', { name: '节假日' });
    const workdays = screen.getByRole('group', { name: '调休上班日' });
    const pick = within(holidays).getByLabelText('选择日期') as HTMLInputElement;
    expect(pick.type).toBe('date');
    expect(pick.min).toBe(`${year}-01-01`);
    // A date of another year is refused, said in an alert, and not listed.
    fireEvent.change(pick, { target: { value: `${Number(year) + 1}-10-02` } });
    fireEvent.click(within(holidays).getByRole('button', { name: '添加 · 节假日' }));
    expect(within(holidays).getByRole('alert').textContent).toBe('日期须在所选年份内');
    // Enter in the picker adds the date, without submitting the calendar.
    fireEvent.change(pick, { target: { value: `${year}-10-02` } });
    fireEvent.keyDown(pick, { key: 'Enter' });
    expect(within(holidays).queryByRole('alert')).toBeNull();
    expect(api.put).not.toHaveBeenCalled();
    expect(
      within(holidays)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('time')?.textContent),
    ).toEqual([`${year}-10-01`, `${year}-10-02`]);
    fireEvent.change(pick, { target: { value: `${year}-10-03` } });
    fireEvent.click(within(holidays).getByRole('button', { name: '添加 · 节假日' }));
    // A remove button names its date; the picker takes the focus back.
    fireEvent.click(within(holidays).getByRole('button', { name: `删除 ${year}-10-03` }));
    expect(document.activeElement).toBe(pick);
    // A holiday cannot also be a make-up day.
    const workPick = within(workdays).getByLabelText('选择日期');
    fireEvent.change(workPick, { target: { value: `${year}-10-01` } });
    fireEvent.click(within(workdays).getByRole('button', { name: '添加 · 调休上班日' }));
    expect(within(workdays).getByRole('alert').textContent).toBe('同一天不能既是节假日又是调休上班日');
    fireEvent.change(workPick, { target: { value: `${year}-09-27` } });
    fireEvent.click(within(workdays).getByRole('button', { name: '添加 · 调休上班日' }));
    // The city's zone is editable.
    const zone = screen.getByRole('combobox', { name: '时区' }) as HTMLSelectElement;
    expect(zone.value).toBe('Asia/Shanghai');
    fireEvent.change(zone, { target: { value: 'Asia/Urumqi' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('已保存');
    expect(api.put).toHaveBeenCalledWith('/v1/settings/calendar', {
      version: 4,
      calendar: {
        timeZone: 'Asia/Urumqi',
        workingHours: [
          { start: '08:30', end: '12:00' },
          { start: '14:00', end: '18:00' },
        ],
        weekendDays: [0, 6],
        years: { [year]: { holidays: [`${year}-10-01`, `${year}-10-02`], workdays: [`${year}-09-27`] } },
      },
    });
  });

  it('on a version conflict reloads the latest calendar and says so', async () => {
    let latest = view(1);
    mount(
      () => latest,
      () => {
        latest = view(2, [`${year}-05-01`]);
        return new ApiError(409, 'version_conflict', 'changed');
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: '保存' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/已被他人修改/);
    await waitFor(() =>
      expect(screen.getByRole('group', { name: '节假日' }).querySelector('time')?.textContent).toBe(
        `${year}-05-01`,
      ),
    );
  });
});
