import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { DEMO_CITY_FILE, demoCityText } from './bench/demo-city';
import { GridLocator } from './locator';
import type { UnitProperties } from './synthetic';
import { checkHierarchy } from './topology';

const text = readFileSync(fileURLToPath(new URL(`../../../${DEMO_CITY_FILE}`, import.meta.url)), 'utf8');
const city = JSON.parse(text) as FeatureCollection<Polygon, UnitProperties>;

describe(DEMO_CITY_FILE, () => {
  it('is small and up to date with its generator', () => {
    expect(Buffer.byteLength(text)).toBeLessThan(300_000);
    expect(text).toBe(demoCityText());
  });

  it('holds 东城区, its four streets, 12 communities and 72 grids', () => {
    const at = (level: string) =>
      city.features.filter((f) => f.properties.level === level).map((f) => f.properties);
    expect(at('district')).toEqual([{ code: '110101', name: '东城区', level: 'district' }]);
    expect(at('street').map((s) => [s.code, s.name])).toEqual([
      ['110101001', '东华门街道'],
      ['110101002', '景山街道'],
      ['110101003', '交道口街道'],
      ['110101004', '安定门街道'],
    ]);
    expect(at('community')).toHaveLength(12);
    expect(at('grid')).toHaveLength(72);
    for (const f of city.features) {
      for (const [lon, lat] of f.geometry.coordinates.flat() as [number, number][]) {
        expect(lon).toBeGreaterThan(116.38);
        expect(lon).toBeLessThan(116.45);
        expect(lat).toBeGreaterThan(39.88);
        expect(lat).toBeLessThan(39.95);
        // Six decimals at most, so the file stays small and vertices compare exactly.
        expect(Math.round(lon * 1e6) / 1e6).toBe(lon);
      }
    }
  });

  it('passes checkHierarchy as read from disk', () => {
    const { problems } = checkHierarchy(
      city.features.map((f) => ({
        code: f.properties.code,
        parentCode: f.properties.parentCode,
        geometry: f.geometry,
      })),
    );
    expect(problems).toEqual([]);
  });

  it('locates the demo grids', () => {
    const grids = city.features.filter((f) => f.properties.level === 'grid');
    const locator = GridLocator.build(grids.map((f) => ({ code: f.properties.code, geometry: f.geometry })));
    expect(locator.size).toBe(72);
    // Near 东华门 (116.405, 39.915): inside the city.
    expect(locator.locate(116.405, 39.915)).toMatch(/^110101\d{9}$/);
  });
});
