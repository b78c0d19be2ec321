import { z } from 'zod';
import { CategoryCodeSchema } from '../catalog/categories';
import { DepartmentIdSchema } from '../catalog/departments';
import { OrgCodeSchema } from '../identity/scope';
import { IdSchema } from '../schemas/common';
import { commonalities, whistleKinds, whistleSourceKinds } from './whistle';

const ReasonSchema = z.string().trim().min(1).max(500);
const NoteSchema = z.string().trim().min(1).max(1000);
const CommentSchema = z.string().trim().min(1).max(500);
const AttachmentIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'an attachment id');
const UserIdSchema = z.string().trim().min(1).max(128);
const ScoreSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
export const PointSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const WhistleLocationSchema = z.strictObject({
  point: PointSchema,
  gridCode: OrgCodeSchema.refine((code) => code.length === 15, 'a grid code has 15 digits'),
  address: z.string().trim().min(1).max(300).optional(),
});

export const SummonedDepartmentsSchema = z
  .array(z.strictObject({ departmentId: DepartmentIdSchema, kind: z.enum(['resident', 'on_call']) }))
  .min(1)
  .max(30)
  .refine(
    (entries) => new Set(entries.map((entry) => entry.departmentId)).size === entries.length,
    'department ids must be distinct',
  );

const OfficerSchema = z.strictObject({ userId: UserIdSchema, departmentId: DepartmentIdSchema });

export const DraftWhistleCommandSchema = z.strictObject({
  type: z.literal('draft'),
  /** Minted by the caller so that decide stays pure and a retried draft keeps its id. */
  whistleId: IdSchema,
  kind: z.enum(whistleKinds),
  source: z.strictObject({
    kind: z.enum(whistleSourceKinds),
    ref: z.string().trim().min(1).max(128).optional(),
  }),
  description: z.string().trim().min(1).max(2000),
  categories: z.array(CategoryCodeSchema).min(1).max(10),
  commonality: z.enum(commonalities),
  location: WhistleLocationSchema,
  departments: SummonedDepartmentsSchema,
});

export const WhistleCommandSchema = z.discriminatedUnion('type', [
  DraftWhistleCommandSchema,
  z.strictObject({
    type: z.literal('file'),
    /** The more information a return asked for; replaces the description. */
    description: z.string().trim().min(1).max(2000).optional(),
    departments: SummonedDepartmentsSchema.optional(),
    note: NoteSchema.optional(),
  }),
  z.strictObject({ type: z.literal('approve'), note: NoteSchema.optional() }),
  z.strictObject({ type: z.literal('return'), reason: ReasonSchema }),
  z.strictObject({ type: z.literal('reject'), reason: ReasonSchema }),
  z.strictObject({ type: z.literal('blow') }),
  z.strictObject({ type: z.literal('acknowledge') }),
  z.strictObject({ type: z.literal('report'), position: PointSchema }),
  z.strictObject({ type: z.literal('flagMissing') }),
  z.strictObject({
    type: z.literal('recordAction'),
    description: z.string().trim().min(1).max(2000),
    power: z.string().trim().min(1).max(200),
    competentDepartmentId: DepartmentIdSchema,
    officers: z.array(OfficerSchema).min(1).max(50),
    secondInspector: OfficerSchema.optional(),
    evidenceIds: z.array(AttachmentIdSchema).min(1).max(20),
  }),
  z.strictObject({
    type: z.literal('followUp'),
    caseIds: z
      .array(IdSchema)
      .min(1)
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'case ids must be distinct'),
    note: NoteSchema.optional(),
  }),
  z.strictObject({ type: z.literal('close'), feedback: z.string().trim().min(1).max(2000) }),
  z.strictObject({
    type: z.literal('evaluate'),
    departmentId: DepartmentIdSchema,
    response: ScoreSchema,
    attitude: ScoreSchema,
    result: ScoreSchema,
    comment: CommentSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('rateWhistle'),
    score: ScoreSchema,
    withoutCause: z.boolean(),
    comment: CommentSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('archive'),
    /** The street's next archive sequence for the year; the caller keeps the counter. */
    seq: z.number().int().min(1).max(9999),
  }),
]);

export type WhistleCommandInput = z.input<typeof WhistleCommandSchema>;
export type WhistleCommand = z.output<typeof WhistleCommandSchema>;
export type WhistleCommandType = WhistleCommand['type'];
export type WhistleCommandOf<T extends WhistleCommandType> = Extract<WhistleCommand, { type: T }>;

export const whistleCommandTypes = WhistleCommandSchema.options.map(
  (option) => option.shape.type.value,
) as WhistleCommandType[];
