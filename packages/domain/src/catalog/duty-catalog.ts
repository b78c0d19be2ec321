import { z } from 'zod';
import { ValidationError } from '../errors';
import { OrgCodeSchema, orgContains, orgLevels } from '../identity/scope';
import {
  type Category,
  CategoryCodeSchema,
  CategorySchema,
  isCategoryRemoval,
  type TenantCategoryOverride,
  TenantCategoryOverrideSchema,
} from './categories';
import { type Department, DepartmentIdSchema } from './departments';

/**
 * Which platform owns a case first: "small matters stay in the community, big ones in the street,
 * hard ones are coordinated by the district" (小事不出社区、大事不出街道、难事区内统筹).
 */
export const DutyLevelSchema = z.enum(['community', 'street', 'district']);
export type DutyLevel = z.infer<typeof DutyLevelSchema>;

/**
 * Working time follows the tenant's calendar (weekends, holidays, make-up working days); natural
 * time runs around the clock, which is what emergencies need.
 */
export const TimeLimitSchema = z.strictObject({
  amount: z.number().int().positive().max(999),
  unit: z.enum(['hours', 'days']),
  basis: z.enum(['working', 'natural']),
});
export type TimeLimit = z.infer<typeof TimeLimitSchema>;

export const DutyEntrySchema = z.strictObject({
  categoryCode: CategoryCodeSchema,
  departmentId: DepartmentIdSchema,
  level: DutyLevelSchema,
  handlingLimit: TimeLimitSchema,
  /** Time from registration to dispatch; absent means the tenant's general dispatch limit applies. */
  dispatchLimit: TimeLimitSchema.optional(),
  /**
   * Where this entry applies (org-unit codes); absent means the whole city. Lets a category go to
   * each street's own team, as long as no two entries of a category cover the same place.
   */
  areas: z.array(OrgCodeSchema).min(1).max(200).optional(),
  notes: z.string().trim().min(1).max(500).optional(),
});
export type DutyEntry = z.infer<typeof DutyEntrySchema>;

/** Cases record the version that routed them, so the version also names a merged catalog. */
export const CatalogVersionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, 'a version label such as 2024.1 or 2024.1+3');

/**
 * The catalog carries its categories so that it can be checked on its own: an entry whose
 * category is not in the same catalog is an error, not a silent misroute.
 */
export const DutyCatalogSchema = z.strictObject({
  version: CatalogVersionSchema,
  categories: z.array(CategorySchema).max(2000),
  entries: z.array(DutyEntrySchema).max(5000),
});
export type DutyCatalog = z.infer<typeof DutyCatalogSchema>;

// ---------------------------------------------------------------------------------------------
// Problems

export const catalogProblemCodes = [
  'duplicate_category',
  'category_code_mismatch',
  'inconsistent_major_class',
  'duplicate_department',
  'unknown_category',
  'unknown_department',
  'duplicate_entry',
  'non_positive_limit',
  'invalid_limit',
  'department_outside_area',
  'conflicting_override',
  'unrouted_category',
] as const;
export type CatalogProblemCode = (typeof catalogProblemCodes)[number];

/** Errors make a catalog unusable for automatic dispatch; warnings only mean manual routing. */
export interface CatalogProblem {
  code: CatalogProblemCode;
  severity: 'error' | 'warning';
  message: string;
  categoryCode?: string;
  departmentId?: string;
  /** Where the problem sits, as in zod issues: ['entries', 3] or ['categories', 0]. */
  path?: (string | number)[];
}

// ---------------------------------------------------------------------------------------------
// Tenant overrides

/** Removes every entry of a category; the category stays, and its cases are routed by hand. */
export const DisabledDutyEntrySchema = z.strictObject({
  categoryCode: CategoryCodeSchema,
  disabled: z.literal(true),
});

export const TenantDutyOverrideSchema = z.union([DutyEntrySchema, DisabledDutyEntrySchema]);
export type TenantDutyOverride = z.infer<typeof TenantDutyOverrideSchema>;

const isEntryRemoval = (override: TenantDutyOverride): override is z.infer<typeof DisabledDutyEntrySchema> =>
  'disabled' in override;

export interface TenantCatalogOverrides {
  version: string;
  categories?: TenantCategoryOverride[];
  entries?: TenantDutyOverride[];
}

/**
 * Overrides of one tenant must say one thing per code: a category given twice, or a category's
 * entries both replaced and disabled, has no single meaning.
 */
export const overrideProblems = (overrides: TenantCatalogOverrides): CatalogProblem[] => {
  const problems: CatalogProblem[] = [];
  const seenCategories = new Set<string>();
  (overrides.categories ?? []).forEach((override, index) => {
    if (seenCategories.has(override.code)) {
      problems.push({
        code: 'conflicting_override',
        severity: 'error',
        message: `category ${override.code} is overridden more than once`,
        categoryCode: override.code,
        path: ['categories', index],
      });
    }
    seenCategories.add(override.code);
  });
  const entryKinds = new Map<string, 'disabled' | 'entries'>();
  (overrides.entries ?? []).forEach((override, index) => {
    const kind = isEntryRemoval(override) ? 'disabled' : 'entries';
    const previous = entryKinds.get(override.categoryCode);
    if (previous !== undefined && (previous === 'disabled' || kind === 'disabled')) {
      problems.push({
        code: 'conflicting_override',
        severity: 'error',
        message: `entries of ${override.categoryCode} are both disabled and given, or disabled twice`,
        categoryCode: override.categoryCode,
        path: ['entries', index],
      });
    }
    entryKinds.set(override.categoryCode, previous === 'disabled' ? previous : kind);
  });
  return problems;
};

export const TenantCatalogOverridesSchema = z
  .strictObject({
    version: CatalogVersionSchema,
    categories: z.array(TenantCategoryOverrideSchema).max(2000).default([]),
    entries: z.array(TenantDutyOverrideSchema).max(5000).default([]),
  })
  .superRefine((overrides, ctx) => {
    for (const problem of overrideProblems(overrides)) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path ?? [] });
    }
  });

/**
 * The tenant's catalog: defaults with the tenant's categories added, replaced or removed, and
 * every category whose entries the tenant gives (or disables) taking the tenant's entries in
 * place of the defaults. Entries of a removed category go with it unless the tenant gives new
 * ones. Pure: the inputs are not changed.
 */
export const mergeCatalog = (defaults: DutyCatalog, overrides: TenantCatalogOverrides): DutyCatalog => {
  const conflicts = overrideProblems(overrides);
  if (conflicts.length > 0)
    throw new ValidationError('conflicting catalog overrides', { problems: conflicts });

  const categories = new Map<string, Category>(
    defaults.categories.map((category) => [category.code, category]),
  );
  const removedCategories = new Set<string>();
  for (const override of overrides.categories ?? []) {
    if (isCategoryRemoval(override)) {
      categories.delete(override.code);
      removedCategories.add(override.code);
    } else {
      categories.set(override.code, override);
    }
  }

  const tenantEntries = new Map<string, DutyEntry[]>();
  for (const override of overrides.entries ?? []) {
    const group = tenantEntries.get(override.categoryCode) ?? [];
    if (!isEntryRemoval(override)) group.push(override);
    tenantEntries.set(override.categoryCode, group);
  }

  // A replaced group takes the place of the first default entry of its category, so the merged
  // order stays close to the defaults and is the same on every run.
  const entries: DutyEntry[] = [];
  const placed = new Set<string>();
  for (const entry of defaults.entries) {
    const group = tenantEntries.get(entry.categoryCode);
    if (group === undefined) {
      if (!removedCategories.has(entry.categoryCode)) entries.push(entry);
    } else if (!placed.has(entry.categoryCode)) {
      entries.push(...group);
      placed.add(entry.categoryCode);
    }
  }
  for (const [categoryCode, group] of tenantEntries) {
    if (!placed.has(categoryCode)) entries.push(...group);
  }

  return {
    version: `${defaults.version}+${overrides.version}`,
    categories: [...categories.values()],
    entries,
  };
};

// ---------------------------------------------------------------------------------------------
// Validation

const limitProblems = (
  entry: DutyEntry,
  index: number,
  field: 'handlingLimit' | 'dispatchLimit',
): CatalogProblem[] => {
  const limit = entry[field];
  if (limit === undefined) return [];
  const what = field === 'handlingLimit' ? 'the handling limit' : 'the dispatch limit';
  const base = {
    severity: 'error' as const,
    categoryCode: entry.categoryCode,
    path: ['entries', index, field, 'amount'],
  };
  if (typeof limit.amount !== 'number' || !Number.isFinite(limit.amount) || !Number.isInteger(limit.amount)) {
    return [{ ...base, code: 'invalid_limit', message: `${what} must be a whole number` }];
  }
  if (limit.amount <= 0) {
    return [{ ...base, code: 'non_positive_limit', message: `${what} must be positive` }];
  }
  return [];
};

/** Two area lists overlap when some place falls under both; absent means everywhere. */
const areasOverlap = (a: string[] | undefined, b: string[] | undefined): boolean =>
  a === undefined || b === undefined || a.some((x) => b.some((y) => orgContains(x, y) || orgContains(y, x)));

const departmentServes = (department: Department, areas: string[] | undefined): boolean =>
  department.servesOrgCodes.length === 0 ||
  (areas?.every((area) => department.servesOrgCodes.some((served) => orgContains(served, area))) ?? false);

/**
 * Everything that would make automatic dispatch wrong or ambiguous. The catalog may come from
 * storage or a merge rather than through the schema, so limits are checked here too.
 */
export const validateCatalog = (catalog: DutyCatalog, departments: Department[]): CatalogProblem[] => {
  const problems: CatalogProblem[] = [];

  const categoryCodes = new Set<string>();
  const majorNames = new Map<string, { zh: string; en: string }>();
  catalog.categories.forEach((category, index) => {
    const at = { severity: 'error' as const, categoryCode: category.code, path: ['categories', index] };
    if (categoryCodes.has(category.code)) {
      problems.push({
        ...at,
        code: 'duplicate_category',
        message: `category ${category.code} is defined twice`,
      });
    }
    categoryCodes.add(category.code);
    if (!CategorySchema.safeParse(category).success) {
      problems.push({
        ...at,
        code: 'category_code_mismatch',
        message: `category ${category.code} does not match its type and class numbers`,
      });
    }
    const majorKey = `${category.type}:${category.major.code}`;
    const known = majorNames.get(majorKey);
    if (known === undefined) {
      majorNames.set(majorKey, category.major.name);
    } else if (known.zh !== category.major.name.zh || known.en !== category.major.name.en) {
      problems.push({
        ...at,
        code: 'inconsistent_major_class',
        message: `${category.type} major class ${category.major.code} has different names`,
      });
    }
  });

  const departmentsById = new Map<string, Department>();
  for (const department of departments) {
    if (departmentsById.has(department.id)) {
      problems.push({
        code: 'duplicate_department',
        severity: 'error',
        message: `department ${department.id} is listed more than once`,
        departmentId: department.id,
      });
    }
    departmentsById.set(department.id, department);
  }

  const routed = new Set<string>();
  catalog.entries.forEach((entry, index) => {
    if (!categoryCodes.has(entry.categoryCode)) {
      problems.push({
        code: 'unknown_category',
        severity: 'error',
        message: `entry for unknown category ${entry.categoryCode}`,
        categoryCode: entry.categoryCode,
        path: ['entries', index],
      });
    }
    const department = departmentsById.get(entry.departmentId);
    if (department === undefined) {
      problems.push({
        code: 'unknown_department',
        severity: 'error',
        message: `${entry.categoryCode} goes to unknown department ${entry.departmentId}`,
        categoryCode: entry.categoryCode,
        departmentId: entry.departmentId,
        path: ['entries', index],
      });
    } else if (!departmentServes(department, entry.areas)) {
      problems.push({
        code: 'department_outside_area',
        severity: 'error',
        message: `${entry.departmentId} does not serve every place where ${entry.categoryCode} sends it`,
        categoryCode: entry.categoryCode,
        departmentId: entry.departmentId,
        path: ['entries', index],
      });
    }
    problems.push(
      ...limitProblems(entry, index, 'handlingLimit'),
      ...limitProblems(entry, index, 'dispatchLimit'),
    );

    const earlier = catalog.entries
      .slice(0, index)
      .findIndex(
        (other) => other.categoryCode === entry.categoryCode && areasOverlap(other.areas, entry.areas),
      );
    if (earlier >= 0) {
      problems.push({
        code: 'duplicate_entry',
        severity: 'error',
        message: `${entry.categoryCode} has more than one entry for the same place (entries ${earlier} and ${index})`,
        categoryCode: entry.categoryCode,
        departmentId: entry.departmentId,
        path: ['entries', index],
      });
    }
    routed.add(entry.categoryCode);
  });

  for (const code of categoryCodes) {
    if (!routed.has(code)) {
      problems.push({
        code: 'unrouted_category',
        severity: 'warning',
        message: `category ${code} has no entry; its cases are routed by hand`,
        categoryCode: code,
      });
    }
  }
  return problems;
};

export const catalogErrors = (problems: CatalogProblem[]): CatalogProblem[] =>
  problems.filter((problem) => problem.severity === 'error');

/** For writes: a catalog with errors is refused as a whole, with every problem in the details. */
export const assertValidCatalog = (catalog: DutyCatalog, departments: Department[]): void => {
  const errors = catalogErrors(validateCatalog(catalog, departments));
  if (errors.length > 0) throw new ValidationError('the duty catalog has errors', { problems: errors });
};

// ---------------------------------------------------------------------------------------------
// Routing

export type UnroutedReason =
  /** The category is not in the catalog (unknown, or removed by the tenant). */
  | 'unknown_category'
  /** The category exists but no entry routes it. */
  | 'no_entry'
  /** The category's entries are limited to areas, and no place was given. */
  | 'place_required'
  /** The place lies outside every entry's areas. */
  | 'outside_areas'
  /** More than one entry applies; the catalog failed validation. */
  | 'ambiguous'
  | 'invalid_place';

export type RouteResult =
  | {
      kind: 'routed';
      categoryCode: string;
      departmentId: string;
      level: DutyLevel;
      handlingLimit: TimeLimit;
      dispatchLimit?: TimeLimit;
      /** The community, street or district that owns the case at the entry's level. */
      handlingOrgCode?: string;
      catalogVersion: string;
    }
  | {
      kind: 'unrouted';
      categoryCode: string;
      reason: UnroutedReason;
      /** The departments that matched, when the reason is 'ambiguous'. */
      candidates: string[];
    };

const dutyLevelLength: Record<DutyLevel, number> = {
  community: orgLevels.community,
  street: orgLevels.street,
  district: orgLevels.district,
};

/**
 * The department, level and time limit for a category at a place, or why the center has to route
 * the case by hand. Never picks between two matching entries: that would make the outcome
 * depend on entry order, which is exactly the bouncing between departments (推诿) the catalog
 * exists to end.
 */
export const routeCase = (catalog: DutyCatalog, categoryCode: string, place?: string): RouteResult => {
  const unrouted = (reason: UnroutedReason, candidates: string[] = []): RouteResult => ({
    kind: 'unrouted',
    categoryCode,
    reason,
    candidates,
  });
  if (place !== undefined && !OrgCodeSchema.safeParse(place).success) return unrouted('invalid_place');
  if (!catalog.categories.some((category) => category.code === categoryCode)) {
    return unrouted('unknown_category');
  }
  const entries = catalog.entries.filter((entry) => entry.categoryCode === categoryCode);
  if (entries.length === 0) return unrouted('no_entry');

  const applicable = entries.filter(
    (entry) =>
      entry.areas === undefined ||
      (place !== undefined && entry.areas.some((area) => orgContains(area, place))),
  );
  if (applicable.length > 1) {
    return unrouted(
      'ambiguous',
      applicable.map((entry) => entry.departmentId),
    );
  }
  const [entry] = applicable;
  if (entry === undefined) return unrouted(place === undefined ? 'place_required' : 'outside_areas');

  const length = dutyLevelLength[entry.level];
  return {
    kind: 'routed',
    categoryCode,
    departmentId: entry.departmentId,
    level: entry.level,
    handlingLimit: entry.handlingLimit,
    ...(entry.dispatchLimit === undefined ? {} : { dispatchLimit: entry.dispatchLimit }),
    ...(place !== undefined && place.length >= length ? { handlingOrgCode: place.slice(0, length) } : {}),
    catalogVersion: catalog.version,
  };
};
