import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as zod from 'zod';
import * as credentialShim from '../lambda-shims/credential-provider-node';
import * as zodShim from '../lambda-shims/zod';
import { coldImport, esbuildOptions, lambdaEntries, lambdaStandInEnvironment, repoRoot } from './bundling';

/**
 * Each Lambda entry point bundles with the options the stack gives NodejsFunction, and the bundle
 * loads in a fresh Node process with the stack's environment and exports its handler.
 */
describe.each(Object.entries(lambdaEntries))('the %s bundle', (name, entry) => {
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
    if (name === 'api') {
      // Issue 9's target, which `pnpm bench` (infra/bench/lambda-bundles.bench.ts) measures too: the
      // API bundle (without its source map) stays under 1 MiB. The S3 attachment store signing with
      // the SDK's SigV4 signer instead of @aws-sdk/client-s3 is what brought it there (~996 KiB).
      expect(code?.contents.byteLength ?? Number.POSITIVE_INFINITY).toBeLessThan(1024 * 1024);
    }
    // Nothing is left for Lambda to resolve: no bare imports of packages, only Node's built-ins.
    const externals = Object.values(metafile.outputs)
      .flatMap((output) => output.imports)
      .filter((imported) => imported.external && !imported.path.startsWith('node:'));
    expect(externals.filter((imported) => !/^[a-z_]+$/.test(imported.path))).toEqual([]);
    // What made it into the bundle (metafile.inputs also lists what tree-shaking dropped).
    const bundle = Object.entries(metafile.outputs).find(([file]) => file.endsWith('index.mjs'))?.[1];
    const inputs = Object.entries(bundle?.inputs ?? {})
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input);
    expect(inputs.some((input) => input.includes('@aws-sdk/client-dynamodb'))).toBe(true);
    // The shims took effect (see lambdaAliases): one zod locale, no profile/SSO credential code.
    expect(inputs.filter((input) => input.includes('zod/v4/locales/'))).toEqual([
      expect.stringMatching(/zod\/v4\/locales\/en\.js$/),
    ]);
    expect(
      inputs.filter((input) => /credential-provider-(node|ini|sso|process|web-identity)\//.test(input)),
    ).toEqual([]);
    // No package is bundled twice (two versions, or its CommonJS and ESM builds side by side).
    const packages = new Map<string, Set<string>>();
    for (const input of inputs) {
      const match = /node_modules\/\.pnpm\/([^/]+)\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(input);
      if (!match) continue;
      const [, version = '', name = '', file = ''] = match;
      const build = /(^|\/)(dist-cjs|cjs)\/|\.cjs$/.test(file) ? 'cjs' : 'esm';
      packages.set(name, (packages.get(name) ?? new Set()).add(`${version.split('_')[0]} ${build}`));
    }
    expect([...packages].filter(([, builds]) => builds.size > 1)).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'civicgrid-bundle-'));
    const file = join(dir, 'index.mjs');
    writeFileSync(file, code?.contents ?? '');
    writeFileSync(join(dir, 'index.mjs.map'), map?.contents ?? '');
    const { handlerType } = await coldImport(file);
    expect(handlerType).toBe('function');
    if (name === 'api') {
      // The bundled API answers: its OpenAPI document is built from every route's zod schemas.
      const response = await invokeBundledApi(file, 'GET', '/openapi.json');
      expect(response.statusCode).toBe(200);
      const document = JSON.parse(response.body) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toMatch(/^3\.1\./);
      expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    }
  });
});

/** Calls the bundled API's handler once in a fresh Node process, with an HTTP API (v2) event. */
const invokeBundledApi = async (
  bundlePath: string,
  method: string,
  path: string,
): Promise<{ statusCode: number; body: string }> => {
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com' },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'bundling-test' },
      requestId: 'bundling-test',
      stage: '$default',
      domainName: 'api.example.com',
      accountId: '123456789012',
      apiId: 'bundling-test',
      routeKey: '$default',
      time: '01/May/2026:00:00:00 +0000',
      timeEpoch: 1777593600000,
    },
    isBase64Encoded: false,
  };
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
const response = await handler(${JSON.stringify(event)}, { functionName: 'api', awsRequestId: 'bundling-test', getRemainingTimeInMillis: () => 10000 });
console.log(JSON.stringify({ statusCode: response.statusCode, body: response.body }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, ...lambdaStandInEnvironment },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
};

describe("the Lambda bundles' zod (infra/lambda-shims/zod.ts)", () => {
  it("is built from the same zod version the workspace's packages use", () => {
    // Every `zod` import in a bundle goes to the shim, i.e. to infra's own zod dependency.
    const zodVersionFor = (packageDir: string) =>
      (createRequire(join(repoRoot, packageDir, 'package.json'))('zod/package.json') as { version: string })
        .version;
    expect(zodVersionFor('infra')).toBe(zodVersionFor('packages/domain'));
    expect(zodVersionFor('infra')).toBe(zodVersionFor('packages/api'));
  });

  it('exports what zod exports, at the top level and on z and z.core', () => {
    expect(Object.keys(zodShim).sort()).toEqual(Object.keys(zod).sort());
    expect(Object.keys(zodShim.z).sort()).toEqual(Object.keys(zod.z).sort());
    expect(Object.keys(zodShim.z.core).sort()).toEqual(Object.keys(zod.z.core).sort());
    expect(zodShim.default).toBe(zodShim.z);
  });

  it('is zod itself, only with English as the one locale', () => {
    expect(zodShim.z.ZodString).toBe(zod.z.ZodString);
    expect(zodShim.z.core.$ZodType).toBe(zod.z.core.$ZodType);
    expect(Object.keys(zodShim.z.locales)).toEqual(['en']);
    expect(Object.keys(zodShim.z.core.locales)).toEqual(['en']);
    expect(zodShim.z.locales.en).toBe(zod.z.locales.en);
    const issue = zodShim.z.string().min(3).safeParse('ab').error?.issues[0];
    expect(issue?.message).toBe(zod.z.string().min(3).safeParse('ab').error?.issues[0]?.message);
    expect(issue?.message).toMatch(/^Too small/);
  });
});

describe("the Lambda bundles' default credential chain (infra/lambda-shims/credential-provider-node.ts)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("returns the execution role's credentials Lambda puts in the environment", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLAMBDA');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(credentialShim.defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'AKIDLAMBDA',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('fails as the default chain does when there are no credentials to find', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '');
    await expect(credentialShim.defaultProvider()()).rejects.toThrow(/credentials/i);
  });

  it('treats credentials as the real chain does: refresh five minutes before they expire', () => {
    const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    expect(credentialShim.credentialsWillNeedRefresh({ accessKeyId: 'a', secretAccessKey: 'b' })).toBe(false);
    expect(
      credentialShim.credentialsTreatedAsExpired({
        accessKeyId: 'a',
        secretAccessKey: 'b',
        expiration: inMinutes(4),
      }),
    ).toBe(true);
    expect(
      credentialShim.credentialsTreatedAsExpired({
        accessKeyId: 'a',
        secretAccessKey: 'b',
        expiration: inMinutes(6),
      }),
    ).toBe(false);
  });
});
