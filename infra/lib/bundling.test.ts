import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { coldImport, esbuildOptions, lambdaEntries } from './bundling';

/**
 * Each Lambda entry point bundles with the options the stack gives NodejsFunction, and the bundle
 * loads in a fresh Node process with the stack's environment and exports its handler.
 */
describe.each(Object.entries(lambdaEntries))('the %s bundle', (_name, entry) => {
  it('builds with esbuild as the stack builds it, the AWS SDK included, and loads', async () => {
    const result = await build({
      ...esbuildOptions(entry),
      write: false,
      outfile: 'index.mjs',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const { outputFiles = [], metafile } = result;
    const code = outputFiles.find((file) => file.path.endsWith('index.mjs'));
    const map = outputFiles.find((file) => file.path.endsWith('index.mjs.map'));
    expect(code && map).toBeTruthy();
    // Nothing is left for Lambda to resolve: no bare imports of packages, only Node's built-ins.
    const externals = Object.values(metafile.outputs)
      .flatMap((output) => output.imports)
      .filter((imported) => imported.external && !imported.path.startsWith('node:'));
    expect(externals.filter((imported) => !/^[a-z_]+$/.test(imported.path))).toEqual([]);
    expect(Object.keys(metafile.inputs).some((input) => input.includes('@aws-sdk/client-dynamodb'))).toBe(
      true,
    );

    const dir = mkdtempSync(join(tmpdir(), 'civicgrid-bundle-'));
    const file = join(dir, 'index.mjs');
    writeFileSync(file, code?.contents ?? '');
    writeFileSync(join(dir, 'index.mjs.map'), map?.contents ?? '');
    const { handlerType } = await coldImport(file);
    expect(handlerType).toBe('function');
  });
});
