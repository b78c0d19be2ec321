import Flatbush from 'flatbush';
import { compareCodes } from './codes';
import { flatVertexCount, OUTSIDE, pointInFlatRings, ringsOf, writeFlatRing } from './pip';
import type { UnitShape } from './types';

/**
 * Answers "which grid is this point in?" (a report's location, a patrol check-in) fast enough to run per
 * request. A flatbush index over the grids' bounding boxes narrows the search to a few candidates; the
 * rings of every grid live in one Float64Array so the exact test runs without touching GeoJSON objects.
 *
 * A point on a shared edge or vertex is inside several closed polygons; it belongs to the one with the
 * smallest code, so the same point always lands in the same grid whatever the input order.
 */
export class GridLocator {
  private constructor(
    private readonly codes: string[],
    /** Position of each grid in code order: a smaller rank wins a boundary point. */
    private readonly rank: Uint32Array,
    private readonly index: Flatbush | undefined,
    private readonly xy: Float64Array,
    private readonly ringStart: Uint32Array,
    /** Grid g owns rings gridRing[g] .. gridRing[g+1]-1. */
    private readonly gridRing: Uint32Array,
  ) {}

  static build(grids: readonly UnitShape[]): GridLocator {
    let ringCount = 0;
    let vertexCount = 0;
    for (const grid of grids) {
      for (const ring of ringsOf(grid.geometry)) {
        ringCount++;
        vertexCount += flatVertexCount(ring);
      }
    }
    const xy = new Float64Array(vertexCount * 2);
    const ringStart = new Uint32Array(ringCount + 1);
    const gridRing = new Uint32Array(grids.length + 1);
    const index = grids.length > 0 ? new Flatbush(grids.length) : undefined;
    let r = 0;
    let v = 0;
    grids.forEach((grid, g) => {
      gridRing[g] = r;
      const firstVertex = v;
      for (const ring of ringsOf(grid.geometry)) {
        ringStart[r++] = v;
        v = writeFlatRing(ring, xy, v);
      }
      let minX = Number.POSITIVE_INFINITY;
      let minY = Number.POSITIVE_INFINITY;
      let maxX = Number.NEGATIVE_INFINITY;
      let maxY = Number.NEGATIVE_INFINITY;
      for (let k = firstVertex; k < v; k++) {
        const x = xy[2 * k] as number;
        const y = xy[2 * k + 1] as number;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      index?.add(minX, minY, maxX, maxY);
    });
    ringStart[r] = v;
    gridRing[grids.length] = r;
    index?.finish();

    const codes = grids.map((g) => g.code);
    const rank = new Uint32Array(grids.length);
    codes
      .map((_, i) => i)
      .sort((a, b) => compareCodes(codes[a] as string, codes[b] as string))
      .forEach((g, position) => {
        rank[g] = position;
      });
    return new GridLocator(codes, rank, index, xy, ringStart, gridRing);
  }

  get size(): number {
    return this.codes.length;
  }

  /** The code of the grid containing [lon, lat] (boundary included), or undefined outside every grid. */
  locate(lon: number, lat: number): string | undefined {
    if (!this.index || !Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
    let best = -1;
    for (const g of this.index.search(lon, lat, lon, lat)) {
      // Only a smaller code can take the point from the current owner: skip the exact test otherwise.
      if (best !== -1 && (this.rank[g] as number) > (this.rank[best] as number)) continue;
      if (this.contains(g, lon, lat)) best = g;
    }
    return best === -1 ? undefined : this.codes[best];
  }

  /** Same answer as locate() without the index: the baseline the bench compares against. */
  locateByScan(lon: number, lat: number): string | undefined {
    let best = -1;
    for (let g = 0; g < this.codes.length; g++) {
      if (best !== -1 && (this.rank[g] as number) > (this.rank[best] as number)) continue;
      if (this.contains(g, lon, lat)) best = g;
    }
    return best === -1 ? undefined : this.codes[best];
  }

  private contains(g: number, lon: number, lat: number): boolean {
    return (
      pointInFlatRings(
        this.xy,
        this.ringStart,
        this.gridRing[g] as number,
        this.gridRing[g + 1] as number,
        lon,
        lat,
      ) !== OUTSIDE
    );
  }
}
