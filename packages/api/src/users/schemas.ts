import { IdSchema, PageQuerySchema, RoleSchema, ScopeSchema } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';

export const UsernameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{2,39}$/,
    'username: 3-40 lowercase letters, digits, dots, dashes or underscores',
  );

const PasswordSchema = z.string().min(10, 'at least 10 characters').max(200);

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    scope: ScopeSchema,
    status: z.enum(['active', 'disabled']),
    email: z.string().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const CreateUserSchema = z
  .strictObject({
    username: UsernameSchema,
    displayName: z.string().trim().min(1).max(60),
    role: RoleSchema.exclude(['platform_operator']),
    scope: ScopeSchema,
    email: z.email().optional(),
    password: PasswordSchema.optional(),
  })
  .openapi('CreateUser');

export const UpdateUserSchema = z
  .strictObject({
    /** The version the caller read; a concurrent change makes the update fail with 409. */
    version: z.number().int().positive(),
    displayName: z.string().trim().min(1).max(60).optional(),
    role: RoleSchema.exclude(['platform_operator']).optional(),
    scope: ScopeSchema.optional(),
    email: z.email().optional(),
  })
  .refine((body) => Object.keys(body).length > 1, 'nothing to change')
  .openapi('UpdateUser');

export const UserIdParamSchema = z.object({ userId: IdSchema });

export const UserPageSchema = z
  .object({ items: z.array(UserSchema), nextCursor: z.string().optional() })
  .openapi('UserPage');

export { PageQuerySchema };

export const LoginSchema = z
  .strictObject({
    tenantId: z.string().min(1).max(32),
    username: z.string().min(1).max(40),
    password: z.string().min(1).max(200),
  })
  .openapi('Login');

export const TokenSchema = z
  .object({ token: z.string(), tokenType: z.literal('Bearer'), expiresAt: z.string(), user: UserSchema })
  .openapi('Token');
