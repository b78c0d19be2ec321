import { AppError, orgContains, type Principal } from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { findDepartment } from '../catalog/department-store';
import { assertAllowed } from '../http/auth';

/** What of the hierarchy a caller may read: the whole city, or the units under some roots. */
export type OrgReadReach = { all: true } | { all: false; roots: readonly string[] };

/**
 * Staff read the units under their place. A department has no place in the hierarchy but
 * serves places (its `servesOrgCodes`; none listed means the whole city), and it works cases
 * and answers whistles there, so it reads the units it serves: names, boundaries and the
 * grids' staff. Writing the hierarchy stays with `org.manage`, which no department holds.
 */
export const orgReadReach = async (principal: Principal, tenant: TenantStore): Promise<OrgReadReach> => {
  assertAllowed(principal, 'org.read');
  const { scope } = principal;
  switch (scope.kind) {
    case 'city':
      return { all: true };
    case 'org':
      return { all: false, roots: [scope.code] };
    case 'department': {
      const department = await findDepartment(tenant, scope.departmentId);
      if (!department) return { all: false, roots: [] };
      const served = department.data.servesOrgCodes;
      return served.length === 0 ? { all: true } : { all: false, roots: served };
    }
    default:
      return { all: false, roots: [] };
  }
};

export const reachesUnit = (reach: OrgReadReach, code: string): boolean =>
  reach.all || reach.roots.some((root) => orgContains(root, code));

export const assertUnitReadable = (reach: OrgReadReach, code: string): void => {
  if (!reachesUnit(reach, code)) {
    throw new AppError('forbidden', 'Not allowed: org.read is outside the caller’s scope.');
  }
};
