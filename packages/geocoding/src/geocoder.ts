/** One candidate place for a free-text address. */
export interface GeocodeResult {
  label: string;
  /** WGS84 [lon, lat]. */
  point: [number, number];
  /** 0..1, higher is better; comparable only between results of the same source. */
  score: number;
  source: 'gazetteer' | 'amazon-location';
}

export interface GeocodeOptions {
  /** Most results to return. */
  limit?: number;
  /** WGS84 [lon, lat] to prefer, e.g. the reporter's position or the grid the hotline call came from. */
  near?: [number, number];
}

/** Addresses → points, used by the case loop to place a citizen's or hotline report on the map. */
export interface Geocoder {
  geocode(tenantId: string, query: string, options?: GeocodeOptions): Promise<GeocodeResult[]>;
}

/** A usable result count from a caller's limit: absent or not a number means the default. */
export const clampLimit = (limit: number | undefined, fallback: number, max: number): number =>
  limit === undefined || !Number.isFinite(limit) ? fallback : Math.min(max, Math.max(1, Math.floor(limit)));
