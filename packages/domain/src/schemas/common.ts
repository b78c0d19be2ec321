import { z } from 'zod';
import { isId } from '../ids';

/**
 * A tenant id is part of every storage key, so it may not contain the key separator '#'
 * and is kept short and lowercase.
 */
export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'tenant id: 2-32 lowercase letters, digits or dashes');
export type TenantId = z.infer<typeof TenantIdSchema>;

export const IdSchema = z.string().refine(isId, 'expected a ULID');

export const TimestampSchema = z.iso.datetime({ offset: true });

export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}
