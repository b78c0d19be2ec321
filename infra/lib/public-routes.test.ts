import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../../test/support/api';
import { localOnlyPublicPaths, publicRoutes } from './civicgrid-stack';

/** API Gateway's route matching: `{name}` one segment, `{name+}` the rest of the path. */
const gatewayPattern = (path: string) =>
  new RegExp(
    `^${path
      .replace(/[.]/g, '\\.')
      .replace(/\{[^}]+\+\}/g, '.+')
      .replace(/\{[^}]+\}/g, '[^/]+')}$`,
  );

/** An OpenAPI path with its parameters filled in, as a request would name it. */
const samplePath = (path: string) => path.replace(/\{[^}]+\}/g, 'x1');

interface Operation {
  method: string;
  path: string;
  access: string;
}

describe('the HTTP API’s public routes and the API’s own', () => {
  let operations: Operation[];
  beforeAll(async () => {
    const api = await createTestApi({ seed: false });
    const doc = (await api.call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-civicgrid-access'?: string }>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        access: op['x-civicgrid-access'] ?? 'undeclared',
      })),
    );
  });

  const gatewayRoutesFor = (operation: Operation) =>
    publicRoutes.filter(
      (route) =>
        route.methods.some((m) => m === 'ANY' || m === operation.method) &&
        gatewayPattern(route.path).test(samplePath(operation.path)),
    );

  it('lets through without a token every operation the API serves publicly on AWS', () => {
    const publicOps = operations.filter((op) => op.access === 'public');
    expect(publicOps.length).toBeGreaterThan(3);
    for (const op of publicOps) {
      const localOnly = localOnlyPublicPaths.some((path) => gatewayPattern(path).test(samplePath(op.path)));
      expect(localOnly || gatewayRoutesFor(op).length > 0, `${op.method} ${op.path}`).toBe(true);
    }
  });

  it('never lets an operation that needs a token past the authorizer', () => {
    const guarded = operations.filter((op) => op.access !== 'public');
    expect(guarded.length).toBeGreaterThan(20);
    for (const op of guarded) expect(gatewayRoutesFor(op), `${op.method} ${op.path}`).toEqual([]);
  });

  it('keeps the local-only public routes behind the authorizer on AWS', () => {
    for (const path of localOnlyPublicPaths) {
      const request = samplePath(path.replace('{proxy+}', 'a/b'));
      expect(
        publicRoutes.filter((route) => gatewayPattern(route.path).test(request)),
        path,
      ).toEqual([]);
    }
  });
});
