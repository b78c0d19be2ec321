import { type Role, roles, type Scope, scopeFitsRole } from '@civicgrid/domain';

/** Roles a city admin may create (the platform operator is not a city's user). */
export const tenantRoles = roles.filter((role) => role !== 'platform_operator') as Exclude<
  Role,
  'platform_operator'
>[];

/** What the scope of a role is chosen from: nothing (fixed), a department, or a unit of one level. */
export const scopeChoice = (role: Role): 'fixed' | 'department' | 'org' =>
  scopeFitsRole(role, { kind: 'city' }) || scopeFitsRole(role, { kind: 'self' })
    ? 'fixed'
    : scopeFitsRole(role, { kind: 'department', departmentId: 'x' })
      ? 'department'
      : 'org';

/** The scope to send for a role and the chosen unit code or department id, if it fits the role. */
export const scopeFor = (role: Role, choice: string): Scope | undefined => {
  const candidates: Scope[] = [
    { kind: 'city' },
    { kind: 'self' },
    { kind: 'department', departmentId: choice },
    { kind: 'org', code: choice },
  ];
  return candidates.find((scope) => {
    if ((scope.kind === 'department' || scope.kind === 'org') && !choice) return false;
    return scopeFitsRole(role, scope);
  });
};
