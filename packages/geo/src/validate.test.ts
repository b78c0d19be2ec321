import { kinks } from '@turf/kinks';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { areaM2, selfIntersections, validateGeometry } from './validate';

// A block east of the Forbidden City, drawn clockwise as many GIS tools export it.
const clockwiseBlock: Position[] = [
  [116.4031, 39.9132],
  [116.4036, 39.9171],
  [116.4079, 39.9168],
  [116.4084, 39.9141],
  [116.4072, 39.9127],
  [116.4031, 39.9132],
];

function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1] as [number, number];
    const b = ring[i] as [number, number];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

describe('validateGeometry', () => {
  it('accepts a valid polygon and fixes a clockwise outer ring to RFC 7946 winding', () => {
    expect(signedArea(clockwiseBlock)).toBeLessThan(0);
    const { geometry, problems } = validateGeometry({ type: 'Polygon', coordinates: [clockwiseBlock] }, 'g1');
    expect(problems).toEqual([]);
    const ring = (geometry as Polygon).coordinates[0] as Position[];
    expect(signedArea(ring)).toBeGreaterThan(0);
    expect(new Set(ring.map((p) => p.join(',')))).toEqual(new Set(clockwiseBlock.map((p) => p.join(','))));
  });

  it('winds holes clockwise, accepts Features and MultiPolygons, drops altitude and repeated points', () => {
    const outer: Position[] = [
      [116.3951, 39.9021, 43],
      [116.4012, 39.9018, 44],
      [116.4012, 39.9018, 44],
      [116.4017, 39.9069, 45],
      [116.3949, 39.9072, 44],
      [116.3951, 39.9021, 43],
    ];
    // A courtyard hole, drawn counter-clockwise (wrong for a hole).
    const hole: Position[] = [
      [116.3971, 39.9041],
      [116.3992, 39.904],
      [116.3993, 39.9052],
      [116.3972, 39.9053],
      [116.3971, 39.9041],
    ];
    const island: Position[] = [
      [116.4101, 39.9021],
      [116.4132, 39.9023],
      [116.4121, 39.9049],
      [116.4101, 39.9021],
    ];
    const { geometry, problems } = validateGeometry({
      type: 'Feature',
      properties: {},
      geometry: { type: 'MultiPolygon', coordinates: [[outer, hole], [island]] },
    });
    expect(problems).toEqual([]);
    if (geometry?.type !== 'MultiPolygon') throw new Error('expected a MultiPolygon');
    const [first, second] = geometry.coordinates as Position[][][];
    expect(signedArea(first?.[0] as Position[])).toBeGreaterThan(0);
    expect(signedArea(first?.[1] as Position[])).toBeLessThan(0);
    expect(signedArea(second?.[0] as Position[])).toBeGreaterThan(0);
    expect(first?.[0]).toHaveLength(5);
    expect(first?.[0]?.every((p) => p.length === 2)).toBe(true);
  });

  it('reports an unclosed ring instead of closing it', () => {
    const open = clockwiseBlock.slice(0, -1);
    const { geometry, problems } = validateGeometry(
      { type: 'Polygon', coordinates: [open] },
      '110101001001001',
    );
    expect(geometry).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'ring_not_closed',
        severity: 'error',
        featureCode: '110101001001001',
        location: [116.4031, 39.9132],
      }),
    ]);
    expect(problems[0]?.message).toContain('Outer ring is not closed');
  });

  it('locates the crossing of a bow-tie', () => {
    const bowTie: Position[] = [
      [116.4, 39.91],
      [116.41, 39.92],
      [116.41, 39.91],
      [116.4, 39.92],
      [116.4, 39.91],
    ];
    const { geometry, problems } = validateGeometry({ type: 'Polygon', coordinates: [bowTie] }, 'g');
    expect(geometry).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'self_intersection', severity: 'error', featureCode: 'g' });
    const [lon, lat] = problems[0]?.location ?? [Number.NaN, Number.NaN];
    expect(lon).toBeCloseTo(116.405, 9);
    expect(lat).toBeCloseTo(39.915, 9);
  });

  it('reports a ring with too few points', () => {
    const { problems } = validateGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [116.4, 39.91],
          [116.41, 39.91],
          [116.4, 39.91],
        ],
      ],
    });
    expect(problems.map((p) => p.code)).toEqual(['too_few_points']);
    // Four positions, but only two distinct corners.
    const degenerate = validateGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [116.4, 39.91],
          [116.41, 39.91],
          [116.41, 39.91],
          [116.4, 39.91],
        ],
      ],
    });
    expect(degenerate.problems.map((p) => p.code)).toEqual(['too_few_points']);
  });

  it('reports coordinates out of range, hinting at swapped lat/lon', () => {
    const swapped = clockwiseBlock.map(([lon, lat]) => [lat as number, lon as number]);
    const { geometry, problems } = validateGeometry({ type: 'Polygon', coordinates: [swapped] });
    expect(geometry).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe('coordinates_out_of_range');
    expect(problems[0]?.message).toContain('swapped');
  });

  it('reports broken structure as invalid_geometry', () => {
    const cases: unknown[] = [
      null,
      'POLYGON((116.4 39.9, 116.5 39.9, 116.5 40, 116.4 39.9))',
      { type: 'Point', coordinates: [116.4, 39.9] },
      { type: 'Polygon' },
      { type: 'Polygon', coordinates: [] },
      {
        type: 'Polygon',
        coordinates: [
          [
            [116.4, 39.9],
            [116.5, 'x'],
            [116.5, 40],
            [116.4, 39.9],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [116.4, 39.9],
            [116.5, Number.NaN],
            [116.5, 40],
            [116.4, 39.9],
          ],
        ],
      },
      { type: 'Feature', properties: {}, geometry: null },
      // All corners on one line.
      {
        type: 'Polygon',
        coordinates: [
          [
            [116.4, 39.9],
            [116.45, 39.9],
            [116.5, 39.9],
            [116.4, 39.9],
          ],
        ],
      },
    ];
    for (const input of cases) {
      const { geometry, problems } = validateGeometry(input);
      expect(geometry).toBeUndefined();
      expect(problems.map((p) => p.code)).toEqual(['invalid_geometry']);
    }
  });

  it('reports a hole outside its ring and overlapping parts', () => {
    const block: Position[] = [...clockwiseBlock].reverse();
    const farHole: Position[] = [
      [116.42, 39.92],
      [116.421, 39.92],
      [116.421, 39.921],
      [116.42, 39.92],
    ];
    expect(validateGeometry({ type: 'Polygon', coordinates: [block, farHole] }).problems[0]?.message).toBe(
      'Hole 1 lies outside its outer ring',
    );
    const inner: Position[] = [
      [116.405, 39.914],
      [116.406, 39.914],
      [116.406, 39.915],
      [116.405, 39.914],
    ];
    const { problems } = validateGeometry({ type: 'MultiPolygon', coordinates: [[block], [inner]] });
    expect(problems.map((p) => p.message)).toEqual(['Parts 1 and 2 of the MultiPolygon overlap']);
  });
});

describe('selfIntersections', () => {
  // A district-sized outline: 3,000 vertices on a wobbly circle around Dongcheng.
  const outline = (n: number): Position[] => {
    const ring: Position[] = [];
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n;
      const r = 0.03 * (1 + 0.1 * Math.sin(7 * t));
      ring.push([116.41 + r * Math.cos(t), 39.92 + r * Math.sin(t)]);
    }
    ring.push([...(ring[0] as Position)]);
    return ring;
  };

  it('finds the same crossings as turf kinks on large outlines, through the segment index', () => {
    const ring = outline(3_000);
    expect(selfIntersections({ type: 'Polygon', coordinates: [ring] })).toEqual([]);
    // Swap two vertices far apart: four crossing segments.
    const twisted = ring.map((p) => [...p]);
    [twisted[100], twisted[1_600]] = [twisted[1_600] as Position, twisted[100] as Position];
    const geometry: Polygon = { type: 'Polygon', coordinates: [twisted] };
    const key = (p: Position) => p.join(',');
    const fast = new Set(selfIntersections(geometry).map(key));
    const reference = new Set(kinks(geometry).features.map((f) => key(f.geometry.coordinates)));
    expect(fast.size).toBeGreaterThan(0);
    expect(fast).toEqual(reference);
    const { problems } = validateGeometry(geometry, '110101');
    expect(problems.length).toBe(fast.size);
    expect(problems.every((p) => p.code === 'self_intersection')).toBe(true);
  });
});

describe('areaM2', () => {
  it('measures a 0.01° × 0.01° square in Dongcheng at about 1.113 km × 0.853 km', () => {
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [116.4, 39.9],
          [116.41, 39.9],
          [116.41, 39.91],
          [116.4, 39.91],
          [116.4, 39.9],
        ],
      ],
    };
    const expected = 1113.2 * 1113.2 * Math.cos((39.905 * Math.PI) / 180);
    expect(areaM2(square) / expected).toBeGreaterThan(0.995);
    expect(areaM2(square) / expected).toBeLessThan(1.005);
  });
});
