import { createUser, findUserIdByUsername } from '@civicgrid/api';
import type { UserDirectory } from '@civicgrid/auth';
import { type Clock, type Principal, type Role, type Scope, systemClock } from '@civicgrid/domain';
import type { Store } from '@civicgrid/storage';

export const DEMO_TENANT = 'demo-city';
export const DEMO_PASSWORD = 'civicgrid-demo';

/** Dongcheng (110101) codes: its first street office, a community of it, and a grid there. */
export const demoUsers: {
  tenantId: string;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
}[] = [
  {
    tenantId: 'platform',
    username: 'operator',
    displayName: '平台运营 Operator',
    role: 'platform_operator',
    scope: { kind: 'platform' },
  },
  {
    tenantId: DEMO_TENANT,
    username: 'admin',
    displayName: '市管理员 City admin',
    role: 'city_admin',
    scope: { kind: 'city' },
  },
  {
    tenantId: DEMO_TENANT,
    username: 'district',
    displayName: '东城区指挥中心 District center',
    role: 'district_center',
    scope: { kind: 'org', code: '110101' },
  },
  {
    tenantId: DEMO_TENANT,
    username: 'street',
    displayName: '东华门街道分中心 Street sub-center',
    role: 'street_center',
    scope: { kind: 'org', code: '110101001' },
  },
  {
    tenantId: DEMO_TENANT,
    username: 'community',
    displayName: '社区工作站 Community workstation',
    role: 'community_station',
    scope: { kind: 'org', code: '110101001001' },
  },
  {
    tenantId: DEMO_TENANT,
    username: 'gridworker',
    displayName: '网格员 Grid worker',
    role: 'grid_worker',
    scope: { kind: 'org', code: '110101001001001' },
  },
  {
    tenantId: DEMO_TENANT,
    username: 'urbanmgmt',
    displayName: '城管执法 Urban management',
    role: 'department',
    scope: { kind: 'department', departmentId: 'urban-management' },
  },
  {
    tenantId: DEMO_TENANT,
    username: 'citizen',
    displayName: '居民 Citizen',
    role: 'citizen',
    scope: { kind: 'self' },
  },
];

/** Seeding acts as the system itself, and the audit log says so. */
const systemPrincipal = (tenantId: string): Principal => ({
  tenantId,
  userId: 'system',
  role: 'city_admin',
  scope: { kind: 'city' },
});

/** Creates the demo users of every role that are not there yet; safe to run at every start. */
export const seedDemo = async (store: Store, directory: UserDirectory, clock: Clock = systemClock) => {
  let created = 0;
  for (const { tenantId, ...user } of demoUsers) {
    const tenant = store.tenant(tenantId);
    if (await findUserIdByUsername(tenant, user.username)) continue;
    await createUser(
      { tenant, principal: systemPrincipal(tenantId), requestId: 'seed', clock, directory },
      { ...user, password: DEMO_PASSWORD },
    );
    created += 1;
  }
  return { created };
};
