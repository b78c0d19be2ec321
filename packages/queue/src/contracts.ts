import { createHash } from 'node:crypto';
import { AppError, IdSchema, TenantIdSchema, TimestampSchema, ValidationError } from '@civicgrid/domain';
import { z } from 'zod';

/** Dotted lowercase names such as `case.created` or `case.assignment.changed`. */
export const EventTypeSchema = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, "event type: dotted lowercase words, e.g. 'case.created'");

// '#' separates the parts of the FIFO group id (and of storage keys), so it may not appear inside one.
const keyPart = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^#]+$/, "may not contain '#'");

export const AggregateRefSchema = z.strictObject({
  type: keyPart(40),
  id: keyPart(100),
});
export type AggregateRef = z.infer<typeof AggregateRefSchema>;

export const ActorSchema = z.strictObject({
  userId: z.string().min(1),
  role: z.string().min(1),
});

export const DomainEventSchema = z.strictObject({
  /** A ULID; also the deduplication id, so publishing the same event twice delivers it once (FIFO). */
  id: IdSchema,
  type: EventTypeSchema,
  tenantId: TenantIdSchema,
  aggregate: AggregateRefSchema,
  occurredAt: TimestampSchema,
  actor: ActorSchema.optional(),
  requestId: z.string().min(1).max(200).optional(),
  payload: z.record(z.string(), z.unknown()),
});
export type DomainEvent = z.infer<typeof DomainEventSchema>;

// SQS limits MessageGroupId to 128 printable ASCII characters.
const SQS_GROUP_ID = /^[!-~]{1,128}$/;

/**
 * Events of one aggregate must be handled in order, events of different aggregates need not be:
 * one FIFO message group per aggregate gives exactly that.
 *
 * The readable `tenant#type#id` form is used whenever SQS accepts it. Aggregate ids may be longer
 * or contain characters (e.g. Chinese) that SQS rejects in a group id; those get a stable hash of
 * the aggregate instead, which keeps the one-group-per-aggregate property.
 */
export const messageGroupId = (event: Pick<DomainEvent, 'tenantId' | 'aggregate'>): string => {
  const { tenantId, aggregate } = event;
  const readable = `${tenantId}#${aggregate.type}#${aggregate.id}`;
  if (SQS_GROUP_ID.test(readable)) return readable;
  const digest = createHash('sha256').update(`${aggregate.type}#${aggregate.id}`).digest('hex');
  return `${tenantId}#sha256#${digest}`;
};

/** Parses a queue message body; a body that is not a valid event is a poison message, so say why. */
export const parseDomainEvent = (body: string): DomainEvent => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new AppError('invalid_json', `Domain event body is not valid JSON: ${(error as Error).message}`);
  }
  return validateDomainEvent(json);
};

/** Validates an event about to be published or just received. */
export const validateDomainEvent = (value: unknown): DomainEvent => {
  const result = DomainEventSchema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(
      `Invalid domain event: ${z.prettifyError(result.error).replaceAll('\n', '; ')}`,
      result.error.issues,
    );
  }
  return result.data;
};
