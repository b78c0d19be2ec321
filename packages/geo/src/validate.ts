import { area } from '@turf/area';
import { kinks } from '@turf/kinks';
import { rewind } from '@turf/rewind';
import Flatbush from 'flatbush';
import type { MultiLineString } from 'geojson';
import { orient2d } from 'robust-predicates';
import { BOUNDARY, INSIDE, OUTSIDE, pointInRings, ringsOf } from './pip';
import type { GeometryProblem, GeometryProblemCode, GridGeometry } from './types';

export interface ValidationResult {
  /** Present only when there is no error: 2D positions, consecutive duplicates removed, RFC 7946 winding. */
  geometry?: GridGeometry;
  problems: GeometryProblem[];
}

type Pair = [number, number];

/**
 * Checks an imported boundary (a Polygon or MultiPolygon geometry, or a Feature holding one) and returns
 * it normalised. Broken rings are reported, never repaired: closing a ring or dropping a point silently
 * would change the territory a grid worker answers for.
 */
export function validateGeometry(input: unknown, featureCode?: string): ValidationResult {
  const problems: GeometryProblem[] = [];
  const report = (code: GeometryProblemCode, message: string, location?: Pair) => {
    const problem: GeometryProblem = { code, severity: 'error', message };
    if (featureCode !== undefined) problem.featureCode = featureCode;
    if (location) problem.location = location;
    problems.push(problem);
  };

  let value = input;
  if (isObject(value) && value.type === 'Feature') {
    value = value.geometry;
    if (value === null || value === undefined) {
      report('invalid_geometry', 'Feature has no geometry');
      return { problems };
    }
  }
  if (!isObject(value) || (value.type !== 'Polygon' && value.type !== 'MultiPolygon')) {
    const got = isObject(value) && typeof value.type === 'string' ? value.type : typeof value;
    report('invalid_geometry', `Expected a GeoJSON Polygon or MultiPolygon, got ${got}`);
    return { problems };
  }
  const multi = value.type === 'MultiPolygon';
  const rawPolygons: unknown[] | undefined = Array.isArray(value.coordinates)
    ? multi
      ? value.coordinates
      : [value.coordinates]
    : undefined;
  if (!rawPolygons || rawPolygons.length === 0) {
    report('invalid_geometry', `${value.type} has no coordinates`);
    return { problems };
  }

  const polygons: Pair[][][] = [];
  rawPolygons.forEach((rawRings, p) => {
    const where = multi ? ` of part ${p + 1}` : '';
    if (!Array.isArray(rawRings) || rawRings.length === 0) {
      report('invalid_geometry', `Polygon${where} has no rings`);
      return;
    }
    const rings: Pair[][] = [];
    rawRings.forEach((rawRing, r) => {
      const name = `${r === 0 ? 'Outer ring' : `Hole ${r}`}${where}`;
      const ring = checkRing(rawRing, name, report);
      if (ring) rings.push(ring);
    });
    polygons.push(rings);
  });
  if (problems.length > 0) return { problems };

  const geometry: GridGeometry = multi
    ? { type: 'MultiPolygon', coordinates: polygons }
    : { type: 'Polygon', coordinates: polygons[0] as Pair[][] };

  const seen = new Set<string>();
  for (const [lon, lat] of selfIntersections(geometry)) {
    const key = `${lon},${lat}`;
    if (seen.has(key)) continue;
    seen.add(key);
    report('self_intersection', `Boundary intersects itself at [${fmt(lon)}, ${fmt(lat)}]`, [lon, lat]);
  }
  if (problems.length > 0) return { problems };

  checkNesting(polygons, multi, report);
  if (problems.length > 0) return { problems };

  // RFC 7946: outer rings counter-clockwise, holes clockwise.
  return { geometry: rewind(geometry, { mutate: true }) as GridGeometry, problems };
}

/** Geodesic area in square metres (holes subtracted). */
export function areaM2(geometry: GridGeometry): number {
  return area(geometry);
}

function checkRing(
  rawRing: unknown,
  name: string,
  report: (code: GeometryProblemCode, message: string, location?: Pair) => void,
): Pair[] | undefined {
  if (!Array.isArray(rawRing)) {
    report('invalid_geometry', `${name} is not an array of positions`);
    return undefined;
  }
  const ring: Pair[] = [];
  for (let i = 0; i < rawRing.length; i++) {
    const pos: unknown = rawRing[i];
    if (
      !Array.isArray(pos) ||
      pos.length < 2 ||
      typeof pos[0] !== 'number' ||
      typeof pos[1] !== 'number' ||
      !Number.isFinite(pos[0]) ||
      !Number.isFinite(pos[1])
    ) {
      report('invalid_geometry', `${name}: position ${i + 1} is not a [lon, lat] pair of finite numbers`);
      return undefined;
    }
    const lon = pos[0];
    const lat = pos[1];
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      report(
        'coordinates_out_of_range',
        `${name}: position ${i + 1} [${lon}, ${lat}] is outside WGS84 lon [-180, 180] / lat [-90, 90]` +
          (Math.abs(lon) <= 90 && Math.abs(lat) <= 180 && Math.abs(lat) > 90
            ? ' (lat and lon swapped?)'
            : ''),
      );
      return undefined;
    }
    // Altitude is dropped: neighbouring grids must share identical 2D vertices.
    const last = ring[ring.length - 1];
    if (last && last[0] === lon && last[1] === lat) continue;
    ring.push([lon, lat]);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  const corners = closed ? ring.length - 1 : ring.length;
  let ok = true;
  if (rawRing.length < 4 || corners < 3) {
    report(
      'too_few_points',
      `${name} has ${rawRing.length} positions (${corners} distinct corners); a ring needs at least 4 positions: 3 corners and the closing position`,
      first,
    );
    ok = false;
  }
  if (!closed && first && last) {
    report(
      'ring_not_closed',
      `${name} is not closed: first position [${first.join(', ')}] differs from last [${last.join(', ')}]`,
      first,
    );
    ok = false;
  }
  if (ok && collinear(ring)) {
    report('invalid_geometry', `${name} encloses no area: all its positions lie on one line`, first);
    ok = false;
  }
  return ok ? ring : undefined;
}

/** Holes must lie in their own outer ring, not in each other; parts of a MultiPolygon must not overlap. */
function checkNesting(
  polygons: Pair[][][],
  multi: boolean,
  report: (code: GeometryProblemCode, message: string, location?: Pair) => void,
): void {
  polygons.forEach((rings, p) => {
    const where = multi ? ` of part ${p + 1}` : '';
    const outer = rings[0] as Pair[];
    for (let h = 1; h < rings.length; h++) {
      const hole = rings[h] as Pair[];
      const probe = firstNotOn([outer], hole);
      if (probe && pointInRings([outer], probe[0], probe[1]) === OUTSIDE) {
        report('invalid_geometry', `Hole ${h}${where} lies outside its outer ring`, probe);
      }
      for (let k = 1; k < rings.length; k++) {
        if (k === h) continue;
        const inner = firstNotOn([rings[k] as Pair[]], hole);
        if (inner && pointInRings([rings[k] as Pair[]], inner[0], inner[1]) === INSIDE) {
          report('invalid_geometry', `Hole ${h}${where} lies inside hole ${k}`, inner);
        }
      }
    }
  });
  for (let p = 0; p < polygons.length; p++) {
    for (let q = p + 1; q < polygons.length; q++) {
      const a = polygons[p] as Pair[][];
      const b = polygons[q] as Pair[][];
      const inside =
        (a[0] as Pair[]).find((v) => pointInRings(b, v[0], v[1]) === INSIDE) ??
        (b[0] as Pair[]).find((v) => pointInRings(a, v[0], v[1]) === INSIDE);
      if (inside)
        report('invalid_geometry', `Parts ${p + 1} and ${q + 1} of the MultiPolygon overlap`, inside);
    }
  }
}

function firstNotOn(rings: Pair[][], candidates: Pair[]): Pair | undefined {
  return candidates.find((v) => pointInRings(rings, v[0], v[1]) !== BOUNDARY);
}

/** Above this many segments, turf's all-pairs kinks gets slow: only pairs with touching boxes are tested. */
const DIRECT_KINKS_MAX_SEGMENTS = 400;

/**
 * turf kinks compares every pair of segments: fine for a grid, minutes for a district outline of 50,000
 * vertices. Large geometries index their segments' boxes in flatbush and hand kinks just the pairs whose
 * boxes touch, skipping the same neighbouring pairs kinks skips, so both paths report the same points.
 */
export function selfIntersections(geometry: GridGeometry): Pair[] {
  const rings = ringsOf(geometry);
  const segmentCount = rings.reduce((n, ring) => n + ring.length - 1, 0);
  if (segmentCount <= DIRECT_KINKS_MAX_SEGMENTS) {
    return kinks(geometry).features.map((f) => f.geometry.coordinates as Pair);
  }
  const ringOf = new Uint32Array(segmentCount);
  const indexInRing = new Uint32Array(segmentCount);
  const index = new Flatbush(segmentCount);
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i] as Pair;
      const [bx, by] = ring[i + 1] as Pair;
      const id = index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
      ringOf[id] = r;
      indexInRing[id] = i;
    }
  });
  index.finish();
  const points: Pair[] = [];
  const segment = (id: number): Pair[] => {
    const ring = rings[ringOf[id] as number] as Pair[];
    const i = indexInRing[id] as number;
    return [ring[i] as Pair, ring[i + 1] as Pair];
  };
  for (let s = 0; s < segmentCount; s++) {
    const [a, b] = segment(s) as [Pair, Pair];
    const found = index.search(
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[0], b[0]),
      Math.max(a[1], b[1]),
    );
    for (const t of found) {
      if (t <= s) continue;
      if (ringOf[t] === ringOf[s]) {
        // Neighbours share a vertex by construction, as do the first and last segment of a ring.
        const last = (rings[ringOf[s] as number] as Pair[]).length - 2;
        const i = indexInRing[s] as number;
        const k = indexInRing[t] as number;
        if (k - i === 1 || (i === 0 && k === last)) continue;
      }
      const pair: MultiLineString = { type: 'MultiLineString', coordinates: [segment(s), segment(t)] };
      for (const f of kinks(pair).features) points.push(f.geometry.coordinates as Pair);
    }
  }
  return points;
}

/** Exact: every position on the line through the first two (distinct, as repeats were dropped). */
function collinear(ring: readonly Pair[]): boolean {
  const [ax, ay] = ring[0] as Pair;
  const [bx, by] = ring[1] as Pair;
  return ring.every(([x, y]) => orient2d(ax, ay, bx, by, x, y) === 0);
}

function isObject(v: unknown): v is Record<string, unknown> & { type?: unknown } {
  return typeof v === 'object' && v !== null;
}

function fmt(n: number): string {
  return n.toFixed(6);
}
