import { defaultDutyCatalog, NotFoundError, routeCase } from '@civicgrid/domain';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import type { ApiDeps, ApiEnv } from '../http/env';
import { writeContextOf } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { tenantCatalog } from './catalog-store';
import { findDepartment, listDepartments } from './department-store';
import {
  CatalogViewSchema,
  CreateDepartmentSchema,
  DepartmentPageSchema,
  DepartmentParamSchema,
  DepartmentViewSchema,
  InstallDefaultsResultSchema,
  PageQuerySchema,
  PutOverridesSchema,
  RouteQuerySchema,
  RouteResultSchema,
  UpdateDepartmentSchema,
} from './schemas';
import {
  type CatalogContext,
  createDepartment,
  installDefaultDepartments,
  putOverrides,
  readCatalog,
  toDepartmentView,
  updateDepartment,
} from './service';

const departmentContent = { 'application/json': { schema: DepartmentViewSchema } };
const catalogContent = { 'application/json': { schema: CatalogViewSchema } };

const catalogContext = (deps: ApiDeps, c: Context<ApiEnv>): CatalogContext => writeContextOf(deps, c);

/**
 * Departments and the duty catalog (权责清单) are part of the city's configuration, like its
 * territory: every staff role reads them to see where cases go, only a city admin changes them.
 * Departments are a city-wide directory, so reads need no place check.
 */
export const catalogModule: ApiModule = (app, deps) => {
  const tags = ['catalog'];

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/departments',
      tags,
      summary: 'The city’s departments, by id',
      request: { query: PageQuerySchema },
      responses: {
        200: {
          description: 'A page of departments',
          content: { 'application/json': { schema: DepartmentPageSchema } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const page = await listDepartments(c.get('tenant'), c.req.valid('query'));
      return c.json({ ...page, items: page.items.map(toDepartmentView) }, 200);
    },
  );

  // Declared before `{departmentId}` so that the literal path is not read as an id.
  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/departments/defaults',
      tags,
      summary: 'Install the default “1+5+N” departments the city lacks (idempotent)',
      responses: {
        200: {
          description: 'The departments created now; 0 when all were there',
          content: { 'application/json': { schema: InstallDefaultsResultSchema } },
        },
        ...errorResponses(401, 403, 409),
      },
    }),
    async (c) => c.json(await installDefaultDepartments(catalogContext(deps, c)), 200),
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/departments/{departmentId}',
      tags,
      summary: 'One department with its contacts and the places it serves',
      request: { params: DepartmentParamSchema },
      responses: {
        200: { description: 'The department', content: departmentContent },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { departmentId } = c.req.valid('param');
      const department = await findDepartment(c.get('tenant'), departmentId);
      if (!department) throw new NotFoundError(`Department ${departmentId} not found.`);
      return c.json(toDepartmentView(department), 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/departments',
      tags,
      summary: 'Add a department (resident or on call)',
      request: { body: jsonBody(CreateDepartmentSchema) },
      responses: {
        201: { description: 'Created', content: departmentContent },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => c.json(await createDepartment(catalogContext(deps, c), c.req.valid('json')), 201),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'patch',
      path: '/v1/departments/{departmentId}',
      tags,
      summary: 'Change a department’s names, kind, contacts or served places',
      request: { params: DepartmentParamSchema, body: jsonBody(UpdateDepartmentSchema) },
      responses: {
        200: { description: 'Updated', content: departmentContent },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) =>
      c.json(
        await updateDepartment(
          catalogContext(deps, c),
          c.req.valid('param').departmentId,
          c.req.valid('json'),
        ),
        200,
      ),
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/catalog',
      tags,
      summary: 'The city’s duty catalog (defaults with its overrides) and what keeps it from routing',
      responses: {
        200: { description: 'The merged catalog', content: catalogContent },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json(await readCatalog(c.get('tenant')), 200),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'put',
      path: '/v1/catalog/overrides',
      tags,
      summary: 'Replace the city’s overrides; refused when the merged catalog would not route',
      description: `\`version\` is the version read from GET /v1/catalog (0 before the first overrides). The defaults are ${defaultDutyCatalog.version}.`,
      request: { body: jsonBody(PutOverridesSchema) },
      responses: {
        200: { description: 'The merged catalog', content: catalogContent },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => c.json(await putOverrides(catalogContext(deps, c), c.req.valid('json')), 200),
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/catalog/route',
      tags,
      summary: 'Where the catalog sends a category at a place: department, level and time limits',
      request: { query: RouteQuerySchema },
      responses: {
        200: {
          description: 'Routed, or why the case must be routed by hand',
          content: { 'application/json': { schema: RouteResultSchema } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { categoryCode, orgCode } = c.req.valid('query');
      const { catalog } = await tenantCatalog(c.get('tenant'));
      return c.json(routeCase(catalog, categoryCode, orgCode), 200);
    },
  );
};
