import { z } from 'zod';
import type { Role } from './roles';

/**
 * Org-unit codes follow China's statistical division code: 6 digits for the county-level
 * district, +3 for the street or township, +3 for the community or village, and grids extend
 * the community code with a 3-digit sequence. So a unit's code is a prefix of every code
 * beneath it, and "is inside" is a prefix test.
 */
export const orgLevels = { district: 6, street: 9, community: 12, grid: 15 } as const;
export type OrgLevel = keyof typeof orgLevels;

export const OrgCodeSchema = z
  .string()
  .regex(/^\d{6}(\d{3}){0,3}$/, 'an org-unit code has 6, 9, 12 or 15 digits');

export const orgLevelOf = (code: string): OrgLevel | undefined =>
  (Object.keys(orgLevels) as OrgLevel[]).find((level) => orgLevels[level] === code.length);

export const orgContains = (ancestor: string, code: string): boolean => code.startsWith(ancestor);

export const ScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('platform') }),
  z.strictObject({ kind: z.literal('city') }),
  z.strictObject({ kind: z.literal('org'), code: OrgCodeSchema }),
  z.strictObject({ kind: z.literal('department'), departmentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  z.strictObject({ kind: z.literal('self') }),
]);
export type Scope = z.infer<typeof ScopeSchema>;

/** The only scope each role may hold; a street sub-center is scoped to a street, and so on. */
const requiredScope: Record<Role, { kind: Scope['kind']; level?: OrgLevel }> = {
  platform_operator: { kind: 'platform' },
  city_admin: { kind: 'city' },
  district_center: { kind: 'org', level: 'district' },
  street_center: { kind: 'org', level: 'street' },
  community_station: { kind: 'org', level: 'community' },
  grid_worker: { kind: 'org', level: 'grid' },
  department: { kind: 'department' },
  citizen: { kind: 'self' },
};

export const scopeFitsRole = (role: Role, scope: Scope): boolean => {
  const required = requiredScope[role];
  if (scope.kind !== required.kind) return false;
  return scope.kind !== 'org' || orgLevelOf(scope.code) === required.level;
};

/** Compact text form used in token claims (Cognito custom attributes are strings). */
export const formatScope = (scope: Scope): string => {
  switch (scope.kind) {
    case 'org':
      return `org:${scope.code}`;
    case 'department':
      return `department:${scope.departmentId}`;
    default:
      return scope.kind;
  }
};

export const parseScope = (text: string): Scope | undefined => {
  const separator = text.indexOf(':');
  const kind = separator < 0 ? text : text.slice(0, separator);
  const value = separator < 0 ? undefined : text.slice(separator + 1);
  const candidate =
    kind === 'org'
      ? { kind, code: value }
      : kind === 'department'
        ? { kind, departmentId: value }
        : value === undefined
          ? { kind }
          : undefined;
  const parsed = ScopeSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
};
