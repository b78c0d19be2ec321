import { describe, expect, it } from 'vitest';
import { codeProblem, communityKindOf, parentCodeOf, streetKindOf } from './codes';
import { checkStaffing, emptyRoster, staffingModel } from './staffing';

describe('org codes', () => {
  it('accept codes that extend their parent and refuse the rest', () => {
    expect(codeProblem('110101', 'district')).toBeUndefined();
    expect(codeProblem('110101001', 'street', '110101')).toBeUndefined();
    expect(codeProblem('110101001002', 'community', '110101001')).toBeUndefined();
    expect(codeProblem('110101001002601', 'grid', '110101001002')).toBeUndefined();
    expect(codeProblem('11010100', 'street', '110101')).toMatch(/9 digits/);
    expect(codeProblem('110102001', 'street', '110101')).toMatch(/extends/);
    expect(codeProblem('110101000', 'street', '110101')).toMatch(/000/);
    expect(codeProblem('110101600', 'street', '110101')).toMatch(/001–599/);
    expect(codeProblem('110101001400', 'community', '110101001')).toMatch(/001–399/);
    expect(codeProblem('110101', 'district', '110100')).toMatch(/no parent/);
  });

  it('derive the kind of street and community from the segment ranges', () => {
    expect(streetKindOf('110101001')).toBe('street_office');
    expect(streetKindOf('110112105')).toBe('town');
    expect(streetKindOf('110112203')).toBe('township');
    expect(communityKindOf('110112105001')).toBe('community');
    expect(communityKindOf('110112105210')).toBe('village');
    expect(parentCodeOf('110101001002003')).toBe('110101001002');
    expect(parentCodeOf('110101')).toBeUndefined();
  });
});

describe('staffing', () => {
  const member = (name: string) => ({ name });

  it('applies 4+X to urban basic grids, 3+X to village grids and 2+X to exclusive grids', () => {
    expect(staffingModel('basic', 'community')).toBe('4+X');
    expect(staffingModel('basic', 'village')).toBe('3+X');
    expect(staffingModel('exclusive', 'community')).toBe('2+X');
  });

  it('names what each model still lacks', () => {
    expect(checkStaffing('4+X', emptyRoster()).missing).toEqual([
      'liaison',
      'gridHead',
      'fullTime',
      'partTime',
    ]);
    const village = {
      ...emptyRoster(),
      liaison: member('联络员'),
      gridHead: member('网格长'),
      partTime: [member('兼职')],
    };
    expect(checkStaffing('3+X', village)).toEqual({ model: '3+X', complete: true, missing: [] });
    expect(checkStaffing('4+X', village).missing).toEqual(['fullTime']);
    const exclusive = { ...emptyRoster(), gridHead: member('网格长'), partTime: [member('兼职')] };
    expect(checkStaffing('2+X', exclusive).complete).toBe(true);
  });
});
