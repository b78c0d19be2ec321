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
const A_GRID = '110101001001001';
/** A department only tenant A has: B installing the defaults must not make it visible. */
const A_DEPARTMENT = 'a-river-office';
const A_COMPONENT = 'MH-A-1';
/** A whistle of A's, drafted in beforeAll. */
const A_WHISTLE = { id: '' };
/** An attachment of A's, uploaded in beforeAll. */
const A_ATTACHMENT = { id: '' };
/** A case of A's, reported in beforeAll. */
const A_CASE = { id: '', trackingCode: '' };
let A_POINT: [number, number];
/** An Open311 key of A's, issued in beforeAll. */
const A_OPEN311_KEY = { id: '' };

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
  'POST /v1/org/units': async ({ bToken, api }) => {
    // B's own code space: A's district code is refused as not part of B's city.
    const created = await api.call('POST', '/v1/org/units', {
      token: bToken,
      body: { code: '110101', name: 'x' },
    });
    expect(created.status).toBe(400);
  },
  'GET /v1/org/units': async ({ bToken, api }) => {
    const list = await api.call('GET', '/v1/org/units', { token: bToken });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  },
  'GET /v1/org/units/{code}': ({ bToken, api }) =>
    expectNotFound(api.call('GET', `/v1/org/units/${A_GRID}`, { token: bToken })),
  'PATCH /v1/org/units/{code}': ({ bToken, api }) =>
    expectNotFound(
      api.call('PATCH', `/v1/org/units/${A_GRID}`, { token: bToken, body: { version: 1, name: 'x' } }),
    ),
  'POST /v1/org/units/{code}/move': ({ bToken, api }) =>
    expectNotFound(
      api.call('POST', `/v1/org/units/${A_GRID}/move`, {
        token: bToken,
        body: { version: 1, newCode: '110101001001602' },
      }),
    ),
  'DELETE /v1/org/units/{code}': ({ bToken, api }) =>
    expectNotFound(api.call('DELETE', `/v1/org/units/${A_GRID}?version=1`, { token: bToken })),
  'GET /v1/org/coverage': ({ bToken, api }) =>
    expectNotFound(api.call('GET', '/v1/org/coverage?parentCode=110101001001', { token: bToken })),
  'POST /v1/org/import': async ({ bToken, api }) => {
    const response = await api.call('POST', '/v1/org/import', {
      token: bToken,
      body: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: null, properties: { code: A_GRID, name: 'x' } }],
      },
    });
    expect(response.status).toBe(400);
  },
  'POST /v1/org/imports': async ({ bToken, api }) => {
    expect((await api.call('POST', '/v1/org/imports', { token: bToken })).status).toBe(201);
  },
  'POST /v1/org/imports/{importId}/pages': async ({ api, bToken }) => {
    const aImport = (await api.call('POST', '/v1/org/imports', { token: aAdmin })).body.id;
    await expectNotFound(
      api.call('POST', `/v1/org/imports/${aImport}/pages`, {
        token: bToken,
        body: { type: 'FeatureCollection', features: [] },
      }),
    );
  },
  'POST /v1/org/imports/{importId}/commit': async ({ api, bToken }) => {
    const aImport = (await api.call('POST', '/v1/org/imports', { token: aAdmin })).body.id;
    await expectNotFound(api.call('POST', `/v1/org/imports/${aImport}/commit`, { token: bToken }));
  },
  'POST /v1/org/imports/{importId}/check': async ({ api, bToken }) => {
    const aImport = (await api.call('POST', '/v1/org/imports', { token: aAdmin })).body.id;
    await expectNotFound(api.call('POST', `/v1/org/imports/${aImport}/check`, { token: bToken }));
  },
  'DELETE /v1/org/imports/{importId}': async ({ api, bToken }) => {
    const aImport = (await api.call('POST', '/v1/org/imports', { token: aAdmin })).body.id;
    await expectNotFound(api.call('DELETE', `/v1/org/imports/${aImport}`, { token: bToken }));
    // Still open for its own city.
    expect((await api.call('POST', `/v1/org/imports/${aImport}/check`, { token: aAdmin })).status).toBe(200);
  },
  'GET /v1/org/export': async ({ bToken, api }) => {
    const exported = await api.call('GET', '/v1/org/export', { token: bToken });
    expect(exported.status).toBe(200);
    expect(exported.body.features).toEqual([]);
  },
  'GET /v1/org/locate': async ({ bToken, api }) => {
    const located = await api.call('GET', '/v1/org/locate?lon=116.405&lat=39.915', { token: bToken });
    expect(located.status).toBe(404);
  },
  'GET /v1/departments': async ({ bToken, api }) => {
    const list = await api.call('GET', '/v1/departments?limit=100', { token: bToken });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  },
  'POST /v1/departments': async ({ bToken, api }) => {
    const created = await api.call('POST', '/v1/departments', {
      token: bToken,
      body: { id: 'water-affairs', code: 'SW', name: '水务局', kind: 'on_call' },
    });
    expect(created.status).toBe(201);
  },
  'POST /v1/departments/defaults': async ({ bToken, api }) => {
    expect((await api.call('POST', '/v1/departments/defaults', { token: bToken })).status).toBe(200);
  },
  'GET /v1/departments/{departmentId}': ({ bToken, api }) =>
    expectNotFound(api.call('GET', `/v1/departments/${A_DEPARTMENT}`, { token: bToken })),
  'PATCH /v1/departments/{departmentId}': ({ bToken, api }) =>
    expectNotFound(
      api.call('PATCH', `/v1/departments/${A_DEPARTMENT}`, {
        token: bToken,
        body: { version: 1, name: '改名部门' },
      }),
    ),
  'GET /v1/catalog': async ({ bToken, api }) => {
    const catalog = await api.call('GET', '/v1/catalog', { token: bToken });
    expect(catalog.status).toBe(200);
    expect(catalog.body.version).toBe(0);
  },
  'PUT /v1/catalog/overrides': async ({ bToken, api }) => {
    const put = await api.call('PUT', '/v1/catalog/overrides', {
      token: bToken,
      body: { version: 0, overrides: { version: 'b.1', categories: [], entries: [] } },
    });
    expect(put.status).toBeLessThan(500);
  },
  'GET /v1/catalog/route': async ({ bToken, api }) => {
    const route = await api.call('GET', `/v1/catalog/route?categoryCode=C01-01&orgCode=${A_GRID}`, {
      token: bToken,
    });
    expect(route.status).toBe(200);
  },
  'POST /v1/components': async ({ bToken, api }) => {
    const created = await api.call('POST', '/v1/components', {
      token: bToken,
      body: { code: 'MH-B-1', categoryCode: 'C01-01', location: [116.405, 39.915], status: 'in_service' },
    });
    expect(created.status).toBe(400);
  },
  'GET /v1/components': async ({ bToken, api }) => {
    const list = await api.call('GET', `/v1/components?gridCode=${A_GRID}`, { token: bToken });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  },
  'GET /v1/components/resolve': ({ bToken, api }) =>
    expectNotFound(
      api.call('GET', `/v1/components/resolve?qr=CG1:${DEMO_TENANT}:${A_COMPONENT}`, { token: bToken }),
    ),
  'GET /v1/components/{code}': ({ bToken, api }) =>
    expectNotFound(api.call('GET', `/v1/components/${A_COMPONENT}`, { token: bToken })),
  'PATCH /v1/components/{code}': ({ bToken, api }) =>
    expectNotFound(
      api.call('PATCH', `/v1/components/${A_COMPONENT}`, {
        token: bToken,
        body: { version: 1, status: 'damaged' },
      }),
    ),
  'PUT /v1/gazetteer': async ({ bToken, api }) => {
    const put = await api.call('PUT', '/v1/gazetteer', {
      token: bToken,
      body: { type: 'FeatureCollection', features: [] },
    });
    expect(put.status).toBe(200);
  },
  'GET /v1/geocode': async ({ bToken, api }) => {
    const found = await api.call('GET', `/v1/geocode?q=${encodeURIComponent('故宫博物院')}`, {
      token: bToken,
    });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([]);
  },
  'POST /v1/cases': async ({ bToken, api }) => {
    // B's city has no grid at A's points, so B cannot place a case on A's territory.
    const response = await api.call('POST', '/v1/cases', {
      token: bToken,
      body: { channel: 'api', description: 'x', location: { point: A_POINT } },
    });
    expect(response.status).toBe(400);
  },
  'GET /v1/cases/search': async ({ bToken, api }) => {
    const day = api.clock.now().toISOString().slice(0, 10);
    const found = await api.call('GET', `/v1/cases/search?from=${day}&to=${day}`, { token: bToken });
    expect(found.status).toBe(200);
    expect(JSON.stringify(found.body)).not.toContain(A_CASE.id);
  },
  'GET /v1/cases/inbox': async ({ bToken, api }) => {
    const inbox = await api.call('GET', '/v1/cases/inbox', { token: bToken });
    expect(inbox.status).toBe(200);
    expect(JSON.stringify(inbox.body)).not.toContain(A_CASE.id);
  },
  'GET /v1/cases/{caseId}': ({ bToken, api }) =>
    expectNotFound(api.call('GET', `/v1/cases/${A_CASE.id}`, { token: bToken })),
  'POST /v1/cases/{caseId}/commands': ({ bToken, api }) =>
    expectNotFound(
      api.call('POST', `/v1/cases/${A_CASE.id}/commands`, {
        token: bToken,
        body: { type: 'void', reason: 'x' },
      }),
    ),
  'GET /v1/cases/{caseId}/merge-candidates': ({ bToken, api }) =>
    expectNotFound(api.call('GET', `/v1/cases/${A_CASE.id}/merge-candidates`, { token: bToken })),
  'GET /v1/track/{tenantId}/{trackingCode}': 'public',
  'PUT /v1/attachments/upload/{token}': 'public',
  'GET /v1/attachments/download/{token}': 'public',
  'POST /v1/attachments': async ({ bToken, api }) => {
    const ticket = await api.call('POST', '/v1/attachments', {
      token: bToken,
      body: { contentType: 'image/png', sizeBytes: 10 },
    });
    expect(ticket.status).toBe(201);
  },
  'GET /v1/attachments/{attachmentId}': ({ bToken, api }) =>
    expectNotFound(api.call('GET', `/v1/attachments/${A_ATTACHMENT.id}`, { token: bToken })),
  'GET /v1/notifications': async ({ bToken, api }) => {
    const notices = await api.call('GET', '/v1/notifications', { token: bToken });
    expect(notices.status).toBe(200);
    expect(JSON.stringify(notices.body)).not.toContain(A_CASE.id);
  },
  'GET /v1/settings/calendar': async ({ bToken, api }) => {
    const calendar = await api.call('GET', '/v1/settings/calendar', { token: bToken });
    expect(calendar.status).toBe(200);
  },
  'PUT /v1/settings/calendar': async ({ bToken, api }) => {
    const current = (await api.call('GET', '/v1/settings/calendar', { token: bToken })).body;
    const put = await api.call('PUT', '/v1/settings/calendar', {
      token: bToken,
      body: { version: current.version, calendar: { ...current.calendar, weekendDays: [0] } },
    });
    expect(put.status).toBe(200);
  },
  'POST /v1/whistles': async ({ bToken, api }) => {
    // B's admin holds no whistle permission; a street of B could not name A's grid either.
    const response = await api.call('POST', '/v1/whistles', {
      token: bToken,
      body: {
        kind: 'routine',
        source: { kind: 'patrol' },
        description: 'x',
        categories: ['E01-01'],
        commonality: 'individual',
        location: { point: A_POINT, gridCode: A_GRID },
        departments: [{ departmentId: 'urban-enforcement', kind: 'resident' }],
      },
    });
    expect(response.status).toBe(403);
  },
  'GET /v1/whistles': async ({ bToken, api }) => {
    for (const view of ['board', 'review', 'archive']) {
      const board = await api.call('GET', `/v1/whistles?view=${view}`, { token: bToken });
      expect(board.status).toBe(200);
      expect(JSON.stringify(board.body)).not.toContain(A_WHISTLE.id);
    }
  },
  'GET /v1/whistles/proposal': async ({ bToken, api }) => {
    // B's admin holds no whistle permission; the proposal reads only B's own catalog and departments.
    const response = await api.call('GET', `/v1/whistles/proposal?gridCode=${A_GRID}&categories=E01-01`, {
      token: bToken,
    });
    expect(response.status).toBe(403);
  },
  'GET /v1/whistles/{whistleId}': async ({ bToken, api }) => {
    const response = await api.call('GET', `/v1/whistles/${A_WHISTLE.id}`, { token: bToken });
    expect([403, 404]).toContain(response.status);
    expect(JSON.stringify(response.body)).not.toContain('A whistle');
  },
  'POST /v1/whistles/{whistleId}/commands': async ({ bToken, api }) => {
    const response = await api.call('POST', `/v1/whistles/${A_WHISTLE.id}/commands`, {
      token: bToken,
      body: { type: 'file' },
    });
    expect([403, 404]).toContain(response.status);
  },
  'GET /v1/settings/whistles': async ({ bToken, api }) => {
    expect((await api.call('GET', '/v1/settings/whistles', { token: bToken })).status).toBe(200);
  },
  'PUT /v1/settings/whistles': async ({ bToken, api }) => {
    const current = (await api.call('GET', '/v1/settings/whistles', { token: bToken })).body;
    const put = await api.call('PUT', '/v1/settings/whistles', {
      token: bToken,
      body: { version: current.version, settings: { ...current.settings, offSiteRadiusM: 100 } },
    });
    expect(put.status).toBe(200);
  },
  'GET /v1/audit': async ({ a, bToken, api }) => {
    const audit = await api.call('GET', '/v1/audit?limit=100', { token: bToken });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).not.toContain(a.userId);
  },
  'GET /v1/public/{tenantId}': 'public',
  'GET /v1/public/{tenantId}/locate': 'public',
  'GET /v1/public/{tenantId}/geocode': 'public',
  'GET /v1/public/{tenantId}/categories': 'public',
  'POST /v1/public/{tenantId}/attachments': 'public',
  'POST /v1/public/{tenantId}/reports': 'public',
  'GET /v1/public/{tenantId}/reports/{trackingCode}': 'public',
  'POST /v1/public/{tenantId}/reports/{trackingCode}/rating': 'public',
  'GET /v1/settings/open311-keys': async ({ bToken, api }) => {
    const keys = await api.call('GET', '/v1/settings/open311-keys', { token: bToken });
    expect(keys.status).toBe(200);
    expect(JSON.stringify(keys.body)).not.toContain(A_OPEN311_KEY.id);
  },
  'POST /v1/settings/open311-keys': async ({ bToken, api }) => {
    // B's key is B's: it posts nothing in A.
    const issued = await api.call('POST', '/v1/settings/open311-keys', {
      token: bToken,
      body: { name: 'B app' },
    });
    expect(issued.status).toBe(201);
    const posted = await api.app.request(`/open311/v2/${DEMO_TENANT}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: issued.body.apiKey,
        service_code: 'E01-01',
        lat: String(A_POINT[1]),
        long: String(A_POINT[0]),
      }).toString(),
    });
    expect(posted.status).toBe(403);
  },
  'POST /v1/settings/open311-keys/{keyId}/revoke': ({ bToken, api }) =>
    expectNotFound(
      api.call('POST', `/v1/settings/open311-keys/${A_OPEN311_KEY.id}/revoke`, { token: bToken }),
    ),
  'GET /open311/v2/{tenantSlug}/discovery.json': 'public',
  'GET /open311/v2/{tenantSlug}/discovery.xml': 'public',
  'GET /open311/v2/{tenantSlug}/services.json': 'public',
  'GET /open311/v2/{tenantSlug}/services.xml': 'public',
  'GET /open311/v2/{tenantSlug}/services/{serviceFile}': 'public',
  'POST /open311/v2/{tenantSlug}/requests.json': 'public',
  'POST /open311/v2/{tenantSlug}/requests.xml': 'public',
  'GET /open311/v2/{tenantSlug}/requests.json': 'public',
  'GET /open311/v2/{tenantSlug}/requests.xml': 'public',
  'GET /open311/v2/{tenantSlug}/requests/{requestFile}': 'public',
  'GET /open311/v2/{tenantSlug}/tokens/{tokenFile}': 'public',
  // Analytics: B's counters are its own; A's case (in A's grid, by A's department) never shows.
  'GET /v1/analytics/scorecards': async ({ bToken, api }) => {
    const cards = await api.call('GET', '/v1/analytics/scorecards?period=2026-05', { token: bToken });
    expect(cards.status).toBe(200);
    // Every department of B is listed, each with nothing counted: A's case never shows.
    for (const card of cards.body.items) expect(card).toMatchObject({ score: null, cases: { received: 0 } });
  },
  'GET /v1/analytics/scorecards/{departmentId}': async ({ bToken, api }) => {
    const card = await api.call('GET', '/v1/analytics/scorecards/urban-enforcement?period=2026-05', {
      token: bToken,
    });
    expect(card.status).toBe(200);
    expect(card.body.cases.received).toBe(0);
  },
  'GET /v1/analytics/hotline': async ({ bToken, api }) => {
    const rates = await api.call('GET', '/v1/analytics/hotline?period=2026-05', { token: bToken });
    expect(rates.status).toBe(200);
    expect(rates.body.rows).toEqual([]);
  },
  'GET /v1/analytics/places': async ({ bToken, api }) => {
    const places = await api.call('GET', '/v1/analytics/places?period=2026-05', { token: bToken });
    expect(places.status).toBe(200);
    expect(places.body.place.reported).toBe(0);
    expect(JSON.stringify(places.body)).not.toContain(A_GRID);
  },
  'GET /v1/analytics/hotspots': async ({ bToken, api }) => {
    const spots = await api.call('GET', '/v1/analytics/hotspots?month=2026-05', { token: bToken });
    expect(spots.status).toBe(200);
    expect(spots.body.topGrids).toEqual([]);
  },
  'GET /v1/analytics/hotspots/grids': async ({ bToken, api }) => {
    const map = await api.call('GET', '/v1/analytics/hotspots/grids?month=2026-05', { token: bToken });
    expect(map.status).toBe(200);
    expect(JSON.stringify(map.body)).not.toContain(A_GRID);
  },
  'GET /v1/analytics/monthly-problem': async ({ bToken, api }) => {
    const problem = await api.call('GET', '/v1/analytics/monthly-problem?month=2026-05', { token: bToken });
    expect(problem.status).toBe(200);
    expect(problem.body.proposal).toBeNull();
  },
  'GET /v1/analytics/cases/export': async ({ bToken, api }) => {
    const day = api.clock.now().toISOString().slice(0, 10);
    const cases = await api.call('GET', `/v1/analytics/cases/export?from=${day}&to=${day}&format=geojson`, {
      token: bToken,
    });
    expect(cases.status).toBe(200);
    expect(JSON.stringify(cases.body)).not.toContain(A_CASE.id);
  },
  'GET /v1/analytics/weights': async ({ bToken, api }) => {
    expect((await api.call('GET', '/v1/analytics/weights', { token: bToken })).status).toBe(200);
  },
  'PUT /v1/analytics/weights': async ({ bToken, api }) => {
    const current = (await api.call('GET', '/v1/analytics/weights', { token: bToken })).body;
    const put = await api.call('PUT', '/v1/analytics/weights', {
      token: bToken,
      body: { version: current.version, weights: { ...current.weights, onTime: 20, closure: 20 } },
    });
    expect(put.status).toBe(200);
  },
};

let api: TestApi;
let documented: { key: string; access: string }[];
let a: Fixture;
let aAdmin: string;
let bToken: string;

const snapshotOfA = async () => ({
  org: (await api.call('GET', '/v1/org/export', { token: aAdmin })).body,
  departments: (await api.call('GET', '/v1/departments?limit=100', { token: aAdmin })).body,
  catalog: (await api.call('GET', '/v1/catalog', { token: aAdmin })).body,
  component: (await api.call('GET', `/v1/components/${A_COMPONENT}`, { token: aAdmin })).body,
  case: (await api.call('GET', `/v1/cases/${A_CASE.id}`, { token: aAdmin })).body,
  calendar: (await api.call('GET', '/v1/settings/calendar', { token: aAdmin })).body,
  whistleSettings: (await api.call('GET', '/v1/settings/whistles', { token: aAdmin })).body,
  whistle: (await api.call('GET', `/v1/whistles/${A_WHISTLE.id}`, { token: aAdmin })).body,
  attachment: (await api.call('GET', `/v1/attachments/${A_ATTACHMENT.id}`, { token: aAdmin })).body
    .attachmentId,
  users: (await api.call('GET', '/v1/users?limit=100', { token: aAdmin })).body,
  audit: (await api.call('GET', '/v1/audit?limit=100', { token: aAdmin })).body,
  analyticsWeights: (await api.call('GET', '/v1/analytics/weights', { token: aAdmin })).body,
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
  const department = await api.call('POST', '/v1/departments', {
    token: aAdmin,
    body: { id: A_DEPARTMENT, code: 'HZB', name: '河长办', kind: 'on_call' },
  });
  expect(department.status).toBe(201);
  // A manhole cover of A's, at a point that locates into A_GRID.
  const grid = (await api.call('GET', `/v1/org/units/${A_GRID}`, { token: aAdmin })).body;
  const ring = grid.geometry.coordinates[0] as [number, number][];
  const [x0, x1] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
  let point: [number, number] | undefined;
  for (let i = 1; i < 10 && !point; i += 1) {
    const candidate: [number, number] = [x0 + ((x1 - x0) * i) / 10, y0 + ((y1 - y0) * i) / 10];
    const located = await api.call('GET', `/v1/org/locate?lon=${candidate[0]}&lat=${candidate[1]}`, {
      token: aAdmin,
    });
    if (located.body?.grid?.code === A_GRID) point = candidate;
  }
  const component = await api.call('POST', '/v1/components', {
    token: aAdmin,
    body: { code: A_COMPONENT, categoryCode: 'C01-01', location: point, status: 'in_service' },
  });
  expect(component.status).toBe(201);
  A_POINT = point as [number, number];
  const reported = await api.call('POST', '/v1/cases', {
    token: await api.login(DEMO_TENANT, 'gridworker'),
    body: { channel: 'patrol', description: '井盖缺失', location: { point } },
  });
  expect(reported.status).toBe(201);
  A_CASE.id = reported.body.caseId;
  A_CASE.trackingCode = reported.body.trackingCode;
  const ticket = await api.call('POST', '/v1/attachments', {
    token: aAdmin,
    body: { contentType: 'image/png', sizeBytes: 4 },
  });
  await api.app.request(ticket.body.uploadUrl, {
    method: 'PUT',
    headers: ticket.body.headers,
    body: new Uint8Array(4),
  });
  A_ATTACHMENT.id = ticket.body.attachmentId;
  A_OPEN311_KEY.id = (
    await api.call('POST', '/v1/settings/open311-keys', { token: aAdmin, body: { name: 'A app' } })
  ).body.id;
  const whistle = await api.call('POST', '/v1/whistles', {
    token: await api.login(DEMO_TENANT, 'street'),
    body: {
      kind: 'routine',
      source: { kind: 'patrol' },
      description: 'A whistle',
      categories: ['E01-01'],
      commonality: 'individual',
      location: { point, gridCode: A_GRID },
      departments: [{ departmentId: 'urban-enforcement', kind: 'resident' }],
    },
  });
  expect(whistle.status).toBe(201);
  A_WHISTLE.id = whistle.body.id;
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
