import { type ApiModule, errorResponses, jsonBody } from '@civicgrid/api';
import { createRoute, z } from '@hono/zod-openapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/**
 * The contract every route inherits from createApp: validation, error bodies, limits.
 * It is exercised through a probe route declared the way capability modules declare theirs.
 */
const ProbeSchema = z.strictObject({ name: z.string().min(1), count: z.number().int().nonnegative() });

const probeModule: ApiModule = (app) => {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/probe',
      request: { body: jsonBody(ProbeSchema) },
      responses: {
        201: { description: 'ok', content: { 'application/json': { schema: ProbeSchema } } },
        ...errorResponses(400, 413, 415),
      },
    }),
    (c) => c.json(c.req.valid('json'), 201),
  );
  app.get('/v1/boom', () => {
    throw new Error('unexpected');
  });
};

let app: TestApi['app'];

beforeAll(async () => {
  ({ app } = await createTestApi({ app: { modules: [probeModule], maxBodyBytes: 1024 }, seed: false }));
});

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request('/v1/probe', { method: 'POST', body, headers });

const expectError = async (response: Response, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
};

describe('HTTP contract', () => {
  it('accepts a valid body', async () => {
    const response = await post(JSON.stringify({ name: 'a', count: 1 }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: 'a', count: 1 });
  });

  it('answers invalid JSON with 400 invalid_json', async () => {
    await expectError(await post('{"name": "a",'), 400, 'invalid_json');
  });

  it('answers wrong types with 400 validation_failed naming the field', async () => {
    const body = await expectError(
      await post(JSON.stringify({ name: 'a', count: 'many' })),
      400,
      'validation_failed',
    );
    expect(body).toMatchObject({ error: { details: [{ path: 'count' }] } });
  });

  it('refuses unknown fields instead of dropping them', async () => {
    const body = await expectError(
      await post(JSON.stringify({ name: 'a', count: 1, admin: true })),
      400,
      'validation_failed',
    );
    expect(body).toMatchObject({ error: { details: [{ code: 'unrecognized_keys', keys: ['admin'] }] } });
  });

  it('refuses oversized bodies with 413', async () => {
    await expectError(
      await post(JSON.stringify({ name: 'x'.repeat(2000), count: 1 })),
      413,
      'payload_too_large',
    );
  });

  it('refuses a body that is not JSON with 415', async () => {
    await expectError(await post('name=a', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
  });

  it('answers unknown routes with 404 and the same error body', async () => {
    await expectError(await app.request('/v1/nowhere'), 404, 'route_not_found');
  });

  it('hides unexpected failures behind 500 internal_error', async () => {
    const body = await expectError(await app.request('/v1/boom'), 500, 'internal_error');
    expect(JSON.stringify(body)).not.toContain('unexpected');
  });

  it('gives every response a request id, keeping a sane inbound one', async () => {
    const minted = await app.request('/health');
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9A-Z]{26}$/);
    const kept = await app.request('/health', { headers: { 'x-request-id': 'trace-1234567' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-1234567');
    const refused = await app.request('/health', { headers: { 'x-request-id': 'bad id\n' } });
    expect(refused.headers.get('x-request-id')).not.toBe('bad id\n');
  });
});

describe('health and documentation', () => {
  it('reports health', async () => {
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      service: 'civicgrid-api',
      time: '2026-05-01T00:00:00.000Z',
    });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await app.request('/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/v1/probe']));
    expect(doc.paths['/v1/probe']?.post?.requestBody?.content['application/json']?.schema).toMatchObject({
      additionalProperties: false,
      required: ['name', 'count'],
    });
  });

  it('serves the reference UI and its assets from the API itself', async () => {
    const page = await app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/openapi.json');
    expect(html).toContain('/docs/swagger-ui-bundle.js');
    const script = await app.request('/docs/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    expect((await app.request('/docs/../../etc/passwd')).status).toBe(404);
  });
});
