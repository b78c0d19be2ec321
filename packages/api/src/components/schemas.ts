import { CategoryCodeSchema, DepartmentIdSchema, PageQuerySchema } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';

export const ComponentCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,40}$/, 'component code: 1-40 letters, digits or dashes');

const LocationSchema = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .openapi({ description: 'WGS84 [longitude, latitude]' });

const StatusSchema = z.enum(['in_service', 'damaged', 'removed']);

const GridCodeSchema = z.string().regex(/^\d{15}$/, 'a grid code has 15 digits');

export const CreateComponentSchema = z
  .strictObject({
    // 'resolve' is a path of its own (/v1/components/resolve), so no component may take it.
    code: ComponentCodeSchema.refine((code) => code !== 'resolve', "'resolve' is reserved"),
    categoryCode: CategoryCodeSchema,
    name: z.string().trim().min(1).max(60).optional(),
    location: LocationSchema,
    /** Absent: the department the duty catalog sends this category to at the component's place. */
    ownerDepartmentId: DepartmentIdSchema.optional(),
    status: StatusSchema.default('in_service'),
  })
  .openapi('CreateComponent');

export const UpdateComponentSchema = z
  .strictObject({
    version: z.number().int().positive(),
    categoryCode: CategoryCodeSchema.optional(),
    name: z.string().trim().min(1).max(60).optional(),
    location: LocationSchema.optional(),
    ownerDepartmentId: DepartmentIdSchema.optional(),
    status: StatusSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 1, 'nothing to change')
  .openapi('UpdateComponent');

export const ComponentParamSchema = z.object({ code: ComponentCodeSchema });

export const ComponentListQuerySchema = PageQuerySchema.extend({ gridCode: GridCodeSchema });

export const ResolveQuerySchema = z.object({ qr: z.string().min(1).max(200) });

export const ComponentViewSchema = z
  .object({
    code: z.string(),
    categoryCode: z.string(),
    name: z.string().optional(),
    location: z.tuple([z.number(), z.number()]),
    gridCode: z.string(),
    ownerDepartmentId: z.string(),
    status: StatusSchema,
    qrPayload: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CityComponent');

export const ComponentPageSchema = z
  .object({ items: z.array(ComponentViewSchema), nextCursor: z.string().optional() })
  .openapi('CityComponentPage');
