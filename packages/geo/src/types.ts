import type { MultiPolygon, Polygon } from 'geojson';

/** A unit's boundary in WGS84 lon/lat, RFC 7946 winding once validated. */
export type GridGeometry = Polygon | MultiPolygon;

export type GeometryProblemCode =
  | 'invalid_geometry'
  | 'ring_not_closed'
  | 'too_few_points'
  | 'coordinates_out_of_range'
  | 'self_intersection'
  | 'outside_parent'
  | 'overlaps_sibling'
  | 'coverage_gap';

export interface GeometryProblem {
  code: GeometryProblemCode;
  /** coverage_gap is a warning (a territory may be covered later); everything else blocks an import. */
  severity: 'error' | 'warning';
  /** English, specific enough to fix the data without opening a map. */
  message: string;
  featureCode?: string;
  otherCode?: string;
  /** A representative [lon, lat] of the problem, to put a pin on a map. */
  location?: [number, number];
  areaM2?: number;
}

export interface UnitShape {
  code: string;
  geometry: GridGeometry;
}

export interface TopologyOptions {
  /** Slivers smaller than this (m²) are ignored; default 1 m². */
  toleranceM2?: number;
}

export interface CoverageReport {
  parentCode?: string;
  /** 0 when the parent has no geometry. */
  parentAreaM2: number;
  /** Sum of the children's areas (exceeds the parent's area when children overlap or stick out). */
  childrenAreaM2: number;
  /** Parts of the parent covered by no child, each above the tolerance. */
  gaps: { areaM2: number; location: [number, number] }[];
  gapAreaM2: number;
}
