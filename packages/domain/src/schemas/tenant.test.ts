import { describe, expect, it } from 'vitest';
import { districtBelongsToTenant } from './tenant';

describe('districts of a tenant', () => {
  it('follow the level of the tenant’s division code', () => {
    // Beijing, a municipality: every 11xxxx district.
    expect(districtBelongsToTenant('110101', '110000')).toBe(true);
    expect(districtBelongsToTenant('110228', '110000')).toBe(true);
    expect(districtBelongsToTenant('120101', '110000')).toBe(false);
    // Hangzhou, a prefecture-level city: its 3301xx districts only.
    expect(districtBelongsToTenant('330106', '330100')).toBe(true);
    expect(districtBelongsToTenant('330206', '330100')).toBe(false);
    // A district as its own tenant.
    expect(districtBelongsToTenant('110101', '110101')).toBe(true);
    expect(districtBelongsToTenant('110102', '110101')).toBe(false);
    // A city's own code is no district.
    expect(districtBelongsToTenant('330100', '330100')).toBe(false);
  });
});
