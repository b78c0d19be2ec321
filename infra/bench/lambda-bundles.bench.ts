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
import { mkdtempSync, writeFileSync } from 'node:fs';
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

const rows: string[] = [];
let missed = 0;
for (const [name, entry] of Object.entries(lambdaEntries)) {
  const dir = mkdtempSync(join(tmpdir(), `civicgrid-${name}-`));
  const result = await build({ ...esbuildOptions(entry), outfile: join(dir, 'index.mjs'), metafile: true });
  const output = result.metafile?.outputs ?? {};
  const size = Object.entries(output).find(([file]) => file.endsWith('index.mjs'))?.[1].bytes ?? 0;
  const map = Object.entries(output).find(([file]) => file.endsWith('.map'))?.[1].bytes ?? 0;
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  // The first import also warms the OS file cache, as a provisioned Lambda image would be.
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
  const init = median(imports);
  const sizeOk = name !== 'api' || size < API_BUNDLE_TARGET;
  const initOk = init < INIT_TARGET_MS;
  if (!sizeOk || !initOk) missed += 1;
  rows.push(
    `${name.padEnd(16)} ${kib(size).padStart(9)} ${kib(map).padStart(10)}  ` +
      `${init.toFixed(0).padStart(6)} ms  ${median(processes).toFixed(0).padStart(6)} ms  ` +
      `${median(withMaps).toFixed(0).padStart(9)} ms  ` +
      `${sizeOk ? '' : 'bundle over 1 MB '}${initOk ? '' : 'init over 300 ms'}`,
  );
}

console.log(`Lambda bundles (median of ${RUNS} fresh processes, Node ${process.version})`);
console.log(
  `${'function'.padEnd(16)} ${'bundle'.padStart(9)} ${'source map'.padStart(10)}  ${'init'.padStart(9)}  ${'process'.padStart(9)}`,
);
for (const row of rows) console.log(row);
console.log(
  missed
    ? `${missed} function(s) miss a target (API bundle < 1 MB, init < ${INIT_TARGET_MS} ms)`
    : 'all targets met',
);
