import { Gazetteer, type GeocodeResult } from '@civicgrid/geocoding';
import type { TenantStore } from '@civicgrid/storage';
import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import type { ApiDeps } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { locatorsFor } from '../org/locator-cache';
import { GazetteerCache, replaceGazetteer } from './gazetteer-store';

export const GAZETTEER_PATH = '/v1/gazetteer';

const NearSchema = z
  .string()
  .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'near as "lon,lat"')
  .transform((text) => text.split(',').map(Number) as [number, number]);

const ResultSchema = z
  .object({
    label: z.string(),
    point: z.tuple([z.number(), z.number()]),
    score: z.number(),
    source: z.enum(['gazetteer', 'amazon-location']),
    gridCode: z.string(),
  })
  .openapi('GeocodeResult');

const gazetteerCaches = new WeakMap<ApiDeps, GazetteerCache>();

/**
 * Addresses to points: the tenant's own gazetteer first, then the external geocoder where one
 * is configured (Amazon Location on AWS). Only places inside the city's grids are returned.
 */
export const geocoderFor = (deps: ApiDeps) => {
  let gazetteers = gazetteerCaches.get(deps);
  if (!gazetteers) {
    gazetteers = new GazetteerCache();
    gazetteerCaches.set(deps, gazetteers);
  }
  const cache = gazetteers;
  const locators = locatorsFor(deps);
  return async (tenant: TenantStore, q: string, options: { limit: number; near?: [number, number] }) => {
    const found: GeocodeResult[] = [...((await cache.for(tenant))?.search(q, options) ?? [])];
    if (deps.geocoder) found.push(...(await deps.geocoder.geocode(tenant.tenantId, q, options)));
    found.sort((a, b) => b.score - a.score);
    const items: (GeocodeResult & { gridCode: string })[] = [];
    for (const result of found) {
      const place = await locators.locate(tenant, result.point[0], result.point[1]);
      if (place) items.push({ ...result, gridCode: place.grid.code });
      if (items.length === options.limit) break;
    }
    return items;
  };
};

export const geocodeModule: ApiModule = (app, deps) => {
  const geocode = geocoderFor(deps);
  const tags = ['geocode'];

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'put',
      path: GAZETTEER_PATH,
      tags,
      summary: 'Replace the city’s gazetteer: address points and place names as GeoJSON Points',
      request: {
        body: jsonBody(
          z.strictObject({
            type: z.literal('FeatureCollection'),
            features: z.array(z.unknown()).max(200_000),
          }),
        ),
      },
      responses: {
        200: {
          description: 'Stored',
          content: { 'application/json': { schema: z.object({ entries: z.number() }) } },
        },
        ...errorResponses(400, 401, 403, 413),
      },
    }),
    async (c) => {
      const gazetteer = Gazetteer.fromGeoJSON(c.req.valid('json'));
      const stored = await replaceGazetteer(c.get('tenant'), deps.clock, gazetteer.entries);
      return c.json({ entries: stored.entries }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/geocode',
      tags,
      summary: 'Find an address or place name in the city, with the grid it lies in',
      request: {
        query: z.object({
          q: z.string().trim().min(1).max(200),
          limit: z.coerce.number().int().min(1).max(20).default(5),
          near: NearSchema.optional(),
        }),
      },
      responses: {
        200: {
          description: 'Best matches first',
          content: { 'application/json': { schema: z.object({ items: z.array(ResultSchema) }) } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { q, limit, near } = c.req.valid('query');
      const items = await geocode(c.get('tenant'), q, { limit, ...(near ? { near } : {}) });
      return c.json({ items }, 200);
    },
  );
};
