import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

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
  reconciler: 'functions/reconciler/src/handler.ts',
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
 * Packages every Lambda bundle takes from infra/lambda-shims instead (esbuild's `alias`, which
 * NodejsFunction passes through as `--alias:<package>=<path>`). Each shim keeps the package's
 * exports and behaviour in Lambda and leaves out code no function can reach there; why, and what
 * exactly is left out, is written at the top of each shim:
 * - zod: every error-message locale but English (~190 KB; `@hono/zod-openapi` keeps the whole
 *   `z` namespace alive, so esbuild cannot shake `z.locales` out by itself);
 * - the SDK's default credential chain: only the sources Lambda has, environment variables and
 *   the container endpoint (~100 KB of SSO, profile, process, web-identity and IMDS providers).
 * Paths are relative to the repo root, the directory esbuild runs in (NodejsFunction's
 * projectRoot, and absWorkingDir below).
 */
export const lambdaAliases = {
  zod: './infra/lambda-shims/zod.ts',
  '@aws-sdk/credential-provider-node': './infra/lambda-shims/credential-provider-node.ts',
} as const;

/**
 * esbuild escapes every non-ASCII character by default (`\uXXXX`, six bytes for what UTF-8 stores
 * in three); Node reads `.mjs` files as UTF-8, so the bundle keeps the Chinese catalog and UI
 * strings as they are (~70 KB smaller API bundle).
 */
export const lambdaCharset = 'utf8';

/**
 * The esbuild options NodejsFunction runs with (see nodeFunction in civicgrid-stack.ts), for
 * esbuild's own API: the bundling test and the benchmark build exactly what Lambda runs.
 */
export const esbuildOptions = (entry: string): BuildOptions => ({
  entryPoints: [join(repoRoot, entry)],
  bundle: true,
  platform: 'node',
  target: lambdaNodeTarget,
  format: 'esm',
  mainFields: ['module', 'main'],
  absWorkingDir: repoRoot,
  alias: { ...lambdaAliases },
  charset: lambdaCharset,
  banner: { js: esmRequireBanner },
  minify: true,
  sourcemap: true,
  // The AWS SDK is bundled too (no externals), as in the stack.
  external: [],
  logLevel: 'silent',
});

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

/**
 * Stand-in values for the environment the stack gives the functions, so a bundle can be loaded
 * (and its cold start measured) outside Lambda. No AWS call happens while a handler module loads.
 */
export const lambdaStandInEnvironment = {
  AWS_REGION: 'ap-southeast-1',
  TABLE_NAME: 'civicgrid-bench',
  TENANT_ROLE_ARN: 'arn:aws:iam::123456789012:role/civicgrid-bench-tenant-access',
  EVENTS_QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/civicgrid-events.fifo',
  POWERTOOLS_SERVICE_NAME: 'civicgrid-bench',
  LOG_LEVEL: 'ERROR',
  USER_POOL_ID: 'ap-southeast-1_bench',
  USER_POOL_CLIENT_ID: 'benchclient',
  ATTACHMENTS_BUCKET: 'civicgrid-bench-attachments',
  PLACE_INDEX_NAME: 'civicgrid-bench',
  SWAGGER_UI_DIR: '/var/task/swagger-ui',
} as const;

/**
 * Loads a bundle in a fresh Node process, as Lambda's cold start does, and reports how long the
 * import took (module evaluation and the handler's setup) and the whole process's wall time.
 */
export const coldImport = async (
  bundlePath: string,
  options: { readonly sourceMaps?: boolean } = {},
): Promise<{ importMs: number; processMs: number; handlerType: string }> => {
  const { spawn } = await import('node:child_process');
  const { pathToFileURL } = await import('node:url');
  const script = `const t0 = performance.now();
const mod = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
console.log(JSON.stringify({ importMs: performance.now() - t0, handlerType: typeof mod.handler }));`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', script],
      {
        env: { PATH: process.env.PATH, ...lambdaStandInEnvironment },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`importing ${bundlePath} failed (${code}): ${err}`));
      const line = out.trim().split('\n').at(-1) ?? '{}';
      resolve({ ...JSON.parse(line), processMs: performance.now() - started });
    });
  });
};
