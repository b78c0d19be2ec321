import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import type { Category } from './categories';
import { defaultDepartments, defaultDutyCatalog } from './default-catalog';
import type { Department } from './departments';
import {
  assertValidCatalog,
  type CatalogProblem,
  type DutyCatalog,
  type DutyEntry,
  DutyEntrySchema,
  mergeCatalog,
  routeCase,
  type TenantCatalogOverrides,
  TenantCatalogOverridesSchema,
  validateCatalog,
} from './duty-catalog';

const noise = 'E80-01';
const streetA = '110101001';
const streetB = '110101002';
const gridInA = '110101001002003';

const thrownObjects: Category = {
  code: 'E80-09',
  type: 'event',
  major: { code: '80', name: { zh: '社区事务', en: 'Community affairs' } },
  minor: { code: '09', name: { zh: '高空抛物', en: 'Objects thrown from height' } },
  source: 'local',
};

const entry = (patch: Partial<DutyEntry> = {}): DutyEntry => ({
  categoryCode: noise,
  departmentId: 'public-security',
  level: 'community',
  handlingLimit: { amount: 24, unit: 'hours', basis: 'natural' },
  ...patch,
});

const withEntries = (entries: DutyEntry[], catalog: DutyCatalog = defaultDutyCatalog): DutyCatalog => ({
  ...catalog,
  entries: [
    ...catalog.entries.filter((e) => !entries.some((x) => x.categoryCode === e.categoryCode)),
    ...entries,
  ],
});

const codes = (problems: CatalogProblem[]) => problems.map((problem) => problem.code);

/** Freezes deeply, so that any mutation of the defaults by a pure function throws. */
const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

describe('DutyEntrySchema', () => {
  it('accepts an entry with dispatch limit, areas and notes', () => {
    const full = entry({
      dispatchLimit: { amount: 2, unit: 'hours', basis: 'working' },
      areas: [streetA],
      notes: '夜间噪声由派出所出警',
    });
    expect(DutyEntrySchema.parse(full)).toEqual(full);
  });

  it.each([
    ['a zero limit', { handlingLimit: { amount: 0, unit: 'hours', basis: 'natural' } }],
    ['a negative limit', { handlingLimit: { amount: -1, unit: 'days', basis: 'working' } }],
    ['a fractional limit', { handlingLimit: { amount: 1.5, unit: 'days', basis: 'working' } }],
    ['an unknown unit', { handlingLimit: { amount: 1, unit: 'weeks', basis: 'working' } }],
    ['an unknown level', { level: 'city' }],
    ['empty areas', { areas: [] }],
    ['an unknown field', { priority: 'high' }],
  ])('rejects %s', (_label, patch) => {
    expect(DutyEntrySchema.safeParse({ ...entry(), ...patch }).success).toBe(false);
  });
});

describe('routeCase', () => {
  it('returns department, level, limits and the owning org unit at that level', () => {
    expect(routeCase(defaultDutyCatalog, noise, gridInA)).toEqual({
      kind: 'routed',
      categoryCode: noise,
      departmentId: 'public-security',
      level: 'community',
      handlingLimit: { amount: 24, unit: 'hours', basis: 'natural' },
      handlingOrgCode: '110101001002',
      catalogVersion: defaultDutyCatalog.version,
    });
    expect(routeCase(defaultDutyCatalog, 'E04-06', gridInA)).toMatchObject({
      departmentId: 'water',
      level: 'street',
      handlingOrgCode: streetA,
      dispatchLimit: { amount: 1, unit: 'hours', basis: 'natural' },
    });
  });

  it('routes without a place, and omits the org unit when the place is coarser than the level', () => {
    const withoutPlace = routeCase(defaultDutyCatalog, noise);
    expect(withoutPlace).toMatchObject({ kind: 'routed', departmentId: 'public-security' });
    expect(withoutPlace).not.toHaveProperty('handlingOrgCode');
    expect(routeCase(defaultDutyCatalog, noise, streetA)).not.toHaveProperty('handlingOrgCode');
  });

  it('is deterministic', () => {
    expect(routeCase(defaultDutyCatalog, 'C01-01', gridInA)).toEqual(
      routeCase(defaultDutyCatalog, 'C01-01', gridInA),
    );
  });

  it('leaves unknown categories and bad places to the center', () => {
    expect(routeCase(defaultDutyCatalog, 'E99-99', gridInA)).toEqual({
      kind: 'unrouted',
      categoryCode: 'E99-99',
      reason: 'unknown_category',
      candidates: [],
    });
    expect(routeCase(defaultDutyCatalog, noise, '1101')).toMatchObject({ reason: 'invalid_place' });
  });

  it('refuses to choose between two entries for the same place', () => {
    const catalog = withEntries([entry(), entry({ departmentId: 'urban-enforcement' })]);
    expect(routeCase(catalog, noise, gridInA)).toEqual({
      kind: 'unrouted',
      categoryCode: noise,
      reason: 'ambiguous',
      candidates: ['public-security', 'urban-enforcement'],
    });
  });

  describe('with entries limited to areas', () => {
    const catalog = withEntries([
      entry({ departmentId: 'urban-enforcement', areas: [streetA] }),
      entry({ departmentId: 'public-security', areas: [streetB] }),
    ]);

    it('routes by the place', () => {
      expect(validateCatalog(catalog, defaultDepartments)).toEqual([]);
      expect(routeCase(catalog, noise, gridInA)).toMatchObject({ departmentId: 'urban-enforcement' });
      expect(routeCase(catalog, noise, `${streetB}001`)).toMatchObject({ departmentId: 'public-security' });
    });

    it('needs a place, and one inside the areas', () => {
      expect(routeCase(catalog, noise)).toMatchObject({ kind: 'unrouted', reason: 'place_required' });
      expect(routeCase(catalog, noise, '110101003')).toMatchObject({
        kind: 'unrouted',
        reason: 'outside_areas',
      });
      expect(routeCase(catalog, noise, '110101')).toMatchObject({
        kind: 'unrouted',
        reason: 'outside_areas',
      });
    });
  });
});

describe('mergeCatalog', () => {
  const defaults = deepFreeze(structuredClone(defaultDutyCatalog));

  it('with no overrides keeps the defaults and tags the version', () => {
    const merged = mergeCatalog(defaults, { version: '1' });
    expect(merged.categories).toEqual(defaults.categories);
    expect(merged.entries).toEqual(defaults.entries);
    expect(merged.version).toBe(`${defaults.version}+1`);
  });

  it('lets an override change routing, in place of the default entry', () => {
    const merged = mergeCatalog(defaults, {
      version: '2',
      entries: [entry({ departmentId: 'urban-enforcement', level: 'street' })],
    });
    expect(routeCase(merged, noise, gridInA)).toMatchObject({
      departmentId: 'urban-enforcement',
      level: 'street',
      handlingOrgCode: streetA,
    });
    expect(merged.entries.filter((e) => e.categoryCode === noise)).toHaveLength(1);
    expect(merged.entries.map((e) => e.categoryCode)).toEqual(defaults.entries.map((e) => e.categoryCode));
    expect(validateCatalog(merged, defaultDepartments)).toEqual([]);
  });

  it('extends with a new category and its entry', () => {
    const merged = mergeCatalog(defaults, {
      version: '3',
      categories: [thrownObjects],
      entries: [entry({ categoryCode: thrownObjects.code, level: 'street' })],
    });
    expect(merged.categories.at(-1)).toEqual(thrownObjects);
    expect(routeCase(merged, thrownObjects.code, gridInA)).toMatchObject({
      kind: 'routed',
      departmentId: 'public-security',
    });
    expect(validateCatalog(merged, defaultDepartments)).toEqual([]);
  });

  it('replaces a default category, e.g. to rename it', () => {
    const original = defaults.categories.find((c) => c.code === noise) as Category;
    const renamed = {
      ...original,
      minor: { ...original.minor, name: { zh: '生活噪声', en: 'Household noise' } },
    };
    const merged = mergeCatalog(defaults, { version: '4', categories: [renamed] });
    expect(merged.categories.find((c) => c.code === noise)?.minor.name.zh).toBe('生活噪声');
    expect(merged.categories).toHaveLength(defaults.categories.length);
  });

  it('disables an entry: the category stays and is routed by hand', () => {
    const merged = mergeCatalog(defaults, {
      version: '5',
      entries: [{ categoryCode: noise, disabled: true }],
    });
    expect(merged.categories.some((c) => c.code === noise)).toBe(true);
    expect(routeCase(merged, noise, gridInA)).toMatchObject({ kind: 'unrouted', reason: 'no_entry' });
    const problems = validateCatalog(merged, defaultDepartments);
    expect(problems).toEqual([expect.objectContaining({ code: 'unrouted_category', severity: 'warning' })]);
    expect(() => assertValidCatalog(merged, defaultDepartments)).not.toThrow();
  });

  it('disables a category together with its default entries', () => {
    const merged = mergeCatalog(defaults, {
      version: '6',
      categories: [{ code: noise, disabled: true }],
    });
    expect(merged.categories.some((c) => c.code === noise)).toBe(false);
    expect(merged.entries.some((e) => e.categoryCode === noise)).toBe(false);
    expect(routeCase(merged, noise, gridInA)).toMatchObject({ kind: 'unrouted', reason: 'unknown_category' });
    expect(validateCatalog(merged, defaultDepartments)).toEqual([]);
  });

  it('replaces a category with entries per area', () => {
    const merged = mergeCatalog(defaults, {
      version: '7',
      entries: [
        entry({ departmentId: 'urban-enforcement', areas: [streetA] }),
        entry({ departmentId: 'public-security', areas: [streetB] }),
      ],
    });
    expect(validateCatalog(merged, defaultDepartments)).toEqual([]);
    expect(routeCase(merged, noise, gridInA)).toMatchObject({ departmentId: 'urban-enforcement' });
  });

  it('refuses overrides that say two things about one code', () => {
    const conflicting: TenantCatalogOverrides = {
      version: '8',
      categories: [thrownObjects, { code: thrownObjects.code, disabled: true }],
      entries: [entry(), { categoryCode: noise, disabled: true }],
    };
    expect(() => mergeCatalog(defaults, conflicting)).toThrow(ValidationError);
    try {
      mergeCatalog(defaults, conflicting);
    } catch (error) {
      const details = (error as ValidationError).details as { problems: CatalogProblem[] };
      expect(details.problems.map((p) => [p.code, p.path])).toEqual([
        ['conflicting_override', ['categories', 1]],
        ['conflicting_override', ['entries', 1]],
      ]);
    }
    const parsed = TenantCatalogOverridesSchema.safeParse(conflicting);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([
      ['categories', 1],
      ['entries', 1],
    ]);
  });

  it('parses overrides with defaults for absent lists', () => {
    expect(TenantCatalogOverridesSchema.parse({ version: '9' })).toEqual({
      version: '9',
      categories: [],
      entries: [],
    });
    expect(TenantCatalogOverridesSchema.safeParse({ version: '9', extra: true }).success).toBe(false);
  });
});

describe('validateCatalog', () => {
  it('reports two entries for the same category', () => {
    const catalog = withEntries([entry(), entry({ departmentId: 'urban-enforcement' })]);
    const problems = validateCatalog(catalog, defaultDepartments);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'duplicate_entry',
        severity: 'error',
        categoryCode: noise,
        path: ['entries', catalog.entries.length - 1],
      }),
    ]);
  });

  it('reports overlapping areas as duplicates, and one unlimited entry beside a limited one', () => {
    const nested = withEntries([entry({ areas: ['110101'] }), entry({ areas: [streetA] })]);
    expect(codes(validateCatalog(nested, defaultDepartments))).toEqual(['duplicate_entry']);
    const unlimited = withEntries([entry(), entry({ areas: [streetA] })]);
    expect(codes(validateCatalog(unlimited, defaultDepartments))).toEqual(['duplicate_entry']);
  });

  it('reports unknown departments and categories', () => {
    const catalog = withEntries([
      entry({ departmentId: 'tax-bureau' }),
      entry({ categoryCode: 'E99-01', departmentId: 'housing' }),
    ]);
    const problems = validateCatalog(catalog, defaultDepartments);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'unknown_department',
        departmentId: 'tax-bureau',
        categoryCode: noise,
      }),
      expect.objectContaining({ code: 'unknown_category', categoryCode: 'E99-01' }),
    ]);
    expect(() => assertValidCatalog(catalog, defaultDepartments)).toThrow(ValidationError);
  });

  it('reports non-positive and fractional limits that bypassed the schema', () => {
    const catalog = withEntries([
      entry({ handlingLimit: { amount: 0, unit: 'days', basis: 'working' } }),
      entry({
        categoryCode: 'E80-02',
        handlingLimit: { amount: 2, unit: 'days', basis: 'working' },
        dispatchLimit: { amount: -3, unit: 'hours', basis: 'natural' },
      }),
      entry({ categoryCode: 'E80-03', handlingLimit: { amount: 0.5, unit: 'days', basis: 'working' } }),
    ]);
    const n = catalog.entries.length;
    expect(validateCatalog(catalog, defaultDepartments).map((p) => [p.code, p.path])).toEqual([
      ['non_positive_limit', ['entries', n - 3, 'handlingLimit', 'amount']],
      ['non_positive_limit', ['entries', n - 2, 'dispatchLimit', 'amount']],
      ['invalid_limit', ['entries', n - 1, 'handlingLimit', 'amount']],
    ]);
  });

  it('reports duplicate and inconsistent categories', () => {
    const original = defaultDutyCatalog.categories.find((c) => c.code === noise) as Category;
    const catalog: DutyCatalog = {
      ...defaultDutyCatalog,
      categories: [
        ...defaultDutyCatalog.categories,
        original,
        { ...thrownObjects, major: { code: '80', name: { zh: '社区', en: 'Community' } } },
        { ...thrownObjects, code: 'E80-10' },
      ],
    };
    expect(codes(validateCatalog(catalog, defaultDepartments))).toEqual([
      'duplicate_category',
      'inconsistent_major_class',
      'category_code_mismatch',
      'unrouted_category',
      'unrouted_category',
    ]);
  });

  it('reports a department sent outside the area it serves, and duplicate departments', () => {
    const streetTeam: Department = {
      ...(defaultDepartments[0] as Department),
      id: 'enforcement-a',
      servesOrgCodes: [streetA],
    };
    const departments = [...defaultDepartments, streetTeam, streetTeam];
    const everywhere = withEntries([entry({ departmentId: 'enforcement-a' })]);
    expect(codes(validateCatalog(everywhere, departments))).toEqual([
      'duplicate_department',
      'department_outside_area',
    ]);
    const inside = withEntries([entry({ departmentId: 'enforcement-a', areas: [gridInA] })]);
    expect(codes(validateCatalog(inside, [...defaultDepartments, streetTeam]))).toEqual([]);
    const outside = withEntries([entry({ departmentId: 'enforcement-a', areas: [streetB] })]);
    expect(codes(validateCatalog(outside, [...defaultDepartments, streetTeam]))).toEqual([
      'department_outside_area',
    ]);
  });

  it('gives every problem a machine-readable code and a message', () => {
    const catalog = withEntries([entry({ departmentId: 'nobody' }), entry({ departmentId: 'nobody' })]);
    for (const problem of validateCatalog(catalog, [])) {
      expect(problem.code).toMatch(/^[a-z_]+$/);
      expect(problem.message.length).toBeGreaterThan(0);
    }
  });
});
