// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api';
import { AppContext } from '../hooks';
import { I18nContext, translator } from '../i18n';
import type { Session } from '../session';
import { FiguresPage } from './Figures';

// The charts are ECharts on a canvas; here only what they are given matters.
vi.mock('../components/LazyChart', () => ({
  LazyBarChart: (props: { label: string; bars: { labels: string[] } }) => (
    <div role="img" aria-label={props.label} data-labels={props.bars.labels.join('|')} />
  ),
}));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const rates = {
  received: 1,
  responded: 1,
  resolved: 0,
  rated: 0,
  satisfied: 0,
  responseRate: 100,
  resolutionRate: 0,
  satisfactionRate: null,
};
const scorecard = {
  departmentId: 'urban-enforcement',
  period: '2026-05',
  cases: { received: 3, closed: 2, overdue: 1 },
  components: { onTime: 50, closure: 66.7, citizenSatisfaction: null },
  score: 71.2,
  hotline: rates,
};

const session = (role: Session['user']['role'], scope: Session['user']['scope']): Session => ({
  tenantId: 'demo-city',
  token: 'tok',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 'u1', username: 'u', displayName: 'U', role, scope },
});

const renderPage = (s: Session, get: (path: string) => unknown) => {
  const calls: string[] = [];
  const api = {
    get: vi.fn(async (path: string) => {
      calls.push(path);
      const answer = get(path);
      if (answer instanceof Error) throw answer;
      return answer;
    }),
    post: vi.fn(),
    put: vi.fn(),
  } as unknown as ApiClient;
  render(
    <I18nContext.Provider value={translator('zh')}>
      <AppContext.Provider value={{ session: s, api, signOut: () => {} }}>
        <FiguresPage />
      </AppContext.Provider>
    </I18nContext.Provider>,
  );
  return calls;
};

describe('the Figures page', () => {
  it('shows a department its own scorecard and hotline rates, and asks for no place figures', async () => {
    const calls = renderPage(
      session('department', { kind: 'department', departmentId: 'urban-enforcement' }),
      (path) =>
        path.startsWith('/v1/analytics/scorecards')
          ? { period: '2026-05', items: [scorecard] }
          : path === '/v1/departments'
            ? { items: [{ id: 'urban-enforcement', name: '城管执法局', kind: 'resident', code: 'CG' }] }
            : new Error(`unexpected ${path}`),
    );
    const row = await screen.findByTestId('scorecard-row');
    expect(within(row).getByRole('rowheader').textContent).toBe('城管执法局');
    expect(within(row).getByTestId('score').textContent).toBe('71.2');
    expect(within(row).getByTestId('closed').textContent).toBe('2');
    expect(screen.getByRole('img', { name: '各部门综合得分' }).dataset.labels).toBe('城管执法局');
    expect(screen.getByRole('heading', { name: '接诉即办 · 各部门' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '导出 CSV: 部门考核' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: '街道与网格对比' })).toBeNull();
    expect(calls.some((path) => path.includes('/places') || path.includes('/hotspots'))).toBe(false);
    expect(calls.find((path) => path.startsWith('/v1/analytics/scorecards'))).toMatch(/period=\d{4}-\d{2}$/);
  });

  it('shows a street its places, hot spots and monthly problem, with an error state that retries', async () => {
    const place = (code: string, name: string) => ({
      code,
      name,
      reported: 4,
      registered: 3,
      closed: 2,
      density: 1.234,
      selfClosureRate: 50,
      escalated: 0,
      escalationRate: 0,
      satisfactionRate: null,
      whistlesBlown: 1,
      hotline: rates,
    });
    renderPage(session('street_center', { kind: 'org', code: '110101001' }), (path) => {
      if (path.startsWith('/v1/analytics/places'))
        return {
          period: '2026-05',
          by: 'grid',
          place: place('110101001', '东华门街道'),
          children: [place('110101001001001', '第1网格')],
        };
      if (path.startsWith('/v1/analytics/hotspots/grids')) return { type: 'FeatureCollection', features: [] };
      if (path.startsWith('/v1/analytics/hotspots'))
        return {
          month: '2026-05',
          place: '110101001',
          topCategories: [{ categoryCode: 'E05-52', name: { zh: '露天烧烤', en: 'BBQ' }, count: 3 }],
          risingCategories: [],
          topGrids: [{ code: '110101001001001', name: '第1网格', count: 3 }],
        };
      if (path.startsWith('/v1/analytics/monthly-problem'))
        return {
          month: '2026-05',
          place: '110101001',
          proposal: {
            categoryCode: 'E05-52',
            name: { zh: '露天烧烤', en: 'BBQ' },
            count: 3,
            previous: 1,
            growth: 2,
            growthRate: 200,
            grids: [{ code: '110101001001001', name: '第1网格', count: 3 }],
          },
        };
      return new Error(`unexpected ${path}`);
    });
    const table = await screen.findByTestId('places');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    // Places by name, the code beside; the street itself named on its total row.
    expect(within(table).getByRole('rowheader', { name: '第1网格 110101001001001' })).toBeTruthy();
    expect(within(table).getByRole('rowheader', { name: '合计 · 东华门街道 110101001' })).toBeTruthy();
    // The top grids too (the places table has the same grid).
    await waitFor(() =>
      expect(screen.getAllByRole('rowheader', { name: '第1网格 110101001001001' })).toHaveLength(2),
    );
    expect(screen.getByTestId('monthly-problem-grids').textContent).toBe(
      '网格: 第1网格（110101001001001） 3',
    );
    expect((await screen.findByTestId('monthly-problem')).textContent).toContain('露天烧烤 (E05-52)');
    expect(screen.getByTestId('monthly-problem').textContent).toContain('增长 +2 (200.0%)');
    expect(screen.queryByRole('heading', { name: '部门考核' })).toBeNull();
    // No rising category, and no grid for the map.
    await waitFor(() => expect(screen.getAllByText('暂无内容')).toHaveLength(2));
    expect(screen.getByRole('heading', { name: '热点地图' })).toBeTruthy();
  });

  it('starts on the city’s month, not the browser’s, and exports that month’s cases of a place', async () => {
    // 23:30 UTC on 31 May: still May for a browser on UTC, already June in Beijing.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-05-31T23:30:00Z'));
    const fetchMock = vi.fn(
      async (_url: string, _init: RequestInit) => new Response('\uFEFFid\r\n', { status: 200 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }));
    const calls = renderPage(session('street_center', { kind: 'org', code: '110101001' }), (path) => {
      if (path === '/v1/settings/calendar') return { version: 1, calendar: { timeZone: 'Asia/Shanghai' } };
      if (path.startsWith('/v1/analytics/places'))
        return {
          period: '2026-06',
          by: 'grid',
          place: { code: '110101001', name: '东华门街道', hotline: rates },
          children: [{ code: '110101001001001', name: '第1网格', hotline: rates }],
        };
      return new Error(`unexpected ${path}`);
    });
    expect(((await screen.findByLabelText('月份')) as HTMLInputElement).value).toBe('2026-06');
    expect(calls.find((path) => path.startsWith('/v1/analytics/places'))).toBe(
      '/v1/analytics/places?period=2026-06',
    );
    const place = await screen.findByRole('combobox', { name: '地区' });
    fireEvent.change(place, { target: { value: '110101001001001' } });
    fireEvent.click(screen.getByRole('button', { name: '导出 CSV' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(fetchMock.mock.calls[0]?.[0]).toBe(
      '/v1/analytics/cases/export?from=2026-06-01&to=2026-06-30&orgCode=110101001001001&format=csv',
    );
    expect(fetchMock.mock.calls[0]?.[1].headers).toEqual({ accept: 'text/csv', authorization: 'Bearer tok' });
    await waitFor(() => expect(screen.getByTestId('case-export-status').textContent).toMatch(/已导出/));
    fireEvent.click(screen.getByRole('button', { name: '导出 GeoJSON' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(fetchMock.mock.calls[1]?.[0]).toContain('format=geojson');
  });

  it('shows the API’s error with a retry button', async () => {
    renderPage(session('department', { kind: 'department', departmentId: 'x' }), () => new Error('boom'));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts[0]?.textContent).toContain('boom');
    expect(screen.getAllByRole('button', { name: '重试' }).length).toBeGreaterThan(0);
  });
});
