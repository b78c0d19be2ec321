import type { ApiApp } from '@civicgrid/api';
import { createUser, findUserIdByUsername } from '@civicgrid/api';
import type { UserDirectory } from '@civicgrid/auth';
import { type Clock, PLATFORM_TENANT, type Role, type Scope, systemClock } from '@civicgrid/domain';
import type { Store } from '@civicgrid/storage';
import { readDemoGazetteer, readDemoHierarchy } from './demo-hierarchy';
import { demoRoster, demoSupervisor } from './demo-roster';

export const DEMO_TENANT = 'demo-city';
export const DEMO_PASSWORD = 'civicgrid-demo';

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
}

export const demoOperator: DemoUser = {
  username: 'operator',
  displayName: '平台运营 Operator',
  role: 'platform_operator',
  scope: { kind: 'platform' },
};

export const demoTenant = {
  id: DEMO_TENANT,
  name: '东城区（演示） Dongcheng demo',
  divisionCode: '110101',
  timeZone: 'Asia/Shanghai',
  locale: 'zh-CN',
  tier: 'standard',
} as const;

export const demoAdmin: DemoUser = {
  username: 'admin',
  displayName: '区管理员 City admin',
  role: 'city_admin',
  scope: { kind: 'city' },
};

/** One user of every other role, at Dongcheng codes: a street office, one of its communities, a grid. */
export const demoStaff: DemoUser[] = [
  {
    username: 'district',
    displayName: '东城区指挥中心 District center',
    role: 'district_center',
    scope: { kind: 'org', code: '110101' },
  },
  {
    username: 'street',
    displayName: '东华门街道分中心 Street sub-center',
    role: 'street_center',
    scope: { kind: 'org', code: '110101001' },
  },
  {
    username: 'community',
    displayName: '社区工作站 Community workstation',
    role: 'community_station',
    scope: { kind: 'org', code: '110101001001' },
  },
  {
    username: 'gridworker',
    displayName: '网格员 Grid worker',
    role: 'grid_worker',
    scope: { kind: 'org', code: '110101001001001' },
  },
  {
    username: 'urbanmgmt',
    displayName: '城管执法 Urban management',
    role: 'department',
    scope: { kind: 'department', departmentId: 'urban-enforcement' },
  },
  { username: 'citizen', displayName: '居民 Citizen', role: 'citizen', scope: { kind: 'self' } },
];

/** Every demo login, with the tenant it signs in to. */
export const demoUsers = [
  { tenantId: PLATFORM_TENANT, ...demoOperator },
  { tenantId: DEMO_TENANT, ...demoAdmin },
  ...demoStaff.map((user) => ({ tenantId: DEMO_TENANT, ...user })),
];

const call = async (app: ApiApp, method: string, path: string, body?: unknown, token?: string) => {
  const response = await app.request(path, {
    method,
    headers: {
      'x-request-id': 'demo-seed',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

const login = async (app: ApiApp, tenantId: string, username: string) => {
  const response = await call(app, 'POST', '/v1/auth/login', { tenantId, username, password: DEMO_PASSWORD });
  if (response.status !== 200)
    throw new Error(`demo login ${tenantId}/${username}: ${JSON.stringify(response.body)}`);
  return response.body.token as string;
};

const expectOk = (what: string, response: { status: number; body: unknown }, alsoOk: number[] = []) => {
  if (response.status >= 300 && !alsoOk.includes(response.status)) {
    throw new Error(`demo seed: ${what} failed with ${response.status}: ${JSON.stringify(response.body)}`);
  }
};

interface GridProperties {
  code: string;
  level: string;
  parentCode: string;
  kind?: 'basic' | 'exclusive';
}

/**
 * Gives each demo grid that has none its staff (the invented 4+X or 2+X roster and a supervisor),
 * through the API as an admin would, so that a grid on the map shows who works it. A roster the
 * admin has edited since is kept.
 */
const seedRosters = async (app: ApiApp, store: Store, admin: string) => {
  const features = (await readDemoHierarchy()).features as { properties: GridProperties }[];
  const grids = features.map((f) => f.properties).filter((p) => p.level === 'grid');
  // One listing per community gives every grid's roster and version (a GET per grid would be 72).
  const stored = new Map<string, { roster?: unknown; version: number }>();
  for (const parent of new Set(grids.map((grid) => grid.parentCode))) {
    const children = await call(app, 'GET', `/v1/org/units?parentCode=${parent}`, undefined, admin);
    expectOk(`grids of ${parent}`, children);
    for (const unit of children.body.items) stored.set(unit.code, unit);
  }
  const gridWorker = demoStaff.find((user) => user.role === 'grid_worker');
  const workerId = gridWorker && (await findUserIdByUsername(store.tenant(DEMO_TENANT), gridWorker.username));
  for (const [index, grid] of grids.entries()) {
    const unit = stored.get(grid.code);
    if (!unit || unit.roster) continue;
    const worker =
      workerId && gridWorker?.scope.kind === 'org' && gridWorker.scope.code === grid.code
        ? { name: '赵网格', phone: '13800138999', userId: workerId }
        : undefined;
    const body = {
      version: unit.version,
      roster: demoRoster(index, grid.kind ?? 'basic', worker),
      supervisors: [demoSupervisor(index)],
    };
    expectOk(`roster ${grid.code}`, await call(app, 'PATCH', `/v1/org/units/${grid.code}`, body, admin));
  }
};

/**
 * Brings up the demo city the way a real city is brought up: the platform operator onboards
 * it through the API and its admin creates the staff. Only the operator is created directly,
 * since somebody has to exist first. Safe to run at every start. `rosters` also staffs every
 * grid (the product's demo; API tests leave the grids empty and their versions at 1).
 */
export const seedDemo = async (
  app: ApiApp,
  store: Store,
  directory: UserDirectory,
  clock: Clock = systemClock,
  options: { rosters?: boolean } = {},
) => {
  const platform = store.tenant(PLATFORM_TENANT);
  if (!(await findUserIdByUsername(platform, demoOperator.username))) {
    await createUser(
      {
        tenant: platform,
        principal: {
          tenantId: PLATFORM_TENANT,
          userId: 'system',
          role: 'city_admin',
          scope: { kind: 'city' },
        },
        requestId: 'demo-seed',
        clock,
        directory,
      },
      { ...demoOperator, password: DEMO_PASSWORD },
    );
  }
  const operator = await login(app, PLATFORM_TENANT, demoOperator.username);
  expectOk(
    'onboarding',
    await call(
      app,
      'POST',
      '/v1/tenants',
      {
        ...demoTenant,
        admin: { username: demoAdmin.username, displayName: demoAdmin.displayName, password: DEMO_PASSWORD },
      },
      operator,
    ),
  );
  const admin = await login(app, DEMO_TENANT, demoAdmin.username);
  // The territory first: staff are scoped to its units. Re-importing an unchanged file writes nothing.
  expectOk('hierarchy import', await call(app, 'POST', '/v1/org/import', await readDemoHierarchy(), admin));
  expectOk('departments', await call(app, 'POST', '/v1/departments/defaults', undefined, admin));
  expectOk('gazetteer', await call(app, 'PUT', '/v1/gazetteer', await readDemoGazetteer(), admin));
  for (const user of demoStaff) {
    expectOk(
      `user ${user.username}`,
      await call(app, 'POST', '/v1/users', { ...user, password: DEMO_PASSWORD }, admin),
      [409],
    );
  }
  if (options.rosters) await seedRosters(app, store, admin);
};
