import { CityTenantIdSchema, TenantSchema } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import type { ApiEnv } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { CreateUserSchema, PageQuerySchema, UserSchema } from '../users/schemas';
import { onboardTenant, setTenantStatus, toTenantView } from './service';
import { platformStore, type TenantRecord } from './tenant-store';

const TenantViewSchema = TenantSchema.extend({
  status: z.enum(['onboarding', 'active', 'suspended']),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Tenant');

const OnboardSchema = TenantSchema.extend({
  admin: CreateUserSchema.pick({ username: true, displayName: true, email: true, password: true }),
}).openapi('OnboardTenant');

const TenantParamSchema = z.object({ tenantId: CityTenantIdSchema });

const tenantContent = { 'application/json': { schema: TenantViewSchema } };
const actor = (c: Context<ApiEnv>) => ({ principal: c.get('principal'), requestId: c.get('requestId') });

export const tenantsModule: ApiModule = (app, deps) => {
  const tags = ['tenants'];

  app.openapi(
    secureRoute(deps, 'tenants.manage', {
      method: 'post',
      path: '/v1/tenants',
      tags,
      summary: 'Onboard a city: the tenant and its first city admin (idempotent)',
      request: { body: jsonBody(OnboardSchema) },
      responses: {
        200: {
          description: 'Already onboarded with the same attributes',
          content: {
            'application/json': { schema: z.object({ tenant: TenantViewSchema, admin: UserSchema }) },
          },
        },
        201: {
          description: 'Onboarded',
          content: {
            'application/json': { schema: z.object({ tenant: TenantViewSchema, admin: UserSchema }) },
          },
        },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => {
      const { tenant, admin, created } = await onboardTenant(deps, actor(c), c.req.valid('json'));
      return created ? c.json({ tenant, admin }, 201) : c.json({ tenant, admin }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'tenants.manage', {
      method: 'get',
      path: '/v1/tenants',
      tags,
      summary: 'All city tenants',
      request: { query: PageQuerySchema },
      responses: {
        200: {
          description: 'A page of tenants',
          content: {
            'application/json': {
              schema: z.object({ items: z.array(TenantViewSchema), nextCursor: z.string().optional() }),
            },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const page = await platformStore(deps.store).query<TenantRecord>({
        index: 'GSI1',
        pk: ['tenants'],
        ...c.req.valid('query'),
      });
      return c.json({ items: page.items.map(toTenantView), nextCursor: page.nextCursor }, 200);
    },
  );

  for (const [action, status] of [
    ['suspend', 'suspended'],
    ['resume', 'active'],
  ] as const) {
    app.openapi(
      secureRoute(deps, 'tenants.manage', {
        method: 'post',
        path: `/v1/tenants/{tenantId}/${action}`,
        tags,
        summary:
          action === 'suspend'
            ? 'Suspend a tenant: its users are refused, its data kept'
            : 'Resume a suspended tenant',
        request: { params: TenantParamSchema },
        responses: {
          200: { description: 'The tenant', content: tenantContent },
          ...errorResponses(400, 401, 403, 404),
        },
      }),
      async (c) => c.json(await setTenantStatus(deps, actor(c), c.req.valid('param').tenantId, status), 200),
    );
  }
};
