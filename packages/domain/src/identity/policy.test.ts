import { describe, expect, it } from 'vitest';
import type { Permission } from './permissions';
import { authorize, type Principal, type Target } from './policy';
import { roles } from './roles';
import { formatScope, parseScope, type Scope, scopeFitsRole } from './scope';

const tenantId = 'demo-city';
const district = '110101';
const street = '110101001';
const community = '110101001002';
const grid = '110101001002003';

const principals: Record<string, Principal> = {
  platform: { tenantId: 'platform', userId: 'op', role: 'platform_operator', scope: { kind: 'platform' } },
  cityAdmin: { tenantId, userId: 'admin', role: 'city_admin', scope: { kind: 'city' } },
  district: { tenantId, userId: 'dc', role: 'district_center', scope: { kind: 'org', code: district } },
  street: { tenantId, userId: 'sc', role: 'street_center', scope: { kind: 'org', code: street } },
  community: { tenantId, userId: 'cs', role: 'community_station', scope: { kind: 'org', code: community } },
  gridWorker: { tenantId, userId: 'gw', role: 'grid_worker', scope: { kind: 'org', code: grid } },
  department: {
    tenantId,
    userId: 'dp',
    role: 'department',
    scope: { kind: 'department', departmentId: 'urban-mgmt' },
  },
  citizen: { tenantId, userId: 'ct', role: 'citizen', scope: { kind: 'self' } },
};

const targets: Record<string, Target> = {
  inGrid: { tenantId, orgCode: grid },
  inCommunity: { tenantId, orgCode: community },
  inStreet: { tenantId, orgCode: street },
  inDistrict: { tenantId, orgCode: district },
  siblingStreet: { tenantId, orgCode: '110101002' },
  otherDistrict: { tenantId, orgCode: '110102001' },
  dispatchedToUrbanMgmt: { tenantId, orgCode: grid, departmentIds: ['urban-mgmt'] },
  dispatchedElsewhere: { tenantId, orgCode: grid, departmentIds: ['market-reg'] },
  citizenOwn: { tenantId, orgCode: grid, ownerUserId: 'ct' },
  otherTenant: { tenantId: 'other-city', orgCode: grid },
};

/** Expected outcome of `users.read` (held by admin and the centers) per principal × target. */
const usersRead: Record<string, Record<string, 'allow' | 'forbidden' | 'not_found'>> = {
  platform: Object.fromEntries(
    Object.keys(targets).map((t) => [t, t === 'otherTenant' ? 'not_found' : 'not_found']),
  ),
  cityAdmin: {
    inGrid: 'allow',
    inCommunity: 'allow',
    inStreet: 'allow',
    inDistrict: 'allow',
    siblingStreet: 'allow',
    otherDistrict: 'allow',
    dispatchedToUrbanMgmt: 'allow',
    dispatchedElsewhere: 'allow',
    citizenOwn: 'allow',
    otherTenant: 'not_found',
  },
  district: {
    inGrid: 'allow',
    inCommunity: 'allow',
    inStreet: 'allow',
    inDistrict: 'allow',
    siblingStreet: 'allow',
    otherDistrict: 'forbidden',
    dispatchedToUrbanMgmt: 'allow',
    dispatchedElsewhere: 'allow',
    citizenOwn: 'allow',
    otherTenant: 'not_found',
  },
  street: {
    inGrid: 'allow',
    inCommunity: 'allow',
    inStreet: 'allow',
    inDistrict: 'forbidden',
    siblingStreet: 'forbidden',
    otherDistrict: 'forbidden',
    dispatchedToUrbanMgmt: 'allow',
    dispatchedElsewhere: 'allow',
    citizenOwn: 'allow',
    otherTenant: 'not_found',
  },
  community: {
    inGrid: 'allow',
    inCommunity: 'allow',
    inStreet: 'forbidden',
    inDistrict: 'forbidden',
    siblingStreet: 'forbidden',
    otherDistrict: 'forbidden',
    dispatchedToUrbanMgmt: 'allow',
    dispatchedElsewhere: 'allow',
    citizenOwn: 'allow',
    otherTenant: 'not_found',
  },
  // Roles without users.read are refused whatever the target, except another tenant's (hidden).
  gridWorker: Object.fromEntries(
    Object.keys(targets).map((t) => [t, t === 'otherTenant' ? 'not_found' : 'forbidden']),
  ),
  department: Object.fromEntries(
    Object.keys(targets).map((t) => [t, t === 'otherTenant' ? 'not_found' : 'forbidden']),
  ),
  citizen: Object.fromEntries(
    Object.keys(targets).map((t) => [t, t === 'otherTenant' ? 'not_found' : 'forbidden']),
  ),
};

const outcome = (principal: Principal, permission: Permission, target?: Target) => {
  const decision = authorize(principal, permission, target);
  return decision.allowed ? 'allow' : decision.code;
};

describe('policy: role × scope × target', () => {
  for (const [who, row] of Object.entries(usersRead)) {
    for (const [where, expected] of Object.entries(row)) {
      it(`users.read: ${who} on ${where} → ${expected}`, () => {
        expect(outcome(principals[who] as Principal, 'users.read', targets[where])).toBe(expected);
      });
    }
  }

  it('reaches a department only through what was dispatched to it', () => {
    // profile.read is held by every role, so only the scope decides here.
    const department = principals.department as Principal;
    expect(outcome(department, 'profile.read', targets.dispatchedToUrbanMgmt)).toBe('allow');
    expect(outcome(department, 'profile.read', targets.dispatchedElsewhere)).toBe('forbidden');
    expect(outcome(department, 'profile.read', targets.inGrid)).toBe('forbidden');
  });

  it('reaches a citizen only through what the citizen owns', () => {
    const citizen = principals.citizen as Principal;
    expect(outcome(citizen, 'profile.read', targets.citizenOwn)).toBe('allow');
    expect(outcome(citizen, 'profile.read', targets.inGrid)).toBe('forbidden');
  });

  it('keeps a grid worker to its grid', () => {
    const worker = principals.gridWorker as Principal;
    expect(outcome(worker, 'profile.read', targets.inGrid)).toBe('allow');
    expect(outcome(worker, 'profile.read', { tenantId, orgCode: '110101001002004' })).toBe('forbidden');
    expect(outcome(worker, 'profile.read', targets.inCommunity)).toBe('forbidden');
  });

  it('grants user management and the audit log to city admins only', () => {
    for (const [who, principal] of Object.entries(principals)) {
      const expected = who === 'cityAdmin' ? 'allow' : 'forbidden';
      expect(outcome(principal, 'users.manage'), who).toBe(expected);
      expect(outcome(principal, 'audit.read'), who).toBe(expected);
    }
  });
});

describe('scopes', () => {
  const canonical: Record<(typeof roles)[number], Scope> = {
    platform_operator: { kind: 'platform' },
    city_admin: { kind: 'city' },
    district_center: { kind: 'org', code: district },
    street_center: { kind: 'org', code: street },
    community_station: { kind: 'org', code: community },
    grid_worker: { kind: 'org', code: grid },
    department: { kind: 'department', departmentId: 'urban-mgmt' },
    citizen: { kind: 'self' },
  };

  it('fit exactly one level per role', () => {
    for (const role of roles) {
      for (const [other, scope] of Object.entries(canonical)) {
        expect(scopeFitsRole(role, scope), `${role} with ${other}'s scope`).toBe(other === role);
      }
    }
  });

  it('round-trip through their claim text and refuse malformed text', () => {
    for (const scope of Object.values(canonical)) expect(parseScope(formatScope(scope))).toEqual(scope);
    for (const bad of ['org:12345', 'org', 'city:110101', 'department:', 'department:a:b', 'galaxy', '']) {
      expect(parseScope(bad), bad).toBeUndefined();
    }
  });
});
