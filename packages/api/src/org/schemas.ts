import { OrgCodeSchema } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';

const MemberSchema = z.strictObject({
  name: z.string().trim().min(1).max(40),
  phone: z
    .string()
    .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, 'a mainland mobile or landline number')
    .optional(),
  userId: z.string().max(40).optional(),
});

export const RosterSchema = z
  .strictObject({
    liaison: MemberSchema.optional(),
    gridHead: MemberSchema.optional(),
    fullTime: z.array(MemberSchema).max(20).default([]),
    partTime: z.array(MemberSchema).max(50).default([]),
    volunteers: z.array(MemberSchema).max(200).default([]),
  })
  .openapi('Roster');

/** Geometry is checked by the geo package, which reports every problem with its location. */
const GeometryInputSchema = z
  .object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) })
  .passthrough()
  .openapi('Geometry', { description: 'GeoJSON Polygon or MultiPolygon, WGS84 longitude/latitude' });

export const CreateUnitSchema = z
  .strictObject({
    code: OrgCodeSchema,
    name: z.string().trim().min(1).max(60),
    gridKind: z.enum(['basic', 'exclusive']).optional(),
    geometry: GeometryInputSchema.optional(),
    roster: RosterSchema.optional(),
    supervisors: z.array(z.string().min(1).max(40)).min(1).max(2).optional(),
  })
  .openapi('CreateOrgUnit');

export const UpdateUnitSchema = z
  .strictObject({
    version: z.number().int().positive(),
    name: z.string().trim().min(1).max(60).optional(),
    gridKind: z.enum(['basic', 'exclusive']).optional(),
    geometry: GeometryInputSchema.optional(),
    roster: RosterSchema.optional(),
    supervisors: z.array(z.string().min(1).max(40)).min(1).max(2).optional(),
  })
  .refine((body) => Object.keys(body).length > 1, 'nothing to change')
  .openapi('UpdateOrgUnit');

export const MoveUnitSchema = z
  .strictObject({ version: z.number().int().positive(), newCode: OrgCodeSchema })
  .openapi('MoveOrgUnit');

export const UnitParamSchema = z.object({ code: OrgCodeSchema });

export const ProblemSchema = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    featureCode: z.string().optional(),
    otherCode: z.string().optional(),
    featureIndex: z.number().int().optional(),
    location: z.tuple([z.number(), z.number()]).optional(),
    areaM2: z.number().optional(),
  })
  .openapi('GeometryProblem');

export const UnitViewSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(['district', 'street', 'community', 'grid']),
    parentCode: z.string().optional(),
    kind: z.string().optional(),
    gridKind: z.enum(['basic', 'exclusive']).optional(),
    geometry: z.unknown().optional(),
    areaM2: z.number().optional(),
    status: z.enum(['active', 'retired']),
    movedTo: z.string().optional(),
    roster: RosterSchema.optional(),
    supervisors: z.array(z.string()).optional(),
    staffing: z.object({ model: z.string(), complete: z.boolean(), missing: z.array(z.string()) }).optional(),
    history: z.array(z.record(z.string(), z.unknown())),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('OrgUnit');
