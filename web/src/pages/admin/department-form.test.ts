import { describe, expect, it } from 'vitest';
import {
  createBody,
  type DepartmentView,
  emptyDepartmentForm,
  formOf,
  parseCodes,
  parseContacts,
  patchBody,
} from './department-form';

const water: DepartmentView = {
  id: 'water-affairs',
  code: 'SW',
  name: '水务局',
  nameEn: 'Water affairs',
  kind: 'on_call',
  contacts: [{ name: '王工', phone: '13812345678', role: '值班' }],
  servesOrgCodes: [],
  version: 3,
  createdAt: '2026-05-01T00:00:00Z',
  updatedAt: '2026-05-01T00:00:00Z',
};

describe('department form', () => {
  it('reads contacts one per line, with Chinese commas too, and names the first bad line', () => {
    expect(parseContacts('王工, 13812345678, 值班\n\n李四，010-65123456')).toEqual({
      contacts: [
        { name: '王工', phone: '13812345678', role: '值班' },
        { name: '李四', phone: '010-65123456' },
      ],
    });
    expect(parseContacts('王工, 13812345678\n李四, 12345').badLine).toBe(2);
    expect(parseCodes('110101001, 110101002，110101003\n110101004')).toEqual([
      '110101001',
      '110101002',
      '110101003',
      '110101004',
    ]);
  });

  it('builds the create body with the domain schema and refuses what the API would', () => {
    const result = createBody({
      ...emptyDepartmentForm,
      id: 'water-affairs',
      code: ' SW ',
      name: '水务局',
      kind: 'resident',
      contacts: '王工, 13812345678',
      servesOrgCodes: '110101001',
    });
    expect(result).toEqual({
      ok: true,
      body: {
        id: 'water-affairs',
        code: 'SW',
        name: '水务局',
        kind: 'resident',
        contacts: [{ name: '王工', phone: '13812345678' }],
        servesOrgCodes: ['110101001'],
      },
    });

    const bad = createBody({
      ...emptyDepartmentForm,
      id: 'Water Affairs',
      code: '',
      name: 'Water',
      contacts: '王工, 13812345678\n李四',
      servesOrgCodes: '1101',
    });
    expect(bad).toEqual({
      ok: false,
      problems: {
        id: { key: 'depErrId' },
        code: { key: 'depErrCode' },
        name: { key: 'depErrName' },
        contacts: { key: 'depErrContacts', line: 2 },
        servesOrgCodes: { key: 'depErrServes' },
      },
    });
  });

  it('patches only what changed, with the version read', () => {
    const form = formOf(water);
    expect(form.contacts).toBe('王工, 13812345678, 值班');
    expect(patchBody(water, form)).toEqual({ ok: false, unchanged: true });
    expect(patchBody(water, { ...form, kind: 'resident', servesOrgCodes: '110101001' })).toEqual({
      ok: true,
      body: { version: 3, kind: 'resident', servesOrgCodes: ['110101001'] },
    });
    // The id cannot change, whatever the form says.
    expect(patchBody(water, { ...form, id: 'other', name: '水务局（区）' })).toEqual({
      ok: true,
      body: { version: 3, name: '水务局（区）' },
    });
    // The API merges what it is given, so an English name cannot be taken away.
    expect(patchBody(water, { ...form, nameEn: ' ' })).toEqual({
      ok: false,
      problems: { nameEn: { key: 'depErrNameEnKeep' } },
    });
  });
});
