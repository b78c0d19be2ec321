import { PageQuerySchema } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import { errorResponses } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { type AuditEntry, auditPartition } from './audit-log';

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ userId: z.string(), role: z.string() }),
    requestId: z.string(),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }),
    changes: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('AuditEntry');

const AuditQuerySchema = PageQuerySchema.extend({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month as YYYY-MM')
    .optional(),
});

export const auditModule: ApiModule = (app, deps) => {
  app.openapi(
    secureRoute(deps, 'audit.read', {
      method: 'get',
      path: '/v1/audit',
      tags: ['audit'],
      summary: 'Who wrote what, when and in which request, newest first, one month at a time',
      request: { query: AuditQuerySchema },
      responses: {
        200: {
          description: 'A page of audit entries',
          content: {
            'application/json': {
              schema: z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().optional() }),
            },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { month, limit, cursor } = c.req.valid('query');
      const page = await c.get('tenant').query<AuditEntry>({
        pk: auditPartition(month ?? deps.clock.now().toISOString().slice(0, 7)),
        descending: true,
        limit,
        cursor,
      });
      return c.json({ items: page.items.map((i) => i.data), nextCursor: page.nextCursor }, 200);
    },
  );
};
