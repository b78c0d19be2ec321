import { errorStatus } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: 'Error', content: { 'application/json': { schema: ErrorBodySchema } } },
    ]),
  );

/**
 * A required JSON body. Body schemas are strict objects so unknown fields are refused
 * rather than silently dropped (a typo in a field name must not look like success).
 */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
});
