import { describe, expect, it } from 'vitest';
import { scopeChoice, scopeFor, tenantRoles } from './users';

describe('user scopes', () => {
  it('asks each role for the scope it may hold', () => {
    expect(scopeChoice('city_admin')).toBe('fixed');
    expect(scopeChoice('citizen')).toBe('fixed');
    expect(scopeChoice('department')).toBe('department');
    expect(scopeChoice('grid_worker')).toBe('org');
    expect(tenantRoles).not.toContain('platform_operator');
  });

  it('builds a scope that fits the role, or none', () => {
    expect(scopeFor('city_admin', '')).toEqual({ kind: 'city' });
    expect(scopeFor('citizen', '')).toEqual({ kind: 'self' });
    expect(scopeFor('department', 'urban-enforcement')).toEqual({
      kind: 'department',
      departmentId: 'urban-enforcement',
    });
    expect(scopeFor('street_center', '110101001')).toEqual({ kind: 'org', code: '110101001' });
    // A street code does not fit a grid worker, who is scoped to one grid.
    expect(scopeFor('grid_worker', '110101001')).toBeUndefined();
    expect(scopeFor('department', '')).toBeUndefined();
  });
});
