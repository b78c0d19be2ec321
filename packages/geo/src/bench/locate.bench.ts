// Plain script (not a vitest bench): `npx tsx packages/geo/src/bench/locate.bench.ts` prints one JSON line.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { GridLocator } from '../locator';
import { mulberry32, syntheticCity } from '../synthetic';
import type { UnitShape } from '../types';
import { BENCH_CITY } from './city';

const POINTS = 200_000;
const TURF_SCAN_POINTS = 1_000;
const FLAT_SCAN_POINTS = 5_000;

const city = syntheticCity(BENCH_CITY);
const grids: UnitShape[] = city.features
  .filter((f) => f.properties.level === 'grid')
  .map((f) => ({ code: f.properties.code, geometry: f.geometry }));
const vertices = grids.reduce((s, g) => s + (g.geometry.coordinates as number[][][]).flat().length, 0);

const buildTimes: number[] = [];
let locator = GridLocator.build(grids);
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  locator = GridLocator.build(grids);
  buildTimes.push(performance.now() - t);
}

let minX = Number.POSITIVE_INFINITY;
let minY = Number.POSITIVE_INFINITY;
let maxX = Number.NEGATIVE_INFINITY;
let maxY = Number.NEGATIVE_INFINITY;
for (const g of grids) {
  for (const [x, y] of g.geometry.coordinates.flat() as [number, number][]) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
}
const rng = mulberry32(1);
const xs = new Float64Array(POINTS);
const ys = new Float64Array(POINTS);
for (let i = 0; i < POINTS; i++) {
  xs[i] = minX + rng() * (maxX - minX);
  ys[i] = minY + rng() * (maxY - minY);
}

// Warm the JIT on other points so the timed loop measures steady state.
for (let i = 0; i < 20_000; i++) locator.locate(minX + rng() * (maxX - minX), minY + rng() * (maxY - minY));

const found: (string | undefined)[] = new Array(POINTS);
let t = performance.now();
for (let i = 0; i < POINTS; i++) found[i] = locator.locate(xs[i] as number, ys[i] as number);
const indexedMs = performance.now() - t;
const hits = found.filter((c) => c !== undefined).length;

// The naive way: every grid through turf, smallest code among the closed polygons containing the point.
let mismatches = 0;
t = performance.now();
for (let i = 0; i < TURF_SCAN_POINTS; i++) {
  const point = [xs[i] as number, ys[i] as number];
  let best: string | undefined;
  for (const g of grids) {
    if ((best === undefined || g.code < best) && booleanPointInPolygon(point, g.geometry)) best = g.code;
  }
  if (best !== found[i]) mismatches++;
}
const turfScanMs = performance.now() - t;

t = performance.now();
for (let i = 0; i < FLAT_SCAN_POINTS; i++) {
  if (locator.locateByScan(xs[i] as number, ys[i] as number) !== found[i]) mismatches++;
}
const flatScanMs = performance.now() - t;

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const indexedRate = perSecond(POINTS, indexedMs);
const turfRate = perSecond(TURF_SCAN_POINTS, turfScanMs);
const flatRate = perSecond(FLAT_SCAN_POINTS, flatScanMs);
const speedup = Math.round(indexedRate / turfRate);
buildTimes.sort((a, b) => a - b);

console.log(
  JSON.stringify({
    bench: 'locate',
    grids: grids.length,
    vertices,
    buildMs: Number((buildTimes[2] as number).toFixed(1)),
    points: POINTS,
    hitRate: Number((hits / POINTS).toFixed(3)),
    indexed: { ms: Math.round(indexedMs), lookupsPerSec: indexedRate },
    turfLinearScan: {
      points: TURF_SCAN_POINTS,
      lookupsPerSec: turfRate,
      extrapolatedMsFor200k: Math.round((POINTS / turfRate) * 1000),
    },
    flatLinearScan: { points: FLAT_SCAN_POINTS, lookupsPerSec: flatRate },
    speedupVsTurfScan: speedup,
    speedupVsFlatScan: Math.round(indexedRate / flatRate),
    mismatches,
    pass: indexedRate >= 100_000 && speedup >= 100 && mismatches === 0,
  }),
);
