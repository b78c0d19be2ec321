import type { Role } from './roles';

/**
 * What a route may ask for. Each capability adds its permissions here, and grants them to
 * roles below; where a permission reaches is then decided by the holder's scope (policy.ts).
 */
export const permissions = ['profile.read', 'users.read', 'users.manage', 'audit.read'] as const;
export type Permission = (typeof permissions)[number];

export const grants: Record<Role, readonly Permission[]> = {
  platform_operator: ['profile.read'],
  city_admin: ['profile.read', 'users.read', 'users.manage', 'audit.read'],
  // Centers see who works beneath them, to dispatch; only city admins change users.
  district_center: ['profile.read', 'users.read'],
  street_center: ['profile.read', 'users.read'],
  community_station: ['profile.read', 'users.read'],
  grid_worker: ['profile.read'],
  department: ['profile.read'],
  citizen: ['profile.read'],
};

export const roleHas = (role: Role, permission: Permission): boolean => grants[role].includes(permission);
