import {
  AppError,
  ConflictError,
  codeProblem,
  districtBelongsToTenant,
  NotFoundError,
  type OrgLevel,
  orgLevelOf,
  parentCodeOf,
  ValidationError,
} from '@civicgrid/domain';
import {
  areaM2,
  checkChildren,
  type GeometryProblem,
  type GridGeometry,
  validateGeometry,
} from '@civicgrid/geo';
import type { Store, StoredItem, TransactOp } from '@civicgrid/storage';
import { auditOp } from '../audit/audit-log';
import type { WriteContext } from '../http/env';
import { findTenant } from '../tenants/tenant-store';
import { placeParts } from '../users/user-store';
import {
  bumpGeoVersion,
  childrenOf,
  findUnit,
  type OrgUnit,
  type UnitHistoryEntry,
  unitItem,
} from './unit-store';

/** Org writes also read the platform's tenant registry (the city's division code). */
export type OrgContext = WriteContext & { store: Store };

export interface UnitInput {
  code: string;
  name: string;
  gridKind?: 'basic' | 'exclusive';
  geometry?: unknown;
  roster?: OrgUnit['roster'];
  supervisors?: string[];
}

const geometryRejected = (problems: GeometryProblem[]) =>
  new ValidationError(`The boundary has ${problems.length} problem(s).`, {
    code: 'invalid_boundary',
    problems,
  });

/** A unit's level, parent and place in the tenant, or a 400 that says which rule failed. */
export const placeOf = async (ctx: OrgContext, code: string) => {
  const level = orgLevelOf(code);
  if (!level) throw new ValidationError('An org-unit code has 6, 9, 12 or 15 digits.', { field: 'code' });
  const parentCode = parentCodeOf(code);
  const problem = codeProblem(code, level, parentCode);
  if (problem) throw new ValidationError(`Invalid code ${code}: ${problem}.`, { field: 'code' });
  if (level === 'district') {
    const tenant = await findTenant(ctx.store, ctx.tenant.tenantId);
    if (!tenant || !districtBelongsToTenant(code, tenant.data.divisionCode)) {
      throw new ValidationError(`District ${code} is not part of this city.`, { field: 'code' });
    }
    return { level, parentCode, parent: undefined };
  }
  const parent = await findUnit(ctx.tenant, parentCode as string);
  if (parent?.data.status !== 'active') {
    throw new ValidationError(`The parent unit ${parentCode} does not exist.`, { code: 'parent_not_found' });
  }
  return { level, parentCode, parent };
};

const normalisedGeometry = (input: unknown, code: string): GridGeometry => {
  const { geometry, problems } = validateGeometry(input, code);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !geometry) throw geometryRejected(errors);
  return geometry;
};

/**
 * Checks a unit's new boundary against its parent, its siblings and its own children;
 * only problems that involve this unit are raised.
 */
const assertFits = async (
  ctx: OrgContext,
  unit: { code: string; geometry: GridGeometry; parentCode?: string },
  parent: StoredItem<OrgUnit> | undefined,
) => {
  const siblings = (await childrenOf(ctx.tenant, unit.parentCode)).filter(
    (s) => s.data.code !== unit.code && s.data.geometry,
  );
  const shapes = [
    ...siblings.map((s) => ({ code: s.data.code, geometry: s.data.geometry as GridGeometry })),
    { code: unit.code, geometry: unit.geometry },
  ];
  const asParent = parent?.data.geometry
    ? { code: parent.data.code, geometry: parent.data.geometry }
    : undefined;
  const problems = checkChildren(asParent, shapes).problems.filter(
    (p) => p.severity === 'error' && (p.featureCode === unit.code || p.otherCode === unit.code),
  );
  const children = (await childrenOf(ctx.tenant, unit.code)).filter((c) => c.data.geometry);
  problems.push(
    ...checkChildren(
      { code: unit.code, geometry: unit.geometry },
      children.map((c) => ({ code: c.data.code, geometry: c.data.geometry as GridGeometry })),
    ).problems.filter((p) => p.severity === 'error' && p.code === 'outside_parent'),
  );
  if (problems.length > 0) throw geometryRejected(problems);
};

const historyEntry = (ctx: OrgContext, action: UnitHistoryEntry['action'], from?: string, to?: string) => ({
  at: ctx.clock.now().toISOString(),
  by: ctx.principal.userId,
  action,
  ...(from === undefined ? {} : { from }),
  ...(to === undefined ? {} : { to }),
});

const audit = (ctx: OrgContext, action: string, code: string, changes?: Record<string, unknown>) =>
  auditOp(ctx.clock, {
    principal: ctx.principal,
    requestId: ctx.requestId,
    action,
    target: { type: 'org-unit', id: code },
    ...(changes ? { changes } : {}),
  });

const gridFields = (level: OrgLevel, input: Partial<UnitInput>) => {
  if (level !== 'grid' && (input.gridKind || input.roster || input.supervisors)) {
    throw new ValidationError('Only grids have a grid kind, a roster and supervisors.', { field: 'level' });
  }
  return level === 'grid' ? { gridKind: input.gridKind ?? 'basic' } : {};
};

export const createUnit = async (ctx: OrgContext, input: UnitInput): Promise<StoredItem<OrgUnit>> => {
  const { level, parentCode, parent } = await placeOf(ctx, input.code);
  if (await findUnit(ctx.tenant, input.code)) {
    throw new ConflictError('already_exists', `Unit ${input.code} already exists.`, { field: 'code' });
  }
  const geometry = input.geometry === undefined ? undefined : normalisedGeometry(input.geometry, input.code);
  if (geometry) await assertFits(ctx, { code: input.code, geometry, parentCode }, parent);
  const unit: OrgUnit = {
    code: input.code,
    name: input.name,
    level,
    ...(parentCode ? { parentCode } : {}),
    ...gridFields(level, input),
    ...(geometry ? { geometry, areaM2: Math.round(areaM2(geometry)) } : {}),
    ...(input.roster ? { roster: input.roster } : {}),
    ...(input.supervisors ? { supervisors: input.supervisors } : {}),
    status: 'active',
    history: [historyEntry(ctx, 'create')],
  };
  await ctx.tenant.transact([
    { kind: 'create', item: unitItem(unit) },
    ...(geometry ? [await bumpGeoVersion(ctx.tenant)] : []),
    audit(ctx, 'org.create', unit.code, { name: unit.name, level }),
  ]);
  return (await findUnit(ctx.tenant, unit.code)) as StoredItem<OrgUnit>;
};

const loadActive = async (ctx: OrgContext, code: string) => {
  const current = await findUnit(ctx.tenant, code);
  if (current?.data.status !== 'active') throw new NotFoundError(`Unit ${code} not found.`);
  return current;
};

export const updateUnit = async (
  ctx: OrgContext,
  code: string,
  changes: Partial<Omit<UnitInput, 'code'>> & { version: number },
): Promise<StoredItem<OrgUnit>> => {
  const current = await loadActive(ctx, code);
  const { version, geometry: geometryInput, ...fields } = changes;
  const unit: OrgUnit = {
    ...current.data,
    ...fields,
    ...gridFields(current.data.level, { ...current.data, ...fields }),
  };
  const history = [...current.data.history];
  if (fields.name && fields.name !== current.data.name) {
    history.push(historyEntry(ctx, 'rename', current.data.name, fields.name));
  }
  if (geometryInput !== undefined) {
    const geometry = normalisedGeometry(geometryInput, code);
    const parent = unit.parentCode ? await findUnit(ctx.tenant, unit.parentCode) : undefined;
    await assertFits(ctx, { code, geometry, parentCode: unit.parentCode }, parent);
    unit.geometry = geometry;
    unit.areaM2 = Math.round(areaM2(geometry));
    history.push(historyEntry(ctx, 'boundary'));
  }
  unit.history = history;
  await ctx.tenant.transact([
    { kind: 'replace', item: unitItem(unit), previous: { version, createdAt: current.createdAt } },
    ...(geometryInput !== undefined ? [await bumpGeoVersion(ctx.tenant)] : []),
    audit(ctx, 'org.update', code, {
      ...fields,
      ...(geometryInput !== undefined ? { geometry: 'changed' } : {}),
    }),
  ]);
  return (await findUnit(ctx.tenant, code)) as StoredItem<OrgUnit>;
};

/** Work that keeps a unit from going: its children and the users scoped to it. */
const assertUnused = async (ctx: OrgContext, unit: OrgUnit) => {
  const children = await childrenOf(ctx.tenant, unit.code);
  if (children.length > 0) {
    throw new AppError('has_children', `Unit ${unit.code} still has ${children.length} child unit(s).`, {
      children: children.slice(0, 20).map((c) => c.data.code),
    });
  }
  const users = await ctx.tenant.query({
    index: 'GSI2',
    pk: ['users-by-place'],
    skBeginsWith: [...placeParts({ kind: 'org', code: unit.code })],
    limit: 1,
  });
  if (users.items.length > 0) {
    throw new AppError('unit_in_use', `Users are still assigned to unit ${unit.code}.`);
  }
};

/** Moves a unit under another parent: it gets the code of its new place, and the old code remembers where it went. */
export const moveUnit = async (
  ctx: OrgContext,
  code: string,
  input: { version: number; newCode: string },
): Promise<StoredItem<OrgUnit>> => {
  const current = await loadActive(ctx, code);
  const { level, parentCode, parent } = await placeOf(ctx, input.newCode);
  if (level !== current.data.level) {
    throw new ValidationError(`A ${current.data.level} moves to a ${current.data.level} code.`, {
      field: 'newCode',
    });
  }
  if (await findUnit(ctx.tenant, input.newCode)) {
    throw new ConflictError('already_exists', `Unit ${input.newCode} already exists.`, { field: 'newCode' });
  }
  await assertUnused(ctx, current.data);
  const geometry = current.data.geometry;
  if (geometry) await assertFits(ctx, { code: input.newCode, geometry, parentCode }, parent);
  const moved: OrgUnit = {
    ...current.data,
    code: input.newCode,
    ...(parentCode ? { parentCode } : {}),
    history: [...current.data.history, historyEntry(ctx, 'move', code, input.newCode)],
  };
  const retired: OrgUnit = {
    ...current.data,
    status: 'retired',
    movedTo: input.newCode,
    history: [...current.data.history, historyEntry(ctx, 'move', code, input.newCode)],
  };
  await ctx.tenant.transact([
    { kind: 'create', item: unitItem(moved) },
    {
      kind: 'replace',
      item: unitItem(retired),
      previous: { version: input.version, createdAt: current.createdAt },
    },
    ...(geometry ? [await bumpGeoVersion(ctx.tenant)] : []),
    audit(ctx, 'org.move', code, { newCode: input.newCode }),
  ]);
  return (await findUnit(ctx.tenant, input.newCode)) as StoredItem<OrgUnit>;
};

/** Units are retired, not erased, so that history and old references still resolve. */
export const retireUnit = async (
  ctx: OrgContext,
  code: string,
  version: number,
): Promise<StoredItem<OrgUnit>> => {
  const current = await loadActive(ctx, code);
  await assertUnused(ctx, current.data);
  const retired: OrgUnit = {
    ...current.data,
    status: 'retired',
    history: [...current.data.history, historyEntry(ctx, 'retire')],
  };
  const ops: TransactOp[] = [
    { kind: 'replace', item: unitItem(retired), previous: { version, createdAt: current.createdAt } },
    ...(current.data.geometry ? [await bumpGeoVersion(ctx.tenant)] : []),
    audit(ctx, 'org.retire', code),
  ];
  await ctx.tenant.transact(ops);
  return (await findUnit(ctx.tenant, code)) as StoredItem<OrgUnit>;
};
