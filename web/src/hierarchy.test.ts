import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import {
  boundsOfFeatures,
  buildTree,
  childCodeProblem,
  childLevelOf,
  focusOfProblem,
  type ImportProblem,
  pagesOf,
  pathTo,
  problemsOfError,
  readGeoJson,
  reportFeatures,
  suggestChildCode,
  type UnitProps,
} from './hierarchy';
import { demo, demoText, square } from './hierarchy.fixture';

const grid = (code: string, geometry: Polygon | null): Feature => ({
  type: 'Feature',
  geometry: geometry as Polygon,
  properties: { code, name: code, level: 'grid' },
});

describe('the hierarchy tree', () => {
  it('nests the demo city district > street > community > grid, sorted by code', () => {
    const tree = buildTree(demo);
    expect(tree.roots.map((u) => u.code)).toEqual(['110101']);
    const streets = tree.byParent.get('110101') ?? [];
    expect(streets).toHaveLength(4);
    expect(streets.map((s) => s.code)).toEqual([...streets.map((s) => s.code)].sort());
    const communities = streets.flatMap((s) => tree.byParent.get(s.code) ?? []);
    expect(communities).toHaveLength(12);
    const grids = communities.flatMap((c) => tree.byParent.get(c.code) ?? []);
    expect(grids).toHaveLength(72);
    expect(grids.every((g: UnitProps) => g.level === 'grid')).toBe(true);
    expect(pathTo(tree, '110101001001002')).toEqual([
      '110101',
      '110101001',
      '110101001001',
      '110101001001002',
    ]);
    expect(pathTo(tree, '999999')).toEqual([]);
  });

  it('keeps a unit whose parent is not in the collection as a root (a street admin’s view)', () => {
    const street = demo.features.filter((f) => String(f.properties?.code).startsWith('110101001'));
    const tree = buildTree({ type: 'FeatureCollection', features: street });
    expect(tree.roots.map((u) => u.code)).toEqual(['110101001']);
  });

  it('suggests the next free child code and checks a typed one before the API does', () => {
    expect(childLevelOf(undefined)).toBe('district');
    expect(childLevelOf('110101001')).toBe('community');
    expect(childLevelOf('110101001001001')).toBeUndefined();
    expect(suggestChildCode('110101001', ['110101001001', '110101001003'])).toBe('110101001004');
    expect(suggestChildCode('110101001001', [])).toBe('110101001001001');
    expect(suggestChildCode('110101001', ['110101001399'])).toBe('');
    expect(childCodeProblem('110101001005', '110101001')).toBeUndefined();
    expect(childCodeProblem('110101001000', '110101001')).toMatch(/000/);
    expect(childCodeProblem('11010100100', '110101001')).toMatch(/12 digits/);
    expect(childCodeProblem('110101002005', '110101001')).toMatch(/extends/);
    expect(childCodeProblem('110101001001001001', '110101001001001')).toMatch(/no child/);
  });
});

describe('reading and paging a GeoJSON file', () => {
  it('accepts a FeatureCollection or a lone Feature and says what is wrong otherwise', () => {
    expect(readGeoJson(demoText)).toMatchObject({ features: expect.any(Array) });
    expect(readGeoJson(JSON.stringify(grid('110101001001001', null)))).toMatchObject({
      features: [expect.any(Object)],
    });
    expect(readGeoJson('{"type":')).toEqual({ error: 'not_json' });
    expect(readGeoJson('{"type":"FeatureCollection","features":[]}')).toEqual({ error: 'not_features' });
    expect(readGeoJson('[1,2]')).toEqual({ error: 'not_features' });
  });

  it('pages features in order under the byte and count limits', () => {
    const features = demo.features;
    const pages = pagesOf(features, 20_000, 30);
    expect(pages.flat()).toEqual(features);
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(30);
      const bytes = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features: page }));
      // A page holds more than one feature only when they fit together.
      if (page.length > 1) expect(bytes.length).toBeLessThanOrEqual(20_000);
    }
    expect(pages.length).toBeGreaterThan(3);
    expect(pagesOf(features)).toEqual([features]);
    expect(pagesOf([])).toEqual([]);
    // A feature larger than a page travels alone.
    expect(pagesOf(['x'.repeat(100), 'y', 'z'], 50).map((p) => p.length)).toEqual([1, 2]);
  });
});

describe('the import report on the map', () => {
  const uploaded = [
    grid('110101001199001', square(116.6, 40.1, 0.0003)),
    grid('110101001199002', square(116.6004, 40.1, 0.0003)),
    grid('bad', null),
  ];
  const existing = buildTree(demo).byCode;
  const problems: ImportProblem[] = [
    {
      code: 'overlaps_sibling',
      severity: 'error',
      message: '110101001199001 and 110101001199002 overlap by 1200 m²',
      featureCode: '110101001199001',
      otherCode: '110101001199002',
      featureIndex: 0,
      location: [116.6002, 40.1],
      areaM2: 1200,
    },
    { code: 'invalid_feature', severity: 'error', message: 'Feature 2 needs …', featureIndex: 2 },
    {
      code: 'outside_parent',
      severity: 'error',
      message: '… outside its parent 110101001',
      featureCode: '110101001199001',
      otherCode: '110101001',
      featureIndex: 0,
      location: [116.6, 40.1],
    },
    { code: 'coverage_gap', severity: 'warning', message: 'gap', location: [116.39, 39.9] },
  ];

  it('draws each problem’s features and a numbered pin, the other side taken from the city', () => {
    const report = reportFeatures(problems, uploaded, existing);
    const of = (n: number) =>
      report.features
        .filter((f) => f.properties?.problem === n)
        .map((f) => [f.properties?.role, f.properties?.code ?? f.properties?.label]);
    expect(of(0)).toEqual([
      ['feature', '110101001199001'],
      ['other', '110101001199002'],
      ['pin', '1'],
    ]);
    expect(report.features.find((f) => f.properties?.role === 'pin')?.properties?.label).toBe('1');
    expect(of(1)).toEqual([]);
    // The parent it sticks out of comes from the city's own units.
    expect(of(2)).toEqual([
      ['feature', '110101001199001'],
      ['other', '110101001'],
      ['pin', '3'],
    ]);
    expect(of(3)).toEqual([['pin', '4']]);
    expect(report.features.filter((f) => f.properties?.severity === 'warning')).toHaveLength(1);
  });

  it('flies to a problem’s features, or around its lone pin', () => {
    const report = reportFeatures(problems, uploaded, existing);
    const overlap = focusOfProblem(report, 0);
    expect(overlap?.[0]).toBeCloseTo(116.5997, 6);
    expect(overlap?.[2]).toBeCloseTo(116.6007, 6);
    const pin = focusOfProblem(report, 3) ?? [];
    for (const [i, n] of [116.389, 39.899, 116.391, 39.901].entries()) expect(pin[i]).toBeCloseTo(n, 6);
    expect(focusOfProblem(report, 1)).toBeUndefined();
    expect(boundsOfFeatures([])).toBeUndefined();
  });

  it('reads the problems of a rejected commit', () => {
    const rejected = new ApiError(400, 'validation_failed', 'The import has 1 problem(s)', {
      code: 'import_rejected',
      problems: [problems[0]],
    });
    expect(problemsOfError(rejected)).toEqual([problems[0]]);
    expect(problemsOfError(new ApiError(409, 'version_conflict', 'x'))).toBeUndefined();
  });
});
