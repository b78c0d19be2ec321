import { difference } from '@turf/difference';
import { featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { type SyntheticCityOptions, syntheticCity } from './synthetic';
import { checkHierarchy } from './topology';
import { areaM2, validateGeometry } from './validate';

const options: SyntheticCityOptions = {
  seed: 5,
  districts: 2,
  streetsPerDistrict: 3,
  communitiesPerStreet: 3,
  gridsPerCommunity: 5,
  origin: [116.2, 39.8],
  sizeDeg: 0.12,
};
const city = syntheticCity(options);
const byLevel = (level: string) => city.features.filter((f) => f.properties.level === level);

describe('syntheticCity', () => {
  it('builds every unit with standard codes, Chinese names and parents', () => {
    expect(byLevel('district')).toHaveLength(2);
    expect(byLevel('street')).toHaveLength(6);
    expect(byLevel('community')).toHaveLength(18);
    expect(byLevel('grid')).toHaveLength(90);
    const codes = new Set(city.features.map((f) => f.properties.code));
    expect(codes.size).toBe(city.features.length);
    const lengths = { district: 6, street: 9, community: 12, grid: 15 } as const;
    for (const { properties: p } of city.features) {
      expect(p.code).toMatch(new RegExp(`^\\d{${lengths[p.level]}}$`));
      if (p.level === 'district') {
        expect(p.parentCode).toBeUndefined();
      } else {
        expect(codes.has(p.parentCode as string)).toBe(true);
        expect(p.code.startsWith(p.parentCode as string)).toBe(true);
      }
      expect(p.kind === undefined).toBe(p.level !== 'grid');
    }
    expect(byLevel('district').map((f) => [f.properties.code, f.properties.name])).toEqual([
      ['110101', '东城区'],
      ['110102', '西城区'],
    ]);
    expect(byLevel('street').every((f) => f.properties.name.endsWith('街道'))).toBe(true);
    expect(byLevel('community').every((f) => f.properties.name.endsWith('社区'))).toBe(true);
    expect(byLevel('grid')[0]?.properties.code).toBe('110101001001001');
    for (const grid of byLevel('grid')) {
      const { name, kind, code } = grid.properties;
      expect(name).toMatch(kind === 'basic' ? new RegExp(`^第${Number(code.slice(-3))}网格$`) : /专属网格$/);
    }
    const exclusive = byLevel('grid').filter((f) => f.properties.kind === 'exclusive').length;
    expect(exclusive).toBeGreaterThan(5);
    expect(exclusive).toBeLessThan(35);
  });

  it('is deterministic for a seed', () => {
    expect(syntheticCity(options)).toEqual(city);
    expect(syntheticCity({ ...options, seed: 6 })).not.toEqual(city);
  });

  it('draws valid, counter-clockwise polygons', () => {
    for (const f of city.features) {
      const { geometry, problems } = validateGeometry(f.geometry, f.properties.code);
      expect(problems).toEqual([]);
      expect(geometry).toEqual(f.geometry);
    }
  });

  it('tiles exactly at every level', () => {
    const { problems, coverage } = checkHierarchy(
      city.features.map((f) => ({
        code: f.properties.code,
        parentCode: f.properties.parentCode,
        geometry: f.geometry,
      })),
    );
    expect(problems).toEqual([]);
    // The root group (the districts) plus every district, street and community.
    expect(coverage).toHaveLength(1 + 2 + 6 + 18);
    for (const c of coverage.slice(1)) {
      expect(c.gapAreaM2).toBe(0);
      expect(c.childrenAreaM2 / c.parentAreaM2).toBeCloseTo(1, 6);
    }
  });

  it('tiles by turf clipping too, independently of the edge proof', () => {
    const community = byLevel('community')[4];
    if (!community) throw new Error('no community');
    const grids = byLevel('grid').filter((f) => f.properties.parentCode === community.properties.code);
    const rest = difference(featureCollection<Polygon>([community, ...grids]));
    expect(rest === null ? 0 : areaM2(rest.geometry)).toBeLessThan(1e-3);
    for (const a of grids) {
      for (const b of grids) {
        if (a === b) continue;
        const shared = intersect(featureCollection<Polygon>([a, b]));
        expect(shared === null ? 0 : areaM2(shared.geometry)).toBeLessThan(1e-3);
      }
    }
  });

  it('rejects impossible sizes', () => {
    expect(() => syntheticCity({ ...options, districts: 0 })).toThrow(RangeError);
    expect(() => syntheticCity({ ...options, streetsPerDistrict: 100 })).toThrow(RangeError);
    expect(() => syntheticCity({ ...options, districts: 17 })).toThrow(/districtCodes/);
  });
});
