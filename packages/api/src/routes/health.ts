import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import { secureRoute } from '../http/routes';

const HealthSchema = z
  .object({ status: z.literal('ok'), service: z.string(), time: z.string() })
  .openapi('Health');

export const healthModule: ApiModule = (app, deps) => {
  const route = secureRoute(deps, 'public', {
    method: 'get',
    path: '/health',
    tags: ['platform'],
    summary: 'Liveness check',
    responses: {
      200: { description: 'The API is up', content: { 'application/json': { schema: HealthSchema } } },
    },
  });
  app.openapi(route, (c) =>
    c.json({ status: 'ok' as const, service: 'civicgrid-api', time: deps.clock.now().toISOString() }, 200),
  );
};
