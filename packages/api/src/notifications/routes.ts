import { PageQuerySchema, type Principal } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import { errorResponses } from '../http/openapi';
import { secureRoute } from '../http/routes';

/** The notice box a caller reads: its center's, its grid's, its department's or its own. */
const boxOf = (principal: Principal): string[] | undefined => {
  const { scope, role, userId } = principal;
  if (scope.kind === 'department') return ['notifications', 'department', scope.departmentId];
  if (role === 'citizen') return ['notifications', 'user', userId];
  if (scope.kind === 'org') return ['notifications', role === 'grid_worker' ? 'grid' : 'org', scope.code];
  return undefined;
};

const NoticeSchema = z
  .object({
    eventId: z.string(),
    caseId: z.string(),
    type: z.string(),
    at: z.string(),
    message: z.string(),
    step: z.string().optional().describe('the case step a deadline notice is about'),
  })
  .openapi('Notice');

export const notificationsModule: ApiModule = (app, deps) => {
  app.openapi(
    secureRoute(deps, 'cases.read', {
      method: 'get',
      path: '/v1/notifications',
      tags: ['cases'],
      summary: 'Notices of work waiting for the caller, newest first',
      request: { query: PageQuerySchema },
      responses: {
        200: {
          description: 'A page of notices',
          content: {
            'application/json': {
              schema: z.object({ items: z.array(NoticeSchema), nextCursor: z.string().optional() }),
            },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const box = boxOf(c.get('principal'));
      if (!box) return c.json({ items: [] }, 200);
      const page = await c.get('tenant').query<z.infer<typeof NoticeSchema>>({
        pk: box,
        descending: true,
        ...c.req.valid('query'),
      });
      return c.json({ items: page.items.map((i) => i.data), nextCursor: page.nextCursor }, 200);
    },
  );
};
