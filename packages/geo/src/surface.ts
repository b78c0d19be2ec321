import { area } from '@turf/area';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * A point strictly inside a polygon (with holes), for pinning a problem on a map. The centroid can lie
 * outside a concave or ring-shaped part, so scan a horizontal line placed between two vertex latitudes
 * (never through a vertex) and take the middle of the widest inside interval.
 */
export function interiorPoint(rings: readonly Position[][]): [number, number] {
  const ys: number[] = [];
  for (const ring of rings) for (const p of ring) ys.push(p[1] as number);
  ys.sort((a, b) => a - b);
  const lo = ys[0] ?? 0;
  const hi = ys[ys.length - 1] ?? 0;
  const mid = (lo + hi) / 2;
  // The gap between consecutive distinct vertex latitudes nearest the middle.
  let scanY = mid;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < ys.length; i++) {
    const a = ys[i - 1] as number;
    const b = ys[i] as number;
    if (b === a) continue;
    const c = (a + b) / 2;
    const d = Math.abs(c - mid);
    if (d < best) {
      best = d;
      scanY = c;
    }
  }
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = ring[i - 1] as [number, number];
      const [bx, by] = ring[i] as [number, number];
      if (ay > scanY !== by > scanY) xs.push(ax + ((scanY - ay) * (bx - ax)) / (by - ay));
    }
  }
  xs.sort((a, b) => a - b);
  let point: [number, number] = [rings[0]?.[0]?.[0] ?? 0, scanY];
  let widest = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const a = xs[i] as number;
    const b = xs[i + 1] as number;
    if (b - a > widest) {
      widest = b - a;
      point = [(a + b) / 2, scanY];
    }
  }
  return point;
}

export interface Piece {
  areaM2: number;
  location: [number, number];
}

/** Splits a clipping result into its polygons, keeping those above the tolerance, largest first. */
export function piecesAbove(
  geometry: Polygon | MultiPolygon | null | undefined,
  toleranceM2: number,
): Piece[] {
  if (!geometry) return [];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const pieces: Piece[] = [];
  for (const rings of polygons) {
    const a = area({ type: 'Polygon', coordinates: rings });
    if (a > toleranceM2) pieces.push({ areaM2: a, location: interiorPoint(rings) });
  }
  return pieces.sort((p, q) => q.areaM2 - p.areaM2);
}
