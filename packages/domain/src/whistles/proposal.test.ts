import { describe, expect, it } from 'vitest';
import { defaultDepartments, defaultDutyCatalog } from '../catalog/default-catalog';
import type { DutyCatalog } from '../catalog/duty-catalog';
import { proposeSummons } from './proposal';

const GRID = '110101001001001';

describe('proposeSummons', () => {
  it('summons the department the duty catalog makes competent for each category, resident first', () => {
    // Street vending (urban enforcement), unlicensed trading (market regulation), a broken manhole (municipal).
    const proposal = proposeSummons(
      defaultDutyCatalog,
      defaultDepartments,
      ['C05-01', 'E51-01', 'E03-01'],
      GRID,
    );
    expect(proposal.departments).toEqual([
      { departmentId: 'market-regulation', kind: 'resident', categories: ['E51-01'] },
      { departmentId: 'urban-enforcement', kind: 'resident', categories: ['E03-01'] },
      { departmentId: 'municipal', kind: 'on_call', categories: ['C05-01'] },
    ]);
    expect(proposal.unresolved).toEqual([]);
  });

  it('names a department once for several of its categories', () => {
    const proposal = proposeSummons(
      defaultDutyCatalog,
      defaultDepartments,
      ['E02-01', 'E03-01', 'E02-01'],
      GRID,
    );
    expect(proposal.departments).toEqual([
      { departmentId: 'urban-enforcement', kind: 'resident', categories: ['E02-01', 'E03-01'] },
    ]);
  });

  it('leaves to the street what the catalog cannot pin down', () => {
    const ambiguous: DutyCatalog = {
      ...defaultDutyCatalog,
      entries: [
        ...defaultDutyCatalog.entries,
        ...defaultDutyCatalog.entries
          .filter((e) => e.categoryCode === 'E03-01')
          .map((e) => ({ ...e, departmentId: 'public-security' })),
      ],
    };
    const proposal = proposeSummons(ambiguous, defaultDepartments, ['E03-01', 'X99-99'], GRID);
    expect(proposal.departments).toEqual([]);
    expect(proposal.unresolved).toEqual([
      { categoryCode: 'E03-01', reason: 'ambiguous', candidates: ['urban-enforcement', 'public-security'] },
      { categoryCode: 'X99-99', reason: 'unknown_category', candidates: [] },
    ]);
  });

  it('skips departments the city does not have or that do not serve the place', () => {
    const elsewhere = defaultDepartments.map((d) =>
      d.id === 'market-regulation' ? { ...d, servesOrgCodes: ['110101002'] } : d,
    );
    const withoutMunicipal = elsewhere.filter((d) => d.id !== 'municipal');
    const proposal = proposeSummons(defaultDutyCatalog, withoutMunicipal, ['E51-01', 'C05-01'], GRID);
    expect(proposal.departments).toEqual([]);
    expect(proposal.unresolved.map((u) => [u.categoryCode, u.reason])).toEqual([
      ['E51-01', 'department_unknown'],
      ['C05-01', 'department_unknown'],
    ]);
  });
});
