import { checkStaffing } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { demoRoster, demoSupervisor } from './demo-roster';

// The API's member rules (packages/api/src/org/schemas.ts): the seed goes through the API, so a
// roster it refuses would stop `pnpm dev` from starting.
const phone = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

describe('demo rosters', () => {
  it('staff every demo grid completely for its model, with valid phones and names', () => {
    for (let index = 0; index < 72; index += 1) {
      const basic = demoRoster(index, 'basic');
      const exclusive = demoRoster(index, 'exclusive');
      expect(checkStaffing('4+X', basic)).toMatchObject({ complete: true });
      expect(checkStaffing('3+X', basic)).toMatchObject({ complete: true });
      expect(checkStaffing('2+X', exclusive)).toMatchObject({ complete: true });
      for (const member of [basic, exclusive].flatMap((r) => [
        ...(r.liaison ? [r.liaison] : []),
        ...(r.gridHead ? [r.gridHead] : []),
        ...r.fullTime,
        ...r.partTime,
        ...r.volunteers,
      ])) {
        expect(member.phone).toMatch(phone);
        expect(member.name.length).toBeGreaterThanOrEqual(2);
      }
      expect(demoSupervisor(index).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('is the same at every start, and names the grid worker as its grid’s full-time worker', () => {
    expect(demoRoster(5, 'basic')).toEqual(demoRoster(5, 'basic'));
    expect(demoRoster(5, 'basic')).not.toEqual(demoRoster(6, 'basic'));
    const worker = { name: '赵网格', userId: 'u1' };
    expect(demoRoster(0, 'basic', worker).fullTime).toEqual([worker]);
  });
});
