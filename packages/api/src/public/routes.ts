import { MAX_ATTACHMENT_BYTES, validateUploadRequest } from '@civicgrid/attachments';
import { AppError, TenantIdSchema } from '@civicgrid/domain';
import type { RateLimit } from '@civicgrid/storage';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { recordAttachment } from '../attachments/attachment-store';
import { caseEvents, findCase, trackingKey } from '../cases/case-store';
import { commandCase } from '../cases/service';
import { tenantCatalog } from '../catalog/catalog-store';
import { geocoderFor } from '../geocode/routes';
import type { ApiDeps } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { enforceRateLimit, PUBLIC_SCOPE } from '../http/rate-limit';
import { secureRoute } from '../http/routes';
import { locatorsFor } from '../org/locator-cache';
import { attributeLines, findPublicCategory, publicCategories } from './categories';
import { cityExtent } from './city';
import {
  anonymousReporter,
  findPublicReport,
  PUBLIC_UPLOADER,
  publicCaseContext,
  publicCity,
  submitPublicReport,
} from './intake';
import { publicSteps } from './progress';

/** Per caller address; a city's reporting page is open to anyone, so these are its only gate. */
export const publicLimits = {
  read: { name: 'public-read-ip', limit: 120, windowSeconds: 60 },
  upload: { name: 'public-upload-ip', limit: 30, windowSeconds: 3600 },
  report: { name: 'public-report-ip', limit: 10, windowSeconds: 3600 },
  rate: { name: 'public-rate-ip', limit: 20, windowSeconds: 3600 },
  /** Address search may reach a paid geocoder (Amazon Location): a few searches a minute. */
  geocode: { name: 'public-geocode-ip', limit: 30, windowSeconds: 600 },
  /** One per tap on the map. */
  locate: { name: 'public-locate-ip', limit: 60, windowSeconds: 60 },
} satisfies Record<string, RateLimit>;

/** Only photos come through the public page. */
const photoTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;

const TenantParam = z.object({ tenantId: TenantIdSchema });
const TrackingParam = TenantParam.extend({ trackingCode: z.string().regex(/^[0-9A-Z]{10}$/) });
const Bilingual = z.object({ zh: z.string(), en: z.string() });

const PublicCategorySchema = z
  .object({
    code: z.string(),
    type: z.enum(['component', 'event']),
    name: Bilingual,
    group: Bilingual,
    description: z.string().optional(),
    attributes: z.array(
      z.object({
        code: z.string(),
        datatype: z.string(),
        required: z.boolean(),
        order: z.number(),
        description: Bilingual,
        datatypeDescription: Bilingual.optional(),
        values: z.array(z.object({ key: z.string(), name: Bilingual })).optional(),
      }),
    ),
  })
  .openapi('PublicCategory');

const PublicReportSchema = z
  .strictObject({
    categoryCode: z.string().regex(/^[CE]\d{2}-\d{2}$/),
    description: z.string().trim().min(1).max(1000),
    location: z.strictObject({
      point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
      address: z.string().trim().min(1).max(300).optional(),
    }),
    attachmentIds: z
      .array(z.string().regex(/^[A-Za-z0-9._-]{1,128}$/))
      .max(9)
      .optional(),
    /** Answers to the category's attributes, by attribute code. */
    attributes: z.record(z.string().max(40), z.union([z.string(), z.array(z.string()).max(20)])).optional(),
    contact: z
      .strictObject({
        name: z.string().trim().min(1).max(40).optional(),
        phone: z
          .string()
          .regex(/^\+?\d{5,15}$/)
          .optional(),
      })
      .optional(),
  })
  .openapi('PublicReport');

const PublicProgressSchema = z
  .object({
    trackingCode: z.string(),
    status: z.string(),
    open: z.boolean(),
    category: z.object({ code: z.string(), name: Bilingual }).optional(),
    description: z.string().optional(),
    reportedAt: z.string(),
    closedAt: z.string().optional(),
    steps: z.array(z.object({ type: z.string(), at: z.string(), label: Bilingual })),
    canRate: z.boolean(),
    rating: z.object({ satisfaction: z.number(), at: z.string() }).optional(),
  })
  .openapi('PublicProgress');

const PointSchema = z.tuple([z.number(), z.number()]);

const PublicCitySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    locale: z.enum(['zh-CN', 'en']),
    timeZone: z.string(),
    extent: z
      .object({
        bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).openapi({
          description: '[west, south, east, north] around the city’s grids, WGS84',
        }),
        center: PointSchema.openapi({
          description: 'A point inside a grid, near the middle, to open a map at',
        }),
        grids: z.number(),
      })
      .nullable()
      .openapi({ description: 'Null until the city has drawn its grids' }),
  })
  .openapi('PublicCity');

/** Public answers that change only when the city redraws its grids or renames itself. */
const CITY_CACHE = 'public, max-age=300';

const limitByIp = (deps: ApiDeps, c: Context, rule: RateLimit) =>
  enforceRateLimit(deps, c, PUBLIC_SCOPE, rule, deps.clientIp(c));

/**
 * The city's public reporting page's API (no login): its categories, photo uploads, a report
 * that becomes a case, following it by tracking code, and rating it once closed.
 */
export const publicModule: ApiModule = (app, deps) => {
  const tags = ['public reporting'];
  const geocode = geocoderFor(deps);

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/v1/public/{tenantId}',
      tags,
      summary: 'The city taking reports: its name, time zone, and the extent and centre of its grids',
      request: { params: TenantParam },
      responses: {
        200: { description: 'The city', content: { 'application/json': { schema: PublicCitySchema } } },
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.read);
      const { tenant, city } = await publicCity(deps, c.req.valid('param').tenantId);
      const extent = await cityExtent(deps, tenant);
      c.header('cache-control', CITY_CACHE);
      return c.json(
        {
          id: city.id,
          name: city.name,
          locale: city.locale,
          timeZone: city.timeZone,
          extent: extent ?? null,
        },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/v1/public/{tenantId}/locate',
      tags,
      summary: 'Whether a point lies in one of the city’s grids, with its street and community names',
      request: {
        params: TenantParam,
        query: z.object({
          lon: z.coerce.number().min(-180).max(180),
          lat: z.coerce.number().min(-90).max(90),
        }),
      },
      responses: {
        200: {
          description: 'Inside (with the names of the place) or outside the city',
          content: {
            'application/json': {
              schema: z.object({
                inside: z.boolean(),
                street: z.string().optional(),
                community: z.string().optional(),
              }),
            },
          },
        },
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.locate);
      const { tenant } = await publicCity(deps, c.req.valid('param').tenantId);
      const { lon, lat } = c.req.valid('query');
      const place = await locatorsFor(deps).locate(tenant, lon, lat);
      c.header('cache-control', CITY_CACHE);
      // Names the public sees on street signs; the grid and its codes stay with the staff.
      return c.json(
        place
          ? { inside: true, street: place.street.name, community: place.community.name }
          : { inside: false },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/v1/public/{tenantId}/geocode',
      tags,
      summary: 'Find an address or place name inside the city, before reporting there',
      request: {
        params: TenantParam,
        query: z.object({
          q: z.string().trim().min(1).max(100),
          limit: z.coerce.number().int().min(1).max(10).default(5),
        }),
      },
      responses: {
        200: {
          description: 'Best matches first, only places inside the city’s grids',
          content: {
            'application/json': {
              schema: z.object({ items: z.array(z.object({ label: z.string(), point: PointSchema })) }),
            },
          },
        },
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.geocode);
      const { tenant } = await publicCity(deps, c.req.valid('param').tenantId);
      const { q, limit } = c.req.valid('query');
      const extent = await cityExtent(deps, tenant);
      const found = await geocode(tenant, q, { limit, ...(extent ? { near: extent.center } : {}) });
      // The same search as staff use, answering only a name and a point: no grid, score or source.
      return c.json({ items: found.map(({ label, point }) => ({ label, point })) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/v1/public/{tenantId}/categories',
      tags,
      summary: 'The categories the public may report in, with the extra fields each asks for',
      request: { params: TenantParam },
      responses: {
        200: {
          description: 'Categories, by code',
          content: { 'application/json': { schema: z.object({ items: z.array(PublicCategorySchema) }) } },
        },
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.read);
      const { tenant } = await publicCity(deps, c.req.valid('param').tenantId);
      const { catalog } = await tenantCatalog(tenant);
      return c.json({ items: publicCategories(catalog) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'post',
      path: '/v1/public/{tenantId}/attachments',
      tags,
      summary: 'Ask to upload a photo for a report: returns a short-lived URL to PUT the bytes to',
      request: {
        params: TenantParam,
        body: jsonBody(
          z.strictObject({
            contentType: z.enum(photoTypes),
            sizeBytes: z.number().int().min(1).max(MAX_ATTACHMENT_BYTES),
            fileName: z.string().min(1).max(255).optional(),
          }),
        ),
      },
      responses: {
        201: {
          description: 'The upload ticket; cite its attachmentId in the report',
          content: {
            'application/json': {
              schema: z.object({
                attachmentId: z.string(),
                uploadUrl: z.string(),
                method: z.literal('PUT'),
                headers: z.record(z.string(), z.string()),
                expiresAt: z.string(),
              }),
            },
          },
        },
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.upload);
      const { tenant } = await publicCity(deps, c.req.valid('param').tenantId);
      const request = { tenantId: tenant.tenantId, ...c.req.valid('json') };
      const { fileName } = validateUploadRequest(request);
      const ticket = await deps.attachments.store.createUpload(request);
      await recordAttachment(tenant, {
        attachmentId: ticket.attachmentId,
        key: ticket.key,
        contentType: request.contentType,
        sizeBytes: request.sizeBytes,
        ...(fileName === undefined ? {} : { fileName }),
        uploadedBy: PUBLIC_UPLOADER,
        createdAt: deps.clock.now().toISOString(),
      });
      const { attachmentId, uploadUrl, method, headers, expiresAt } = ticket;
      return c.json({ attachmentId, uploadUrl, method, headers, expiresAt }, 201);
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'post',
      path: '/v1/public/{tenantId}/reports',
      tags,
      summary:
        'Report a problem without an account: it becomes a case (channel web) and the reporter gets a tracking code',
      request: {
        params: TenantParam,
        body: jsonBody(PublicReportSchema),
        headers: z.object({ 'idempotency-key': z.string().min(16).max(128).optional() }),
      },
      responses: {
        200: {
          description: 'The report this idempotency key already made',
          content: { 'application/json': { schema: z.object({ trackingCode: z.string() }) } },
        },
        201: {
          description: 'Reported; keep the tracking code to follow and rate it',
          content: { 'application/json': { schema: z.object({ trackingCode: z.string() }) } },
        },
        ...errorResponses(400, 403, 404, 409, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.report);
      const { tenant } = await publicCity(deps, c.req.valid('param').tenantId);
      const body = c.req.valid('json');
      const { catalog } = await tenantCatalog(tenant);
      const category = findPublicCategory(catalog, body.categoryCode);
      if (!category) {
        throw new AppError('validation_failed', 'The city takes no public reports in this category.', {
          code: 'unknown_category',
        });
      }
      const answers = Object.fromEntries(
        Object.entries(body.attributes ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
      );
      const lines = attributeLines(category, answers);
      const result = await submitPublicReport(deps, c, tenant, {
        channel: 'web',
        categoryCode: category.code,
        description: body.description,
        ...(lines.length > 0 ? { caseDescription: [body.description, ...lines].join('\n') } : {}),
        location: body.location,
        ...(body.attachmentIds ? { attachmentIds: body.attachmentIds } : {}),
        ...(body.contact ? { contact: body.contact } : {}),
        ...(c.req.valid('header')['idempotency-key']
          ? { idempotencyKey: c.req.valid('header')['idempotency-key'] }
          : {}),
      });
      // The case id stays internal: the tracking code is the reporter's only handle.
      return c.json({ trackingCode: result.trackingCode }, result.replayed ? 200 : 201);
    },
  );

  /** A public report by tracking code; reports of other channels are followed at /v1/track. */
  const byTrackingCode = async (tenantId: string, trackingCode: string) => {
    const { tenant } = await publicCity(deps, tenantId);
    const ref = await tenant.get<{ caseId: string }>(trackingKey(trackingCode));
    const found = ref ? await findCase(tenant, ref.data.caseId) : undefined;
    const report = found ? await findPublicReport(tenant, found.data.id) : undefined;
    if (!found || !report) throw new AppError('not_found', 'No report has this tracking code.');
    return { tenant, state: found.data, report: report.data };
  };

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/v1/public/{tenantId}/reports/{trackingCode}',
      tags,
      summary: 'Follow a report by its tracking code: its public steps, and whether it can be rated',
      request: { params: TrackingParam },
      responses: {
        200: { description: 'Progress', content: { 'application/json': { schema: PublicProgressSchema } } },
        ...errorResponses(400, 403, 404, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.read);
      const { tenantId, trackingCode } = c.req.valid('param');
      const { tenant, state, report } = await byTrackingCode(tenantId, trackingCode);
      const { catalog } = await tenantCatalog(tenant);
      const category = catalog.categories.find((cat) => cat.code === state.categoryCode);
      const closed = ['closed', 'evaluated', 'rejected', 'merged', 'voided'].includes(state.status);
      return c.json(
        {
          trackingCode,
          status: state.status,
          open: !closed,
          ...(category ? { category: { code: category.code, name: category.minor.name } } : {}),
          description: report.description,
          reportedAt: state.reportedAt,
          ...(state.closedAt ? { closedAt: state.closedAt } : {}),
          steps: publicSteps(await caseEvents(tenant, state.id)),
          canRate: state.status === 'closed',
          ...(state.evaluation
            ? { rating: { satisfaction: state.evaluation.satisfaction, at: state.evaluation.at } }
            : {}),
        },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'post',
      path: '/v1/public/{tenantId}/reports/{trackingCode}/rating',
      tags,
      summary: 'Rate the result of a closed report, once (1 very dissatisfied … 5 very satisfied)',
      request: {
        params: TrackingParam,
        body: jsonBody(
          z.strictObject({
            satisfaction: z.number().int().min(1).max(5),
            comment: z.string().trim().min(1).max(500).optional(),
          }),
        ),
      },
      responses: {
        200: {
          description: 'Rated',
          content: {
            'application/json': { schema: z.object({ status: z.string(), satisfaction: z.number() }) },
          },
        },
        ...errorResponses(400, 403, 404, 409, 429),
      },
    }),
    async (c) => {
      await limitByIp(deps, c, publicLimits.rate);
      const { tenantId, trackingCode } = c.req.valid('param');
      const { tenant, state, report } = await byTrackingCode(tenantId, trackingCode);
      const body = c.req.valid('json');
      // Whoever holds the tracking code acts as the reporter minted at intake; the case machine
      // decides whether the case can be rated now (closed, and not rated yet).
      const ctx = publicCaseContext(deps, c, tenant, anonymousReporter(tenantId, report.reporterId));
      const next = await commandCase(ctx, state.id, {
        type: 'evaluate',
        satisfaction: body.satisfaction as 1 | 2 | 3 | 4 | 5,
        ...(body.comment ? { comment: body.comment } : {}),
      });
      return c.json({ status: next.status, satisfaction: body.satisfaction }, 200);
    },
  );
};
