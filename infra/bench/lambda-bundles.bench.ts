/**
 * Bundle size and cold initialisation of each Lambda entry point, built exactly as the stack
 * builds it (esbuild, ESM, minified, AWS SDK included). Cold init is the time a fresh Node process
 * takes to import the bundle, i.e. evaluate every module and build the handler's dependencies,
 * which is what Lambda's init phase spends on our code. Targets: API bundle < 1 MB, init < 300 ms.
 * Node's --enable-source-maps parses the whole source map at load, roughly doubling init, so
 * prod runs without it and the second init column shows what dev stages pay for readable traces.
 *
 * Run: `pnpm exec tsx infra/bench/lambda-bundles.bench.ts` (part of `pnpm bench`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { coldImport, esbuildOptions, lambdaEntries } from '../lib/bundling';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const API_BUNDLE_TARGET = 1024 * 1024;
const INIT_TARGET_MS = 300;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const fastest = (values: number[]) => Math.min(...values);
const ms = (value: number) => `${value.toFixed(0)} ms`;

const rows: string[][] = [];
let missed = 0;
for (const [name, entry] of Object.entries(lambdaEntries)) {
  const dir = mkdtempSync(join(tmpdir(), `civicgrid-${name}-`));
  const result = await build({ ...esbuildOptions(entry), outfile: join(dir, 'index.mjs'), metafile: true });
  const output = result.metafile?.outputs ?? {};
  const size = Object.entries(output).find(([file]) => file.endsWith('index.mjs'))?.[1].bytes ?? 0;
  const map = Object.entries(output).find(([file]) => file.endsWith('.map'))?.[1].bytes ?? 0;
  // The first import warms the OS file cache, as Lambda's own image cache would be warm.
  await coldImport(join(dir, 'index.mjs'));
  const imports: number[] = [];
  const processes: number[] = [];
  const withMaps: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { importMs, processMs } = await coldImport(join(dir, 'index.mjs'));
    imports.push(importMs);
    processes.push(processMs);
    withMaps.push((await coldImport(join(dir, 'index.mjs'), { sourceMaps: true })).importMs);
  }
  // On a shared machine the fastest run is the one least disturbed by other work.
  const init = fastest(imports);
  const sizeOk = name !== 'api' || size < API_BUNDLE_TARGET;
  const initOk = init < INIT_TARGET_MS;
  if (!sizeOk || !initOk) missed += 1;
  rows.push([
    name,
    kib(size),
    kib(map),
    ms(init),
    ms(median(imports)),
    ms(median(processes)),
    ms(fastest(withMaps)),
    `${sizeOk ? '' : 'bundle over 1 MB '}${initOk ? '' : `init over ${INIT_TARGET_MS} ms`}`,
  ]);
}

const header = ['function', 'bundle', 'map', 'init', 'init p50', 'process p50', 'init, maps', ''];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
const line = (cells: string[]) =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
console.log(`Lambda bundles: ${RUNS} fresh Node ${process.version} processes each`);
console.log(
  'init: fastest import (prod, no source maps); p50: median; init, maps: with --enable-source-maps (dev)',
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  missed
    ? `${missed} function(s) miss a target (API bundle < 1 MB, init < ${INIT_TARGET_MS} ms)`
    : 'all targets met',
);
