// Plain script (not a vitest bench): `npx tsx packages/geo/src/bench/import.bench.ts` prints one JSON line.
import type { Position } from 'geojson';
import { mulberry32, syntheticCity } from '../synthetic';
import { checkHierarchy, type HierarchyUnit } from '../topology';
import type { GridGeometry } from '../types';
import { BENCH_CITY } from './city';

const MB = 1024 * 1024;

const city = syntheticCity(BENCH_CITY);
const units: HierarchyUnit[] = city.features.map((f) => ({
  code: f.properties.code,
  parentCode: f.properties.parentCode,
  geometry: f.geometry,
}));

/**
 * The same city as if grids had been digitised more finely than their communities: every grid edge gets
 * its midpoint. Neighbouring grids still agree, but no community outline matches its grids' edges, so
 * the proof has to bound the µm slivers between them.
 */
const densified = variant((ring) =>
  ring.flatMap((p, i) => {
    const next = ring[i + 1];
    if (!next) return [p];
    return [p, [((p[0] as number) + (next[0] as number)) / 2, ((p[1] as number) + (next[1] as number)) / 2]];
  }),
);

/**
 * As if every grid had been digitised on its own: each vertex moves by up to ±0.1 mm, so neighbours no
 * longer share a single vertex and everything goes through clipping. Slivers stay far below 1 m².
 */
const rng = mulberry32(7);
const independent = variant((ring) => {
  const moved = ring.map((p) => [
    (p[0] as number) + (rng() - 0.5) * 2e-9,
    (p[1] as number) + (rng() - 0.5) * 2e-9,
  ]);
  moved[moved.length - 1] = [...(moved[0] as Position)];
  return moved;
});

function variant(change: (ring: Position[]) => Position[]): HierarchyUnit[] {
  return city.features.map((f) => {
    const geometry: GridGeometry =
      f.properties.level === 'grid'
        ? { type: 'Polygon', coordinates: f.geometry.coordinates.map(change) }
        : f.geometry;
    return { code: f.properties.code, parentCode: f.properties.parentCode, geometry };
  });
}

function run(input: HierarchyUnit[]) {
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let calls = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const t = performance.now();
  // checkHierarchy is synchronous, so a timer could never fire during it: sample from its progress hook.
  const result = checkHierarchy(input, {
    onProgress: () => {
      if (++calls % 25 === 0) sample();
    },
  });
  const wallMs = performance.now() - t;
  sample();
  return {
    wallMs: Math.round(wallMs),
    problems: result.problems.length,
    errors: result.problems.filter((p) => p.severity === 'error').length,
    parentsChecked: result.coverage.length,
    heapBeforeMB: Math.round(before.heapUsed / MB),
    peakHeapMB: Math.round(peakHeap / MB),
    peakRssMB: Math.round(peakRss / MB),
  };
}

const grids = city.features.filter((f) => f.properties.level === 'grid').length;
const shared = run(units);
const slivers = run(densified);
const clipping = run(independent);
console.log(
  JSON.stringify({
    bench: 'import',
    units: units.length,
    grids,
    sharedVertices: shared,
    finerGrids: slivers,
    independentlyDigitised: clipping,
    processMaxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    pass: [shared, slivers, clipping].every((r) => r.errors === 0),
  }),
);
