// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, ApiError } from '../api';
import { AppContext } from '../hooks';
import { I18nContext, translator } from '../i18n';
import type { Session } from '../session';
import { CalendarEditor, parseDates, parseWorkingHours } from './CalendarSettings';

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

  it('refuses bad hours, no working day left and bad dates before sending; then saves the year', async () => {
    const api = mount(
      () => view(4),
      () => view(5),
    );
    const hours = await screen.findByLabelText('工作时段');
    fireEvent.change(hours, { target: { value: '17:00-09:00' } });
    for (const day of ['周一', '周二', '周三', '周四', '周五'])
      fireEvent.click(screen.getByRole('checkbox', { name: day }));
    fireEvent.change(screen.getByLabelText('节假日'), { target: { value: `${year}-02-30` } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('如 09:00-12:00, 13:30-17:30；按时间先后、互不重叠，1–8 段')).toBeTruthy();
    expect(screen.getByText('至少保留一个工作日')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/有无效日期/);
    expect(api.put).not.toHaveBeenCalled();

    fireEvent.change(hours, { target: { value: '08:30-12:00, 14:00-18:00' } });
    for (const day of ['周一', '周二', '周三', '周四', '周五'])
      fireEvent.click(screen.getByRole('checkbox', { name: day }));
    fireEvent.change(screen.getByLabelText('节假日'), { target: { value: `${year}-10-02\n${year}-10-01` } });
    fireEvent.change(screen.getByLabelText('调休上班日'), { target: { value: `${year}-09-27` } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('已保存');
    expect(api.put).toHaveBeenCalledWith('/v1/settings/calendar', {
      version: 4,
      calendar: {
        timeZone: 'Asia/Shanghai',
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
      expect((screen.getByLabelText('节假日') as HTMLTextAreaElement).value).toBe(`${year}-05-01`),
    );
  });
});
