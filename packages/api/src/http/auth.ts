import {
  AppError,
  authorize,
  type Permission,
  PLATFORM_TENANT,
  type Principal,
  type Target,
} from '@civicgrid/domain';
import type { MiddlewareHandler } from 'hono';
import { assertTenantActive } from '../tenants/tenant-store';
import { findUser } from '../users/user-store';
import type { ApiDeps, ApiEnv } from './env';

/**
 * Verifies the bearer token and binds the request to the caller's tenant. The tenant comes
 * from the token alone; a disabled user is refused at once, whatever the token's expiry.
 */
export const authenticate =
  (deps: ApiDeps): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i);
    if (!match?.[1]) throw new AppError('unauthorized', 'A bearer token is required.');
    const principal = await deps.auth.verify(match[1]);
    if (principal.tenantId !== PLATFORM_TENANT) await assertTenantActive(deps, principal.tenantId);
    const tenant = deps.store.tenant(principal.tenantId);
    const user = await findUser(tenant, principal.userId);
    if (!user) throw new AppError('invalid_token', 'The token names no known user.');
    if (user.data.status !== 'active') throw new AppError('user_disabled', 'This user has been disabled.');
    c.set('principal', principal);
    c.set('tenant', tenant);
    c.get('logger').appendKeys({ tenantId: principal.tenantId, userId: principal.userId });
    await next();
  };

/** The route-level check: may this role ever do this? Place checks follow in `authorizeTarget`. */
export const requirePermission =
  (permission: Permission): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    assertAllowed(c.get('principal'), permission);
    await next();
  };

export const assertAllowed = (
  principal: Principal,
  permission: Permission,
  target?: Omit<Target, 'tenantId'>,
) => {
  const decision = authorize(
    principal,
    permission,
    target ? { ...target, tenantId: principal.tenantId } : undefined,
  );
  if (decision.allowed) return;
  // A target outside the caller's reach is reported as missing when the caller could not
  // have listed it either; the policy says which.
  if (decision.code === 'not_found') throw new AppError('not_found', 'Not found.');
  throw new AppError('forbidden', `Not allowed: ${decision.reason}.`);
};
