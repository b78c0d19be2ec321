import { type GridGeometry, GridLocator } from '@civicgrid/geo';
import type { TenantStore } from '@civicgrid/storage';
import type { ApiDeps } from '../http/env';
import { readGeoVersion, unitsOfLevel } from '../org/unit-store';

/** Where a city lies: the box around its grids, and a point inside one of them to open a map at. */
export interface CityExtent {
  /** [west, south, east, north], WGS84 degrees. */
  bbox: [number, number, number, number];
  center: [number, number];
  grids: number;
}

const positionsOf = (geometry: GridGeometry): number[][] =>
  geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2);

const boxOf = (positions: number[][]): [number, number, number, number] => {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x = Number.NaN, y = Number.NaN] of positions) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
};

/** A point of the grid `code` found on a lattice over its box, nearest to `target` (or none). */
const pointInGrid = (
  locator: GridLocator,
  code: string,
  box: [number, number, number, number],
  target: [number, number],
): [number, number] | undefined => {
  const [w, s, e, n] = box;
  let best: { point: [number, number]; d: number } | undefined;
  for (let i = 1; i < 16; i += 1) {
    for (let j = 1; j < 16; j += 1) {
      const point: [number, number] = [w + ((e - w) * i) / 16, s + ((n - s) * j) / 16];
      if (locator.locate(point[0], point[1]) !== code) continue;
      const d = (point[0] - target[0]) ** 2 + (point[1] - target[1]) ** 2;
      if (!best || d < best.d) best = { point, d };
    }
  }
  return best?.point;
};

/**
 * The extent of the city's grids. The centre is the middle of the box when a grid holds it;
 * otherwise (a crescent-shaped city, say) the point of the nearest grid closest to that middle,
 * so that a map opened there shows the city.
 */
export const computeExtent = (grids: readonly { code: string; geometry: GridGeometry }[]) => {
  if (grids.length === 0) return undefined;
  const boxes = grids.map((g) => ({ code: g.code, box: boxOf(positionsOf(g.geometry)) }));
  const bbox = boxOf(boxes.flatMap(({ box }) => [box.slice(0, 2), box.slice(2)]));
  const middle: [number, number] = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
  const locator = GridLocator.build(grids);
  let center: [number, number] | undefined = locator.locate(middle[0], middle[1]) ? middle : undefined;
  if (!center) {
    const distance = ({ box }: { box: number[] }) =>
      (((box[0] as number) + (box[2] as number)) / 2 - middle[0]) ** 2 +
      (((box[1] as number) + (box[3] as number)) / 2 - middle[1]) ** 2;
    for (const { code, box } of [...boxes].sort((a, b) => distance(a) - distance(b)).slice(0, 5)) {
      center = pointInGrid(locator, code, box, middle);
      if (center) break;
    }
  }
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    bbox: bbox.map(round) as CityExtent['bbox'],
    center: (center ?? middle).map(round) as [number, number],
    grids: grids.length,
  } satisfies CityExtent;
};

const caches = new WeakMap<
  ApiDeps,
  Map<string, { version: number; extent: Promise<CityExtent | undefined> }>
>();

/** The city's extent, computed once per boundary version and process (one read to check the version). */
export const cityExtent = async (deps: ApiDeps, tenant: TenantStore): Promise<CityExtent | undefined> => {
  const cache = caches.get(deps) ?? new Map();
  caches.set(deps, cache);
  const version = await readGeoVersion(tenant);
  const cached = cache.get(tenant.tenantId);
  if (cached && cached.version === version) return cached.extent;
  const extent = unitsOfLevel(tenant, 'grid').then((items) =>
    computeExtent(
      items.flatMap(({ data }) => (data.geometry ? [{ code: data.code, geometry: data.geometry }] : [])),
    ),
  );
  extent.catch(() => cache.delete(tenant.tenantId));
  cache.set(tenant.tenantId, { version, extent });
  return extent;
};
