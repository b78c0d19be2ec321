import { DEMO_TENANT, readDemoGazetteer } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;
let admin: string;
let street: string;

interface Place {
  geometry: { coordinates: [number, number] };
  properties: { name: string };
}

beforeAll(async () => {
  api = await createTestApi();
  admin = await api.login(DEMO_TENANT, 'admin');
  street = await api.login(DEMO_TENANT, 'street');
});

describe('geocoding', () => {
  it('finds the demo city’s places from its own gazetteer, with the grid each lies in', async () => {
    const places = (await readDemoGazetteer()).features as Place[];
    const museum = places.find((p) => p.properties.name === '故宫博物院') as Place;
    const response = await api.call('GET', `/v1/geocode?q=${encodeURIComponent('故宫')}`, { token: street });
    expect(response.status).toBe(200);
    const [best] = response.body.items;
    expect(best).toMatchObject({
      label: '故宫博物院',
      source: 'gazetteer',
      point: museum.geometry.coordinates,
    });
    const [lon, lat] = museum.geometry.coordinates;
    const located = await api.call('GET', `/v1/org/locate?lon=${lon}&lat=${lat}`, { token: admin });
    expect(best.gridCode).toBe(located.body.grid.code);
  });

  it('replaces the gazetteer, refuses what is not points, and keeps places outside the city out', async () => {
    const replaced = await api.call('PUT', '/v1/gazetteer', {
      token: admin,
      body: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [116.4012, 39.9073] },
            properties: { name: '东城区南池子大街12号' },
          },
          // Shanghai: a real place, but outside this city's grids.
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [121.4737, 31.2304] },
            properties: { name: '南池子大街12号' },
          },
        ],
      },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.entries).toBe(2);
    const found = await api.call('GET', `/v1/geocode?q=${encodeURIComponent('南池子大街１２号')}`, {
      token: street,
    });
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0].label).toBe('东城区南池子大街12号');
    const gone = await api.call('GET', `/v1/geocode?q=${encodeURIComponent('故宫博物院')}`, {
      token: street,
    });
    expect(gone.body.items).toEqual([]);

    const lines = await api.call('PUT', '/v1/gazetteer', {
      token: admin,
      body: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: {
              type: 'LineString',
              coordinates: [
                [116.4, 39.9],
                [116.41, 39.91],
              ],
            },
            properties: { name: 'x' },
          },
        ],
      },
    });
    expect(lines.status).toBe(400);
    expect(lines.body.error.code).toBe('validation_failed');
  });

  it('is for staff only, and only admins change the gazetteer', async () => {
    const citizen = await api.login(DEMO_TENANT, 'citizen');
    expect((await api.call('GET', '/v1/geocode?q=x', { token: citizen })).status).toBe(403);
    const put = await api.call('PUT', '/v1/gazetteer', {
      token: street,
      body: { type: 'FeatureCollection', features: [] },
    });
    expect(put.status).toBe(403);
  });
});
