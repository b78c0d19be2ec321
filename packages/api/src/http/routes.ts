import type { Permission } from '@civicgrid/domain';
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { ApiApp } from '../app';
import { authenticate, requirePermission } from './auth';
import type { ApiDeps } from './env';

/** Every route says who may call it: a permission, or 'public' for the few open ones. */
export type Access = Permission | 'public';

export const ACCESS_EXTENSION = 'x-civicgrid-access';

export const registerSecurityScheme = (app: ApiApp) =>
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

/**
 * Declares a route behind the policy: authenticated routes get token verification and the
 * role check before any handler code runs. The access is also written into the OpenAPI
 * document, where the isolation test reads it.
 */
export const secureRoute = <const R extends Omit<RouteConfig, 'middleware' | 'security'>>(
  deps: ApiDeps,
  access: Access,
  config: R,
) =>
  createRoute({
    ...config,
    [ACCESS_EXTENSION]: access,
    ...(access === 'public'
      ? { security: [] }
      : {
          security: [{ bearerAuth: [] }],
          middleware: [authenticate(deps), requirePermission(access)] as const,
        }),
  });
