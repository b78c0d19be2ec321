// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import {
  analyticsPath,
  caseExportPath,
  downloadCsv,
  downloadFile,
  figuresAccess,
  fileNameOf,
  formatRate,
  gridChoropleth,
  monthOf,
  monthRange,
  placeBars,
  rateBars,
  type Scorecard,
  scoreBars,
  seesFigures,
} from './figures';
import { navFor } from './session';

const card = (departmentId: string, score: number | null): Scorecard =>
  ({
    departmentId,
    period: '2026-05',
    score,
    cases: { closed: 1 },
    hotline: {
      received: 2,
      responded: 1,
      resolved: 1,
      rated: 0,
      satisfied: 0,
      responseRate: 50,
      resolutionRate: 50,
      satisfactionRate: null,
    },
  }) as unknown as Scorecard;

describe('who sees which figures', () => {
  it('follows the analytics routes: scorecards for admins, district centers and the department itself', () => {
    expect(figuresAccess({ role: 'city_admin', scope: { kind: 'city' } })).toEqual({
      scorecards: true,
      places: true,
    });
    expect(figuresAccess({ role: 'district_center', scope: { kind: 'org', code: '110101' } })).toEqual({
      scorecards: true,
      places: true,
    });
    expect(figuresAccess({ role: 'street_center', scope: { kind: 'org', code: '110101001' } })).toEqual({
      scorecards: false,
      places: true,
    });
    expect(
      figuresAccess({ role: 'department', scope: { kind: 'department', departmentId: 'urban-enforcement' } }),
    ).toEqual({ scorecards: true, places: false });
    expect(seesFigures({ role: 'citizen', scope: { kind: 'self' } })).toBe(false);
    expect(seesFigures({ role: 'platform_operator', scope: { kind: 'platform' } })).toBe(false);
  });

  it('puts Figures in the navigation of exactly the roles the analytics API serves', () => {
    const viewers = [
      { role: 'city_admin', scope: { kind: 'city' } },
      { role: 'district_center', scope: { kind: 'org', code: '110101' } },
      { role: 'street_center', scope: { kind: 'org', code: '110101001' } },
      { role: 'community_station', scope: { kind: 'org', code: '110101001001' } },
      { role: 'grid_worker', scope: { kind: 'org', code: '110101001001001' } },
      { role: 'department', scope: { kind: 'department', departmentId: 'urban-enforcement' } },
      { role: 'citizen', scope: { kind: 'self' } },
      { role: 'platform_operator', scope: { kind: 'platform' } },
    ] as const;
    for (const viewer of viewers) {
      expect(navFor(viewer.role).includes('figures'), viewer.role).toBe(seesFigures(viewer));
    }
  });
});

describe('figures data shaping', () => {
  it('builds analytics paths without empty parameters', () => {
    expect(analyticsPath('scorecards', { period: '2026-05', format: undefined })).toBe(
      '/v1/analytics/scorecards?period=2026-05',
    );
    expect(analyticsPath('hotline', { period: '', by: 'department', format: 'csv' })).toBe(
      '/v1/analytics/hotline?by=department&format=csv',
    );
    expect(analyticsPath('weights', {})).toBe('/v1/analytics/weights');
  });

  it('names months and rates as the tables show them', () => {
    expect(monthOf(new Date(2026, 0, 31))).toBe('2026-01');
    expect(monthOf(new Date(2026, 10, 1))).toBe('2026-11');
    // The city's month, not the browser's: at 23:30 UTC on 31 May it is already June in Beijing,
    // still 31 May in New York.
    const instant = new Date('2026-05-31T23:30:00Z');
    expect(monthOf(instant, 'Asia/Shanghai')).toBe('2026-06');
    expect(monthOf(instant, 'America/New_York')).toBe('2026-05');
    expect(monthOf(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01');
    // A zone that is none: the browser's month.
    expect(monthOf(new Date(2026, 4, 15), 'Mars/Olympus')).toBe('2026-05');
    expect(formatRate(null)).toBe('—');
    expect(formatRate(87)).toBe('87.0%');
    expect(formatRate(66.66)).toBe('66.7%');
  });

  it('sorts departments best score first, unscored last, under their names', () => {
    const names: Record<string, string> = { a: '甲', b: '乙', c: '丙' };
    const bars = scoreBars(
      [card('a', 70), card('b', null), card('c', 92.5)],
      (id) => names[id] ?? id,
      '得分',
    );
    expect(bars.labels).toEqual(['丙', '甲', '乙']);
    expect(bars.series).toEqual([{ name: '得分', values: [92.5, 70, null] }]);
  });

  it('turns hotline rows into three series and places into registered/closed bars', () => {
    const rows = [{ code: 'x', ...card('x', 1).hotline }];
    const bars = rateBars(rows, (code) => `n-${code}`, { response: 'R', resolution: 'S', satisfaction: 'T' });
    expect(bars.labels).toEqual(['n-x']);
    expect(bars.series.map((s) => [s.name, s.values])).toEqual([
      ['R', [50]],
      ['S', [50]],
      ['T', [null]],
    ]);
    const places = placeBars(
      [
        { code: '110101001', name: '东华门街道', registered: 4, closed: 3 },
        { code: '110101002', registered: 1, closed: 0 },
      ] as never,
      { registered: '立案', closed: '结案' },
    );
    expect(places.labels).toEqual(['东华门街道', '110101002']);
    expect(places.series[0]?.values).toEqual([4, 1]);
    expect(places.series[1]?.values).toEqual([3, 0]);
  });
});

describe('the hot-spot map', () => {
  it('marks the API’s grid counts as grids and finds where the colour scale ends', () => {
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    };
    const { units, max } = gridChoropleth({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: square, properties: { code: 'g1', registered: 2, reported: 9 } },
        { type: 'Feature', geometry: square, properties: { code: 'g2', registered: 5, reported: 1 } },
      ],
    });
    expect(max).toBe(5);
    expect(units.features.map((f) => f.properties)).toEqual([
      { code: 'g1', registered: 2, reported: 9, level: 'grid' },
      { code: 'g2', registered: 5, reported: 1, level: 'grid' },
    ]);
    expect(gridChoropleth({ type: 'FeatureCollection', features: [] }, 'reported').max).toBe(0);
  });
});

describe('CSV download', () => {
  const deps = (response: Response | Error) => {
    const clicked: { href: string; download: string }[] = [];
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => {
      if (response instanceof Error) throw response;
      return response;
    });
    const created: Blob[] = [];
    const realCreate = document.createElement.bind(document);
    const doc = {
      body: document.body,
      createElement: (tag: string) => {
        const element = realCreate(tag) as HTMLAnchorElement;
        element.click = () => clicked.push({ href: element.href, download: element.download });
        return element;
      },
    } as unknown as Document;
    return {
      clicked,
      created,
      fetchMock,
      deps: {
        fetch: fetchMock as unknown as typeof fetch,
        document: doc,
        createObjectURL: (blob: Blob) => {
          created.push(blob);
          return 'blob:csv-1';
        },
        revokeObjectURL: vi.fn(),
      },
    };
  };

  it('exports a month of cases under a place as CSV or GeoJSON', async () => {
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthRange('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(caseExportPath('2026-04', 'csv')).toBe(
      '/v1/analytics/cases/export?from=2026-04-01&to=2026-04-30&format=csv',
    );
    expect(caseExportPath('2026-04', 'geojson', '110101001')).toBe(
      '/v1/analytics/cases/export?from=2026-04-01&to=2026-04-30&orgCode=110101001&format=geojson',
    );
    const {
      deps: d,
      fetchMock,
      clicked,
    } = deps(
      new Response('{"type":"FeatureCollection","features":[]}', {
        status: 200,
        headers: { 'content-type': 'application/geo+json' },
      }),
    );
    const path = caseExportPath('2026-04', 'geojson');
    expect(await downloadFile(path, 'tok', 'cases-2026-04.geojson', 'application/geo+json', d)).toBe(
      'cases-2026-04.geojson',
    );
    expect(fetchMock).toHaveBeenCalledWith(path, {
      headers: { accept: 'application/geo+json', authorization: 'Bearer tok' },
    });
    expect(clicked).toEqual([{ href: 'blob:csv-1', download: 'cases-2026-04.geojson' }]);
  });

  it('reads the file name the API gives', () => {
    expect(fileNameOf('attachment; filename="scorecards-2026-05.csv"', 'x.csv')).toBe(
      'scorecards-2026-05.csv',
    );
    expect(fileNameOf(null, 'x.csv')).toBe('x.csv');
  });

  it('fetches the CSV with the bearer token and saves it as a blob under the API’s name', async () => {
    const csv = '\uFEFFdepartmentId,score\r\nurban-enforcement,80\r\n';
    const {
      deps: d,
      fetchMock,
      clicked,
      created,
    } = deps(
      new Response(csv, {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="scorecards-2026-05.csv"',
        },
      }),
    );
    const name = await downloadCsv('/v1/analytics/scorecards?period=2026-05', 'tok', 'fallback.csv', d);
    expect(name).toBe('scorecards-2026-05.csv');
    expect(fetchMock).toHaveBeenCalledWith('/v1/analytics/scorecards?period=2026-05&format=csv', {
      headers: { accept: 'text/csv', authorization: 'Bearer tok' },
    });
    expect(clicked).toEqual([{ href: 'blob:csv-1', download: 'scorecards-2026-05.csv' }]);
    expect(await created[0]?.text()).toContain('urban-enforcement,80');
    // The link does not stay in the page.
    expect(document.querySelector('a[download]')).toBeNull();
  });

  it('keeps an explicit format and answers an API error with its code, saving nothing', async () => {
    const {
      deps: d,
      fetchMock,
      clicked,
    } = deps(
      new Response(JSON.stringify({ error: { code: 'forbidden', message: 'Not yours' } }), {
        status: 403,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const failure = await downloadCsv('/v1/analytics/places?format=csv', 'tok', 'p.csv', d).catch((e) => e);
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/v1/analytics/places?format=csv');
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 403, code: 'forbidden', message: 'Not yours' });
    expect(clicked).toEqual([]);
  });

  it('reports a network failure as such', async () => {
    const { deps: d } = deps(new TypeError('offline'));
    await expect(downloadCsv('/v1/analytics/hotspots', 'tok', 'h.csv', d)).rejects.toMatchObject({
      code: 'network',
    });
  });
});
