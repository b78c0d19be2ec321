import { AppError, OrgCodeSchema } from '@civicgrid/domain';
import { checkChildren, type GridGeometry } from '@civicgrid/geo';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import type { ApiModule } from '../app';
import type { ApiDeps, ApiEnv } from '../http/env';
import { writeContextOf } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { checkImport, importHierarchy } from './import';
import { addPage, closeSession, discardSession, openSession, stagedFeatures } from './import-sessions';
import { locatorsFor } from './locator-cache';
import { assertUnitReadable, orgReadReach, reachesUnit } from './read-scope';
import {
  CreateUnitSchema,
  MoveUnitSchema,
  ProblemSchema,
  UnitParamSchema,
  UnitViewSchema,
  UpdateUnitSchema,
} from './schemas';
import { createUnit, moveUnit, type OrgContext, retireUnit, updateUnit } from './service';
import { childrenOf, findUnit, type OrgUnit, unitsOfLevel } from './unit-store';
import { toUnitView } from './view';

/** Imports carry whole city layers; API Gateway's Lambda payloads stop at 6 MB. */
export const IMPORT_MAX_BYTES = 6 * 1024 * 1024;
export const IMPORT_PATH = '/v1/org/import';
const IMPORT_PAGE_PATH = /^\/v1\/org\/imports\/[0-9A-Z]{26}\/pages$/;

/** Routes whose bodies carry whole layers of the map. */
export const isBulkPath = (path: string) => path === IMPORT_PATH || IMPORT_PAGE_PATH.test(path);

const unitContent = { 'application/json': { schema: UnitViewSchema } };

const orgContext = (deps: ApiDeps, c: Context<ApiEnv>): OrgContext => ({
  ...writeContextOf(deps, c),
  store: deps.store,
});

const ImportResultSchema = z
  .object({
    created: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    warnings: z.array(ProblemSchema),
  })
  .openapi('ImportResult');

const FeatureCollectionSchema = z
  .strictObject({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).max(20_000) })
  .openapi('OrgFeatureCollection');

/**
 * Which units an export or list covers: those under the given unit (which the caller must
 * reach), else every unit the caller reaches (the whole city for city-wide readers).
 */
const exportFilter = async (c: Context<ApiEnv>, requested: string | undefined) => {
  const reach = await orgReadReach(c.get('principal'), c.get('tenant'));
  if (requested) {
    assertUnitReadable(reach, requested);
    return (code: string) => code.startsWith(requested);
  }
  return (code: string) => reachesUnit(reach, code);
};

export const orgModule: ApiModule = (app, deps) => {
  const tags = ['org'];
  const locators = locatorsFor(deps);

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/org/units',
      tags,
      summary: 'Create a district, street, community or grid; its code extends its parent’s',
      request: { body: jsonBody(CreateUnitSchema) },
      responses: {
        201: { description: 'Created', content: unitContent },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => c.json(toUnitView(await createUnit(orgContext(deps, c), c.req.valid('json'))), 201),
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/org/units',
      tags,
      summary: 'The children of a unit (the districts when parentCode is absent), without boundaries',
      request: { query: z.object({ parentCode: OrgCodeSchema.optional() }) },
      responses: {
        200: {
          description: 'Units',
          content: { 'application/json': { schema: z.object({ items: z.array(UnitViewSchema) }) } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { parentCode } = c.req.valid('query');
      const reach = await orgReadReach(c.get('principal'), c.get('tenant'));
      if (parentCode) assertUnitReadable(reach, parentCode);
      // Without a parent: the city's districts, by name, which every reader may see.
      const items = await childrenOf(c.get('tenant'), parentCode);
      return c.json({ items: items.map((i) => toUnitView(i, { geometry: false })) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/org/units/{code}',
      tags,
      summary: 'One unit with its boundary, roster, staffing and history',
      request: { params: UnitParamSchema },
      responses: { 200: { description: 'The unit', content: unitContent }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const unit = await findUnit(c.get('tenant'), code);
      if (!unit) throw new AppError('not_found', `Unit ${code} not found.`);
      assertUnitReadable(await orgReadReach(c.get('principal'), c.get('tenant')), code);
      return c.json(toUnitView(unit), 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'patch',
      path: '/v1/org/units/{code}',
      tags,
      summary: 'Rename, redraw the boundary, set a grid’s kind, roster or supervisors',
      request: { params: UnitParamSchema, body: jsonBody(UpdateUnitSchema) },
      responses: {
        200: { description: 'Updated', content: unitContent },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) =>
      c.json(
        toUnitView(await updateUnit(orgContext(deps, c), c.req.valid('param').code, c.req.valid('json'))),
        200,
      ),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/org/units/{code}/move',
      tags,
      summary: 'Move a unit without children under another parent; the old code keeps a pointer',
      request: { params: UnitParamSchema, body: jsonBody(MoveUnitSchema) },
      responses: {
        200: { description: 'Moved', content: unitContent },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) =>
      c.json(
        toUnitView(await moveUnit(orgContext(deps, c), c.req.valid('param').code, c.req.valid('json'))),
        200,
      ),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'delete',
      path: '/v1/org/units/{code}',
      tags,
      summary: 'Retire a unit that has no children and no users; its history is kept',
      request: { params: UnitParamSchema, query: z.object({ version: z.coerce.number().int().positive() }) },
      responses: {
        200: { description: 'Retired', content: unitContent },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) =>
      c.json(
        toUnitView(
          await retireUnit(orgContext(deps, c), c.req.valid('param').code, c.req.valid('query').version),
        ),
        200,
      ),
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/org/coverage',
      tags,
      summary: 'How the children of a unit cover it: gaps with their areas, overlaps, parts outside',
      request: { query: z.object({ parentCode: OrgCodeSchema }) },
      responses: {
        200: {
          description: 'Coverage report',
          content: {
            'application/json': {
              schema: z.object({
                coverage: z.record(z.string(), z.unknown()),
                problems: z.array(ProblemSchema),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { parentCode } = c.req.valid('query');
      assertUnitReadable(await orgReadReach(c.get('principal'), c.get('tenant')), parentCode);
      const parent = await findUnit(c.get('tenant'), parentCode);
      if (parent?.data.status !== 'active') throw new AppError('not_found', `Unit ${parentCode} not found.`);
      const shape = (u: OrgUnit) => ({ code: u.code, geometry: u.geometry as GridGeometry });
      const children = (await childrenOf(c.get('tenant'), parentCode)).filter((i) => i.data.geometry);
      const report = checkChildren(
        parent.data.geometry ? shape(parent.data) : undefined,
        children.map((i) => shape(i.data)),
      );
      return c.json({ coverage: { ...report.coverage }, problems: report.problems }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: IMPORT_PATH,
      tags,
      summary: 'Import units as GeoJSON (properties: code, name, level, kind, parentCode); all or nothing',
      request: { body: jsonBody(FeatureCollectionSchema) },
      responses: {
        200: { description: 'Imported', content: { 'application/json': { schema: ImportResultSchema } } },
        ...errorResponses(400, 401, 403, 413),
      },
    }),
    async (c) => c.json(await importHierarchy(orgContext(deps, c), c.req.valid('json').features), 200),
  );

  const ImportIdParamSchema = z.object({ importId: z.string().regex(/^[0-9A-Z]{26}$/) });
  const SessionSchema = z
    .object({
      id: z.string(),
      status: z.enum(['open', 'committed', 'discarded']),
      pages: z.number(),
      chunks: z.number(),
      features: z.number(),
    })
    .openapi('ImportSession');

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/org/imports',
      tags,
      summary: 'Open a paged import, for a city too large for one request',
      responses: {
        201: { description: 'Opened', content: { 'application/json': { schema: SessionSchema } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json(await openSession(c.get('tenant'), deps.clock), 201),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/org/imports/{importId}/pages',
      tags,
      summary: 'Add a page of features (a FeatureCollection) to an open import',
      request: { params: ImportIdParamSchema, body: jsonBody(FeatureCollectionSchema) },
      responses: {
        200: { description: 'Staged', content: { 'application/json': { schema: SessionSchema } } },
        ...errorResponses(400, 401, 403, 404, 409, 413),
      },
    }),
    async (c) =>
      c.json(
        await addPage(
          c.get('tenant'),
          deps.clock,
          c.req.valid('param').importId,
          c.req.valid('json').features,
        ),
        200,
      ),
  );

  const ImportCheckSchema = z
    .object({
      ok: z.boolean(),
      created: z.number(),
      updated: z.number(),
      unchanged: z.number(),
      problems: z.array(ProblemSchema),
    })
    .openapi('ImportCheck');

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/org/imports/{importId}/check',
      tags,
      summary:
        'Check every staged page together, as the commit would, and report every problem; writes nothing',
      request: { params: ImportIdParamSchema },
      responses: {
        200: { description: 'The report', content: { 'application/json': { schema: ImportCheckSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { features } = await stagedFeatures(c.get('tenant'), c.req.valid('param').importId);
      return c.json(await checkImport(orgContext(deps, c), features), 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'delete',
      path: '/v1/org/imports/{importId}',
      tags,
      summary: 'Discard an open import; nothing of it is written',
      request: { params: ImportIdParamSchema },
      responses: {
        200: { description: 'Discarded', content: { 'application/json': { schema: SessionSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) =>
      c.json(await discardSession(c.get('tenant'), deps.clock, c.req.valid('param').importId), 200),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/org/imports/{importId}/commit',
      tags,
      summary: 'Check every staged page together and write them all, or nothing',
      request: { params: ImportIdParamSchema },
      responses: {
        200: { description: 'Imported', content: { 'application/json': { schema: ImportResultSchema } } },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const tenant = c.get('tenant');
      const { session, features } = await stagedFeatures(tenant, c.req.valid('param').importId);
      const result = await importHierarchy(orgContext(deps, c), features);
      await closeSession(tenant, deps.clock, session);
      return c.json(result, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/org/export',
      tags,
      summary: 'Export units as a GeoJSON FeatureCollection, streamed level by level',
      request: {
        query: z.object({
          parentCode: OrgCodeSchema.optional(),
          level: z.enum(['district', 'street', 'community', 'grid']).optional(),
        }),
      },
      responses: {
        200: {
          description: 'FeatureCollection',
          content: { 'application/geo+json': { schema: z.unknown() } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { parentCode, level } = c.req.valid('query');
      const included = await exportFilter(c, parentCode);
      const tenant = c.get('tenant');
      c.header('content-type', 'application/geo+json; charset=utf-8');
      // A stream is no typed JSON response; the route's schema documents what it carries.
      return stream(c, async (out) => {
        await out.write('{"type":"FeatureCollection","features":[');
        let first = true;
        for (const lvl of level ? [level] : (['district', 'street', 'community', 'grid'] as const)) {
          for (const { data } of await unitsOfLevel(tenant, lvl)) {
            if (!included(data.code)) continue;
            const feature = {
              type: 'Feature',
              geometry: data.geometry ?? null,
              properties: {
                code: data.code,
                name: data.name,
                level: data.level,
                ...(data.gridKind ? { kind: data.gridKind } : {}),
                ...(data.parentCode ? { parentCode: data.parentCode } : {}),
              },
            };
            await out.write(`${first ? '' : ','}\n${JSON.stringify(feature)}`);
            first = false;
          }
        }
        await out.write('\n]}\n');
      }) as never;
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/org/locate',
      tags,
      summary: 'The grid, community, street and district containing a point (WGS84)',
      request: {
        query: z.object({
          lon: z.coerce.number().min(-180).max(180),
          lat: z.coerce.number().min(-90).max(90),
        }),
      },
      responses: {
        200: {
          description: 'The units containing the point',
          content: {
            'application/json': {
              schema: z.record(z.string(), z.object({ code: z.string(), name: z.string() })),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { lon, lat } = c.req.valid('query');
      const found = await locators.locate(c.get('tenant'), lon, lat);
      if (!found) throw new AppError('not_found', 'The point lies in no grid of this city.');
      return c.json(found, 200);
    },
  );
};
