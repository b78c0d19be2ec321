import { DEMO_TENANT, readDemoHierarchy } from '@civicgrid/local';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

interface DemoFeature {
  geometry: Polygon | MultiPolygon | null;
  properties: { code: string; level: string };
}

let api: TestApi;
let admin: string;
let street: string;
let gridWorker: string;
let department: string;
let demo: DemoFeature[];

/** The grid worker's own grid and a neighbour in the same community. */
const OWN_GRID = '110101001001001';
const OTHER_GRID = '110101001001002';

/** A point inside a grid: of a 20×20 lattice over its bounding box, the inside point nearest the centre. */
const pointIn = (gridCode: string): [number, number] => {
  const geometry = demo.find((f) => f.properties.code === gridCode)?.geometry as Polygon | MultiPolygon;
  const ring = (geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0]?.[0]) ?? [];
  const xs = ring.map((p: Position) => p[0] as number);
  const ys = ring.map((p: Position) => p[1] as number);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const lattice = Array.from({ length: 19 * 19 }, (_, k): [number, number] => [
    minX + ((maxX - minX) * ((k % 19) + 1)) / 20,
    minY + ((maxY - minY) * (Math.floor(k / 19) + 1)) / 20,
  ]);
  const [cx, cy] = [(minX + maxX) / 2, (minY + maxY) / 2];
  const inside = lattice
    .filter((p) => booleanPointInPolygon(p, geometry))
    .sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
  if (!inside[0]) throw new Error(`no interior point found for ${gridCode}`);
  return inside[0];
};

const located = async (point: [number, number]) =>
  (await api.call('GET', `/v1/org/locate?lon=${point[0]}&lat=${point[1]}`, { token: admin })).body;

const create = (body: Record<string, unknown>, token = admin) =>
  api.call('POST', '/v1/components', { token, body });

beforeAll(async () => {
  api = await createTestApi();
  admin = await api.login(DEMO_TENANT, 'admin');
  street = await api.login(DEMO_TENANT, 'street');
  gridWorker = await api.login(DEMO_TENANT, 'gridworker');
  department = await api.login(DEMO_TENANT, 'urbanmgmt');
  demo = (await readDemoHierarchy()).features as DemoFeature[];
  expect((await api.call('POST', '/v1/departments/defaults', { token: admin })).status).toBe(200);
});

describe('recording components', () => {
  it('derives the grid from the point, the owner from the catalog and the QR payload', async () => {
    const point = pointIn(OWN_GRID);
    const created = await create({
      code: 'WS-0001',
      categoryCode: 'C01-01',
      name: '上水井盖',
      location: point,
    });
    expect(created.status).toBe(201);
    const where = await located(point);
    expect(where.grid.code).toBe(OWN_GRID);
    expect(created.body).toEqual({
      code: 'WS-0001',
      categoryCode: 'C01-01',
      name: '上水井盖',
      location: point,
      gridCode: where.grid.code,
      ownerDepartmentId: 'water',
      status: 'in_service',
      qrPayload: `CG1:${DEMO_TENANT}:WS-0001`,
      version: 1,
      createdAt: '2026-05-01T00:00:00.000Z',
      updatedAt: '2026-05-01T00:00:00.000Z',
    });
    const audit = await api.call('GET', '/v1/audit?limit=100', { token: admin });
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'component.create', target: { type: 'component', id: 'WS-0001' } }),
    );
    const again = await create({ code: 'WS-0001', categoryCode: 'C01-01', location: point });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_exists');
  });

  it('refuses a point outside every grid of the city', async () => {
    const response = await create({ code: 'SH-0001', categoryCode: 'C01-18', location: [121.47, 31.23] });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'validation_failed',
      details: { code: 'outside_territory' },
    });
  });

  it('refuses unknown categories and event categories', async () => {
    const point = pointIn(OWN_GRID);
    const unknown = await create({ code: 'X-1', categoryCode: 'C06-99', location: point });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.code).toBe('unknown_category');
    const event = await create({ code: 'X-2', categoryCode: 'E01-02', location: point });
    expect(event.status).toBe(400);
    expect(event.body.error.details.code).toBe('not_a_component_category');
    const malformed = await create({ code: 'X-3', categoryCode: 'manhole', location: point });
    expect(malformed.status).toBe(400);
  });

  it('refuses unknown owners, bad codes and the reserved code', async () => {
    const point = pointIn(OWN_GRID);
    const owner = await create({
      code: 'X-4',
      categoryCode: 'C01-18',
      location: point,
      ownerDepartmentId: 'no-such-dept',
    });
    expect(owner.status).toBe(400);
    expect(owner.body.error.details.code).toBe('unknown_department');
    for (const code of ['has space', 'a#b', 'x'.repeat(41), 'resolve']) {
      expect((await create({ code, categoryCode: 'C01-18', location: point })).status, code).toBe(400);
    }
  });

  it('lets only a city admin record components', async () => {
    const response = await create(
      { code: 'ST-0001', categoryCode: 'C01-18', location: pointIn(OWN_GRID) },
      street,
    );
    expect(response.status).toBe(403);
  });
});

describe('reading components', () => {
  beforeAll(async () => {
    const own = pointIn(OWN_GRID);
    const other = pointIn(OTHER_GRID);
    for (const [code, location] of [
      ['SL-0001', own],
      ['SL-0002', own],
      ['SL-0101', other],
    ] as const) {
      const response = await create({ code, categoryCode: 'C01-18', location: [...location] });
      expect(response.status, code).toBe(201);
    }
    const owned = await create({
      code: 'NB-0001',
      categoryCode: 'C05-01',
      location: [...other],
      ownerDepartmentId: 'urban-enforcement', // the demo department user's own
    });
    expect(owned.status).toBe(201);
  });

  it('shows a grid worker the components of its own grid, not another grid’s', async () => {
    expect((await api.call('GET', '/v1/components/SL-0001', { token: gridWorker })).status).toBe(200);
    const list = await api.call('GET', `/v1/components?gridCode=${OWN_GRID}`, { token: gridWorker });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { code: string }) => c.code)).toEqual(['SL-0001', 'SL-0002', 'WS-0001']);

    const other = await api.call('GET', '/v1/components/SL-0101', { token: gridWorker });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    expect(
      (await api.call('GET', `/v1/components?gridCode=${OTHER_GRID}`, { token: gridWorker })).status,
    ).toBe(403);
    // The street reaches both grids.
    expect((await api.call('GET', '/v1/components/SL-0101', { token: street })).status).toBe(200);
    expect((await api.call('GET', '/v1/components/NO-SUCH', { token: street })).status).toBe(404);
  });

  it('pages through a grid’s components', async () => {
    const first = await api.call('GET', `/v1/components?gridCode=${OWN_GRID}&limit=2`, { token: street });
    expect(first.body.items).toHaveLength(2);
    const rest = await api.call(
      'GET',
      `/v1/components?gridCode=${OWN_GRID}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token: street },
    );
    expect(rest.body.items.map((c: { code: string }) => c.code)).toEqual(['WS-0001']);
    expect(rest.body.nextCursor).toBeUndefined();
  });

  it('shows a department the components it owns', async () => {
    expect((await api.call('GET', '/v1/components/NB-0001', { token: department })).status).toBe(200);
    expect((await api.call('GET', '/v1/components/SL-0101', { token: department })).status).toBe(403);
  });

  it('resolves a scanned QR code of this city, and nothing of another city', async () => {
    const component = (await api.call('GET', '/v1/components/SL-0001', { token: admin })).body;
    const scan = (qr: string, token = gridWorker) =>
      api.call('GET', `/v1/components/resolve?qr=${encodeURIComponent(qr)}`, { token });
    const resolved = await scan(component.qrPayload);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual(component);
    // Scanners may add a line break.
    expect((await scan(`${component.qrPayload}\n`)).status).toBe(200);

    const forged = await scan('CG1:other-city:SL-0001', admin);
    expect(forged.status).toBe(404);
    expect(forged.body.error.code).toBe('not_found');
    expect(JSON.stringify(forged.body)).not.toContain('other-city');
    expect((await scan(`CG1:${DEMO_TENANT}:NO-SUCH`, admin)).status).toBe(404);
    // Resolving is reading: the grid worker's reach applies to scans too.
    expect((await scan(`CG1:${DEMO_TENANT}:SL-0101`)).status).toBe(403);
    const foreignQr = await scan('https://example.com/x', admin);
    expect(foreignQr.status).toBe(400);
    expect(foreignQr.body.error.details.code).toBe('invalid_qr');
  });
});

describe('changing components', () => {
  it('updates with optimistic locking and moves a component to the grid of its new point', async () => {
    const damaged = await api.call('PATCH', '/v1/components/SL-0002', {
      token: admin,
      body: { version: 1, status: 'damaged' },
    });
    expect(damaged.status).toBe(200);
    expect(damaged.body).toMatchObject({ status: 'damaged', version: 2, gridCode: OWN_GRID });

    const stale = await api.call('PATCH', '/v1/components/SL-0002', {
      token: admin,
      body: { version: 1, status: 'removed' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });

    const moved = await api.call('PATCH', '/v1/components/SL-0002', {
      token: admin,
      body: { version: 2, location: pointIn(OTHER_GRID) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      gridCode: OTHER_GRID,
      qrPayload: `CG1:${DEMO_TENANT}:SL-0002`,
      version: 3,
    });
    const own = await api.call('GET', `/v1/components?gridCode=${OWN_GRID}`, { token: admin });
    expect(own.body.items.map((c: { code: string }) => c.code)).not.toContain('SL-0002');
    const other = await api.call('GET', `/v1/components?gridCode=${OTHER_GRID}`, { token: admin });
    expect(other.body.items.map((c: { code: string }) => c.code)).toContain('SL-0002');
  });

  it('refuses an event category, a point outside the city and a street user', async () => {
    const current = (await api.call('GET', '/v1/components/SL-0001', { token: admin })).body;
    const event = await api.call('PATCH', '/v1/components/SL-0001', {
      token: admin,
      body: { version: current.version, categoryCode: 'E05-05' },
    });
    expect(event.body.error.details.code).toBe('not_a_component_category');
    const outside = await api.call('PATCH', '/v1/components/SL-0001', {
      token: admin,
      body: { version: current.version, location: [121.47, 31.23] },
    });
    expect(outside.body.error.details.code).toBe('outside_territory');
    const byStreet = await api.call('PATCH', '/v1/components/SL-0001', {
      token: street,
      body: { version: current.version, status: 'damaged' },
    });
    expect(byStreet.status).toBe(403);
    const missing = await api.call('PATCH', '/v1/components/NO-SUCH', {
      token: admin,
      body: { version: 1, status: 'damaged' },
    });
    expect(missing.status).toBe(404);
    const unchanged = await api.call('GET', '/v1/components/SL-0001', { token: admin });
    expect(unchanged.body.version).toBe(current.version);
  });
});
