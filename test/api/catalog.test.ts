import { defaultDepartments } from '@civicgrid/domain';
import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;
let admin: string;
let street: string;

const OTHER = 'catalog-city';
const GRID = '110101001001001';

interface Problem {
  code: string;
  severity: string;
  categoryCode?: string;
  departmentId?: string;
}

const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

const auditEntry = async (requestId: string) => {
  const audit = await api.call('GET', '/v1/audit?limit=100', { token: admin });
  return audit.body.items.find((e: { requestId: string }) => e.requestId === requestId);
};

const newDepartment = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  code: id.toUpperCase().slice(0, 20),
  name: '东华门街道城管执法队',
  kind: 'resident',
  ...extra,
});

beforeAll(async () => {
  api = await createTestApi();
  admin = await api.login(DEMO_TENANT, 'admin');
  street = await api.login(DEMO_TENANT, 'street');
});

describe('the OpenAPI document', () => {
  it('declares the permission of every catalog and component route', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-civicgrid-access'?: string }>>;
    };
    const access = Object.fromEntries(
      Object.entries(doc.paths)
        .filter(([path]) => /^\/v1\/(departments|catalog|components)/.test(path))
        .flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => [
            `${method.toUpperCase()} ${path}`,
            op['x-civicgrid-access'],
          ]),
        ),
    );
    expect(access).toEqual({
      'GET /v1/departments': 'org.read',
      'POST /v1/departments': 'org.manage',
      'POST /v1/departments/defaults': 'org.manage',
      'GET /v1/departments/{departmentId}': 'org.read',
      'PATCH /v1/departments/{departmentId}': 'org.manage',
      'GET /v1/catalog': 'org.read',
      'PUT /v1/catalog/overrides': 'org.manage',
      'GET /v1/catalog/route': 'org.read',
      'POST /v1/components': 'org.manage',
      'GET /v1/components': 'org.read',
      'GET /v1/components/resolve': 'org.read',
      'GET /v1/components/{code}': 'org.read',
      'PATCH /v1/components/{code}': 'org.manage',
    });
  });
});

describe('departments', () => {
  it('installs the default departments once; repeating creates nothing', async () => {
    const first = await api.call('POST', '/v1/departments/defaults', { token: admin });
    expect(first.status).toBe(200);
    // The demo seed may already have installed them.
    expect([0, defaultDepartments.length]).toContain(first.body.created);
    const again = await api.call('POST', '/v1/departments/defaults', { token: admin });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: 0, departmentIds: [] });
    const list = await api.call('GET', '/v1/departments?limit=100', { token: street });
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual(
      expect.arrayContaining(defaultDepartments.map((d) => d.id)),
    );
  });

  it('pages through departments by id', async () => {
    const first = await api.call('GET', '/v1/departments?limit=5', { token: admin });
    expect(first.body.items).toHaveLength(5);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.call(
      'GET',
      `/v1/departments?limit=5&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token: admin },
    );
    expect(second.status).toBe(200);
    const ids = [...first.body.items, ...second.body.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(10);
    expect(ids).toEqual([...ids].sort());
  });

  it('creates, reads and updates a department with optimistic locking, audited', async () => {
    const created = await api.call('POST', '/v1/departments', {
      token: admin,
      headers: { 'x-request-id': 'req-dept-create' },
      body: newDepartment('dhm-enforcement', {
        contacts: [{ name: '值班室', phone: '010-65123456' }],
        servesOrgCodes: ['110101001'],
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'dhm-enforcement', version: 1, servesOrgCodes: ['110101001'] });
    expect(await auditEntry('req-dept-create')).toMatchObject({
      action: 'department.create',
      target: { type: 'department', id: 'dhm-enforcement' },
    });

    const duplicate = await api.call('POST', '/v1/departments', {
      token: admin,
      body: newDepartment('dhm-enforcement'),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('already_exists');

    const read = await api.call('GET', '/v1/departments/dhm-enforcement', { token: street });
    expect(read.status).toBe(200);
    expect(read.body.contacts).toEqual([{ name: '值班室', phone: '010-65123456' }]);

    const updated = await api.call('PATCH', '/v1/departments/dhm-enforcement', {
      token: admin,
      headers: { 'x-request-id': 'req-dept-update' },
      body: { version: 1, nameEn: 'Donghuamen enforcement team', kind: 'on_call' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, kind: 'on_call', name: '东华门街道城管执法队' });
    expect(await auditEntry('req-dept-update')).toMatchObject({
      action: 'department.update',
      changes: { nameEn: 'Donghuamen enforcement team', kind: 'on_call' },
    });

    const stale = await api.call('PATCH', '/v1/departments/dhm-enforcement', {
      token: admin,
      body: { version: 1, kind: 'resident' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });

    const missing = await api.call('PATCH', '/v1/departments/no-such-dept', {
      token: admin,
      body: { version: 1, kind: 'resident' },
    });
    expect(missing.status).toBe(404);
    expect((await api.call('GET', '/v1/departments/no-such-dept', { token: admin })).status).toBe(404);
  });

  it('refuses bad departments: unknown served units, a name without Chinese, unknown fields', async () => {
    const unknownUnit = await api.call('POST', '/v1/departments', {
      token: admin,
      body: newDepartment('ghost-team', { servesOrgCodes: ['110101099'] }),
    });
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.body.error.details).toMatchObject({ code: 'unknown_org_unit', codes: ['110101099'] });
    const english = await api.call('POST', '/v1/departments', {
      token: admin,
      body: newDepartment('english-team', { name: 'Enforcement team' }),
    });
    expect(english.status).toBe(400);
    const extra = await api.call('POST', '/v1/departments', {
      token: admin,
      body: newDepartment('extra-team', { budget: 1 }),
    });
    expect(extra.status).toBe(400);
  });

  it('refuses to narrow a department the catalog sends city-wide work to', async () => {
    const water = (await api.call('GET', '/v1/departments/water', { token: admin })).body;
    const narrowed = await api.call('PATCH', '/v1/departments/water', {
      token: admin,
      body: { version: water.version, servesOrgCodes: ['110101001'] },
    });
    expect(narrowed.status).toBe(400);
    expect(narrowed.body.error.details.code).toBe('invalid_catalog');
    expect(narrowed.body.error.details.problems).toContainEqual(
      expect.objectContaining({
        code: 'department_outside_area',
        departmentId: 'water',
        categoryCode: 'C01-01',
      }),
    );
  });

  it('keeps a city’s edits to a default department when the defaults are installed again', async () => {
    const municipal = (await api.call('GET', '/v1/departments/municipal', { token: admin })).body;
    const edited = await api.call('PATCH', '/v1/departments/municipal', {
      token: admin,
      body: { version: municipal.version, name: '东城区城市管理委员会' },
    });
    expect(edited.status).toBe(200);
    expect((await api.call('POST', '/v1/departments/defaults', { token: admin })).body.created).toBe(0);
    const after = await api.call('GET', '/v1/departments/municipal', { token: admin });
    expect(after.body).toMatchObject({ name: '东城区城市管理委员会', version: edited.body.version });
  });

  it('lets only a city admin change departments', async () => {
    const created = await api.call('POST', '/v1/departments', {
      token: street,
      body: newDepartment('street-team'),
    });
    expect(created.status).toBe(403);
    expect(created.body.error.code).toBe('forbidden');
    expect((await api.call('POST', '/v1/departments/defaults', { token: street })).status).toBe(403);
    const patched = await api.call('PATCH', '/v1/departments/water', {
      token: street,
      body: { version: 1, kind: 'resident' },
    });
    expect(patched.status).toBe(403);
  });
});

describe('duty catalog', () => {
  it('routes the default categories to the default departments', async () => {
    const catalog = await api.call('GET', '/v1/catalog', { token: street });
    expect(catalog.status).toBe(200);
    expect(catalog.body.version).toBe(0);
    expect(catalog.body.catalog.version).toBe('gbt30428-demo.1');
    expect(catalog.body).not.toHaveProperty('overrides');
    expect(errorsOf(catalog.body.problems)).toEqual([]);
    expect(catalog.body.catalog.entries).toContainEqual(
      expect.objectContaining({ categoryCode: 'C01-01', departmentId: 'water', level: 'street' }),
    );

    const route = await api.call('GET', `/v1/catalog/route?categoryCode=C01-01&orgCode=${GRID}`, {
      token: street,
    });
    expect(route.status).toBe(200);
    expect(route.body).toEqual({
      kind: 'routed',
      categoryCode: 'C01-01',
      departmentId: 'water',
      level: 'street',
      handlingLimit: { amount: 24, unit: 'hours', basis: 'natural' },
      handlingOrgCode: '110101001',
      catalogVersion: 'gbt30428-demo.1',
    });
    const unknown = await api.call('GET', '/v1/catalog/route?categoryCode=E79-01', { token: street });
    expect(unknown.body).toMatchObject({ kind: 'unrouted', reason: 'unknown_category' });
    const badCode = await api.call('GET', '/v1/catalog/route?categoryCode=garbage', { token: street });
    expect(badCode.status).toBe(400);
  });

  it('refuses overrides that send a category to an unknown department, listing the problems', async () => {
    const refused = await api.call('PUT', '/v1/catalog/overrides', {
      token: admin,
      body: {
        version: 0,
        overrides: {
          version: 'city.1',
          entries: [
            {
              categoryCode: 'E01-02',
              departmentId: 'street-cleaning-co',
              level: 'community',
              handlingLimit: { amount: 12, unit: 'hours', basis: 'natural' },
            },
          ],
        },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.details.code).toBe('invalid_catalog');
    expect(refused.body.error.details.problems).toEqual([
      expect.objectContaining({
        code: 'unknown_department',
        severity: 'error',
        categoryCode: 'E01-02',
        departmentId: 'street-cleaning-co',
      }),
    ]);
    expect((await api.call('GET', '/v1/catalog', { token: admin })).body.version).toBe(0);
  });

  it('refuses overrides that contradict themselves before looking at departments', async () => {
    const category = {
      code: 'E80-59',
      type: 'event',
      major: { code: '80', name: { zh: '社区事务', en: 'Community affairs' } },
      minor: { code: '59', name: { zh: '高空抛物', en: 'Objects thrown from height' } },
      source: 'local',
    };
    const response = await api.call('PUT', '/v1/catalog/overrides', {
      token: admin,
      body: { version: 0, overrides: { version: 'city.1', categories: [category, category] } },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error.details)).toContain('overridden more than once');
  });

  it('applies valid overrides: routing changes, per area, with optimistic locking and audit', async () => {
    const limit = { amount: 12, unit: 'hours', basis: 'natural' };
    const stored = await api.call('PUT', '/v1/catalog/overrides', {
      token: admin,
      headers: { 'x-request-id': 'req-catalog-put' },
      body: {
        version: 0,
        overrides: {
          version: 'city.1',
          entries: [
            // Exposed garbage: the street's own team in Donghuamen, sanitation elsewhere.
            {
              categoryCode: 'E01-02',
              departmentId: 'dhm-enforcement',
              level: 'community',
              handlingLimit: limit,
              areas: ['110101001'],
            },
            {
              categoryCode: 'E01-02',
              departmentId: 'sanitation',
              level: 'community',
              handlingLimit: limit,
              areas: ['110101002', '110101003', '110101004'],
            },
          ],
        },
      },
    });
    expect(stored.status).toBe(200);
    expect(stored.body.version).toBe(1);
    expect(stored.body.catalog.version).toBe('gbt30428-demo.1+city.1');
    expect(errorsOf(stored.body.problems)).toEqual([]);
    expect(await auditEntry('req-catalog-put')).toMatchObject({
      action: 'catalog.update',
      target: { type: 'catalog', id: 'overrides' },
      changes: { version: 'city.1', categories: [], entries: ['E01-02'] },
    });

    const here = await api.call('GET', `/v1/catalog/route?categoryCode=E01-02&orgCode=${GRID}`, {
      token: street,
    });
    expect(here.body).toMatchObject({
      kind: 'routed',
      departmentId: 'dhm-enforcement',
      handlingLimit: limit,
      handlingOrgCode: '110101001001',
      catalogVersion: 'gbt30428-demo.1+city.1',
    });
    const elsewhere = await api.call('GET', '/v1/catalog/route?categoryCode=E01-02&orgCode=110101002001', {
      token: street,
    });
    expect(elsewhere.body).toMatchObject({ kind: 'routed', departmentId: 'sanitation' });
    const nowhere = await api.call('GET', '/v1/catalog/route?categoryCode=E01-02', { token: street });
    expect(nowhere.body).toMatchObject({ kind: 'unrouted', reason: 'place_required' });

    const read = await api.call('GET', '/v1/catalog', { token: street });
    expect(read.body).toMatchObject({ version: 1, overrides: { version: 'city.1' } });

    const stale = await api.call('PUT', '/v1/catalog/overrides', {
      token: admin,
      body: { version: 0, overrides: { version: 'city.2' } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 1 } });

    // Back to the defaults: an empty override set routes garbage to sanitation everywhere again.
    const reset = await api.call('PUT', '/v1/catalog/overrides', {
      token: admin,
      body: { version: 1, overrides: { version: 'city.2' } },
    });
    expect(reset.status).toBe(200);
    const again = await api.call('GET', `/v1/catalog/route?categoryCode=E01-02&orgCode=${GRID}`, {
      token: street,
    });
    expect(again.body).toMatchObject({
      departmentId: 'sanitation',
      catalogVersion: 'gbt30428-demo.1+city.2',
    });
  });

  it('lets only a city admin change the catalog', async () => {
    const response = await api.call('PUT', '/v1/catalog/overrides', {
      token: street,
      body: { version: 2, overrides: { version: 'street.1' } },
    });
    expect(response.status).toBe(403);
  });

  it('shows a new city, before it has departments, why its catalog cannot route', async () => {
    const operator = await api.login('platform', 'operator');
    const onboarded = await api.call('POST', '/v1/tenants', {
      token: operator,
      body: {
        id: OTHER,
        name: '另一城市 Other city',
        divisionCode: '310000',
        admin: { username: 'admin', displayName: 'Other admin', password: 'other-admin-password' },
      },
    });
    expect(onboarded.status).toBe(201);
    const other = await api.login(OTHER, 'admin', 'other-admin-password');
    const before = await api.call('GET', '/v1/catalog', { token: other });
    expect(before.status).toBe(200);
    const unknown = errorsOf(before.body.problems);
    expect(unknown.length).toBe(before.body.catalog.entries.length);
    expect(new Set(unknown.map((p) => p.code))).toEqual(new Set(['unknown_department']));
    // Tenant A's own department is not visible to B.
    expect((await api.call('GET', '/v1/departments/dhm-enforcement', { token: other })).status).toBe(404);

    expect((await api.call('POST', '/v1/departments/defaults', { token: other })).body.created).toBe(
      defaultDepartments.length,
    );
    const after = await api.call('GET', '/v1/catalog', { token: other });
    expect(errorsOf(after.body.problems)).toEqual([]);
    // B's catalog is its own: A's overrides do not route B's cases.
    expect(after.body.version).toBe(0);
  });
});
