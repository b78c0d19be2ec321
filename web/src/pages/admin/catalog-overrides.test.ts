import type { DutyEntry } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { category, entry } from './catalog.fixture';
import {
  type CatalogView,
  changedCategories,
  draftsOf,
  nextLabel,
  overridesBody,
  revertBody,
  routePath,
} from './catalog-overrides';

const view: CatalogView = {
  version: 2,
  catalog: {
    version: 'gbt30428-demo.1+t4',
    categories: [
      category('E01-01', '暴露垃圾'),
      category('E01-02', '积存垃圾'),
      category('E01-03', '新类别'),
    ],
    entries: [
      // Keys in the order storage may give them, which must not read as a change.
      {
        notes: '按街道划分',
        areas: ['110101001'],
        handlingLimit: { basis: 'working', unit: 'days', amount: 3 },
        level: 'street',
        departmentId: 'urban-enforcement',
        categoryCode: 'E01-01',
      } as DutyEntry,
      entry('E01-01', 'sanitation', { areas: ['110101002'] }),
      entry('E01-02', 'urban-enforcement'),
    ],
  },
  overrides: {
    version: 't4',
    categories: [],
    entries: [entry('E01-02', 'urban-enforcement'), entry('E09-09', 'kept-as-is')],
  },
  problems: [],
};

describe('duty catalog overrides', () => {
  it('reads every category as drafts, an empty one for a category without entries', () => {
    const drafts = draftsOf(view);
    expect(drafts['E01-01']).toHaveLength(2);
    expect(drafts['E01-01']?.[0]).toMatchObject({ departmentId: 'urban-enforcement', amount: '3' });
    expect(drafts['E01-03']).toEqual([
      { departmentId: '', level: 'street', amount: '5', unit: 'days', basis: 'working' },
    ]);
    expect(changedCategories(view, drafts)).toEqual([]);
    expect(overridesBody(view, drafts)).toEqual({ ok: false, unchanged: true });
  });

  it('replaces only the changed categories, keeps the other overrides and counts the label up', () => {
    const drafts = draftsOf(view);
    const [first, second] = drafts['E01-01'] ?? [];
    if (!first || !second) throw new Error('drafts');
    drafts['E01-01'] = [
      { ...first, departmentId: 'sanitation', amount: '2', unit: 'hours', basis: 'natural' },
      second,
    ];
    drafts['E01-03'] = [
      { departmentId: 'market-regulation', level: 'district', amount: '10', unit: 'days', basis: 'working' },
    ];
    const result = overridesBody(view, drafts);
    expect(result).toEqual({
      ok: true,
      changed: ['E01-01', 'E01-03'],
      body: {
        version: 2,
        overrides: {
          version: 't5',
          categories: [],
          entries: [
            entry('E01-02', 'urban-enforcement'),
            entry('E09-09', 'kept-as-is'),
            {
              categoryCode: 'E01-01',
              departmentId: 'sanitation',
              level: 'street',
              handlingLimit: { amount: 2, unit: 'hours', basis: 'natural' },
              areas: ['110101001'],
              notes: '按街道划分',
            },
            entry('E01-01', 'sanitation', { areas: ['110101002'] }),
            {
              categoryCode: 'E01-03',
              departmentId: 'market-regulation',
              level: 'district',
              handlingLimit: { amount: 10, unit: 'days', basis: 'working' },
            },
          ],
        },
      },
    });
  });

  it('disables a category whose every entry was removed, and refuses limits that are not 1–999', () => {
    const drafts = draftsOf(view);
    drafts['E01-02'] = (drafts['E01-02'] ?? []).map((d) => ({ ...d, departmentId: '' }));
    const result = overridesBody(view, drafts);
    expect(result.ok && result.body.overrides.entries).toEqual([
      entry('E09-09', 'kept-as-is'),
      { categoryCode: 'E01-02', disabled: true },
    ]);

    for (const amount of ['0', '1000', '2.5', '', 'x']) {
      const bad = draftsOf(view);
      bad['E01-02'] = (bad['E01-02'] ?? []).map((d) => ({ ...d, amount }));
      expect(overridesBody(view, bad)).toEqual({ ok: false, invalid: { 'E01-02': [0] } });
    }
  });

  it('restores a category to the defaults by dropping its overrides', () => {
    expect(revertBody(view, 'E01-02')).toEqual({
      version: 2,
      overrides: { version: 't5', categories: [], entries: [entry('E09-09', 'kept-as-is')] },
    });
    const first: CatalogView = { ...view, version: 0 };
    delete first.overrides;
    expect(revertBody(first, 'E01-02').overrides).toEqual({ version: '1', categories: [], entries: [] });
  });

  it('labels the overrides and builds the routing query', () => {
    expect([nextLabel(undefined), nextLabel('1'), nextLabel('2026.9'), nextLabel('city')]).toEqual([
      '1',
      '2',
      '2026.10',
      'city.1',
    ]);
    expect(routePath('E01-01', '')).toEqual({ path: '/v1/catalog/route?categoryCode=E01-01' });
    expect(routePath('E01-01', ' 110101001 ')).toEqual({
      path: '/v1/catalog/route?categoryCode=E01-01&orgCode=110101001',
    });
    expect(routePath('E01-01', '1101')).toEqual({ problem: 'catErrOrg' });
  });
});
