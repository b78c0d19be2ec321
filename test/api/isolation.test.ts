import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/**
 * Tenant B's most powerful user aims every route at tenant A's ids. Each route of the
 * OpenAPI document must be listed here: a new route fails this test until it says how it
 * is probed and what tenant B must get.
 */
type Probe = (ctx: { a: Fixture; bToken: string; api: TestApi }) => Promise<void>;

interface Fixture {
  userId: string;
  username: string;
}

const OTHER = 'other-city';

const expectNotFound = async (response: Promise<{ status: number; body: { error?: { code: string } } }>) => {
  const { status, body } = await response;
  expect(status).toBe(404);
  expect(body.error?.code).toBe('not_found');
};

/** Platform routes: a city's users are refused by role, the same answer for any tenant id. */
const expectForbidden = async (response: Promise<{ status: number; body: { error?: { code: string } } }>) => {
  const { status, body } = await response;
  expect(status).toBe(403);
  expect(body.error?.code).toBe('forbidden');
};

const routes: Record<string, Probe | 'public'> = {
  'POST /v1/tenants': ({ bToken, api }) =>
    expectForbidden(
      api.call('POST', '/v1/tenants', {
        token: bToken,
        body: {
          id: DEMO_TENANT,
          name: 'x',
          divisionCode: '110101',
          admin: { username: 'x-admin', displayName: 'x' },
        },
      }),
    ),
  'GET /v1/tenants': ({ bToken, api }) => expectForbidden(api.call('GET', '/v1/tenants', { token: bToken })),
  'POST /v1/tenants/{tenantId}/suspend': ({ bToken, api }) =>
    expectForbidden(api.call('POST', `/v1/tenants/${DEMO_TENANT}/suspend`, { token: bToken })),
  'POST /v1/tenants/{tenantId}/resume': ({ bToken, api }) =>
    expectForbidden(api.call('POST', `/v1/tenants/${DEMO_TENANT}/resume`, { token: bToken })),
  'GET /health': 'public',
  'POST /v1/auth/login': 'public',
  'GET /.well-known/jwks.json': 'public',
  'GET /v1/me': async ({ a, bToken, api }) => {
    const me = await api.call('GET', '/v1/me', { token: bToken });
    expect(me.status).toBe(200);
    expect(me.body.id).not.toBe(a.userId);
  },
  'GET /v1/users': async ({ a, bToken, api }) => {
    const list = await api.call('GET', '/v1/users?limit=100', { token: bToken });
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).not.toContain(a.userId);
  },
  'POST /v1/users': async ({ a, bToken, api }) => {
    // The same username in B is a different user: the body cannot point at tenant A.
    const created = await api.call('POST', '/v1/users', {
      token: bToken,
      body: {
        username: a.username,
        displayName: 'B',
        role: 'citizen',
        scope: { kind: 'self' },
        password: 'b-password-123',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(a.userId);
  },
  'GET /v1/users/{userId}': ({ a, bToken, api }) =>
    expectNotFound(api.call('GET', `/v1/users/${a.userId}`, { token: bToken })),
  'PATCH /v1/users/{userId}': ({ a, bToken, api }) =>
    expectNotFound(
      api.call('PATCH', `/v1/users/${a.userId}`, {
        token: bToken,
        body: { version: 1, displayName: 'hijacked' },
      }),
    ),
  'POST /v1/users/{userId}/disable': ({ a, bToken, api }) =>
    expectNotFound(api.call('POST', `/v1/users/${a.userId}/disable`, { token: bToken })),
  'POST /v1/users/{userId}/enable': ({ a, bToken, api }) =>
    expectNotFound(api.call('POST', `/v1/users/${a.userId}/enable`, { token: bToken })),
  'GET /v1/audit': async ({ a, bToken, api }) => {
    const audit = await api.call('GET', '/v1/audit?limit=100', { token: bToken });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).not.toContain(a.userId);
  },
};

let api: TestApi;
let documented: { key: string; access: string }[];
let a: Fixture;
let aAdmin: string;
let bToken: string;

const snapshotOfA = async () => ({
  users: (await api.call('GET', '/v1/users?limit=100', { token: aAdmin })).body,
  audit: (await api.call('GET', '/v1/audit?limit=100', { token: aAdmin })).body,
});

beforeAll(async () => {
  api = await createTestApi();
  aAdmin = await api.login(DEMO_TENANT, 'admin');
  const target = await api.call('POST', '/v1/users', {
    token: aAdmin,
    body: {
      username: 'a-worker',
      displayName: 'A',
      role: 'grid_worker',
      scope: { kind: 'org', code: '110101001001001' },
    },
  });
  a = { userId: target.body.id, username: target.body.username };
  // Tenant B is onboarded as any city is.
  const operator = await api.login('platform', 'operator');
  const onboarded = await api.call('POST', '/v1/tenants', {
    token: operator,
    body: {
      id: OTHER,
      name: '另一城市 Other city',
      divisionCode: '310000',
      admin: { username: 'admin', displayName: 'B admin', password: 'b-admin-password' },
    },
  });
  expect(onboarded.status).toBe(201);
  bToken = await api.login(OTHER, 'admin', 'b-admin-password');
  const doc = (await api.call('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, { 'x-civicgrid-access'?: string }>>;
  };
  documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      access: op['x-civicgrid-access'] ?? 'undeclared',
    })),
  );
});

describe('tenant isolation', () => {
  it('lists every documented route, and only those', () => {
    expect(Object.keys(routes).sort()).toEqual(documented.map((r) => r.key).sort());
  });

  it('puts every route but the public ones behind a token', async () => {
    for (const { key, access } of documented) {
      expect(access, key).not.toBe('undeclared');
      expect(access === 'public', key).toBe(routes[key] === 'public');
      if (access === 'public') continue;
      const [method, path] = key.split(' ') as [string, string];
      const response = await api.call(
        method,
        path.replace('{userId}', a.userId).replace('{tenantId}', DEMO_TENANT),
      );
      expect(response.status, key).toBe(401);
    }
  });

  for (const [key, probe] of Object.entries(routes)) {
    if (probe === 'public') continue;
    it(`${key}: tenant B cannot see or change tenant A`, async () => {
      const before = await snapshotOfA();
      await probe({ a, bToken, api });
      expect(await snapshotOfA()).toEqual(before);
    });
  }
});
