import { describe, expect, it } from 'vitest';
import {
  blankMember,
  formStaffing,
  formToRoster,
  type RosterForm,
  requiredRoles,
  rosterPatch,
  rosterToForm,
  validateRoster,
} from './roster';

const member = (name: string, phone = '') => ({ name, phone });

const filled = (): RosterForm => ({
  liaison: member('王联络', '13800000001'),
  gridHead: member('李网格长', '010-65123456'),
  fullTime: [member('张专职', '13800000002')],
  partTime: [member('赵兼职')],
  volunteers: [member('钱志愿'), member('孙志愿', '13800000003')],
  supervisors: ['周监督'],
});

describe('the roster form', () => {
  it('round-trips a stored roster, keeping user ids and dropping absent phones', () => {
    const stored = {
      gridHead: { name: '李网格长', phone: '13800000001', userId: 'u-7' },
      fullTime: [{ name: '张专职' }],
      partTime: [],
      volunteers: [],
    };
    const form = rosterToForm(stored, ['周监督']);
    expect(form.liaison).toEqual(blankMember());
    expect(form.gridHead).toEqual({ name: '李网格长', phone: '13800000001', userId: 'u-7' });
    expect(form.supervisors).toEqual(['周监督']);
    expect(formToRoster(form)).toEqual(stored);
  });

  it('reads an absent roster as blank, and trims names and phones; blank rows are no one', () => {
    const form = rosterToForm(undefined);
    expect(formToRoster(form)).toEqual({ fullTime: [], partTime: [], volunteers: [] });
    form.partTime = [member('  赵兼职 ', ' 13800000004 '), member('  ', '')];
    expect(formToRoster(form).partTime).toEqual([{ name: '赵兼职', phone: '13800000004' }]);
  });

  it('builds the PATCH body at the version read, with supervisors only when given', () => {
    const form = filled();
    expect(rosterPatch(form, 7)).toEqual({
      version: 7,
      roster: formToRoster(form),
      supervisors: ['周监督'],
    });
    expect(rosterPatch({ ...form, supervisors: ['  '] }, 7)).not.toHaveProperty('supervisors');
  });
});

describe('roster validation (the API’s rules, field by field)', () => {
  it('accepts a full roster with mobiles and landlines', () => {
    expect(validateRoster(filled())).toEqual({});
    for (const phone of ['13912345678', '010-12345678', '0106512345', '0755-1234567']) {
      expect(validateRoster({ ...filled(), liaison: member('王', phone) })).toEqual({});
    }
  });

  it('needs a name for anyone with a phone, names up to 40 characters and phones in a mainland format', () => {
    const form = filled();
    form.gridHead = member('', '13800000001');
    form.fullTime = [member('x'.repeat(41))];
    form.volunteers = [member('钱志愿'), member('孙志愿', '2345')];
    expect(validateRoster(form)).toEqual({
      'gridHead.name': 'nameRequired',
      'fullTime.0.name': 'nameTooLong',
      'volunteers.1.phone': 'phoneInvalid',
    });
    for (const phone of ['1380000000', '23800000000', '010-123456', '01-12345678', '138 0000 0001']) {
      expect(validateRoster({ ...filled(), liaison: member('王', phone) })).toEqual({
        'liaison.phone': 'phoneInvalid',
      });
    }
  });

  it('keeps lists within the API’s limits, not counting blank rows', () => {
    const form = filled();
    form.fullTime = Array.from({ length: 21 }, (_, i) => member(`专职${i}`));
    form.partTime = [...Array.from({ length: 50 }, (_, i) => member(`兼职${i}`)), blankMember()];
    expect(validateRoster(form)).toEqual({ fullTime: 'tooMany' });
    form.fullTime.pop();
    form.volunteers = Array.from({ length: 201 }, (_, i) => member(`志愿${i}`));
    expect(validateRoster(form)).toEqual({ volunteers: 'tooMany' });
  });

  it('takes 1–2 supervisors when given, and will not clear those a grid had', () => {
    expect(validateRoster({ ...filled(), supervisors: ['甲', '乙', '丙'] })).toEqual({
      supervisors: 'supervisorsTooMany',
    });
    expect(validateRoster({ ...filled(), supervisors: [] })).toEqual({});
    expect(validateRoster({ ...filled(), supervisors: [''] }, true)).toEqual({
      supervisors: 'supervisorsCannotClear',
    });
    expect(validateRoster({ ...filled(), supervisors: ['甲', 'x'.repeat(41)] })).toEqual({
      'supervisors.1': 'nameTooLong',
    });
  });
});

describe('the staffing check as the form stands', () => {
  it('is 4+X in an urban community, complete with liaison, grid head, full-time and part-time', () => {
    expect(formStaffing(filled(), 'basic', '110101001001')).toEqual({
      model: '4+X',
      complete: true,
      missing: [],
    });
    const form = { ...filled(), liaison: blankMember(), fullTime: [] };
    expect(formStaffing(form, 'basic', '110101001001')).toEqual({
      model: '4+X',
      complete: false,
      missing: ['liaison', 'fullTime'],
    });
  });

  it('is 3+X in a village (no full-time worker) and 2+X for an exclusive grid (no liaison)', () => {
    const form = { ...filled(), liaison: blankMember(), fullTime: [] };
    expect(formStaffing(form, 'basic', '110101001201')).toMatchObject({ model: '3+X', missing: ['liaison'] });
    expect(formStaffing(form, 'exclusive', '110101001001')).toEqual({
      model: '2+X',
      complete: true,
      missing: [],
    });
  });
});

it('names the roles each model requires', () => {
  expect([...requiredRoles('4+X')]).toEqual(['liaison', 'gridHead', 'fullTime', 'partTime']);
  expect([...requiredRoles('3+X')]).toEqual(['liaison', 'gridHead', 'partTime']);
  expect([...requiredRoles('2+X')]).toEqual(['gridHead', 'partTime']);
});
