import {
  CategoryCodeSchema,
  CategorySchema,
  DepartmentIdSchema,
  DepartmentSchema,
  DutyEntrySchema,
  DutyLevelSchema,
  OrgCodeSchema,
  PageQuerySchema,
  TenantCatalogOverridesSchema,
  TimeLimitSchema,
} from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';

const stamps = {
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** A new city rarely knows its contacts and service areas on day one, so both may be left out. */
export const CreateDepartmentSchema = DepartmentSchema.extend({
  contacts: DepartmentSchema.shape.contacts.default([]),
  servesOrgCodes: DepartmentSchema.shape.servesOrgCodes.default([]),
}).openapi('CreateDepartment');

export const UpdateDepartmentSchema = DepartmentSchema.omit({ id: true })
  .partial()
  .extend({
    /** The version the caller read; a concurrent change makes the update fail with 409. */
    version: z.number().int().positive(),
  })
  .refine((body) => Object.keys(body).length > 1, 'nothing to change')
  .openapi('UpdateDepartment');

export const DepartmentParamSchema = z.object({ departmentId: DepartmentIdSchema });

export const DepartmentViewSchema = DepartmentSchema.extend(stamps).openapi('Department');

export const DepartmentPageSchema = z
  .object({ items: z.array(DepartmentViewSchema), nextCursor: z.string().optional() })
  .openapi('DepartmentPage');

export { PageQuerySchema };

export const CatalogProblemSchema = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    categoryCode: z.string().optional(),
    departmentId: z.string().optional(),
    path: z.array(z.union([z.string(), z.number()])).optional(),
  })
  .openapi('CatalogProblem');

export const DutyCatalogViewSchema = z
  .object({ version: z.string(), categories: z.array(CategorySchema), entries: z.array(DutyEntrySchema) })
  .openapi('DutyCatalog');

export const CatalogViewSchema = z
  .object({
    /** The overrides item's version, 0 while the tenant has none: what the next PUT sends. */
    version: z.number().int(),
    catalog: DutyCatalogViewSchema,
    overrides: z.unknown().optional(),
    problems: z.array(CatalogProblemSchema),
  })
  .openapi('TenantCatalog');

/**
 * The overrides carry their own `version`, a label that names the merged catalog on the cases
 * it routes; the lock is the stored item's version, so the two travel side by side.
 */
export const PutOverridesSchema = z
  .strictObject({
    version: z.number().int().nonnegative(),
    overrides: TenantCatalogOverridesSchema,
  })
  .openapi('PutCatalogOverrides');

export const RouteQuerySchema = z.object({
  categoryCode: CategoryCodeSchema,
  orgCode: OrgCodeSchema.optional(),
});

export const RouteResultSchema = z
  .object({
    kind: z.enum(['routed', 'unrouted']),
    categoryCode: z.string(),
    departmentId: z.string().optional(),
    level: DutyLevelSchema.optional(),
    handlingLimit: TimeLimitSchema.optional(),
    dispatchLimit: TimeLimitSchema.optional(),
    handlingOrgCode: z.string().optional(),
    catalogVersion: z.string().optional(),
    reason: z.string().optional(),
    candidates: z.array(z.string()).optional(),
  })
  .openapi('CatalogRoute');

export const InstallDefaultsResultSchema = z
  .object({ created: z.number().int(), departmentIds: z.array(z.string()) })
  .openapi('InstalledDepartments');
