import { describe, expect, it } from 'vitest';
import { type Category, CategorySchema, isCategoryRemoval, TenantCategoryOverrideSchema } from './categories';

const manhole: Category = {
  code: 'C01-01',
  type: 'component',
  major: { code: '01', name: { zh: '公用设施', en: 'Public facilities' } },
  minor: { code: '01', name: { zh: '上水井盖', en: 'Water-supply manhole cover' } },
  source: 'standard',
};

describe('CategorySchema', () => {
  it('accepts a category whose code matches its type and classes', () => {
    expect(CategorySchema.parse(manhole)).toEqual(manhole);
  });

  it.each([
    ['the wrong type letter', { code: 'E01-01' }],
    ['the wrong major number', { code: 'C02-01' }],
    ['the wrong minor number', { code: 'C01-02' }],
  ])('rejects a code with %s', (_label, patch) => {
    const result = CategorySchema.safeParse({ ...manhole, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['code']);
  });

  it.each([
    ['a code without a dash', { code: 'C0101' }],
    ['a one-digit class', { minor: { code: '1', name: manhole.minor.name } }],
    ['a name without English', { minor: { code: '01', name: { zh: '上水井盖' } } }],
    ['an unknown type', { type: 'thing' }],
    ['an unknown field', { priority: 1 }],
  ])('rejects %s', (_label, patch) => {
    expect(CategorySchema.safeParse({ ...manhole, ...patch }).success).toBe(false);
  });
});

describe('TenantCategoryOverrideSchema', () => {
  it('accepts a whole category or an explicit removal', () => {
    const added = TenantCategoryOverrideSchema.parse({
      ...manhole,
      code: 'E80-09',
      type: 'event',
      major: { code: '80', name: { zh: '社区事务', en: 'Community affairs' } },
      minor: { code: '09', name: { zh: '高空抛物', en: 'Objects thrown from height' } },
      source: 'local',
    });
    expect(isCategoryRemoval(added)).toBe(false);
    const removed = TenantCategoryOverrideSchema.parse({ code: 'C01-01', disabled: true });
    expect(isCategoryRemoval(removed)).toBe(true);
  });

  it('rejects a half-given category and a removal that is not explicit', () => {
    expect(TenantCategoryOverrideSchema.safeParse({ code: 'C01-01', minor: manhole.minor }).success).toBe(
      false,
    );
    expect(TenantCategoryOverrideSchema.safeParse({ code: 'C01-01', disabled: false }).success).toBe(false);
    expect(TenantCategoryOverrideSchema.safeParse({ ...manhole, disabled: true }).success).toBe(false);
  });
});
