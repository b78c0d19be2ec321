import { createRoute, z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';

const HealthSchema = z
  .object({ status: z.literal('ok'), service: z.string(), time: z.string() })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['platform'],
  summary: 'Liveness check',
  responses: {
    200: { description: 'The API is up', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export const healthModule: ApiModule = (app, deps) => {
  app.openapi(route, (c) =>
    c.json({ status: 'ok' as const, service: 'civicgrid-api', time: deps.clock.now().toISOString() }, 200),
  );
};
