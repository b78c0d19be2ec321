import {
  ConflictError,
  type DutyCatalog,
  NotFoundError,
  orgContains,
  routeCase,
  type Target,
  ValidationError,
} from '@civicgrid/domain';
import { type StoredItem, type Versioned, versioned } from '@civicgrid/storage';
import { auditOp } from '../audit/audit-log';
import { tenantCatalog } from '../catalog/catalog-store';
import { findDepartment } from '../catalog/department-store';
import { transactOr } from '../catalog/service';
import { assertAllowed } from '../http/auth';
import type { WriteContext } from '../http/env';
import type { LocatorCache } from '../org/locator-cache';
import { type CityComponent, componentItem, findComponent } from './component-store';
import { qrPayloadOf } from './qr';

export type ComponentContext = WriteContext & { locators: LocatorCache };

export type ComponentView = Versioned<CityComponent>;

export const toComponentView = versioned<CityComponent>;

/** A component sits in its grid, and its owner department sees the components it maintains. */
export const componentTarget = (component: CityComponent): Omit<Target, 'tenantId'> => ({
  orgCode: component.gridCode,
  departmentIds: [component.ownerDepartmentId],
});

export interface ComponentInput {
  code: string;
  categoryCode: string;
  name?: string;
  location: [number, number];
  ownerDepartmentId?: string;
  status: CityComponent['status'];
}

/** Components are filed under the catalog's component classes, which route their cases. */
const assertComponentCategory = (catalog: DutyCatalog, code: string) => {
  const category = catalog.categories.find((c) => c.code === code);
  if (!category) {
    throw new ValidationError(`Category ${code} is not in this city's catalog.`, {
      code: 'unknown_category',
      field: 'categoryCode',
    });
  }
  if (category.type !== 'component') {
    throw new ValidationError(`Category ${code} is an event category, not a component one.`, {
      code: 'not_a_component_category',
      field: 'categoryCode',
    });
  }
};

/** The grid is derived, never given: the boundaries decide, so a component cannot be misfiled. */
const gridAt = async (ctx: ComponentContext, [lon, lat]: [number, number]) => {
  const found = await ctx.locators.locate(ctx.tenant, lon, lat);
  if (!found) {
    throw new ValidationError('The location lies in no grid of this city.', {
      code: 'outside_territory',
      field: 'location',
    });
  }
  return found.grid.code;
};

/** The named owner, or the department the catalog puts on duty for the category at that grid. */
const ownerFor = async (
  ctx: ComponentContext,
  catalog: DutyCatalog,
  component: { categoryCode: string; gridCode: string },
  requested: string | undefined,
) => {
  let id = requested;
  if (id === undefined) {
    const route = routeCase(catalog, component.categoryCode, component.gridCode);
    if (route.kind !== 'routed') {
      throw new ValidationError(`The catalog names no department for ${component.categoryCode} here.`, {
        code: 'owner_required',
        field: 'ownerDepartmentId',
        reason: route.reason,
      });
    }
    id = route.departmentId;
  }
  const department = await findDepartment(ctx.tenant, id);
  if (!department) {
    throw new ValidationError(`No department ${id} in this city.`, {
      code: 'unknown_department',
      field: 'ownerDepartmentId',
    });
  }
  const serves = department.data.servesOrgCodes;
  if (serves.length > 0 && !serves.some((code) => orgContains(code, component.gridCode))) {
    throw new ValidationError(`Department ${id} does not serve grid ${component.gridCode}.`, {
      code: 'department_outside_area',
      field: 'ownerDepartmentId',
    });
  }
  return id;
};

const audit = (ctx: ComponentContext, action: string, code: string, changes: Record<string, unknown>) =>
  auditOp(ctx.clock, {
    principal: ctx.principal,
    requestId: ctx.requestId,
    action,
    target: { type: 'component', id: code },
    changes,
  });

export const createComponent = async (ctx: ComponentContext, input: ComponentInput) => {
  const { catalog } = await tenantCatalog(ctx.tenant);
  assertComponentCategory(catalog, input.categoryCode);
  const gridCode = await gridAt(ctx, input.location);
  assertAllowed(ctx.principal, 'org.manage', { orgCode: gridCode });
  const ownerDepartmentId = await ownerFor(ctx, catalog, { ...input, gridCode }, input.ownerDepartmentId);
  const exists = () =>
    new ConflictError('already_exists', `Component ${input.code} already exists.`, { field: 'code' });
  if (await findComponent(ctx.tenant, input.code)) throw exists();
  const component: CityComponent = {
    code: input.code,
    categoryCode: input.categoryCode,
    ...(input.name ? { name: input.name } : {}),
    location: input.location,
    gridCode,
    ownerDepartmentId,
    status: input.status,
    qrPayload: qrPayloadOf(ctx.tenant.tenantId, input.code),
  };
  await transactOr(
    ctx.tenant,
    [
      { kind: 'create', item: componentItem(component) },
      audit(ctx, 'component.create', component.code, { ...component }),
    ],
    exists,
  );
  return toComponentView((await findComponent(ctx.tenant, component.code)) as StoredItem<CityComponent>);
};

export const updateComponent = async (
  ctx: ComponentContext,
  code: string,
  changes: Partial<Omit<ComponentInput, 'code'>> & { version: number },
) => {
  const current = await findComponent(ctx.tenant, code);
  if (!current) throw new NotFoundError(`Component ${code} not found.`);
  assertAllowed(ctx.principal, 'org.manage', componentTarget(current.data));
  const { version, ...fields } = changes;
  const stale = (currentVersion?: number) =>
    new ConflictError(
      'version_conflict',
      `Component ${code} was changed by someone else; reload and retry.`,
      currentVersion === undefined ? undefined : { currentVersion },
    );
  if (version !== current.version) throw stale(current.version);
  const { catalog } = await tenantCatalog(ctx.tenant);
  if (fields.categoryCode) assertComponentCategory(catalog, fields.categoryCode);
  const gridCode = fields.location ? await gridAt(ctx, fields.location) : current.data.gridCode;
  if (gridCode !== current.data.gridCode) assertAllowed(ctx.principal, 'org.manage', { orgCode: gridCode });
  const placed = { ...current.data, ...fields, gridCode };
  // A moved component keeps its owner, who must still serve the new grid.
  const next: CityComponent = {
    ...placed,
    ownerDepartmentId: await ownerFor(ctx, catalog, placed, placed.ownerDepartmentId),
  };
  await transactOr(
    ctx.tenant,
    [
      {
        kind: 'replace',
        item: componentItem(next),
        previous: { version, createdAt: current.createdAt },
      },
      audit(ctx, 'component.update', code, {
        ...fields,
        ...(gridCode !== current.data.gridCode ? { gridCode } : {}),
      }),
    ],
    () => stale(),
  );
  return toComponentView((await findComponent(ctx.tenant, code)) as StoredItem<CityComponent>);
};
