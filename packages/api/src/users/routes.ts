import { NotFoundError } from '@civicgrid/domain';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { assertAllowed } from '../http/auth';
import type { ApiDeps, ApiEnv } from '../http/env';
import { writeContextOf } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import {
  CreateUserSchema,
  PageQuerySchema,
  UpdateUserSchema,
  UserIdParamSchema,
  UserPageSchema,
  UserSchema,
} from './schemas';
import {
  createUser,
  listUsers,
  setUserStatus,
  toView,
  type UserContext,
  updateUser,
  userTarget,
} from './service';
import { findUser } from './user-store';

const userContent = { 'application/json': { schema: UserSchema } };

const writeContext = (deps: ApiDeps, c: Context<ApiEnv>): UserContext => ({
  ...writeContextOf(deps, c),
  directory: deps.auth.directory,
});

export const usersModule: ApiModule = (app, deps) => {
  const tags = ['users'];

  app.openapi(
    secureRoute(deps, 'profile.read', {
      method: 'get',
      path: '/v1/me',
      tags,
      summary: 'The caller’s own profile',
      responses: { 200: { description: 'The caller', content: userContent }, ...errorResponses(401) },
    }),
    async (c) => {
      const me = await findUser(c.get('tenant'), c.get('principal').userId);
      if (!me) throw new NotFoundError('User not found.');
      return c.json(toView(me), 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'users.read', {
      method: 'get',
      path: '/v1/users',
      tags,
      summary: 'Users the caller may see (a city admin: all; a center: those beneath it)',
      request: { query: PageQuerySchema },
      responses: {
        200: { description: 'A page of users', content: { 'application/json': { schema: UserPageSchema } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => c.json(await listUsers(c.get('tenant'), c.get('principal'), c.req.valid('query')), 200),
  );

  app.openapi(
    secureRoute(deps, 'users.manage', {
      method: 'post',
      path: '/v1/users',
      tags,
      summary: 'Create a user with a role and a scope',
      request: { body: jsonBody(CreateUserSchema) },
      responses: {
        201: { description: 'Created', content: userContent },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => c.json(await createUser(writeContext(deps, c), c.req.valid('json')), 201),
  );

  app.openapi(
    secureRoute(deps, 'users.read', {
      method: 'get',
      path: '/v1/users/{userId}',
      tags,
      summary: 'One user',
      request: { params: UserIdParamSchema },
      responses: { 200: { description: 'The user', content: userContent }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const user = await findUser(c.get('tenant'), c.req.valid('param').userId);
      if (!user) throw new NotFoundError('User not found.');
      assertAllowed(c.get('principal'), 'users.read', userTarget(user.data));
      return c.json(toView(user), 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'users.manage', {
      method: 'patch',
      path: '/v1/users/{userId}',
      tags,
      summary: 'Change a user’s name, role or scope',
      request: { params: UserIdParamSchema, body: jsonBody(UpdateUserSchema) },
      responses: {
        200: { description: 'Updated', content: userContent },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) =>
      c.json(await updateUser(writeContext(deps, c), c.req.valid('param').userId, c.req.valid('json')), 200),
  );

  for (const [action, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    app.openapi(
      secureRoute(deps, 'users.manage', {
        method: 'post',
        path: `/v1/users/{userId}/${action}`,
        tags,
        summary:
          action === 'disable' ? 'Disable a user: its tokens stop working at once' : 'Enable a user again',
        request: { params: UserIdParamSchema },
        responses: {
          200: { description: 'The user', content: userContent },
          ...errorResponses(400, 401, 403, 404, 409),
        },
      }),
      async (c) =>
        c.json(await setUserStatus(writeContext(deps, c), c.req.valid('param').userId, status), 200),
    );
  }
};
