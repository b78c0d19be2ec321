import { NotFoundError, ValidationError } from '@civicgrid/domain';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { assertAllowed } from '../http/auth';
import type { ApiEnv } from '../http/env';
import { writeContextOf } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { locatorsFor } from '../org/locator-cache';
import { componentsOfGrid, findComponent } from './component-store';
import { parseQrPayload } from './qr';
import {
  ComponentListQuerySchema,
  ComponentPageSchema,
  ComponentParamSchema,
  ComponentViewSchema,
  CreateComponentSchema,
  ResolveQuerySchema,
  UpdateComponentSchema,
} from './schemas';
import {
  type ComponentContext,
  componentTarget,
  createComponent,
  toComponentView,
  updateComponent,
} from './service';

const componentContent = { 'application/json': { schema: ComponentViewSchema } };

/**
 * The city components inventory (城市部件). Components belong to the territory's configuration:
 * staff read the components of the places they reach, only a city admin records them.
 */
export const componentsModule: ApiModule = (app, deps) => {
  const tags = ['components'];
  const locators = locatorsFor(deps);

  const componentContext = (c: Context<ApiEnv>): ComponentContext => ({
    ...writeContextOf(deps, c),
    locators,
  });

  /** One read path for a code and a scanned QR: missing, then out of the caller's reach. */
  const readable = async (c: Context<ApiEnv>, code: string) => {
    const component = await findComponent(c.get('tenant'), code);
    if (!component) throw new NotFoundError(`Component ${code} not found.`);
    assertAllowed(c.get('principal'), 'org.read', componentTarget(component.data));
    return toComponentView(component);
  };

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/components',
      tags,
      summary: 'Record a component at a point; its grid, QR payload and (by default) owner are derived',
      request: { body: jsonBody(CreateComponentSchema) },
      responses: {
        201: { description: 'Created', content: componentContent },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => c.json(await createComponent(componentContext(c), c.req.valid('json')), 201),
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/components',
      tags,
      summary: 'The components of a grid, by code',
      request: { query: ComponentListQuerySchema },
      responses: {
        200: {
          description: 'A page of components',
          content: { 'application/json': { schema: ComponentPageSchema } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { gridCode, ...page } = c.req.valid('query');
      assertAllowed(c.get('principal'), 'org.read', { orgCode: gridCode });
      const result = await componentsOfGrid(c.get('tenant'), gridCode, page);
      return c.json({ ...result, items: result.items.map(toComponentView) }, 200);
    },
  );

  // Declared before `{code}` so that the literal path is not read as a component code.
  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/components/resolve',
      tags,
      summary: 'The component a scanned QR code names (CG1:<tenant>:<code>)',
      request: { query: ResolveQuerySchema },
      responses: {
        200: { description: 'The component', content: componentContent },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const parsed = parseQrPayload(c.req.valid('query').qr);
      if (!parsed) {
        throw new ValidationError('The QR code is not a CivicGrid component code.', { code: 'invalid_qr' });
      }
      // Another city's plate gets the same answer as an unknown one: whether that city has the
      // component, or exists at all, is not this caller's business.
      if (parsed.tenantId !== c.get('tenant').tenantId) throw new NotFoundError('Component not found.');
      return c.json(await readable(c, parsed.code), 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/components/{code}',
      tags,
      summary: 'One component',
      request: { params: ComponentParamSchema },
      responses: {
        200: { description: 'The component', content: componentContent },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(await readable(c, c.req.valid('param').code), 200),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'patch',
      path: '/v1/components/{code}',
      tags,
      summary: 'Change a component’s category, name, location, owner or status; the code stays',
      request: { params: ComponentParamSchema, body: jsonBody(UpdateComponentSchema) },
      responses: {
        200: { description: 'Updated', content: componentContent },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) =>
      c.json(await updateComponent(componentContext(c), c.req.valid('param').code, c.req.valid('json')), 200),
  );
};
