import type { Position } from 'geojson';
import { orient2d } from 'robust-predicates';
import type { GridGeometry } from './types';

export const OUTSIDE = 0;
export const BOUNDARY = 1;
export const INSIDE = 2;
export type PointPosition = typeof OUTSIDE | typeof BOUNDARY | typeof INSIDE;

/**
 * Rings stored flat for cache-friendly scans: vertex v is (xy[2v], xy[2v+1]); ring r spans vertices
 * ringStart[r] .. ringStart[r+1]-1 and is closed (its last vertex repeats its first).
 */
export interface FlatRings {
  xy: Float64Array;
  ringStart: Uint32Array;
}

/** Every ring of a Polygon or MultiPolygon (outer rings and holes alike). */
export function ringsOf(geometry: GridGeometry): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** Number of vertices once stored flat (an unclosed ring gets its closing vertex added). */
export function flatVertexCount(ring: Position[]): number {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  return closed ? ring.length : ring.length + 1;
}

/** Appends a ring at vertex offset `at`; returns the offset after it. */
export function writeFlatRing(ring: Position[], xy: Float64Array, at: number): number {
  let v = at;
  for (const p of ring) {
    xy[2 * v] = p[0] as number;
    xy[2 * v + 1] = p[1] as number;
    v++;
  }
  if (flatVertexCount(ring) > ring.length) {
    xy[2 * v] = xy[2 * at] as number;
    xy[2 * v + 1] = xy[2 * at + 1] as number;
    v++;
  }
  return v;
}

export function flattenRings(rings: readonly Position[][]): FlatRings {
  let vertices = 0;
  for (const ring of rings) vertices += flatVertexCount(ring);
  const xy = new Float64Array(vertices * 2);
  const ringStart = new Uint32Array(rings.length + 1);
  let v = 0;
  rings.forEach((ring, r) => {
    ringStart[r] = v;
    v = writeFlatRing(ring, xy, v);
  });
  ringStart[rings.length] = v;
  return { xy, ringStart };
}

/**
 * Exact even-odd point-in-polygon over rings firstRing..endRing-1 (outer rings, holes and the parts of
 * a multipolygon together). Ray casting towards +x with a half-open rule on y, so a vertex on the ray
 * is counted once; orient2d is exact, so a point on an edge is always reported as BOUNDARY and never
 * flips sides through rounding (that is what makes boundary ownership deterministic).
 */
export function pointInFlatRings(
  xy: Float64Array,
  ringStart: Uint32Array,
  firstRing: number,
  endRing: number,
  px: number,
  py: number,
): PointPosition {
  let inside = false;
  for (let r = firstRing; r < endRing; r++) {
    const start = ringStart[r] as number;
    const last = (ringStart[r + 1] as number) - 1;
    let ax = xy[2 * start] as number;
    let ay = xy[2 * start + 1] as number;
    for (let v = start + 1; v <= last; v++) {
      const bx = xy[2 * v] as number;
      const by = xy[2 * v + 1] as number;
      if (ay > py !== by > py) {
        const minX = Math.min(ax, bx);
        if (px < minX) {
          inside = !inside;
        } else if (px <= Math.max(ax, bx)) {
          const o = orient2d(ax, ay, bx, by, px, py);
          if (o === 0) return BOUNDARY;
          // robust-predicates returns a negative value when p is left of a→b; for an upward edge
          // "left" means the crossing lies to the right of p, for a downward edge the reverse.
          if (by > ay ? o < 0 : o > 0) inside = !inside;
        }
      } else if (
        (ay === py || by === py) &&
        px >= Math.min(ax, bx) &&
        px <= Math.max(ax, bx) &&
        orient2d(ax, ay, bx, by, px, py) === 0
      ) {
        // Horizontal edge on the ray, or p is the vertex where the edge touches the ray.
        return BOUNDARY;
      }
      ax = bx;
      ay = by;
    }
  }
  return inside ? INSIDE : OUTSIDE;
}

/** Convenience form for GeoJSON rings (validation, tests); the locator uses the flat form directly. */
export function pointInRings(rings: readonly Position[][], px: number, py: number): PointPosition {
  const flat = flattenRings(rings);
  return pointInFlatRings(flat.xy, flat.ringStart, 0, rings.length, px, py);
}
