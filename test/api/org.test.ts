import { DEMO_TENANT, readDemoHierarchy } from '@civicgrid/local';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

interface DemoFeature {
  geometry: Polygon | MultiPolygon;
  properties: { code: string; name: string; level: string; parentCode?: string };
}

let api: TestApi;
let admin: string;
let street: string;
let gridWorker: string;
let demo: DemoFeature[];

const grids = () => demo.filter((f) => f.properties.level === 'grid');
const byCode = (code: string) => demo.find((f) => f.properties.code === code) as DemoFeature;

/** A small square around a point, in degrees; about 85 m a side at Beijing's latitude. */
const square = (lon: number, lat: number, half = 0.0005): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - half, lat - half],
      [lon + half, lat - half],
      [lon + half, lat + half],
      [lon - half, lat + half],
      [lon - half, lat - half],
    ],
  ],
});

const firstVertex = (geometry: Polygon | MultiPolygon) =>
  (geometry.type === 'Polygon' ? geometry.coordinates[0]?.[0] : geometry.coordinates[0]?.[0]?.[0]) as [
    number,
    number,
  ];

beforeAll(async () => {
  api = await createTestApi();
  admin = await api.login(DEMO_TENANT, 'admin');
  street = await api.login(DEMO_TENANT, 'street');
  gridWorker = await api.login(DEMO_TENANT, 'gridworker');
  demo = (await readDemoHierarchy()).features as DemoFeature[];
});

describe('the demo city', () => {
  it('was imported through the API: one district, its streets, communities and grids', async () => {
    const districts = await api.call('GET', '/v1/org/units', { token: admin });
    expect(districts.body.items.map((u: { code: string }) => u.code)).toEqual(['110101']);
    const streets = await api.call('GET', '/v1/org/units?parentCode=110101', { token: admin });
    expect(streets.body.items).toHaveLength(demo.filter((f) => f.properties.level === 'street').length);
    const grid = await api.call('GET', `/v1/org/units/${grids()[0]?.properties.code}`, { token: admin });
    expect(grid.status).toBe(200);
    expect(grid.body).toMatchObject({
      level: 'grid',
      status: 'active',
      staffing: { model: expect.any(String) },
    });
    expect(grid.body.geometry.type).toMatch(/Polygon/);
  });

  it('locates any point to exactly the grid whose boundary holds it', async () => {
    const xs = demo.flatMap((f) => (f.geometry ? [firstVertex(f.geometry)[0]] : []));
    const ys = demo.flatMap((f) => (f.geometry ? [firstVertex(f.geometry)[1]] : []));
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    let checked = 0;
    for (let i = 0; i < 60; i += 1) {
      const lon = minX + ((maxX - minX) * ((i * 37) % 60)) / 60;
      const lat = minY + ((maxY - minY) * ((i * 23) % 60)) / 60;
      const holders = grids().filter((g) => booleanPointInPolygon([lon, lat], g.geometry));
      const response = await api.call('GET', `/v1/org/locate?lon=${lon}&lat=${lat}`, { token: street });
      if (holders.length === 0) {
        expect(response.status).toBe(404);
        continue;
      }
      checked += 1;
      expect(response.status).toBe(200);
      const codes = holders.map((h) => h.properties.code).sort();
      expect(response.body.grid.code).toBe(codes[0]);
      expect(response.body.street.code).toBe(response.body.grid.code.slice(0, 9));
      expect(response.body.district).toEqual({ code: '110101', name: byCode('110101').properties.name });
    }
    expect(checked).toBeGreaterThan(20);
    const far = await api.call('GET', '/v1/org/locate?lon=121.47&lat=31.23', { token: street });
    expect(far.status).toBe(404);
  });

  it('exports what the caller may see as GeoJSON', async () => {
    const all = await api.call('GET', '/v1/org/export', { token: admin });
    expect(all.status).toBe(200);
    expect(all.body.features).toHaveLength(demo.length);
    const mine = await api.call('GET', '/v1/org/export', { token: street });
    expect(mine.body.features.length).toBeGreaterThan(1);
    expect(mine.body.features.every((f: DemoFeature) => f.properties.code.startsWith('110101001'))).toBe(
      true,
    );
    expect((await api.call('GET', '/v1/org/export?parentCode=110101002', { token: street })).status).toBe(
      403,
    );
  });

  it('reports full coverage of a community by its grids', async () => {
    const response = await api.call('GET', '/v1/org/coverage?parentCode=110101001001', { token: street });
    expect(response.status).toBe(200);
    expect(response.body.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
    expect(response.body.coverage.gapAreaM2).toBeLessThan(1);
  });
});

describe('departments', () => {
  it('read the units they serve, boundaries included, and write none', async () => {
    // The demo's urban enforcement serves the whole city (no service areas listed).
    const urban = await api.login(DEMO_TENANT, 'urbanmgmt');
    const grid = '110101001001001';
    const one = await api.call('GET', `/v1/org/export?parentCode=${grid}`, { token: urban });
    expect(one.status).toBe(200);
    expect(one.body.features.map((f: DemoFeature) => f.properties.code)).toEqual([grid]);
    expect(one.body.features[0].geometry.type).toMatch(/Polygon/);
    expect((await api.call('GET', '/v1/org/export', { token: urban })).body.features).toHaveLength(
      demo.length,
    );
    expect((await api.call('GET', `/v1/org/units/${grid}`, { token: urban })).status).toBe(200);
    expect((await api.call('GET', '/v1/org/units?parentCode=110101', { token: urban })).status).toBe(200);

    // A department that serves one street reads that street only.
    const created = await api.call('POST', '/v1/departments', {
      token: admin,
      body: {
        id: 'dhm-market',
        code: 'SJ1',
        name: '东华门市场监管所',
        kind: 'on_call',
        servesOrgCodes: ['110101001'],
      },
    });
    expect(created.status).toBe(201);
    const user = await api.call('POST', '/v1/users', {
      token: admin,
      body: {
        username: 'dhm.market',
        displayName: '市场监管所',
        role: 'department',
        scope: { kind: 'department', departmentId: 'dhm-market' },
        password: 'a-good-password',
      },
    });
    expect(user.status).toBe(201);
    const market = await api.login(DEMO_TENANT, 'dhm.market', 'a-good-password');
    const served = await api.call('GET', '/v1/org/export', { token: market });
    const codes = served.body.features.map((f: DemoFeature) => f.properties.code) as string[];
    expect(codes.length).toBe(demo.filter((f) => f.properties.code.startsWith('110101001')).length);
    expect(codes.every((code) => code.startsWith('110101001'))).toBe(true);
    expect((await api.call('GET', `/v1/org/export?parentCode=${grid}`, { token: market })).status).toBe(200);
    expect((await api.call('GET', '/v1/org/export?parentCode=110101002', { token: market })).status).toBe(
      403,
    );
    expect((await api.call('GET', '/v1/org/units/110101002', { token: market })).status).toBe(403);
    expect((await api.call('GET', '/v1/org/units/110101', { token: market })).status).toBe(403);
    expect(
      (await api.call('GET', '/v1/org/coverage?parentCode=110101001001', { token: market })).status,
    ).toBe(200);

    // Reading is all: the hierarchy stays the admin's to change.
    const unit = (await api.call('GET', `/v1/org/units/${grid}`, { token: urban })).body;
    const write = await api.call('PATCH', `/v1/org/units/${grid}`, {
      token: urban,
      body: { version: unit.version, name: 'x' },
    });
    expect(write.status).toBe(403);
    expect((await api.call('POST', '/v1/org/imports', { token: market })).status).toBe(403);
  });
});

describe('hierarchy rules', () => {
  it('keeps grid workers and streets inside their own units', async () => {
    expect((await api.call('GET', '/v1/org/units/110101001001001', { token: gridWorker })).status).toBe(200);
    expect((await api.call('GET', '/v1/org/units/110101001001002', { token: gridWorker })).status).toBe(403);
    expect((await api.call('GET', '/v1/org/units/110101', { token: street })).status).toBe(403);
    const write = await api.call('PATCH', '/v1/org/units/110101001', {
      token: street,
      body: { version: 1, name: 'x' },
    });
    expect(write.status).toBe(403);
  });

  it('refuses a new grid that overlaps a sibling, with where and how much', async () => {
    const community = byCode('110101001001');
    const sibling = grids().find((g) => g.properties.parentCode === community.properties.code) as DemoFeature;
    const [lon, lat] = firstVertex(sibling.geometry);
    const response = await api.call('POST', '/v1/org/units', {
      token: admin,
      body: { code: '110101001001099', name: '重叠网格', geometry: square(lon, lat, 0.0002) },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.code).toBe('invalid_boundary');
    const problem = response.body.error.details.problems[0];
    expect(['overlaps_sibling', 'outside_parent']).toContain(problem.code);
    expect(problem.location).toHaveLength(2);
    expect(problem.areaM2).toBeGreaterThan(1);
  });

  it('refuses codes that do not extend their parent, and unknown parents', async () => {
    const wrong = await api.call('POST', '/v1/org/units', {
      token: admin,
      body: { code: '110101001', name: 'dup' },
    });
    expect(wrong.status).toBe(409);
    const orphan = await api.call('POST', '/v1/org/units', {
      token: admin,
      body: { code: '110101009001', name: '孤儿社区' },
    });
    expect(orphan.status).toBe(400);
    expect(orphan.body.error.details.code).toBe('parent_not_found');
    const foreign = await api.call('POST', '/v1/org/units', {
      token: admin,
      body: { code: '310101', name: '黄浦区' },
    });
    expect(foreign.status).toBe(400);
  });

  it('renames with history, and refuses to retire a unit with children or users', async () => {
    const unit = (await api.call('GET', '/v1/org/units/110101001', { token: admin })).body;
    const renamed = await api.call('PATCH', '/v1/org/units/110101001', {
      token: admin,
      body: { version: unit.version, name: '东华门街道（新）' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.history.at(-1)).toMatchObject({
      action: 'rename',
      from: unit.name,
      to: '东华门街道（新）',
    });
    const withChildren = await api.call('DELETE', `/v1/org/units/110101001?version=${renamed.body.version}`, {
      token: admin,
    });
    expect(withChildren.status).toBe(409);
    expect(withChildren.body.error.code).toBe('has_children');
    const grid = (await api.call('GET', '/v1/org/units/110101001001001', { token: admin })).body;
    const withUsers = await api.call('DELETE', `/v1/org/units/110101001001001?version=${grid.version}`, {
      token: admin,
    });
    expect(withUsers.status).toBe(409);
    expect(withUsers.body.error.code).toBe('unit_in_use');
  });

  it('moves a grid under another community: new code, and the old one points to it', async () => {
    const grid = (await api.call('GET', '/v1/org/units/110101002001006', { token: admin })).body;
    const moved = await api.call('POST', '/v1/org/units/110101002001006/move', {
      token: admin,
      body: { version: grid.version, newCode: '110101002002601' },
    });
    // The grid's boundary lies in its old community, so the move is refused as outside its new parent.
    expect(moved.status).toBe(400);
    expect(moved.body.error.details.problems[0].code).toBe('outside_parent');
  });

  it('records a roster and reports staffing against the grid’s model', async () => {
    const grid = (await api.call('GET', '/v1/org/units/110101001001003', { token: admin })).body;
    const updated = await api.call('PATCH', '/v1/org/units/110101001001003', {
      token: admin,
      body: {
        version: grid.version,
        roster: {
          liaison: { name: '张联络' },
          gridHead: { name: '李网格长', phone: '13800138000' },
          fullTime: [{ name: '王专职' }],
          partTime: [{ name: '赵兼职' }],
          volunteers: [{ name: '志愿者甲' }],
        },
        supervisors: ['sup-1'],
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.staffing).toMatchObject({ complete: true, missing: [] });
    const tooMany = await api.call('PATCH', '/v1/org/units/110101001001003', {
      token: admin,
      body: { version: updated.body.version, supervisors: ['a', 'b', 'c'] },
    });
    expect(tooMany.status).toBe(400);
  });
});

describe('import', () => {
  it('is all or nothing, listing every problem with where it is', async () => {
    const community = byCode('110101004003');
    const [lon, lat] = firstVertex(community.geometry);
    const bowTie: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [lon, lat],
          [lon + 0.002, lat + 0.001],
          [lon + 0.002, lat],
          [lon, lat + 0.0015],
          [lon, lat],
        ],
      ],
    };
    const response = await api.call('POST', '/v1/org/import', {
      token: admin,
      body: {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: null, properties: { code: '110101004', name: '改名街道' } },
          { type: 'Feature', geometry: bowTie, properties: { code: '110101004003098', name: '自交网格' } },
          { type: 'Feature', geometry: null, properties: { code: '110101777001', name: '无父社区' } },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.code).toBe('import_rejected');
    const codes = response.body.error.details.problems.map((p: { code: string }) => p.code);
    expect(codes).toContain('self_intersection');
    expect(codes).toContain('parent_not_found');
    const selfIntersection = response.body.error.details.problems.find(
      (p: { code: string }) => p.code === 'self_intersection',
    );
    expect(selfIntersection).toMatchObject({ featureIndex: 1, featureCode: '110101004003098' });
    expect(selfIntersection.location).toHaveLength(2);
    const street4 = await api.call('GET', '/v1/org/units/110101004', { token: admin });
    expect(street4.body.name).not.toBe('改名街道');
  });

  it('re-importing the same file changes nothing', async () => {
    const again = await api.call('POST', '/v1/org/import', { token: admin, body: await readDemoHierarchy() });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(0);
    // Two units were changed by the tests above (a rename and a roster); the file puts the name back.
    expect(again.body.updated).toBeLessThanOrEqual(2);
  });

  it('takes a large city in pages, checked and written together at commit', async () => {
    const features = (await readDemoHierarchy()).features;
    const opened = await api.call('POST', '/v1/org/imports', { token: admin });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    const half = Math.ceil(features.length / 2);
    for (const page of [features.slice(0, half), features.slice(half)]) {
      const staged = await api.call('POST', `/v1/org/imports/${id}/pages`, {
        token: admin,
        body: { type: 'FeatureCollection', features: page },
      });
      expect(staged.status).toBe(200);
    }
    const committed = await api.call('POST', `/v1/org/imports/${id}/commit`, { token: admin });
    expect(committed.status).toBe(200);
    expect(committed.body).toMatchObject({ created: 0, unchanged: expect.any(Number) });
    expect(committed.body.created + committed.body.updated + committed.body.unchanged).toBe(features.length);
    const late = await api.call('POST', `/v1/org/imports/${id}/pages`, {
      token: admin,
      body: { type: 'FeatureCollection', features: [] },
    });
    expect(late.status).toBe(400);
    expect(
      (await api.call('POST', '/v1/org/imports/01ARZ3NDEKTSV4RRFFQ69G5FAV/commit', { token: admin })).status,
    ).toBe(404);
  });
  it('checks a staged import without writing it, reports every problem with its feature, and discards it', async () => {
    const community = byCode('110101001001');
    const [lon, lat] = firstVertex(grids()[0]?.geometry as Polygon);
    const features = [
      {
        type: 'Feature',
        geometry: square(lon + 0.2, lat + 0.2),
        properties: { code: '110101001199', name: '新社区', level: 'community' },
      },
      {
        type: 'Feature',
        geometry: square(lon + 0.2, lat + 0.2, 0.0003),
        properties: { code: '110101001199001', name: '新网格一', level: 'grid' },
      },
      {
        type: 'Feature',
        geometry: square(lon + 0.2004, lat + 0.2, 0.0003),
        properties: { code: '110101001199002', name: '新网格二', level: 'grid' },
      },
      { type: 'Feature', geometry: null, properties: { code: '110101001', name: '' } },
    ];
    expect(community).toBeDefined();
    const id = (await api.call('POST', '/v1/org/imports', { token: admin })).body.id;
    await api.call('POST', `/v1/org/imports/${id}/pages`, {
      token: admin,
      body: { type: 'FeatureCollection', features },
    });
    const checked = await api.call('POST', `/v1/org/imports/${id}/check`, { token: admin });
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    const codes = checked.body.problems.map((p: { code: string }) => p.code);
    expect(codes).toContain('invalid_feature');
    expect(codes).toContain('outside_parent');
    const overlap = checked.body.problems.find((p: { code: string }) => p.code === 'overlaps_sibling');
    expect(overlap).toMatchObject({
      severity: 'error',
      featureCode: '110101001199001',
      otherCode: '110101001199002',
      featureIndex: 1,
      location: [expect.any(Number), expect.any(Number)],
    });
    // Nothing was written, and the import stays open until it is committed or discarded.
    expect((await api.call('GET', '/v1/org/units/110101001199', { token: admin })).status).toBe(404);
    const discarded = await api.call('DELETE', `/v1/org/imports/${id}`, { token: admin });
    expect(discarded.status).toBe(200);
    expect(discarded.body.status).toBe('discarded');
    const late = await api.call('POST', `/v1/org/imports/${id}/commit`, { token: admin });
    expect(late.status).toBe(400);
    expect(late.body.error.details.code).toBe('import_closed');
    expect((await api.call('POST', `/v1/org/imports/${id}/check`, { token: admin })).status).toBe(400);
  });
});
