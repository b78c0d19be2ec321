import { z } from 'zod';
import { TenantIdSchema } from './common';

/** Pseudo-tenants: the platform's own records, and counters of unauthenticated callers. */
export const PLATFORM_TENANT = 'platform';
export const RESERVED_TENANT_IDS = [PLATFORM_TENANT, 'public'] as const;

export const CityTenantIdSchema = TenantIdSchema.refine(
  (id) => !(RESERVED_TENANT_IDS as readonly string[]).includes(id),
  'this tenant id is reserved',
);

/** GB/T 2260 six-digit code of the city (e.g. 110000) or of a county-level district tenant. */
export const DivisionCodeSchema = z.string().regex(/^[1-8]\d{5}$/, 'a 6-digit administrative division code');

export const TenantTierSchema = z.enum(['basic', 'standard', 'enterprise']);

export const TenantStatusSchema = z.enum(['onboarding', 'active', 'suspended']);

export const TimeZoneSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Shanghai');

export const TenantSchema = z.strictObject({
  id: CityTenantIdSchema,
  name: z.string().trim().min(1).max(60),
  divisionCode: DivisionCodeSchema,
  timeZone: TimeZoneSchema.default('Asia/Shanghai'),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  tier: TenantTierSchema.default('standard'),
});
export type TenantProfile = z.infer<typeof TenantSchema>;

/**
 * A district code belongs to a tenant when it lies under the tenant's division: a municipality
 * or province (xx0000) holds every code with its first two digits, a prefecture-level city
 * (xxxx00) every code with its first four, and a county-level tenant only its own code.
 */
export const districtBelongsToTenant = (districtCode: string, divisionCode: string): boolean => {
  if (districtCode.endsWith('00')) return false;
  if (divisionCode.endsWith('0000')) return districtCode.slice(0, 2) === divisionCode.slice(0, 2);
  if (divisionCode.endsWith('00')) return districtCode.slice(0, 4) === divisionCode.slice(0, 4);
  return districtCode === divisionCode;
};
