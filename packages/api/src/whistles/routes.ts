import {
  AppError,
  allowedWhistleCommands,
  CategoryCodeSchema,
  commonalities,
  DraftWhistleCommandSchema,
  IdSchema,
  newId,
  OrgCodeSchema,
  proposeSummons,
  roleHas,
  type WhistleCommandInput,
  WhistleCommandSchema,
  type WhistleState,
  whistleKinds,
  whistleSourceKinds,
  whistleStatuses,
} from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { assertAttachmentsUploaded } from '../attachments/attachment-store';
import { tenantCatalog } from '../catalog/catalog-store';
import { allDepartments } from '../catalog/department-store';
import { assertAllowed } from '../http/auth';
import { type ApiEnv, writeContextOf } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { type BoardView, boardViews, whistleBoard } from './board';
import { archiveWhistle, commandWhistle, type WhistleContext } from './service';
import { findWhistle, whistleEvents } from './whistle-store';

const WhistleViewSchema = z.record(z.string(), z.unknown()).openapi('Whistle');
const WhistleIdParam = z.object({ whistleId: IdSchema });

/** Every command but `draft` (that is POST /v1/whistles) and `archive`, whose number the API hands out. */
const CommandSchema = z
  .union([
    ...WhistleCommandSchema.options.filter((o) => !['draft', 'archive'].includes(o.shape.type.value)),
    z.strictObject({ type: z.literal('archive') }),
  ] as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]])
  .openapi('WhistleCommand');

const BoardQuerySchema = z.object({
  view: z.enum(boardViews).optional().openapi({
    description:
      'board (default for streets, communities and the city), review (default for a district: filed, or blown at once and not yet reviewed), summons (default for a department), archive',
  }),
  status: z.enum(whistleStatuses).optional(),
  kind: z.enum(whistleKinds).optional(),
  category: CategoryCodeSchema.optional(),
  commonality: z.enum(commonalities).optional(),
  sourceKind: z.enum(whistleSourceKinds).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(2000).optional(),
});

const ProposalQuerySchema = z.object({
  gridCode: OrgCodeSchema.refine((code) => code.length === 15, 'a grid code has 15 digits'),
  categories: z
    .string()
    .transform((text) => text.split(',').map((code) => code.trim()))
    .pipe(z.array(CategoryCodeSchema).min(1).max(10))
    .openapi({ description: 'Comma-separated category codes', example: 'E03-01,E51-01' }),
});

const ProposalSchema = z
  .object({
    departments: z.array(
      z.object({
        departmentId: z.string(),
        kind: z.enum(['resident', 'on_call']),
        categories: z.array(z.string()),
      }),
    ),
    unresolved: z.array(
      z.object({ categoryCode: z.string(), reason: z.string(), candidates: z.array(z.string()) }),
    ),
  })
  .openapi('SummonsProposal');

const defaultView = (principal: { role: string; scope: { kind: string } }): BoardView =>
  principal.scope.kind === 'department'
    ? 'summons'
    : principal.role === 'district_center'
      ? 'review'
      : 'board';

/**
 * Time left to report, for a whistle still calling departments: the countdown on a department's
 * summons and on the street's board.
 */
const countdownOf = (state: WhistleState, now: Date) =>
  state.reportBy && ['blown', 'acting'].includes(state.status)
    ? {
        reportBy: state.reportBy,
        secondsLeft: Math.round((Date.parse(state.reportBy) - now.getTime()) / 1000),
        waitingFor: state.summons
          .filter((s) => s.report === undefined && s.missing === undefined)
          .map((s) => s.departmentId),
      }
    : undefined;

/**
 * Whistle-and-report (街乡吹哨、部门报到) over the API: the pure machine decides, the store keeps
 * the state, its immutable log and the departments' summons inbox in one transaction.
 */
export const whistlesModule: ApiModule = (app, deps) => {
  const tags = ['whistles'];

  const contextOf = (c: Context<ApiEnv>): WhistleContext => ({
    ...writeContextOf(deps, c),
    events: deps.events,
    assertUploaded: (ids) => assertAttachmentsUploaded(deps, c.get('tenant'), ids),
  });

  const view = (state: WhistleState) => {
    const countdown = countdownOf(state, deps.clock.now());
    return { ...state, ...(countdown ? { countdown } : {}) } as unknown as Record<string, unknown>;
  };

  const detail = async (c: Context<ApiEnv>, state: WhistleState) => {
    const principal = c.get('principal');
    return {
      ...view(state),
      // What this caller may do now, judged by the machine that will judge the command.
      allowedCommands: roleHas(principal.role, 'whistles.act')
        ? allowedWhistleCommands(state, principal, deps.clock.now())
        : [],
      timeline: await whistleEvents(c.get('tenant'), state.id),
    };
  };

  app.openapi(
    secureRoute(deps, 'whistles.act', {
      method: 'post',
      path: '/v1/whistles',
      tags,
      summary: 'Draft a whistle: source, kind, categories, place and the departments to summon',
      request: {
        body: jsonBody(
          DraftWhistleCommandSchema.omit({ type: true, whistleId: true }).openapi('DraftWhistle'),
        ),
      },
      responses: {
        201: { description: 'Drafted', content: { 'application/json': { schema: WhistleViewSchema } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const whistleId = newId(deps.clock.now().getTime());
      const state = await commandWhistle(contextOf(c), undefined, {
        type: 'draft',
        whistleId,
        ...c.req.valid('json'),
      } as WhistleCommandInput);
      return c.json(await detail(c, state), 201);
    },
  );

  app.openapi(
    secureRoute(deps, 'whistles.act', {
      method: 'get',
      path: '/v1/whistles/proposal',
      tags,
      summary: 'The departments to summon for these categories at this grid, by the duty catalog',
      description:
        'For each category, the department the duty catalog makes competent at the grid (the routing that dispatches cases), if the city has it and it serves the place; resident ("1+5") departments first. Categories the catalog cannot pin to one department come back as unresolved, with the candidates.',
      request: { query: ProposalQuerySchema },
      responses: {
        200: { description: 'Proposed summons', content: { 'application/json': { schema: ProposalSchema } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { gridCode, categories } = c.req.valid('query');
      assertAllowed(c.get('principal'), 'whistles.act', { orgCode: gridCode });
      const tenant = c.get('tenant');
      const [{ catalog }, departments] = await Promise.all([tenantCatalog(tenant), allDepartments(tenant)]);
      return c.json(
        proposeSummons(
          catalog,
          departments.map((d) => d.data),
          categories,
          gridCode,
        ),
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'whistles.read', {
      method: 'get',
      path: '/v1/whistles',
      tags,
      summary: 'The street’s board, the district’s review queue, a department’s summons, the archive',
      description:
        'Whistles in the caller’s place (a department: those summoning it), filtered by status, kind, category, common/individual, source kind, drafting year and words in the description, address or archive number. Whistles still calling departments carry a countdown to their report-by deadline. A view that reads one partition pages with nextCursor; one spanning several (the city) says truncated when a partition held more than a page.',
      request: { query: BoardQuerySchema },
      responses: {
        200: {
          description: 'Whistles',
          content: {
            'application/json': {
              schema: z.object({
                view: z.enum(boardViews),
                items: z.array(WhistleViewSchema),
                nextCursor: z.string().optional(),
                truncated: z.boolean(),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { view: asked, cursor, ...filter } = c.req.valid('query');
      const principal = c.get('principal');
      const board = await whistleBoard(
        c.get('tenant'),
        principal,
        asked ?? defaultView(principal),
        filter,
        cursor,
      );
      return c.json({ ...board, items: board.items.map(view) }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'whistles.read', {
      method: 'get',
      path: '/v1/whistles/{whistleId}',
      tags,
      summary:
        'A whistle with its full record (review, summons and reports, action, evaluations, archive number) and the commands the caller may send now (`allowedCommands`)',
      request: { params: WhistleIdParam },
      responses: {
        200: { description: 'The whistle', content: { 'application/json': { schema: WhistleViewSchema } } },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const found = await findWhistle(c.get('tenant'), c.req.valid('param').whistleId);
      if (!found) throw new AppError('not_found', 'Whistle not found.');
      assertAllowed(c.get('principal'), 'whistles.read', {
        orgCode: found.data.location.gridCode,
        departmentIds: found.data.summons.map((s) => s.departmentId),
      });
      return c.json(await detail(c, found.data), 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'whistles.act', {
      method: 'post',
      path: '/v1/whistles/{whistleId}/commands',
      tags,
      summary:
        'File, review, blow, acknowledge, report on site, record the joint action, follow up, close, rate, archive',
      request: { params: WhistleIdParam, body: jsonBody(CommandSchema) },
      responses: {
        200: {
          description: 'The whistle after the command',
          content: { 'application/json': { schema: WhistleViewSchema } },
        },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const current = await findWhistle(c.get('tenant'), c.req.valid('param').whistleId);
      if (!current) throw new AppError('not_found', 'Whistle not found.');
      const body = c.req.valid('json') as WhistleCommandInput | { type: 'archive' };
      const state =
        body.type === 'archive'
          ? await archiveWhistle(contextOf(c), current)
          : await commandWhistle(contextOf(c), current, body as WhistleCommandInput);
      return c.json(await detail(c, state), 200);
    },
  );
};
