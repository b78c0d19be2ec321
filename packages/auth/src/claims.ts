import { type Principal, parseScope, RoleSchema, TenantIdSchema } from '@civicgrid/domain';
import { z } from 'zod';

/**
 * The claims CivicGrid reads, named as Cognito puts custom attributes into an ID token, so
 * the local issuer's tokens and Cognito's are verified and read by the same code.
 */
export const claimNames = {
  /** Our user id; Cognito's own `sub` is its internal id, so ours travels as an attribute. */
  userId: 'custom:user_id',
  tenantId: 'custom:tenant_id',
  role: 'custom:role',
  scope: 'custom:scope',
} as const;

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  token_use: z.literal('id'),
  [claimNames.userId]: z.string().min(1),
  [claimNames.tenantId]: TenantIdSchema,
  [claimNames.role]: RoleSchema,
  [claimNames.scope]: z.string(),
});

export const principalFromClaims = (payload: unknown): Principal | undefined => {
  const parsed = ClaimsSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const claims = parsed.data;
  const scope = parseScope(claims[claimNames.scope]);
  if (!scope) return undefined;
  return {
    userId: claims[claimNames.userId],
    tenantId: claims[claimNames.tenantId],
    role: claims[claimNames.role],
    scope,
  };
};
