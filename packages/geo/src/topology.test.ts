import { area } from '@turf/area';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { INSIDE, pointInRings } from './pip';
import { provablyTiles } from './residual';
import { checkChildren, checkHierarchy } from './topology';
import type { UnitShape } from './types';

// A community south-east of Donghuamen (counter-clockwise), split by a lane running from p1 to p5.
const p0: Position = [116.399, 39.91];
const p1: Position = [116.4035, 39.9097];
const p2: Position = [116.4081, 39.9103];
const p3: Position = [116.4086, 39.9141];
const p4: Position = [116.4078, 39.9182];
const p5: Position = [116.4031, 39.9186];
const p6: Position = [116.3987, 39.9179];
const p7: Position = [116.3983, 39.914];
const q1: Position = [116.404, 39.9125];
const q2: Position = [116.4029, 39.916];

const polygon = (...ring: Position[]): Polygon => ({
  type: 'Polygon',
  coordinates: [[...ring, ring[0] as Position]],
});
const shift = (p: Position, dLon: number): Position => [(p[0] as number) + dLon, p[1] as number];

const parent: UnitShape = { code: '110101001001', geometry: polygon(p0, p1, p2, p3, p4, p5, p6, p7) };
const west = (a = q1, b = q2): UnitShape => ({
  code: '110101001001001',
  geometry: polygon(p0, p1, a, b, p5, p6, p7),
});
const east = (a = q1, b = q2): UnitShape => ({
  code: '110101001001002',
  geometry: polygon(p1, p2, p3, p4, p5, b, a),
});

const inside = (location: [number, number] | undefined, ring: Position[]) =>
  location !== undefined &&
  pointInRings([[...ring, ring[0] as Position]], location[0], location[1]) === INSIDE;

describe('checkChildren', () => {
  it('reports nothing for children that tile their parent', () => {
    const { problems, coverage } = checkChildren(parent, [west(), east()]);
    expect(problems).toEqual([]);
    expect(coverage.parentCode).toBe(parent.code);
    expect(coverage.gaps).toEqual([]);
    expect(coverage.gapAreaM2).toBe(0);
    expect(coverage.childrenAreaM2 / coverage.parentAreaM2).toBeCloseTo(1, 9);
  });

  it('reports an overlap between siblings with both codes, its area and a point inside it', () => {
    // The east grid's western edge drawn 40 m too far west.
    const a = shift(q1, -0.0005);
    const b = shift(q2, -0.0005);
    const lens = [p1, q1, q2, p5, b, a];
    const expected = area(polygon(...lens));
    const { problems, coverage } = checkChildren(parent, [west(), east(a, b)]);
    expect(problems).toHaveLength(1);
    const [overlap] = problems;
    expect(overlap).toMatchObject({
      code: 'overlaps_sibling',
      severity: 'error',
      featureCode: '110101001001001',
      otherCode: '110101001001002',
    });
    expect((overlap?.areaM2 as number) / expected).toBeCloseTo(1, 3);
    expect(expected).toBeGreaterThan(10_000);
    expect(inside(overlap?.location, lens)).toBe(true);
    expect(overlap?.message).toMatch(/^110101001001001 and 110101001001002 overlap by [\d,]+ m²$/);
    expect(coverage.gaps).toEqual([]);
  });

  it('reports a gap as a coverage_gap warning with its area', () => {
    const a = shift(q1, 0.0005);
    const b = shift(q2, 0.0005);
    const lane = [p1, a, b, p5, q2, q1];
    const expected = area(polygon(...lane));
    const { problems, coverage } = checkChildren(parent, [west(), east(a, b)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'coverage_gap',
      severity: 'warning',
      featureCode: parent.code,
    });
    expect((problems[0]?.areaM2 as number) / expected).toBeCloseTo(1, 3);
    expect(inside(problems[0]?.location, lane)).toBe(true);
    expect(coverage.gaps).toHaveLength(1);
    expect(coverage.gapAreaM2 / expected).toBeCloseTo(1, 3);
    expect((coverage.parentAreaM2 - coverage.childrenAreaM2) / expected).toBeCloseTo(1, 3);
  });

  it('reports the part of a child outside its parent', () => {
    // The west grid claims 110 m beyond the community's western edge.
    const out = shift(p7, -0.0013);
    const bulge = [p0, p7, p6, out];
    const expected = area(polygon(...bulge));
    const westChild: UnitShape = { code: '110101001001001', geometry: polygon(p0, p1, q1, q2, p5, p6, out) };
    const { problems } = checkChildren(parent, [westChild, east()]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'outside_parent',
      severity: 'error',
      featureCode: '110101001001001',
      otherCode: parent.code,
    });
    expect((problems[0]?.areaM2 as number) / expected).toBeCloseTo(1, 3);
    expect(inside(problems[0]?.location, bulge)).toBe(true);
  });

  it('reports a child wholly outside its parent', () => {
    const far: UnitShape = {
      code: '110101001001003',
      geometry: polygon([116.43, 39.93], [116.44, 39.93], [116.44, 39.94], [116.43, 39.94]),
    };
    const { problems } = checkChildren(parent, [west(), east(), far]);
    expect(problems.map((p) => [p.code, p.featureCode])).toEqual([['outside_parent', far.code]]);
    expect((problems[0]?.areaM2 as number) / area(far.geometry)).toBeCloseTo(1, 6);
  });

  it('ignores slivers below the tolerance and reports them above it', () => {
    // About a millimetre of overlap along the lane: well under 1 m².
    const a = shift(q1, -1e-8);
    const b = shift(q2, -1e-8);
    const sliver = area(polygon(p1, q1, q2, p5, b, a));
    expect(sliver).toBeGreaterThan(0.01);
    expect(sliver).toBeLessThan(1);
    expect(checkChildren(parent, [west(), east(a, b)]).problems).toEqual([]);
    const strict = checkChildren(parent, [west(), east(a, b)], { toleranceM2: 0.01 });
    expect(strict.problems.map((p) => p.code)).toEqual(['overlaps_sibling']);
  });

  it('accepts children digitised with extra vertices along the parent outline', () => {
    // Midpoints are not exactly on the parent's edges: µm slivers that the proof bounds away.
    const mid = (a: Position, b: Position): Position => [
      ((a[0] as number) + (b[0] as number)) / 2,
      ((a[1] as number) + (b[1] as number)) / 2,
    ];
    const westChild: UnitShape = {
      code: '110101001001001',
      geometry: polygon(p0, mid(p0, p1), p1, q1, q2, p5, mid(p5, p6), p6, mid(p6, p7), p7, mid(p7, p0)),
    };
    const { problems, coverage } = checkChildren(parent, [westChild, east()]);
    expect(problems).toEqual([]);
    expect(coverage.gaps).toEqual([]);
  });

  it('only compares siblings when the parent has no geometry', () => {
    const a = shift(q1, -0.0005);
    const b = shift(q2, -0.0005);
    const { problems, coverage } = checkChildren(undefined, [west(), east(a, b)]);
    expect(problems.map((p) => p.code)).toEqual(['overlaps_sibling']);
    expect(coverage).toMatchObject({ parentAreaM2: 0, gaps: [], gapAreaM2: 0 });
    expect(coverage.parentCode).toBeUndefined();
  });
});

describe('provablyTiles', () => {
  it('proves exact tilings and refuses overlaps, gaps and duplicates', () => {
    const children = [west().geometry, east().geometry];
    expect(provablyTiles(parent.geometry, children, 1)).toBe(true);
    expect(provablyTiles(parent.geometry, [west().geometry, east(shift(q1, -0.0005)).geometry], 1)).toBe(
      false,
    );
    expect(provablyTiles(parent.geometry, [west().geometry], 1)).toBe(false);
    expect(provablyTiles(parent.geometry, [...children, east().geometry], 1)).toBe(false);
    // A clockwise child is read by its outline, not its winding.
    const reversed: Polygon = {
      type: 'Polygon',
      coordinates: [[...(east().geometry.coordinates[0] as Position[])].reverse()],
    };
    expect(provablyTiles(parent.geometry, [west().geometry, reversed], 1)).toBe(true);
  });
});

describe('checkHierarchy', () => {
  it('groups by parent, leaves invalid units out and reports them', () => {
    const street: UnitShape & { parentCode?: string } = {
      code: '110101001',
      geometry: polygon([116.39, 39.9], [116.42, 39.9], [116.42, 39.93], [116.39, 39.93]),
    };
    const broken = {
      code: '110101001002',
      parentCode: '110101001',
      geometry: polygon([116.4, 39.91], [116.41, 39.92], [116.41, 39.91], [116.4, 39.92]),
    };
    const progress: number[] = [];
    const { problems, coverage } = checkHierarchy(
      [
        street,
        { ...parent, parentCode: street.code },
        broken,
        { ...west(), parentCode: parent.code },
        { ...east(), parentCode: parent.code },
      ],
      { onProgress: (done, total) => progress.push(done / total) },
    );
    expect(problems.map((p) => [p.code, p.featureCode])).toEqual([
      ['self_intersection', broken.code],
      ['coverage_gap', street.code],
    ]);
    expect(coverage.map((c) => c.parentCode)).toEqual([undefined, street.code, parent.code]);
    expect(coverage[2]?.gaps).toEqual([]);
    expect(progress.at(-1)).toBe(1);
  });

  it('checks siblings whose parent is not in the import', () => {
    const a = shift(q1, -0.0005);
    const { problems, coverage } = checkHierarchy([
      { ...west(), parentCode: parent.code },
      { ...east(a), parentCode: parent.code },
    ]);
    expect(problems.map((p) => p.code)).toEqual(['overlaps_sibling']);
    expect(coverage).toEqual([expect.objectContaining({ parentCode: parent.code, parentAreaM2: 0 })]);
  });
});
