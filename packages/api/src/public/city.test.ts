import { type GridGeometry, GridLocator } from '@civicgrid/geo';
import { describe, expect, it } from 'vitest';
import { computeExtent } from './city';

const box = (w: number, s: number, e: number, n: number): GridGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

describe('a city’s extent', () => {
  it('is none without grids', () => {
    expect(computeExtent([])).toBeUndefined();
  });

  it('centres on the middle of the box when a grid holds it', () => {
    const grids = [
      { code: '110101001001001', geometry: box(116.3, 39.8, 116.4, 39.9) },
      { code: '110101001001002', geometry: box(116.4, 39.8, 116.5, 39.9) },
    ];
    expect(computeExtent(grids)).toEqual({
      bbox: [116.3, 39.8, 116.5, 39.9],
      center: [116.4, 39.85],
      grids: 2,
    });
  });

  it('moves the centre into a grid when the middle of the box lies outside every grid', () => {
    // An L: the middle of its box (116.45, 39.95) is in neither arm.
    const grids = [
      { code: '110101001001001', geometry: box(116.3, 39.8, 116.4, 40.1) },
      { code: '110101001001002', geometry: box(116.4, 39.8, 116.6, 39.9) },
    ];
    const extent = computeExtent(grids);
    expect(extent?.bbox).toEqual([116.3, 39.8, 116.6, 40.1]);
    const [lon, lat] = extent?.center ?? [Number.NaN, Number.NaN];
    expect(GridLocator.build(grids).locate(lon, lat)).toBeDefined();
  });
});
