import {
  type AppError,
  type CatalogProblem,
  ConflictError,
  catalogErrors,
  type Department,
  type DutyCatalog,
  defaultDepartments,
  defaultDutyCatalog,
  mergeCatalog,
  NotFoundError,
  type TenantCatalogOverrides,
  ValidationError,
  validateCatalog,
} from '@civicgrid/domain';
import {
  type StoredItem,
  type TenantStore,
  type TransactOp,
  type Versioned,
  versioned,
} from '@civicgrid/storage';
import { auditOp } from '../audit/audit-log';
import type { WriteContext } from '../http/env';
import { findUnit } from '../org/unit-store';
import { findOverrides, overridesItem, tenantCatalog } from './catalog-store';
import { allDepartments, departmentItem, findDepartment } from './department-store';

export type CatalogContext = WriteContext;

export type DepartmentView = Versioned<Department>;

export const toDepartmentView = versioned<Department>;

const audit = (
  ctx: CatalogContext,
  action: string,
  target: { type: 'department' | 'catalog'; id: string },
  changes?: Record<string, unknown>,
) =>
  auditOp(ctx.clock, {
    principal: ctx.principal,
    requestId: ctx.requestId,
    action,
    target,
    ...(changes ? { changes } : {}),
  });

/** `currentVersion` only when it was read; after a lost race the winner's version is unknown. */
const stale = (what: string, currentVersion?: number) =>
  new ConflictError(
    'version_conflict',
    `${what} was changed by someone else; reload and retry.`,
    currentVersion === undefined ? undefined : { currentVersion },
  );

/**
 * The audit entry has a fresh id, so when a write transaction is cancelled the cause is the
 * write's own condition (the create claim or the lock), which `explain` names for the client.
 */
export const transactOr = async (tenant: TenantStore, ops: TransactOp[], explain: () => AppError) => {
  try {
    await tenant.transact(ops);
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'transaction_conflict') throw explain();
    throw error;
  }
};

/** A department serving a place the city does not have would never receive its cases. */
const assertUnitsExist = async (tenant: TenantStore, codes: readonly string[]) => {
  const units = await Promise.all(codes.map((code) => findUnit(tenant, code)));
  const missing = codes.filter((_, i) => units[i]?.data.status !== 'active');
  if (missing.length > 0) {
    throw new ValidationError(`No unit ${missing.join(', ')} in this city.`, {
      code: 'unknown_org_unit',
      field: 'servesOrgCodes',
      codes: missing,
    });
  }
};

export const createDepartment = async (ctx: CatalogContext, input: Department): Promise<DepartmentView> => {
  await assertUnitsExist(ctx.tenant, input.servesOrgCodes);
  const exists = () =>
    new ConflictError('already_exists', `Department ${input.id} already exists.`, { field: 'id' });
  if (await findDepartment(ctx.tenant, input.id)) throw exists();
  await transactOr(
    ctx.tenant,
    [
      { kind: 'create', item: departmentItem(input) },
      audit(ctx, 'department.create', { type: 'department', id: input.id }, input),
    ],
    exists,
  );
  return toDepartmentView((await findDepartment(ctx.tenant, input.id)) as StoredItem<Department>);
};

const problemKey = (p: CatalogProblem) =>
  `${p.code}|${p.categoryCode ?? ''}|${p.departmentId ?? ''}|${p.path?.join('.') ?? ''}`;

/**
 * Narrowing where a department serves can leave catalog entries pointing at it in places it no
 * longer covers; such a change is refused with those entries. Problems the catalog already had
 * are not this change's doing and do not block it.
 */
const assertCatalogStillRoutes = async (ctx: CatalogContext, before: Department, after: Department) => {
  const { catalog } = await tenantCatalog(ctx.tenant);
  const others = (await allDepartments(ctx.tenant)).map((d) => d.data).filter((d) => d.id !== before.id);
  const known = new Set(catalogErrors(validateCatalog(catalog, [...others, before])).map(problemKey));
  const introduced = catalogErrors(validateCatalog(catalog, [...others, after])).filter(
    (p) => !known.has(problemKey(p)),
  );
  if (introduced.length > 0) {
    throw new ValidationError(`The change leaves ${introduced.length} duty catalog entries unroutable.`, {
      code: 'invalid_catalog',
      problems: introduced,
    });
  }
};

export const updateDepartment = async (
  ctx: CatalogContext,
  id: string,
  changes: Partial<Omit<Department, 'id'>> & { version: number },
): Promise<DepartmentView> => {
  const current = await findDepartment(ctx.tenant, id);
  if (!current) throw new NotFoundError(`Department ${id} not found.`);
  const { version, ...fields } = changes;
  if (version !== current.version) throw stale(`Department ${id}`, current.version);
  const next: Department = { ...current.data, ...fields };
  if (fields.servesOrgCodes) {
    await assertUnitsExist(ctx.tenant, fields.servesOrgCodes);
    await assertCatalogStillRoutes(ctx, current.data, next);
  }
  await transactOr(
    ctx.tenant,
    [
      { kind: 'replace', item: departmentItem(next), previous: { version, createdAt: current.createdAt } },
      audit(ctx, 'department.update', { type: 'department', id }, fields),
    ],
    () => stale(`Department ${id}`),
  );
  return toDepartmentView((await findDepartment(ctx.tenant, id)) as StoredItem<Department>);
};

/**
 * Installs the "1+5+N" default departments the tenant lacks, so a new city can route with the
 * default catalog at once. Safe to repeat; departments the city already has (perhaps edited)
 * are left alone. A concurrent install that wins the race is simply read again.
 */
export const installDefaultDepartments = async (
  ctx: CatalogContext,
  retried = false,
): Promise<{ created: number; departmentIds: string[] }> => {
  const found = await Promise.all(defaultDepartments.map((d) => findDepartment(ctx.tenant, d.id)));
  const missing = defaultDepartments.filter((_, i) => !found[i]);
  if (missing.length === 0) return { created: 0, departmentIds: [] };
  try {
    await ctx.tenant.transact(
      missing.flatMap((department) => [
        { kind: 'create', item: departmentItem(department) } as const,
        audit(
          ctx,
          'department.create',
          { type: 'department', id: department.id },
          { ...department, source: 'defaults' },
        ),
      ]),
    );
  } catch (error) {
    if (!retried && error instanceof ConflictError && error.code === 'transaction_conflict') {
      return installDefaultDepartments(ctx, true);
    }
    throw error;
  }
  return { created: missing.length, departmentIds: missing.map((d) => d.id) };
};

export interface CatalogView {
  version: number;
  catalog: DutyCatalog;
  overrides?: TenantCatalogOverrides;
  problems: CatalogProblem[];
}

/** The merged catalog with everything that keeps it from routing automatically in this city. */
export const readCatalog = async (tenant: TenantStore): Promise<CatalogView> => {
  const { catalog, overrides } = await tenantCatalog(tenant);
  const departments = (await allDepartments(tenant)).map((d) => d.data);
  return {
    version: overrides?.version ?? 0,
    catalog,
    ...(overrides ? { overrides: overrides.data } : {}),
    problems: validateCatalog(catalog, departments),
  };
};

/** Codes whose override differs between two sets: what an audit reader wants to know. */
const changedCodes = <T>(before: readonly T[], after: readonly T[], codeOf: (item: T) => string) => {
  const group = (items: readonly T[]) => {
    const groups = new Map<string, string[]>();
    for (const item of items) {
      const code = codeOf(item);
      groups.set(code, [...(groups.get(code) ?? []), JSON.stringify(item)]);
    }
    return groups;
  };
  const [a, b] = [group(before), group(after)];
  return [...new Set([...a.keys(), ...b.keys()])].filter(
    (code) => JSON.stringify(a.get(code)) !== JSON.stringify(b.get(code)),
  );
};

/**
 * Replaces the tenant's overrides as a whole. The merged result must route without errors
 * against the city's departments: a catalog that sends a category nowhere would only show up
 * later, as a case nobody receives.
 */
export const putOverrides = async (
  ctx: CatalogContext,
  input: { version: number; overrides: TenantCatalogOverrides },
): Promise<CatalogView> => {
  const current = await findOverrides(ctx.tenant);
  const currentVersion = current?.version ?? 0;
  if (input.version !== currentVersion) throw stale('The duty catalog', currentVersion);
  const catalog = mergeCatalog(defaultDutyCatalog, input.overrides);
  const departments = (await allDepartments(ctx.tenant)).map((d) => d.data);
  const errors = catalogErrors(validateCatalog(catalog, departments));
  if (errors.length > 0) {
    throw new ValidationError(`The duty catalog would have ${errors.length} error(s).`, {
      code: 'invalid_catalog',
      problems: errors,
    });
  }
  const item = overridesItem(input.overrides);
  await transactOr(
    ctx.tenant,
    [
      current ? { kind: 'replace', item, previous: current } : { kind: 'create', item },
      audit(
        ctx,
        'catalog.update',
        { type: 'catalog', id: 'overrides' },
        {
          version: input.overrides.version,
          categories: changedCodes(
            current?.data.categories ?? [],
            input.overrides.categories ?? [],
            (c) => c.code,
          ),
          entries: changedCodes(
            current?.data.entries ?? [],
            input.overrides.entries ?? [],
            (e) => e.categoryCode,
          ),
        },
      ),
    ],
    () => stale('The duty catalog'),
  );
  return readCatalog(ctx.tenant);
};
