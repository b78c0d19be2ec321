import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: entries, the lockfile and node_modules are all resolved from here. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The Lambda entry points the stack deploys, by function. Bundling tests and the bundle benchmark
 * walk this list, so a new function is covered by both once it is listed here.
 */
export const lambdaEntries = {
  api: 'functions/api/src/handler.ts',
  eventsWorker: 'functions/events-worker/src/handler.ts',
  deadlineSweeper: 'functions/deadline-sweeper/src/handler.ts',
} as const;

export type LambdaEntryName = keyof typeof lambdaEntries;

/**
 * ESM bundles still meet CommonJS-only dependencies that call `require`; the banner gives them one.
 * The name is unusual so it cannot clash with a bundled module's own identifiers.
 */
export const esmRequireBanner =
  "import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);";

/** Lambda's Node.js runtime, as esbuild names it. */
export const lambdaNodeTarget = 'node22';

/**
 * The esbuild options NodejsFunction runs with (see nodeFunction in civicgrid-stack.ts), for
 * esbuild's own API: the bundling test and the benchmark build exactly what Lambda runs.
 */
export const esbuildOptions = (entry: string) =>
  ({
    entryPoints: [join(repoRoot, entry)],
    bundle: true,
    platform: 'node',
    target: lambdaNodeTarget,
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    minify: true,
    sourcemap: true,
    // The AWS SDK is bundled too (no externals), as in the stack.
    external: [],
    logLevel: 'silent',
  }) as const;

/**
 * swagger-ui-dist's static files, as a path relative to the repo root so the copy works for
 * both local bundling (input dir = repo root) and Docker bundling (repo root mounted elsewhere).
 * Resolved from packages/api because that is the package that serves them.
 */
export const swaggerUiDistDir = () => {
  const requireFromApi = createRequire(join(repoRoot, 'packages/api/package.json'));
  let packageJson: string;
  try {
    packageJson = requireFromApi.resolve('swagger-ui-dist/package.json');
  } catch (cause) {
    throw new Error('swagger-ui-dist is not installed for packages/api; run pnpm install first', { cause });
  }
  return relative(repoRoot, dirname(packageJson)).split(sep).join(posix.sep);
};
