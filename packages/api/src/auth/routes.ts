import { AppError, PLATFORM_TENANT, TenantIdSchema } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import { errorResponses, jsonBody } from '../http/openapi';
import { enforceRateLimit, PUBLIC_SCOPE } from '../http/rate-limit';
import { secureRoute } from '../http/routes';
import { assertTenantActive } from '../tenants/tenant-store';
import { LoginSchema, TokenSchema } from '../users/schemas';
import { toView } from '../users/service';
import { findUser, findUserIdByUsername } from '../users/user-store';

/** Per address, against spraying many accounts; per account, against guessing one password. */
export const loginLimits = {
  perIp: { name: 'login-ip', limit: 30, windowSeconds: 60 },
  perUser: { name: 'login-user', limit: 5, windowSeconds: 300 },
};

const badCredentials = () => new AppError('invalid_credentials', 'Unknown user or wrong password.');

/**
 * Password login and the JWKS of the embedded platform's token issuer. On AWS, Cognito's
 * hosted UI signs users in instead and these routes are not served.
 */
export const authModule: ApiModule = (app, deps) => {
  const local = deps.auth.local;
  if (!local) return;

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'post',
      path: '/v1/auth/login',
      tags: ['auth'],
      summary: 'Sign in with a password and receive an ID token (embedded platform only)',
      request: { body: jsonBody(LoginSchema) },
      responses: {
        200: { description: 'Signed in', content: { 'application/json': { schema: TokenSchema } } },
        ...errorResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const { tenantId, username, password } = c.req.valid('json');
      await enforceRateLimit(deps, c, PUBLIC_SCOPE, loginLimits.perIp, deps.clientIp(c));
      await enforceRateLimit(deps, c, PUBLIC_SCOPE, loginLimits.perUser, `${tenantId}/${username}`);
      if (!TenantIdSchema.safeParse(tenantId).success) throw badCredentials();
      const tenant = deps.store.tenant(tenantId);
      const userId = await findUserIdByUsername(tenant, username);
      const user = userId ? await findUser(tenant, userId) : undefined;
      // The same answer whether the user is unknown or the password wrong, so names do not leak.
      if (!user || !(await local.directory.checkPassword(tenantId, user.data.id, password)))
        throw badCredentials();
      if (user.data.status !== 'active') throw new AppError('user_disabled', 'This user has been disabled.');
      if (tenantId !== PLATFORM_TENANT) await assertTenantActive(deps, tenantId);
      const { token, expiresAt } = await local.issuer.sign(
        { tenantId, userId: user.data.id, role: user.data.role, scope: user.data.scope },
        { name: user.data.displayName },
      );
      return c.json(
        { token, tokenType: 'Bearer' as const, expiresAt: expiresAt.toISOString(), user: toView(user) },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/.well-known/jwks.json',
      tags: ['auth'],
      summary: 'Public keys of the embedded token issuer',
      responses: {
        200: {
          description: 'JSON Web Key Set',
          content: {
            'application/json': { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
          },
        },
      },
    }),
    (c) => c.json(local.issuer.jwks() as { keys: Record<string, unknown>[] }, 200),
  );
};
