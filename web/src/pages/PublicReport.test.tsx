// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, ApiError } from '../api';
import { I18nContext, translator } from '../i18n';
import type { PublicCategory, PublicCity, PublicProgress } from '../public';
import { FollowPage } from './Follow';
import { PublicReportPage } from './PublicReport';

// The map needs WebGL; a stand-in lets the test tap a place the way a visitor taps the map.
vi.mock('../components/LazyMap', () => ({
  LazyMap: (props: {
    onPick?: (point: [number, number]) => void;
    marker?: [number, number];
    units?: { features: { geometry: { coordinates: number[][] } }[] };
    label: string;
  }) => (
    <fieldset aria-label={props.label}>
      <button type="button" onClick={() => props.onPick?.([116.395, 39.899])}>
        map {props.marker ? props.marker.join(',') : 'empty'}
      </button>
      <button type="button" onClick={() => props.onPick?.([121.47, 31.23])}>
        tap Shanghai
      </button>
      <button type="button" onClick={() => props.onPick?.([116.381, 39.891])}>
        tap between grids
      </button>
      <output data-testid="map-frame">
        {JSON.stringify(props.units?.features[0]?.geometry.coordinates ?? null)}
      </output>
    </fieldset>
  ),
}));

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const categories: PublicCategory[] = [
  {
    code: 'E05-52',
    type: 'event',
    name: { zh: '露天烧烤', en: 'Open-air barbecue' },
    group: { zh: '街面秩序', en: 'Street order' },
    attributes: [],
  },
  {
    code: 'C01-01',
    type: 'component',
    name: { zh: '上水井盖', en: 'Water manhole cover' },
    group: { zh: '公用设施', en: 'Utilities' },
    attributes: [
      {
        code: 'condition',
        datatype: 'singlevaluelist',
        required: true,
        order: 2,
        description: { zh: '部件状况', en: 'Condition of the component' },
        values: [{ key: 'missing', name: { zh: '缺失', en: 'Missing' } }],
      },
    ],
  },
];

const fakeApi = (handlers: Partial<ApiClient>) =>
  ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), ...handlers }) as unknown as ApiClient;

const inLang = (lang: 'zh' | 'en', node: React.ReactNode) =>
  render(<I18nContext.Provider value={translator(lang)}>{node}</I18nContext.Provider>);

describe('the public report page', () => {
  it('asks for what is missing, then files the report with the category’s extra field and shows the tracking code', async () => {
    const post = vi.fn(async () => ({ trackingCode: 'K7P2M9Q4XA' }));
    const get = vi.fn(async () => ({ items: categories }));
    const api = fakeApi({ get, post } as unknown as Partial<ApiClient>);
    inLang('en', <PublicReportPage tenantId="demo-city" api={api} />);
    expect(get).toHaveBeenCalledWith('/v1/public/demo-city/categories');
    await screen.findByRole('option', { name: 'Water manhole cover' });

    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    const alert = await screen.findByTestId('problems');
    expect(alert.textContent).toContain('Kind of problem');
    expect(alert.textContent).toContain('Description');
    expect(alert.textContent).toContain('Location');
    expect(post).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Kind of problem (required)'), { target: { value: 'C01-01' } });
    fireEvent.change(screen.getByLabelText('Description (required)'), { target: { value: ' 井盖丢了 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'map empty' }));
    expect(screen.getByTestId('picked').textContent).toContain('116.395, 39.899');
    // What was missing and is now given drops from the list as the visitor types.
    expect(screen.getByTestId('problems').textContent).not.toContain('Description');
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect((await screen.findByTestId('problems')).textContent).toContain('Condition of the component');

    fireEvent.change(screen.getByLabelText('Condition of the component (required)'), {
      target: { value: 'missing' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    const done = await screen.findByTestId('public-report-done');
    expect(screen.getByTestId('tracking-code').textContent).toBe('K7P2M9Q4XA');
    expect(done.textContent).toContain('Reported');
    expect(post).toHaveBeenCalledWith(
      '/v1/public/demo-city/reports',
      {
        categoryCode: 'C01-01',
        description: '井盖丢了',
        location: { point: [116.395, 39.899] },
        attributes: { condition: 'missing' },
      },
      { 'idempotency-key': expect.stringMatching(/^.{16,128}$/) },
    );
    expect(localStorage.getItem('civicgrid.public.demo-city')).toContain('K7P2M9Q4XA');
  });

  it('takes a typed address instead of a pin, and explains an address the city does not know', async () => {
    const post = vi.fn(async () => {
      throw new ApiError(400, 'validation_failed', 'no address', { code: 'address_not_found' });
    });
    const api = fakeApi({
      get: vi.fn(async () => ({ items: categories })),
      post,
    } as unknown as Partial<ApiClient>);
    inLang('zh', <PublicReportPage tenantId="demo-city" api={api} />);
    await screen.findByRole('option', { name: '露天烧烤' });
    fireEvent.change(screen.getByLabelText('问题类别 (必填)'), { target: { value: 'E05-52' } });
    fireEvent.change(screen.getByLabelText('问题描述 (必填)'), { target: { value: '有人烧烤' } });
    fireEvent.change(screen.getByLabelText('地址或地点描述'), { target: { value: '不存在路 99 号' } });
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    expect((await screen.findByRole('alert')).textContent).toContain('未能找到该地址');
    expect(post).toHaveBeenCalledWith(
      '/v1/public/demo-city/reports',
      { categoryCode: 'E05-52', description: '有人烧烤', location: { address: '不存在路 99 号' } },
      expect.anything(),
    );
  });
});

const city: PublicCity = {
  id: 'demo-city',
  name: '东城区（演示） Dongcheng demo',
  locale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  extent: { bbox: [116.38, 39.89, 116.42, 39.93], center: [116.4, 39.91], grids: 40 },
};

/** The city's public API as the page meets it: the city, its categories, the place check, the address search. */
const cityApi = () => {
  const get = vi.fn(async (path: string) => {
    const url = new URL(path, 'http://x');
    if (url.pathname === '/v1/public/demo-city') return city;
    if (url.pathname.endsWith('/categories')) return { items: categories };
    if (url.pathname.endsWith('/locate')) {
      // 116.381 lies in the box but between the city's grids.
      return Number(url.searchParams.get('lon')) === 116.381
        ? { inside: false }
        : { inside: true, street: '东华门街道', community: '多福巷社区' };
    }
    if (url.pathname.endsWith('/geocode')) {
      return url.searchParams.get('q') === '故宫'
        ? { items: [{ label: '故宫博物院', point: [116.397, 39.918] }] }
        : { items: [] };
    }
    throw new ApiError(404, 'not_found', path);
  });
  const post = vi.fn(async () => ({ trackingCode: 'K7P2M9Q4XA' }));
  return { get, post, api: fakeApi({ get, post } as unknown as Partial<ApiClient>) };
};

describe('the public report page in its city', () => {
  it('names the city, frames its grids and refuses a place outside them at once', async () => {
    const { get, api } = cityApi();
    inLang('zh', <PublicReportPage tenantId="demo-city" api={api} />);
    expect((await screen.findByTestId('city-name')).textContent).toBe(city.name);
    expect(get).toHaveBeenCalledWith('/v1/public/demo-city');
    expect(screen.getByRole('group', { name: `${city.name} 地图` })).toBeTruthy();
    expect(JSON.parse(screen.getByTestId('map-frame').textContent ?? '')).toEqual([
      [116.38, 39.89],
      [116.42, 39.93],
    ]);

    // Far outside the box: refused without asking the city.
    fireEvent.click(screen.getByRole('button', { name: 'tap Shanghai' }));
    expect((await screen.findByTestId('place-refused')).textContent).toContain('不在本市网格范围内');
    expect(get.mock.calls.some(([path]) => path.includes('/locate'))).toBe(false);
    expect(screen.getByTestId('picked').textContent).toBe('');

    // Inside: the pin is set and named by its street.
    fireEvent.click(screen.getByRole('button', { name: 'map empty' }));
    await waitFor(() => expect(screen.getByTestId('picked').textContent).toContain('东华门街道 多福巷社区'));
    expect(screen.queryByTestId('place-refused')).toBeNull();
    expect(get).toHaveBeenCalledWith('/v1/public/demo-city/locate?lon=116.395&lat=39.899');

    // In the box but between grids: the city says no, and the earlier pin stays.
    fireEvent.click(screen.getByRole('button', { name: 'tap between grids' }));
    await screen.findByTestId('place-refused');
    await waitFor(() => expect(screen.getByTestId('picked').textContent).toContain('116.395, 39.899'));
    expect(screen.getByTestId('picked').textContent).toContain('东华门街道');
  });

  it('finds an address in the city, pins it and zooms there; says so when nothing matches', async () => {
    const { get, post, api } = cityApi();
    inLang('en', <PublicReportPage tenantId="demo-city" api={api} />);
    await screen.findByRole('option', { name: 'Open-air barbecue' });
    const address = screen.getByLabelText('Address or landmark');
    fireEvent.change(address, { target: { value: '不存在路' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find on the map' }));
    expect((await screen.findByTestId('no-matches')).textContent).toContain('No such place in this city');

    fireEvent.change(address, { target: { value: '故宫' } });
    fireEvent.keyDown(address, { key: 'Enter' });
    const found = await screen.findByRole('button', { name: '故宫博物院' });
    expect(get).toHaveBeenCalledWith('/v1/public/demo-city/geocode?q=%E6%95%85%E5%AE%AB');
    expect(post).not.toHaveBeenCalled();
    fireEvent.click(found);
    await waitFor(() => expect(screen.getByTestId('picked').textContent).toContain('116.397, 39.918'));
    expect((address as HTMLInputElement).value).toBe('故宫博物院');
    const [[west, south], [east, north]] = JSON.parse(screen.getByTestId('map-frame').textContent ?? '');
    expect(west).toBeLessThan(116.397);
    expect(east).toBeGreaterThan(116.397);
    expect(east - west).toBeLessThan(0.01);
    expect(north - south).toBeLessThan(0.01);

    fireEvent.change(screen.getByLabelText('Kind of problem (required)'), { target: { value: 'E05-52' } });
    fireEvent.change(screen.getByLabelText('Description (required)'), { target: { value: 'BBQ smoke' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await screen.findByTestId('public-report-done');
    expect(post).toHaveBeenCalledWith(
      '/v1/public/demo-city/reports',
      {
        categoryCode: 'E05-52',
        description: 'BBQ smoke',
        location: { point: [116.397, 39.918], address: '故宫博物院' },
      },
      expect.anything(),
    );
  });
});

const closed: PublicProgress = {
  trackingCode: 'K7P2M9Q4XA',
  status: 'closed',
  open: false,
  category: { code: 'E05-52', name: { zh: '露天烧烤', en: 'Open-air barbecue' } },
  description: '有人烧烤',
  reportedAt: '2026-05-01T00:00:00.000Z',
  closedAt: '2026-05-01T06:00:00.000Z',
  steps: [
    { type: 'case.reported', at: '2026-05-01T00:00:00.000Z', label: { zh: '已受理', en: 'Received' } },
    {
      type: 'case.check_passed',
      at: '2026-05-01T06:00:00.000Z',
      label: { zh: '现场核查通过，已结案', en: 'Checked on site and closed' },
    },
  ],
  canRate: true,
};

describe('the follow page', () => {
  it('shows the public steps of a closed report and takes one rating', async () => {
    const rated: PublicProgress = {
      ...closed,
      status: 'evaluated',
      canRate: false,
      rating: { satisfaction: 4, at: '2026-05-01T07:00:00.000Z' },
    };
    const get = vi.fn().mockResolvedValueOnce(closed).mockResolvedValueOnce(rated);
    const post = vi.fn(async () => ({ status: 'evaluated', satisfaction: 4 }));
    const api = fakeApi({ get, post } as unknown as Partial<ApiClient>);
    inLang('en', <FollowPage tenantId="demo-city" code="k7p2m9q4xa" api={api} />);
    const result = await screen.findByTestId('follow-result');
    expect(get).toHaveBeenCalledWith('/v1/public/demo-city/reports/K7P2M9Q4XA');
    expect(result.textContent).toContain('Checked on site and closed');
    expect(result.textContent).toContain('Open-air barbecue');

    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Satisfaction');
    expect(post).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText('Satisfied'));
    fireEvent.change(screen.getByLabelText('Comment (optional)'), { target: { value: ' quick ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    await waitFor(() => expect(screen.getByTestId('follow-rating').textContent).toContain('Satisfied'));
    expect(post).toHaveBeenCalledWith('/v1/public/demo-city/reports/K7P2M9Q4XA/rating', {
      satisfaction: 4,
      comment: 'quick',
    });
    expect(screen.queryByRole('button', { name: 'Send rating' })).toBeNull();
    expect(screen.getByTestId('follow-status').getAttribute('data-status')).toBe('evaluated');
  });

  it('offers no rating while the case is open, and follows codes of other channels by the plain track', async () => {
    const get = vi.fn(async (path: string) => {
      if (path.startsWith('/v1/public/')) throw new ApiError(404, 'not_found', 'No report has this code.');
      return {
        status: 'dispatched',
        reportedAt: closed.reportedAt,
        steps: [{ type: 'case.dispatched', at: closed.reportedAt }],
      };
    });
    inLang(
      'zh',
      <FollowPage
        tenantId="demo-city"
        code="AAAAAAAAAA"
        api={fakeApi({ get } as unknown as Partial<ApiClient>)}
      />,
    );
    const result = await screen.findByTestId('follow-result');
    expect(get).toHaveBeenLastCalledWith('/v1/track/demo-city/AAAAAAAAAA');
    expect(result.textContent).toContain('已派遣');
    expect(result.textContent).toContain('派遣');
    expect(screen.queryByRole('button', { name: '提交评价' })).toBeNull();
  });

  it('says so when no report has the code', async () => {
    const get = vi.fn(async () => {
      throw new ApiError(404, 'not_found', 'No report has this tracking code.');
    });
    inLang(
      'zh',
      <FollowPage
        tenantId="demo-city"
        code="BBBBBBBBBB"
        api={fakeApi({ get } as unknown as Partial<ApiClient>)}
      />,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('未找到');
  });
});
