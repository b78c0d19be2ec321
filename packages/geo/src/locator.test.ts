import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { GridLocator } from './locator';
import { mulberry32, syntheticCity } from './synthetic';
import type { UnitShape } from './types';

const city = syntheticCity({
  seed: 20,
  districts: 2,
  streetsPerDistrict: 2,
  communitiesPerStreet: 2,
  gridsPerCommunity: 5,
  origin: [116.38, 39.88],
  sizeDeg: 0.05,
});
// Shuffled so that the smallest-code rule, not input order, decides boundary points.
const grids: UnitShape[] = city.features
  .filter((f) => f.properties.level === 'grid')
  .map((f) => ({ code: f.properties.code, geometry: f.geometry }))
  .sort((a, b) => (a.code.slice(-1) < b.code.slice(-1) ? -1 : 1));

/** The reference: every grid through turf, closed polygons, smallest code. */
function bruteForce(
  shapes: readonly UnitShape[],
  lon: number,
  lat: number,
): { code?: string; count: number } {
  const containing = shapes.filter((g) => booleanPointInPolygon([lon, lat], g.geometry)).map((g) => g.code);
  containing.sort();
  return containing[0] === undefined ? { count: 0 } : { code: containing[0], count: containing.length };
}

describe('GridLocator', () => {
  const locator = GridLocator.build(grids);

  it('indexes every grid', () => {
    expect(locator.size).toBe(40);
  });

  it('agrees with turf on random points, including outside the city', () => {
    const rng = mulberry32(99);
    const vertexLats = grids.flatMap((g) =>
      (g.geometry.coordinates[0] as Position[]).map((p) => p[1] as number),
    );
    let outside = 0;
    for (let i = 0; i < 3_000; i++) {
      const lon = 116.375 + rng() * 0.06;
      // A third of the points sit on the latitude of some vertex, where a ray crosses vertices.
      const lat =
        i % 3 === 0 ? (vertexLats[Math.floor(rng() * vertexLats.length)] as number) : 39.875 + rng() * 0.06;
      const expected = bruteForce(grids, lon, lat);
      if (expected.code === undefined) outside++;
      expect(locator.locate(lon, lat), `[${lon}, ${lat}]`).toBe(expected.code);
    }
    expect(outside).toBeGreaterThan(300);
  });

  it('gives each point on a shared edge or vertex to exactly one grid: the smallest code', () => {
    let onVertex = 0;
    let onEdge = 0;
    let checked = 0;
    for (const grid of grids) {
      const ring = grid.geometry.coordinates[0] as [number, number][];
      for (let i = 1; i < ring.length; i++) {
        const [ax, ay] = ring[i - 1] as [number, number];
        const [bx, by] = ring[i] as [number, number];
        // Some of these land exactly on the segment, the others a rounding error to one side of it.
        for (let k = 0; k < 8; k++) {
          const t = k / 8;
          const lon = ax + (bx - ax) * t;
          const lat = ay + (by - ay) * t;
          // Off the segment by a rounding error on the city's outline, a point may be in no grid at all.
          const expected = bruteForce(grids, lon, lat);
          if (expected.count > 1 && k === 0) onVertex++;
          if (expected.count > 1 && k > 0) onEdge++;
          checked++;
          expect(locator.locate(lon, lat), `[${lon}, ${lat}]`).toBe(expected.code);
        }
      }
    }
    expect(checked).toBeGreaterThan(2_000);
    expect(onVertex).toBeGreaterThan(200);
    expect(onEdge).toBeGreaterThan(50);
  });

  it('returns undefined far away and for non-numbers', () => {
    expect(locator.locate(121.47, 31.23)).toBeUndefined();
    expect(locator.locate(Number.NaN, 39.9)).toBeUndefined();
    expect(GridLocator.build([]).locate(116.4, 39.9)).toBeUndefined();
    expect(GridLocator.build([]).size).toBe(0);
  });

  it('handles holes and multipolygons', () => {
    const square = (x: number, y: number, size: number): Position[] => [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ];
    // A residential grid around a school (its own exclusive grid), plus a grid in two parts.
    const around: UnitShape = {
      code: '110101001001002',
      geometry: {
        type: 'Polygon',
        coordinates: [square(116.4, 39.91, 0.01), square(116.403, 39.913, 0.004).reverse()],
      },
    };
    const school: UnitShape = {
      code: '110101001001003',
      geometry: { type: 'Polygon', coordinates: [square(116.403, 39.913, 0.004)] },
    };
    const split: UnitShape = {
      code: '110101001001001',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[square(116.42, 39.91, 0.005)], [square(116.43, 39.91, 0.005)]],
      },
    };
    const l = GridLocator.build([around, school, split]);
    expect(l.locate(116.401, 39.911)).toBe(around.code);
    expect(l.locate(116.405, 39.915)).toBe(school.code);
    // On the school's wall: both contain it, the smaller code wins.
    expect(l.locate(116.403, 39.915)).toBe(around.code);
    expect(l.locate(116.422, 39.912)).toBe(split.code);
    expect(l.locate(116.432, 39.912)).toBe(split.code);
    expect(l.locate(116.427, 39.912)).toBeUndefined();
    // Shared corner of nothing but the split grid's second part.
    expect(l.locate(116.435, 39.915)).toBe(split.code);
  });
});
