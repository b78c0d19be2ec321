import { DEMO_TENANT, demoTenant, readDemoGazetteer, readDemoHierarchy } from '@civicgrid/local';
import type { MultiPolygon, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/** What the public reporting page learns of a city before anyone reports: no login, limited per address. */
let api: TestApi;
let admin: string;
const BASE = `/v1/public/${DEMO_TENANT}`;
const OTHER = 'second-city';
let ip = 0;
const nextIp = () => {
  ip += 1;
  return `10.8.${Math.floor(ip / 250)}.${ip % 250}`;
};

const call = (path: string, headers: Record<string, string> = {}) =>
  api.call('GET', path, { headers: { 'x-test-ip': nextIp(), ...headers } });

interface Place {
  geometry: { coordinates: [number, number] };
  properties: { name: string };
}

beforeAll(async () => {
  api = await createTestApi();
  admin = await api.login(DEMO_TENANT, 'admin');
  const operator = await api.login('platform', 'operator');
  const onboarded = await api.call('POST', '/v1/tenants', {
    token: operator,
    body: {
      id: OTHER,
      name: '第二城市 Second city',
      divisionCode: '310000',
      admin: { username: 'admin', displayName: 'B admin', password: 'b-admin-password' },
    },
  });
  expect(onboarded.status).toBe(201);
});

describe('the public city', () => {
  it('gives the name, time zone and the box around the grids, with a centre inside a grid', async () => {
    const response = await call(BASE);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('x-ratelimit-limit')).toBe('120');
    expect(response.body).toMatchObject({
      id: DEMO_TENANT,
      name: demoTenant.name,
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
    });
    const grids = (
      (await readDemoHierarchy()).features as { geometry: unknown; properties: { level: string } }[]
    ).filter((f) => f.properties.level === 'grid');
    const vertices = grids.flatMap((f) => {
      const g = f.geometry as Polygon | MultiPolygon;
      return g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2);
    });
    const xs = vertices.map((v) => v[0] as number);
    const ys = vertices.map((v) => v[1] as number);
    const { bbox, center, grids: count } = response.body.extent;
    expect(count).toBe(grids.length);
    expect(bbox[0]).toBeCloseTo(Math.min(...xs), 6);
    expect(bbox[1]).toBeCloseTo(Math.min(...ys), 6);
    expect(bbox[2]).toBeCloseTo(Math.max(...xs), 6);
    expect(bbox[3]).toBeCloseTo(Math.max(...ys), 6);
    const located = await api.call('GET', `/v1/org/locate?lon=${center[0]}&lat=${center[1]}`, {
      token: admin,
    });
    expect(located.status).toBe(200);
    // Nothing staff-only rides along.
    expect(Object.keys(response.body).sort()).toEqual(['extent', 'id', 'locale', 'name', 'timeZone']);
    expect(JSON.stringify(response.body)).not.toContain('110101');
  });

  it('has no extent before the city draws its grids, and answers unknown and suspended cities as the other public routes do', async () => {
    const fresh = await call(`/v1/public/${OTHER}`);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ id: OTHER, name: '第二城市 Second city', extent: null });
    const unknown = await call('/v1/public/no-such-city');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const operator = await api.login('platform', 'operator');
    await api.call('POST', '/v1/tenants', {
      token: operator,
      body: {
        id: 'paused-town',
        name: '暂停城市',
        divisionCode: '320000',
        admin: { username: 'admin', displayName: 'P admin', password: 'p-admin-password' },
      },
    });
    expect((await api.call('POST', '/v1/tenants/paused-town/suspend', { token: operator })).status).toBe(200);
    for (const path of ['', '/geocode?q=x', '/locate?lon=116.4&lat=39.9']) {
      const suspended = await call(`/v1/public/paused-town${path}`);
      expect(suspended.status, path).toBe(403);
      expect(suspended.body.error.code, path).toBe('tenant_suspended');
    }
  });

  it('says whether a tapped point lies in the city, naming street and community but no grid', async () => {
    const center = (await call(BASE)).body.extent.center as [number, number];
    const inside = await call(`${BASE}/locate?lon=${center[0]}&lat=${center[1]}`);
    expect(inside.status).toBe(200);
    const staff = await api.call('GET', `/v1/org/locate?lon=${center[0]}&lat=${center[1]}`, { token: admin });
    expect(inside.body).toEqual({
      inside: true,
      street: staff.body.street.name,
      community: staff.body.community.name,
    });
    const outside = await call(`${BASE}/locate?lon=121.47&lat=31.23`);
    expect(outside.status).toBe(200);
    expect(outside.body).toEqual({ inside: false });
    expect((await call(`${BASE}/locate?lon=500&lat=1`)).status).toBe(400);
  });
});

describe('public address search', () => {
  it('finds places of the city’s gazetteer, answering only a name and a point', async () => {
    const places = (await readDemoGazetteer()).features as Place[];
    const museum = places.find((p) => p.properties.name === '故宫博物院') as Place;
    const response = await call(`${BASE}/geocode?q=${encodeURIComponent('故宫')}`);
    expect(response.status).toBe(200);
    expect(response.body.items[0]).toEqual({ label: '故宫博物院', point: museum.geometry.coordinates });
    for (const item of response.body.items) expect(Object.keys(item).sort()).toEqual(['label', 'point']);
    expect((await call(`${BASE}/geocode?q=`)).status).toBe(400);
    expect((await call(`${BASE}/geocode?q=${'长'.repeat(101)}`)).status).toBe(400);
  });

  it('keeps to the city: places outside its grids and other cities’ gazetteers are not found', async () => {
    const gazetteer = (entries: [string, [number, number]][]) => ({
      type: 'FeatureCollection',
      features: entries.map(([name, coordinates]) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates },
        properties: { name },
      })),
    });
    const center = (await call(BASE)).body.extent.center as [number, number];
    // The demo city's own gazetteer, with one place far outside its grids.
    const current = (await readDemoGazetteer()).features as Place[];
    const put = await api.call('PUT', '/v1/gazetteer', {
      token: admin,
      body: gazetteer([
        ...current.map((p): [string, [number, number]] => [p.properties.name, p.geometry.coordinates]),
        ['外滩观景台', [121.4903, 31.2397]],
      ]),
    });
    expect(put.status).toBe(200);
    expect((await call(`${BASE}/geocode?q=${encodeURIComponent('外滩观景台')}`)).body.items).toEqual([]);
    // Another city's place, put at a point inside the demo city: only that city could find it,
    // and it has no grids there, so nobody does; its search does not reach the demo's places.
    const other = await api.login(OTHER, 'admin', 'b-admin-password');
    expect(
      (
        await api.call('PUT', '/v1/gazetteer', {
          token: other,
          body: gazetteer([['第二城市秘密仓库', center]]),
        })
      ).status,
    ).toBe(200);
    expect((await call(`${BASE}/geocode?q=${encodeURIComponent('第二城市秘密仓库')}`)).body.items).toEqual(
      [],
    );
    expect((await call(`/v1/public/${OTHER}/geocode?q=${encodeURIComponent('故宫')}`)).body.items).toEqual(
      [],
    );
    expect((await call(`/v1/public/${OTHER}/locate?lon=${center[0]}&lat=${center[1]}`)).body).toEqual({
      inside: false,
    });
  });

  it('is limited per address', async () => {
    const from = { 'x-test-ip': '10.99.1.1' };
    const path = `${BASE}/geocode?q=${encodeURIComponent('故宫')}`;
    for (let i = 0; i < 30; i += 1) expect((await call(path, from)).status).toBe(200);
    const limited = await call(path, from);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBeTruthy();
    // Another address is not held back by this one.
    expect((await call(path, { 'x-test-ip': '10.99.1.2' })).status).toBe(200);
  });
});
