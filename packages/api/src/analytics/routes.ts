import {
  AppError,
  DaySchemaPattern,
  defaultScoreWeights,
  MonthSchemaPattern,
  OrgCodeSchema,
  ScoreWeightsSchema,
  toCsv,
} from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { auditOp } from '../audit/audit-log';
import { findCase } from '../cases/case-store';
import { searchCases } from '../cases/search';
import type { ApiEnv } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { tenantCalendar } from '../settings/calendar-store';
import { findTenant } from '../tenants/tenant-store';
import {
  DashboardSchema,
  HOTLINE_DEFINITIONS,
  HOTSPOT_DEFINITIONS,
  HotlineReportSchema,
  HotSpotsSchema,
  MONTHLY_PROBLEM_DEFINITION,
  MonthlyProblemSchema,
  PERIOD_NOTE,
  PLACE_DEFINITIONS,
  SCORECARD_DEFINITIONS,
  ScorecardSchema,
  WeightsViewSchema,
} from './schemas';
import {
  assertDepartmentReadable,
  departmentScorecards,
  gridCountsGeoJson,
  hotlineByPlace,
  hotSpots,
  monthlyProblemProposal,
  parsePeriod,
  placeDashboard,
  placeFor,
} from './service';
import { storedWeights, weightsKey } from './settings-store';

const PeriodQuery = z
  .string()
  .refine(
    (v) => MonthSchemaPattern.test(v) || DaySchemaPattern.test(v),
    'a month YYYY-MM or a day YYYY-MM-DD',
  )
  .optional();
const MonthQuery = z.string().regex(MonthSchemaPattern, 'a month YYYY-MM').optional();
const Format = z.enum(['json', 'csv']).default('json');
const Level = z.enum(['district', 'street', 'community', 'grid']).optional();
const csvContent = { 'text/csv': { schema: z.string() } };

/** A CSV download: UTF-8 with a BOM so that Excel opens Chinese text. */
const csvResponse = (c: Context<ApiEnv>, name: string, rows: readonly Record<string, unknown>[]) =>
  c.body(toCsv(rows), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}.csv"`,
  });

const currentMonth = async (c: Context<ApiEnv>, now: Date, month?: string) =>
  (await parsePeriod(c.get('tenant'), now, month)).key;

/** Scorecards, hotline rates, place comparisons, hot spots, the monthly problem and exports. */
export const analyticsModule: ApiModule = (app, deps) => {
  const tags = ['analytics'];

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/scorecards',
      tags,
      summary: 'Department scorecards of a period, best composite score first',
      description: `${SCORECARD_DEFINITIONS}\n\n${PERIOD_NOTE}\n\nA department sees only its own row; the city admin and district centers see all.`,
      request: { query: z.object({ period: PeriodQuery, format: Format }) },
      responses: {
        200: {
          description: 'Scorecards',
          content: {
            'application/json': { schema: z.object({ period: z.string(), items: z.array(ScorecardSchema) }) },
            ...csvContent,
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { period: text, format } = c.req.valid('query');
      const principal = c.get('principal');
      const own = principal.scope.kind === 'department' ? principal.scope.departmentId : undefined;
      assertDepartmentReadable(principal, own);
      const period = await parsePeriod(c.get('tenant'), deps.clock.now(), text);
      const items = await departmentScorecards(c.get('tenant'), period, own);
      if (format === 'csv') return csvResponse(c, `scorecards-${period.key}`, items);
      return c.json({ period: period.key, items }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/scorecards/{departmentId}',
      tags,
      summary: 'One department’s scorecard of a period (one item read, however many cases)',
      description: `${SCORECARD_DEFINITIONS}\n\n${PERIOD_NOTE}`,
      request: {
        params: z.object({ departmentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
        query: z.object({ period: PeriodQuery, format: Format }),
      },
      responses: {
        200: {
          description: 'The scorecard',
          content: { 'application/json': { schema: ScorecardSchema }, ...csvContent },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { departmentId } = c.req.valid('param');
      const { period: text, format } = c.req.valid('query');
      assertDepartmentReadable(c.get('principal'), departmentId);
      const period = await parsePeriod(c.get('tenant'), deps.clock.now(), text);
      const [card] = await departmentScorecards(c.get('tenant'), period, departmentId);
      if (format === 'csv') return csvResponse(c, `scorecard-${departmentId}-${period.key}`, [card ?? {}]);
      return c.json(card as z.infer<typeof ScorecardSchema>, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/hotline',
      tags,
      summary: 'Hotline (接诉即办) response, resolution and satisfaction rates per place or per department',
      description: `${HOTLINE_DEFINITIONS}\n\n${PERIOD_NOTE}\n\n\`by=department\` ranks departments (admins and district centers); otherwise the rows are the places one level below \`orgCode\` (or \`by\` a deeper level) within the caller's place.`,
      request: {
        query: z.object({
          period: PeriodQuery,
          orgCode: OrgCodeSchema.optional(),
          by: z.enum(['district', 'street', 'community', 'grid', 'department']).optional(),
          format: Format,
        }),
      },
      responses: {
        200: {
          description: 'Rates',
          content: { 'application/json': { schema: HotlineReportSchema }, ...csvContent },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { period: text, orgCode, by, format } = c.req.valid('query');
      const principal = c.get('principal');
      const tenant = c.get('tenant');
      const period = await parsePeriod(tenant, deps.clock.now(), text);
      let report: z.infer<typeof HotlineReportSchema>;
      if (by === 'department' || principal.scope.kind === 'department') {
        const own = principal.scope.kind === 'department' ? principal.scope.departmentId : undefined;
        assertDepartmentReadable(principal, own);
        const cards = await departmentScorecards(tenant, period, own);
        report = {
          period: period.key,
          by: 'department',
          rows: cards.map((card) => ({ code: card.departmentId, ...card.hotline })),
        };
      } else {
        report = await hotlineByPlace(tenant, period, placeFor(principal, orgCode), by);
      }
      if (format === 'csv') return csvResponse(c, `hotline-${period.key}`, report.rows);
      return c.json(report, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/places',
      tags,
      summary:
        'A place’s dashboard: its figures and its sub-places side by side (street and grid comparison)',
      description: `${PLACE_DEFINITIONS}\n\n${PERIOD_NOTE}\n\nThe place is \`orgCode\` (default: the caller's own; the whole city for admins). \`by\` picks the level compared (default one below; a street compares its grids). CSV exports the sub-places.`,
      request: {
        query: z.object({
          period: PeriodQuery,
          orgCode: OrgCodeSchema.optional(),
          by: Level,
          format: Format,
        }),
      },
      responses: {
        200: {
          description: 'Dashboard',
          content: { 'application/json': { schema: DashboardSchema }, ...csvContent },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { period: text, orgCode, by, format } = c.req.valid('query');
      const tenant = c.get('tenant');
      const place = placeFor(c.get('principal'), orgCode);
      const period = await parsePeriod(tenant, deps.clock.now(), text);
      const city = place ? undefined : (await findTenant(deps.store, c.get('principal').tenantId))?.data.name;
      const dashboard = await placeDashboard(tenant, period, place, by, city);
      if (format === 'csv')
        return csvResponse(c, `places-${place ?? 'all'}-${period.key}`, dashboard.children);
      return c.json(dashboard, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/hotspots',
      tags,
      summary:
        'Hot spots of a month: top categories and grids, and categories rising against the month before',
      description: `${HOTSPOT_DEFINITIONS}\n\n${PERIOD_NOTE}\n\nCSV exports the top categories.`,
      request: {
        query: z.object({
          month: MonthQuery,
          orgCode: OrgCodeSchema.optional(),
          limit: z.coerce.number().int().min(1).max(50).default(10),
          format: Format,
        }),
      },
      responses: {
        200: {
          description: 'Hot spots',
          content: { 'application/json': { schema: HotSpotsSchema }, ...csvContent },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { month, orgCode, limit, format } = c.req.valid('query');
      const place = placeFor(c.get('principal'), orgCode);
      const key = await currentMonth(c, deps.clock.now(), month);
      const spots = await hotSpots(c.get('tenant'), key, place, limit);
      if (format === 'csv') return csvResponse(c, `hotspots-${spots.place}-${key}`, spots.topCategories);
      return c.json(spots, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/hotspots/grids',
      tags,
      summary: 'Case counts per grid of a month as GeoJSON, ready for a map',
      description: `Each grid under the place (the caller's own by default) as a Feature with its boundary and, in
its properties, the month's **reported**, **registered** and **closed** cases and **density** (registered per km²).`,
      request: { query: z.object({ month: MonthQuery, orgCode: OrgCodeSchema.optional() }) },
      responses: {
        200: {
          description: 'FeatureCollection',
          content: { 'application/geo+json': { schema: z.unknown() } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { month, orgCode } = c.req.valid('query');
      const place = placeFor(c.get('principal'), orgCode);
      const key = await currentMonth(c, deps.clock.now(), month);
      const collection = await gridCountsGeoJson(c.get('tenant'), key, place);
      // GeoJSON is JSON under its own media type; the route's schema documents it.
      return new Response(JSON.stringify(collection), {
        status: 200,
        headers: { 'content-type': 'application/geo+json; charset=utf-8' },
      }) as never;
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/monthly-problem',
      tags,
      summary: '每月一题: the month’s proposed problem for focused action, with its grids',
      description: `${MONTHLY_PROBLEM_DEFINITION}\n\n${PERIOD_NOTE}`,
      request: { query: z.object({ month: MonthQuery, orgCode: OrgCodeSchema.optional(), format: Format }) },
      responses: {
        200: {
          description: 'Proposal (null when no case was registered)',
          content: { 'application/json': { schema: MonthlyProblemSchema }, ...csvContent },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { month, orgCode, format } = c.req.valid('query');
      const place = placeFor(c.get('principal'), orgCode);
      const key = await currentMonth(c, deps.clock.now(), month);
      const result = await monthlyProblemProposal(c.get('tenant'), key, place);
      if (format === 'csv') {
        const p = result.proposal;
        return csvResponse(
          c,
          `monthly-problem-${result.place}-${key}`,
          p
            ? p.grids.map((g) => ({
                month: key,
                categoryCode: p.categoryCode,
                name: p.name?.zh,
                grid: g.code,
                gridName: g.name,
                count: g.count,
              }))
            : [],
        );
      }
      return c.json(result, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'cases.read', {
      method: 'get',
      path: '/v1/analytics/cases/export',
      tags,
      summary: 'Export the case list of a period within the caller’s place as CSV or GeoJSON',
      description: `The cases reported between \`from\` and \`to\` (dates, at most 12 months) under \`orgCode\` (default: the
caller's place), as the case search filters them, up to \`limit\` rows. CSV: UTF-8 with BOM. GeoJSON: a Point
Feature per case at its reported location.`,
      request: {
        query: z.object({
          from: z.string().regex(DaySchemaPattern, 'a date YYYY-MM-DD'),
          to: z.string().regex(DaySchemaPattern, 'a date YYYY-MM-DD'),
          orgCode: OrgCodeSchema.optional(),
          format: z.enum(['csv', 'geojson']).default('csv'),
          limit: z.coerce.number().int().min(1).max(5000).default(1000),
        }),
      },
      responses: {
        200: {
          description: 'The cases',
          content: { ...csvContent, 'application/geo+json': { schema: z.unknown() } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { from, to, orgCode, format, limit } = c.req.valid('query');
      const principal = c.get('principal');
      if (principal.scope.kind !== 'city' && principal.scope.kind !== 'org') {
        throw new AppError('forbidden', 'Case exports are for centers and admins.');
      }
      const tenant = c.get('tenant');
      const { items, truncated } = await searchCases(
        tenant,
        principal,
        { from, to, ...(orgCode ? { orgCode } : {}), limit },
        { now: deps.clock.now(), calendar: await tenantCalendar(tenant) },
      );
      c.header('x-truncated', String(truncated));
      if (format === 'csv') {
        return csvResponse(
          c,
          `cases-${from}-${to}`,
          items.map((s) => ({
            id: s.id,
            reportedAt: s.reportedAt,
            status: s.status,
            channel: s.channel,
            categoryCode: s.categoryCode,
            gridCode: s.gridCode,
            handlingOrgCode: s.handlingOrgCode,
            departmentIds: s.departmentIds,
            dueAt: s.deadline?.dueAt,
            closedAt: s.closedAt,
          })),
        );
      }
      const features: Record<string, unknown>[] = [];
      for (let i = 0; i < items.length; i += 25) {
        const states = await Promise.all(items.slice(i, i + 25).map((s) => findCase(tenant, s.id)));
        states.forEach((state, j) => {
          const s = items[i + j];
          if (!s) return;
          const point = state?.data.location.point;
          features.push({
            type: 'Feature',
            geometry: point ? { type: 'Point', coordinates: point } : null,
            properties: { ...s },
          });
        });
      }
      return c.body(JSON.stringify({ type: 'FeatureCollection', truncated, features }), 200, {
        'content-type': 'application/geo+json; charset=utf-8',
      });
    },
  );

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/analytics/weights',
      tags,
      summary: 'The weights of the departments’ composite score (the defaults until the city sets its own)',
      responses: {
        200: { description: 'Weights', content: { 'application/json': { schema: WeightsViewSchema } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const stored = await storedWeights(c.get('tenant'));
      return c.json(
        stored
          ? { version: stored.version, weights: stored.data, isDefault: false }
          : { version: 0, weights: defaultScoreWeights, isDefault: true },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'put',
      path: '/v1/analytics/weights',
      tags,
      summary:
        'Set the composite-score weights (whole numbers adding up to 100), e.g. the street’s evaluation at 10',
      request: {
        body: jsonBody(z.strictObject({ version: z.number().int().min(0), weights: ScoreWeightsSchema })),
      },
      responses: {
        200: { description: 'Stored', content: { 'application/json': { schema: WeightsViewSchema } } },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => {
      const { version, weights } = c.req.valid('json');
      const tenant = c.get('tenant');
      const current = await storedWeights(tenant);
      const item = { key: weightsKey, entity: 'settings-analytics-weights', data: weights };
      await tenant.transact([
        current
          ? { kind: 'replace', item, previous: { version, createdAt: current.createdAt } }
          : version === 0
            ? { kind: 'create', item }
            : { kind: 'check', key: weightsKey, expectedVersion: version },
        auditOp(deps.clock, {
          principal: c.get('principal'),
          requestId: c.get('requestId'),
          action: 'settings.analytics_weights',
          target: { type: 'settings', id: 'analytics-weights' },
          changes: weights,
        }),
      ]);
      const stored = await storedWeights(tenant);
      return c.json(
        { version: stored?.version ?? 0, weights: stored?.data ?? weights, isDefault: false },
        200,
      );
    },
  );
};
