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

const cases: Permission[] = ['cases.report', 'cases.read', 'cases.act'];
const whistles: Permission[] = ['whistles.read', 'whistles.act'];
/** Centers see who works beneath them, to dispatch; only city admins change users and places. */
const center: Permission[] = ['profile.read', 'users.read', 'org.read', ...cases, ...whistles];

/**
 * Which case and whistle transitions each role may make is the machines' tables; these
 * permissions only open the door to the routes.
 */
export const grants: Record<Role, readonly Permission[]> = {
  platform_operator: ['profile.read', 'tenants.manage'],
  city_admin: [
    'profile.read',
    'users.read',
    'users.manage',
    'audit.read',
    'org.read',
    'org.manage',
    ...cases,
    'whistles.read',
  ],
  district_center: center,
  street_center: center,
  community_station: center,
  grid_worker: ['profile.read', 'org.read', ...cases],
  // Departments locate reports and read the units they serve; they take cases, they do not report them.
  department: ['profile.read', 'org.read', 'cases.read', 'cases.act', ...whistles],
  citizen: ['profile.read', ...cases],
};

export const roleHas = (role: Role, permission: Permission): boolean => grants[role].includes(permission);
