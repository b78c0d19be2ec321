import type { Permission } from './permissions';
import { roleHas } from './permissions';
import type { Role } from './roles';
import { orgContains, type Scope } from './scope';

/** Who is acting: taken from a verified token, never from the request's path or body. */
export interface Principal {
  tenantId: string;
  userId: string;
  role: Role;
  scope: Scope;
}

/**
 * Where the thing acted on sits. A target carries whichever of these apply: an org-unit code
 * (cases, grids, users of a place), the departments it was dispatched to, or its owner.
 */
export interface Target {
  tenantId: string;
  orgCode?: string;
  departmentIds?: readonly string[];
  ownerUserId?: string;
}

export type Decision =
  | { allowed: true }
  | { allowed: false; code: 'forbidden' | 'not_found'; reason: string };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, code: 'forbidden', reason });

const reaches = (principal: Principal, target: Target): boolean => {
  const { scope } = principal;
  switch (scope.kind) {
    case 'city':
      return true;
    case 'org':
      return target.orgCode !== undefined && orgContains(scope.code, target.orgCode);
    case 'department':
      return target.departmentIds?.includes(scope.departmentId) ?? false;
    case 'self':
      return target.ownerUserId === principal.userId;
    case 'platform':
      // The platform operator runs tenants, not their work.
      return false;
  }
};

/**
 * The one authorization decision. Without a target it answers "may this role ever do this";
 * with one, also "does the caller's place in the hierarchy reach it". Another tenant's target
 * is reported as not found so that its existence does not leak.
 */
export const authorize = (principal: Principal, permission: Permission, target?: Target): Decision => {
  if (target && target.tenantId !== principal.tenantId) {
    return { allowed: false, code: 'not_found', reason: 'target belongs to another tenant' };
  }
  if (!roleHas(principal.role, permission)) return deny(`role ${principal.role} lacks ${permission}`);
  if (!target) return allow;
  if (target.ownerUserId !== undefined && target.ownerUserId === principal.userId) return allow;
  return reaches(principal, target) ? allow : deny(`${permission} is outside the caller's scope`);
};
