import { z } from 'zod';
import { CategoryCodeSchema } from '../catalog/categories';
import { DepartmentIdSchema } from '../catalog/departments';
import { OrgCodeSchema } from '../identity/scope';
import { IdSchema, TimestampSchema } from '../schemas/common';
import { caseChannels, caseStatuses } from './case';

const ReasonSchema = z.string().trim().min(1).max(500);
const NoteSchema = z.string().trim().min(1).max(1000);
const AttachmentIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'an attachment id');
const AttachmentIdsSchema = z.array(AttachmentIdSchema).max(20);
/**
 * Where the grid worker's device was when verifying or checking on site, WGS-84 [lon, lat]:
 * recorded with its distance from the case's point, so that "on site" can be seen.
 */
const DevicePositionSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const DepartmentIdsSchema = z
  .array(DepartmentIdSchema)
  .min(1)
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, 'department ids must be distinct');

export const CaseLocationSchema = z.strictObject({
  point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
  gridCode: OrgCodeSchema.refine((code) => code.length === 15, 'a grid code has 15 digits').optional(),
  address: z.string().trim().min(1).max(300).optional(),
});

export const ReportCommandSchema = z.strictObject({
  type: z.literal('report'),
  /** Minted by the caller so that decide stays pure and a retried report keeps its id. */
  caseId: IdSchema,
  channel: z.enum(caseChannels),
  description: z.string().trim().min(1).max(2000),
  categoryCode: CategoryCodeSchema.optional(),
  location: CaseLocationSchema,
  attachmentIds: AttachmentIdsSchema.default([]),
  /**
   * The street or district that runs the case; defaults to the street of the grid, so that
   * hotline reports too go round the small loop first.
   */
  handlingOrgCode: OrgCodeSchema.optional(),
  /** A hotline caller's reference (a hashed phone number, say); a caller without an account. */
  callerRef: z.string().trim().min(1).max(128).optional(),
  /** A hotline caller who has a citizen account, so that they can rate the case themselves. */
  reporterUserId: z.string().trim().min(1).max(128).optional(),
});

export const CaseCommandSchema = z.discriminatedUnion('type', [
  ReportCommandSchema,
  z.strictObject({
    type: z.literal('verify'),
    confirmed: z.boolean(),
    note: NoteSchema.optional(),
    attachmentIds: AttachmentIdsSchema.default([]),
    position: DevicePositionSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('register'),
    categoryCode: CategoryCodeSchema.optional(),
    note: NoteSchema.optional(),
  }),
  z.strictObject({ type: z.literal('reject'), reason: ReasonSchema }),
  z.strictObject({
    type: z.literal('dispatch'),
    departmentIds: DepartmentIdsSchema,
    /** The catalog version that routed the case; absent when the center routed it by hand. */
    catalogVersion: z.string().min(1).max(64).optional(),
    note: NoteSchema.optional(),
  }),
  z.strictObject({ type: z.literal('accept') }),
  z.strictObject({ type: z.literal('return'), reason: ReasonSchema }),
  z.strictObject({
    type: z.literal('handle'),
    result: z.string().trim().min(1).max(2000),
    evidenceIds: AttachmentIdsSchema.min(1),
  }),
  z.strictObject({ type: z.literal('startCheck') }),
  z.strictObject({
    type: z.literal('checkPass'),
    note: NoteSchema.optional(),
    attachmentIds: AttachmentIdsSchema.default([]),
    position: DevicePositionSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('checkFail'),
    reason: ReasonSchema,
    /** Whose results failed; absent means all of them. */
    departmentIds: DepartmentIdsSchema.optional(),
    attachmentIds: AttachmentIdsSchema.default([]),
    position: DevicePositionSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('evaluate'),
    satisfaction: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    comment: z.string().trim().min(1).max(500).optional(),
  }),
  z.strictObject({ type: z.literal('escalate'), reason: ReasonSchema }),
  z.strictObject({ type: z.literal('requestExtension'), reason: ReasonSchema, until: TimestampSchema }),
  z.strictObject({
    type: z.literal('approveExtension'),
    extensionId: z.number().int().positive(),
    /** The center may grant less than was asked. */
    until: TimestampSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('rejectExtension'),
    extensionId: z.number().int().positive(),
    reason: ReasonSchema,
  }),
  z.strictObject({ type: z.literal('suspend'), reason: ReasonSchema }),
  z.strictObject({ type: z.literal('resume'), note: NoteSchema.optional() }),
  z.strictObject({
    type: z.literal('merge'),
    /** The case this one duplicates, as loaded by the caller. */
    primary: z.object({
      id: IdSchema,
      tenantId: z.string(),
      status: z.enum(caseStatuses),
      handlingOrgCode: z.string(),
    }),
  }),
  z.strictObject({ type: z.literal('void'), reason: ReasonSchema }),
  z.strictObject({
    type: z.literal('urge'),
    message: z.string().trim().min(1).max(500),
    /** Urge only some of the dispatched departments; absent means all still working. */
    departmentIds: DepartmentIdsSchema.optional(),
  }),
  z.strictObject({ type: z.literal('acknowledgeUrging'), urgingId: z.number().int().positive() }),
]);

/** What callers send: defaults (empty attachment lists) may be left out. */
export type CaseCommandInput = z.input<typeof CaseCommandSchema>;
export type CaseCommand = z.output<typeof CaseCommandSchema>;
export type CaseCommandType = CaseCommand['type'];
export type CommandOf<T extends CaseCommandType> = Extract<CaseCommand, { type: T }>;

export const caseCommandTypes = CaseCommandSchema.options.map(
  (option) => option.shape.type.value,
) as CaseCommandType[];
