import type { Role } from './roles';

/**
 * What a route may ask for. Each capability adds its permissions here, and grants them to
 * roles below; where a permission reaches is then decided by the holder's scope (policy.ts).
 */
export const permissions = [
  'profile.read',
  'tenants.manage',
  'users.read',
  'users.manage',
  'audit.read',
  'org.read',
  'org.manage',
  'cases.report',
  'cases.read',
  'cases.act',
  'whistles.read',
  'whistles.act',
] as const;
export type Permission = (typeof permissions)[number];

export const grants: Record<Role, readonly Permission[]> = {
  platform_operator: ['profile.read', 'tenants.manage'],
  city_admin: [
    'profile.read',
    'users.read',
    'users.manage',
    'audit.read',
    'org.read',
    'org.manage',
    'cases.report',
    'cases.read',
    'cases.act',
    'whistles.read',
  ],
  // Centers see who works beneath them, to dispatch; only city admins change users and places.
  district_center: [
    'profile.read',
    'users.read',
    'org.read',
    'cases.report',
    'cases.read',
    'cases.act',
    'whistles.read',
    'whistles.act',
  ],
  street_center: [
    'profile.read',
    'users.read',
    'org.read',
    'cases.report',
    'cases.read',
    'cases.act',
    'whistles.read',
    'whistles.act',
  ],
  community_station: [
    'profile.read',
    'users.read',
    'org.read',
    'cases.report',
    'cases.read',
    'cases.act',
    'whistles.read',
    'whistles.act',
  ],
  grid_worker: ['profile.read', 'org.read', 'cases.report', 'cases.read', 'cases.act'],
  // Departments locate reports and read the units they serve. Which case transitions each
  // role may make is the case machine's table; these only open the door.
  department: ['profile.read', 'org.read', 'cases.read', 'cases.act', 'whistles.read', 'whistles.act'],
  citizen: ['profile.read', 'cases.report', 'cases.read', 'cases.act'],
};

export const roleHas = (role: Role, permission: Permission): boolean => grants[role].includes(permission);
