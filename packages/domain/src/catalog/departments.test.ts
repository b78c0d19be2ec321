import { describe, expect, it } from 'vitest';
import { defaultDepartments } from './default-catalog';
import { ContactSchema, type Department, DepartmentSchema, PhoneSchema } from './departments';

const valid: Department = {
  id: 'urban-enforcement-dongsi',
  code: 'CGZF-DS',
  name: '东四街道城管执法队',
  nameEn: 'Dongsi street enforcement team',
  kind: 'resident',
  contacts: [
    { name: '王队长', phone: '13812345678', role: '队长' },
    { name: '值班室', phone: '010-65123456' },
  ],
  servesOrgCodes: ['110101001'],
};

describe('PhoneSchema', () => {
  it.each([
    '13812345678',
    '19912345678',
    '+8613812345678',
    '+86 13812345678',
    '010-65123456',
    '01065123456',
    '0755-8612345',
    '021-62345678-801',
  ])('accepts %s', (phone) => {
    expect(PhoneSchema.safeParse(phone).success).toBe(true);
  });

  it.each([
    ['a hotline without area code', '12345'],
    ['a mobile one digit short', '1381234567'],
    ['a mobile one digit long', '138123456789'],
    ['a mobile with an unused prefix', '12812345678'],
    ['a landline without area code', '65123456'],
    ['a landline with a local number starting 0', '010-05123456'],
    ['a foreign number', '+1 555 123 4567'],
    ['letters', '138abcd5678'],
    ['empty', ''],
  ])('rejects %s', (_label, phone) => {
    expect(PhoneSchema.safeParse(phone).success).toBe(false);
  });
});

describe('DepartmentSchema', () => {
  it('accepts a complete department', () => {
    expect(DepartmentSchema.parse(valid)).toEqual(valid);
  });

  it('accepts every default department', () => {
    for (const department of defaultDepartments) {
      expect(DepartmentSchema.safeParse(department).success, department.id).toBe(true);
    }
  });

  it('rejects a contact with a bad phone', () => {
    const result = DepartmentSchema.safeParse({
      ...valid,
      contacts: [{ name: '王队长', phone: '12345' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['contacts', 0, 'phone']);
  });

  it('rejects unknown fields on the department and on a contact', () => {
    expect(DepartmentSchema.safeParse({ ...valid, email: 'x@example.com' }).success).toBe(false);
    expect(ContactSchema.safeParse({ name: '王队长', phone: '13812345678', wechat: 'w' }).success).toBe(
      false,
    );
  });

  it('rejects more than ten contacts', () => {
    const contacts = Array.from({ length: 11 }, (_, i) => ({ name: `联系人${i}`, phone: '13812345678' }));
    expect(DepartmentSchema.safeParse({ ...valid, contacts }).success).toBe(false);
  });

  it.each([
    ['an id with capitals', { id: 'Urban' }],
    ['an id of one character', { id: 'u' }],
    ['an empty code', { code: '' }],
    ['a code over 20 characters', { code: 'X'.repeat(21) }],
    ['a name without Chinese', { name: 'Urban team' }],
    ['a name over 40 characters', { name: '城'.repeat(41) }],
    ['an unknown kind', { kind: 'permanent' }],
    ['a bad org code', { servesOrgCodes: ['1101011'] }],
  ])('rejects %s', (_label, patch) => {
    expect(DepartmentSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });

  it('models the 1+5+N team: six resident departments, the rest on call', () => {
    const resident = defaultDepartments.filter((department) => department.kind === 'resident');
    expect(resident.map((department) => department.id)).toEqual([
      'urban-enforcement',
      'public-security',
      'market-regulation',
      'food-drug',
      'traffic-police',
      'fire-rescue',
    ]);
    expect(defaultDepartments.length - resident.length).toBeGreaterThanOrEqual(5);
  });
});
