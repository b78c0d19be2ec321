import { describe, expect, it } from 'vitest';
import { CategorySchema } from './categories';
import { defaultCategories, defaultDepartments, defaultDutyCatalog } from './default-catalog';
import { DutyCatalogSchema, routeCase, validateCatalog } from './duty-catalog';

describe('the default catalog', () => {
  it('parses and validates clean against the default departments', () => {
    expect(DutyCatalogSchema.parse(defaultDutyCatalog)).toEqual(defaultDutyCatalog);
    expect(validateCatalog(defaultDutyCatalog, defaultDepartments)).toEqual([]);
  });

  it('holds a realistic subset of components and events', () => {
    expect(defaultCategories.length).toBeGreaterThanOrEqual(40);
    expect(defaultCategories.length).toBeLessThanOrEqual(60);
    const majors = (type: string) =>
      [...new Set(defaultCategories.filter((c) => c.type === type).map((c) => c.major.name.zh))].sort();
    expect(majors('component')).toEqual([
      '公用设施',
      '其他设施',
      '园林绿化',
      '市容环境',
      '房屋土地',
      '道路交通',
    ]);
    expect(majors('event')).toEqual(
      expect.arrayContaining(['市容环境', '宣传广告', '施工管理', '街面秩序', '突发事件', '违法建设']),
    );
    for (const category of defaultCategories) {
      expect(CategorySchema.safeParse(category).success, category.code).toBe(true);
    }
  });

  it('numbers local classes from 50 up and standard ones below', () => {
    for (const category of defaultCategories) {
      const local = Number(category.major.code) >= 50 || Number(category.minor.code) >= 50;
      expect(category.source, category.code).toBe(local ? 'local' : 'standard');
    }
  });

  it('includes the small-loop community and livelihood matters as local classes', () => {
    const local = defaultCategories.filter((c) => c.source === 'local').map((c) => c.minor.name.zh);
    expect(local).toEqual(
      expect.arrayContaining(['噪声扰民', '不文明养犬', '物业管理', '养老服务', '地桩地锁']),
    );
  });

  it('routes every category to exactly one department', () => {
    for (const category of defaultCategories) {
      const entries = defaultDutyCatalog.entries.filter((entry) => entry.categoryCode === category.code);
      expect(entries, category.code).toHaveLength(1);
      const route = routeCase(defaultDutyCatalog, category.code, '110101001002003');
      expect(route, category.code).toMatchObject({ kind: 'routed', departmentId: entries[0]?.departmentId });
    }
  });

  it('gives every default department some duty', () => {
    const used = new Set(defaultDutyCatalog.entries.map((entry) => entry.departmentId));
    expect(defaultDepartments.filter((department) => !used.has(department.id))).toEqual([]);
  });

  it('counts emergencies in natural hours and dispatches them within the hour', () => {
    const emergencies = defaultDutyCatalog.entries.filter((entry) => entry.categoryCode.startsWith('E04-'));
    expect(emergencies.length).toBeGreaterThan(0);
    for (const entry of emergencies) {
      expect(entry.handlingLimit, entry.categoryCode).toMatchObject({ unit: 'hours', basis: 'natural' });
      expect(entry.dispatchLimit, entry.categoryCode).toEqual({ amount: 1, unit: 'hours', basis: 'natural' });
    }
  });

  it('shares no limit objects between entries, so changing one cannot change another', () => {
    const limits = defaultDutyCatalog.entries.flatMap((entry) =>
      entry.dispatchLimit ? [entry.handlingLimit, entry.dispatchLimit] : [entry.handlingLimit],
    );
    expect(new Set(limits).size).toBe(limits.length);
  });
});
