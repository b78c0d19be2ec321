import {
  AppError,
  DraftWhistleCommandSchema,
  decideWhistle,
  evolveWhistle,
  IdSchema,
  newId,
  type WhistleCommandInput,
  WhistleCommandSchema,
  type WhistleEvent,
  type WhistleState,
} from '@civicgrid/domain';
import type { StoredItem, TransactOp } from '@civicgrid/storage';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { auditOp } from '../audit/audit-log';
import { toDomainEvents } from '../events/aggregate-log';
import { assertAllowed } from '../http/auth';
import { type ApiEnv, writeContextOf } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { tenantWhistleSettings } from '../settings/whistle-settings';
import {
  archiveCounterKey,
  findWhistle,
  summonsOf,
  whistleDecisionOps,
  whistleEvents,
  whistlesByStatus,
} from './whistle-store';

const WhistleViewSchema = z.record(z.string(), z.unknown()).openapi('Whistle');
const WhistleIdParam = z.object({ whistleId: IdSchema });

/** Every command but `draft` (that is POST /v1/whistles) and `archive`, whose number the API hands out. */
const CommandSchema = z
  .union([
    ...WhistleCommandSchema.options.filter((o) => !['draft', 'archive'].includes(o.shape.type.value)),
    z.strictObject({ type: z.literal('archive') }),
  ] as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]])
  .openapi('WhistleCommand');

/** Whistle events for the queue, with whom they concern (the street, the summoned departments). */
const whistleDomainEvents = (state: WhistleState, events: readonly WhistleEvent[], requestId: string) =>
  toDomainEvents({ type: 'whistle', id: state.id, tenantId: state.tenantId }, events, requestId, {
    status: state.status,
    streetCode: state.streetCode,
    departmentIds: state.summons.map((s) => s.departmentId),
  });

/**
 * Whistle-and-report (街乡吹哨、部门报到) over the API: the pure machine decides, the store keeps
 * the state, its immutable log and the departments' summons inbox in one transaction.
 */
export const whistlesModule: ApiModule = (app, deps) => {
  const tags = ['whistles'];

  const apply = async (
    c: Context<ApiEnv>,
    previous: StoredItem<WhistleState> | undefined,
    command: WhistleCommandInput,
    extra: TransactOp[] = [],
  ) => {
    const ctx = writeContextOf(deps, c);
    const settings = await tenantWhistleSettings(ctx.tenant);
    const { events } = decideWhistle(previous?.data, command, ctx.principal, ctx.clock.now(), settings);
    const next = events.reduce<WhistleState | undefined>(evolveWhistle, previous?.data) as WhistleState;
    await ctx.tenant.transact([
      ...whistleDecisionOps(previous, next, events),
      ...extra,
      auditOp(ctx.clock, {
        principal: ctx.principal,
        requestId: ctx.requestId,
        action: `whistle.${command.type}`,
        target: { type: 'whistle', id: next.id },
      }),
    ]);
    await deps.events.publish(whistleDomainEvents(next, events, ctx.requestId));
    return next;
  };

  const detail = async (c: Context<ApiEnv>, state: WhistleState) => ({
    ...state,
    timeline: await whistleEvents(c.get('tenant'), state.id),
  });

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
      const state = await apply(c, undefined, {
        type: 'draft',
        whistleId,
        ...c.req.valid('json'),
      } as WhistleCommandInput);
      return c.json((await detail(c, state)) as unknown as Record<string, unknown>, 201);
    },
  );

  app.openapi(
    secureRoute(deps, 'whistles.read', {
      method: 'get',
      path: '/v1/whistles',
      tags,
      summary: 'The street’s board, the district’s review queue, or a department’s summons',
      responses: {
        200: {
          description: 'Whistles',
          content: { 'application/json': { schema: z.object({ items: z.array(WhistleViewSchema) }) } },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const { role, scope } = c.get('principal');
      const tenant = c.get('tenant');
      const all = [
        'draft',
        'filed',
        'returned',
        'rejected',
        'approved',
        'blown',
        'acting',
        'closed',
        'archived',
      ] as const;
      let items: WhistleState[] = [];
      if (scope.kind === 'department') {
        const ids = await summonsOf(tenant, scope.departmentId);
        items = (await Promise.all(ids.map((id) => findWhistle(tenant, id)))).flatMap((i) =>
          i ? [i.data] : [],
        );
      } else if (scope.kind === 'org' && role === 'district_center') {
        items = await whistlesByStatus(tenant, 'GSI2', scope.code, ['filed', 'blown', 'acting']);
      } else if (scope.kind === 'org') {
        items = await whistlesByStatus(tenant, 'GSI1', scope.code.slice(0, 9), all);
        items = items.filter((w) => w.location.gridCode.startsWith(scope.code));
      }
      return c.json({ items: items as unknown as Record<string, unknown>[] }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'whistles.read', {
      method: 'get',
      path: '/v1/whistles/{whistleId}',
      tags,
      summary:
        'A whistle with its full record: review, summons and reports, action, evaluations, archive number',
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
      return c.json((await detail(c, found.data)) as unknown as Record<string, unknown>, 200);
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
      const tenant = c.get('tenant');
      const current = await findWhistle(tenant, c.req.valid('param').whistleId);
      if (!current) throw new AppError('not_found', 'Whistle not found.');
      const body = c.req.valid('json') as WhistleCommandInput | { type: 'archive' };
      if (body.type !== 'archive')
        return c.json(
          (await detail(c, await apply(c, current, body as WhistleCommandInput))) as unknown as Record<
            string,
            unknown
          >,
          200,
        );
      // Archive numbers run per street and year: the counter moves in the same transaction.
      const year = new Date(deps.clock.now().getTime() + 8 * 3_600_000).getUTCFullYear().toString();
      const counterKey = archiveCounterKey(current.data.streetCode, year);
      const counter = await tenant.get<{ n: number }>(counterKey, { consistentRead: true });
      const seq = (counter?.data.n ?? 0) + 1;
      const counterItem = { key: counterKey, entity: 'whistle-archive-counter', data: { n: seq } };
      const state = await apply(c, current, { type: 'archive', seq }, [
        counter
          ? { kind: 'replace', item: counterItem, previous: counter }
          : { kind: 'create', item: counterItem },
      ]);
      return c.json((await detail(c, state)) as unknown as Record<string, unknown>, 200);
    },
  );
};
