import {
  AppError,
  allowedCaseCommands,
  CaseCommandSchema,
  type CaseState,
  caseChannels,
  caseStatuses,
  IdSchema,
  OrgCodeSchema,
  type Principal,
  roleHas,
  TenantIdSchema,
  urgingsToAcknowledge,
  type WorkingCalendar,
} from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { assertAttachmentsUploaded } from '../attachments/attachment-store';
import { findDepartment } from '../catalog/department-store';
import { geocoderFor } from '../geocode/routes';
import { assertAllowed } from '../http/auth';
import { type ApiEnv, writeContextOf } from '../http/env';
import { errorResponses, jsonBody } from '../http/openapi';
import { enforceRateLimit, PUBLIC_SCOPE } from '../http/rate-limit';
import { secureRoute } from '../http/routes';
import { locatorsFor } from '../org/locator-cache';
import { tenantCalendar } from '../settings/calendar-store';
import {
  caseEvents,
  casesByStatus,
  casesOfDepartment,
  casesOfReporter,
  contactKey,
  duplicatesKey,
  findCase,
  trackingKey,
} from './case-store';
import { mergeCandidates } from './merge';
import { searchCases } from './search';
import { type CaseContext, caseActorOf, commandCase, reportCase } from './service';
import { type Contact, caseTarget, contactFor, trackingView } from './view';

const IntakeSchema = z
  .strictObject({
    channel: z.enum(['patrol', 'citizen', 'hotline', 'whistle', 'api']),
    description: z.string().trim().min(1).max(2000),
    categoryCode: z
      .string()
      .regex(/^[CE]\d{2}-\d{2}$/)
      .optional(),
    location: z.strictObject({
      point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
      address: z.string().trim().min(1).max(300).optional(),
    }),
    attachmentIds: z
      .array(z.string().regex(/^[A-Za-z0-9._-]{1,128}$/))
      .max(20)
      .optional(),
    contact: z
      .strictObject({
        name: z.string().trim().min(1).max(40).optional(),
        phone: z
          .string()
          .regex(/^\+?\d{5,15}$/)
          .optional(),
      })
      .optional(),
    callerRef: z.string().trim().min(1).max(128).optional(),
  })
  .openapi('CaseReport');

/** Every command but `report` (that is intake) and `merge`, which names its primary by id. */
const CommandSchema = z
  .union([
    ...CaseCommandSchema.options.filter((o) => !['report', 'merge'].includes(o.shape.type.value)),
    z.strictObject({ type: z.literal('merge'), primaryId: IdSchema }),
  ] as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]])
  .openapi('CaseCommand');

const CaseIdParam = z.object({ caseId: IdSchema });

/** Warn an hour of working time before a step falls due; flag it overdue after. */
const WARN_BEFORE_MINUTES = 60;
const withDeadlineStatus = (state: CaseState, now: Date, calendar: WorkingCalendar) =>
  state.deadline
    ? {
        ...state,
        deadlineStatus: calendar.deadlineStatus(new Date(state.deadline.dueAt), now, WARN_BEFORE_MINUTES),
      }
    : state;
const CaseViewSchema = z.record(z.string(), z.unknown()).openapi('Case');

/** What waits for the caller, by role: the center's queue, the grid's on-site work, the department's tasks. */
const inboxStatuses: Partial<Record<string, CaseState['status'][]>> = {
  street_center: ['reported', 'verifying', 'registered', 'handled', 'closed', 'suspended'],
  district_center: ['reported', 'verifying', 'registered', 'handled', 'closed', 'suspended'],
  // Reports to verify on site (核实), handled cases to check on site (核查), checks under way.
  grid_worker: ['reported', 'handled', 'checking'],
};
/**
 * Roles whose inbox lists only what they can act on now: a grid worker's grid also holds his own
 * patrol reports, which wait for the center, not for him.
 */
const actionableOnly: readonly string[] = ['grid_worker'];

/** The commands the caller may send now: the route's permission, then the case machine. */
const allowedFor = (principal: Principal, state: CaseState) =>
  roleHas(principal.role, 'cases.act') ? allowedCaseCommands(state, caseActorOf(principal)) : [];

export const casesModule: ApiModule = (app, deps) => {
  const tags = ['cases'];
  const locators = locatorsFor(deps);
  const geocode = geocoderFor(deps);
  const caseContext = (c: Context<ApiEnv>): CaseContext => ({
    ...writeContextOf(deps, c),
    locators,
    events: deps.events,
    geocode,
    assertUploaded: (ids) => assertAttachmentsUploaded(deps, c.get('tenant'), ids),
  });

  /**
   * The names of the departments a case mentions, so that every reader (a citizen cannot list the
   * city's departments) sees names rather than ids.
   */
  const departmentNamesOf = async (tenant: TenantStore, ids: string[]) => {
    const found = await Promise.all([...new Set(ids)].map((id) => findDepartment(tenant, id)));
    return Object.fromEntries(
      found.flatMap((d) =>
        d ? [[d.data.id, { zh: d.data.name, ...(d.data.nameEn ? { en: d.data.nameEn } : {}) }]] : [],
      ),
    );
  };

  const readable = async (c: Context<ApiEnv>, caseId: string) => {
    const found = await findCase(c.get('tenant'), caseId);
    if (!found) throw new AppError('not_found', 'Case not found.');
    assertAllowed(c.get('principal'), 'cases.read', caseTarget(found.data));
    return found;
  };

  const detail = async (c: Context<ApiEnv>, state: CaseState) => {
    const tenant = c.get('tenant');
    const contact = await tenant.get<Contact>(contactKey(state.id));
    const shown = contactFor(contact?.data, c.get('principal'));
    const duplicates = await tenant.get<{ caseIds: string[] }>(duplicatesKey(state.id));
    const timeline = await caseEvents(tenant, state.id);
    return {
      ...withDeadlineStatus(state, deps.clock.now(), await tenantCalendar(tenant)),
      // What this caller may do now, judged by the machine that will judge the command.
      allowedCommands: allowedFor(c.get('principal'), state),
      urgingsToAcknowledge: urgingsToAcknowledge(state, caseActorOf(c.get('principal'))),
      ...(shown ? { contact: shown } : {}),
      ...(duplicates ? { possibleDuplicates: duplicates.data.caseIds } : {}),
      departmentNames: await departmentNamesOf(tenant, [
        ...state.assignments.map((a) => a.departmentId),
        ...timeline.flatMap((e) => (e.actor.departmentId ? [e.actor.departmentId] : [])),
      ]),
      timeline,
    };
  };

  app.openapi(
    secureRoute(deps, 'cases.report', {
      method: 'post',
      path: '/v1/cases',
      tags,
      summary:
        'Report a problem: it is placed in its grid and becomes a case (send Idempotency-Key to retry safely)',
      request: {
        body: jsonBody(IntakeSchema),
        headers: z.object({ 'idempotency-key': z.string().min(8).max(128).optional() }),
      },
      responses: {
        200: {
          description: 'The case this idempotency key already made',
          content: {
            'application/json': { schema: z.object({ caseId: z.string(), trackingCode: z.string() }) },
          },
        },
        201: {
          description: 'Reported; open cases nearby in the same category are listed as likely duplicates',
          content: {
            'application/json': {
              schema: z.object({
                caseId: z.string(),
                trackingCode: z.string(),
                possibleDuplicates: z.array(z.string()).optional(),
              }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => {
      const { replayed, ...result } = await reportCase(
        caseContext(c),
        c.req.valid('json'),
        c.req.valid('header')['idempotency-key'],
      );
      return replayed ? c.json(result, 200) : c.json(result, 201);
    },
  );

  const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
  app.openapi(
    secureRoute(deps, 'cases.read', {
      method: 'get',
      path: '/v1/cases/search',
      tags,
      summary:
        'Search cases of a period within the caller’s place (a department: the cases dispatched to it), by status, category, department, channel, overdue',
      request: {
        query: z.object({
          from: DateSchema,
          to: DateSchema,
          orgCode: OrgCodeSchema.optional(),
          status: z.enum(caseStatuses).optional(),
          categoryCode: z.string().max(10).optional(),
          departmentId: z.string().max(40).optional(),
          channel: z.enum(caseChannels).optional(),
          overdue: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: {
        200: {
          description: 'Matching cases, newest first; truncated when more matched than the limit',
          content: {
            'application/json': {
              schema: z.object({ items: z.array(z.record(z.string(), z.unknown())), truncated: z.boolean() }),
            },
          },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const tenant = c.get('tenant');
      const result = await searchCases(tenant, c.get('principal'), c.req.valid('query'), {
        now: deps.clock.now(),
        calendar: await tenantCalendar(tenant),
      });
      return c.json(result as unknown as { items: Record<string, unknown>[]; truncated: boolean }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'cases.read', {
      method: 'get',
      path: '/v1/cases/inbox',
      tags,
      summary:
        'What waits for the caller: its center’s, grid’s (to verify or check on site), department’s or own cases, each with the commands the caller may send now',
      responses: {
        200: {
          description: 'Cases',
          content: { 'application/json': { schema: z.object({ items: z.array(CaseViewSchema) }) } },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const { role, scope, userId } = c.get('principal');
      const tenant = c.get('tenant');
      let items: CaseState[] = [];
      const statuses = inboxStatuses[role];
      if (statuses && scope.kind === 'org') {
        items = await casesByStatus(tenant, role === 'grid_worker' ? 'GSI2' : 'GSI1', scope.code, statuses);
      } else {
        const ids =
          scope.kind === 'department'
            ? await casesOfDepartment(tenant, scope.departmentId)
            : role === 'citizen'
              ? await casesOfReporter(tenant, userId)
              : [];
        items = (await Promise.all(ids.map((id) => findCase(tenant, id)))).flatMap((i) =>
          i ? [i.data] : [],
        );
      }
      items.sort((a, b) => (a.deadline?.dueAt ?? '9').localeCompare(b.deadline?.dueAt ?? '9'));
      const now = deps.clock.now();
      const calendar = await tenantCalendar(tenant);
      const principal = c.get('principal');
      const shown = items
        .map((i) => ({ ...withDeadlineStatus(i, now, calendar), allowedCommands: allowedFor(principal, i) }))
        .filter((i) => !actionableOnly.includes(role) || i.allowedCommands.length > 0);
      return c.json({ items: shown as unknown as Record<string, unknown>[] }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'cases.read', {
      method: 'get',
      path: '/v1/cases/{caseId}',
      tags,
      summary:
        'A case with its timeline and the commands the caller may send now (`allowedCommands`); the reporter’s contact is masked except for those who call back',
      request: { params: CaseIdParam },
      responses: {
        200: { description: 'The case', content: { 'application/json': { schema: CaseViewSchema } } },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const found = await readable(c, c.req.valid('param').caseId);
      return c.json((await detail(c, found.data)) as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'cases.act', {
      method: 'get',
      path: '/v1/cases/{caseId}/merge-candidates',
      tags,
      summary:
        'Open cases of the same category near this one that the caller could merge it into, nearest first',
      request: { params: CaseIdParam },
      responses: {
        200: {
          description: 'Candidate primary cases (summaries with their distance in metres)',
          content: {
            'application/json': {
              schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
            },
          },
        },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const found = await readable(c, c.req.valid('param').caseId);
      const items = await mergeCandidates(
        c.get('tenant'),
        found.data,
        caseActorOf(c.get('principal')),
        deps.clock.now(),
      );
      return c.json({ items: items as unknown as Record<string, unknown>[] }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'cases.act', {
      method: 'post',
      path: '/v1/cases/{caseId}/commands',
      tags,
      summary:
        'Move a case along the loop: verify, register, dispatch, accept, return, handle, check, evaluate…',
      request: { params: CaseIdParam, body: jsonBody(CommandSchema) },
      responses: {
        200: {
          description: 'The case after the command',
          content: { 'application/json': { schema: CaseViewSchema } },
        },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      const state = await commandCase(caseContext(c), caseId, c.req.valid('json') as never);
      return c.json((await detail(c, state)) as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/v1/track/{tenantId}/{trackingCode}',
      tags,
      summary: 'A reporter follows a case by its tracking code (no personal data)',
      request: {
        params: z.object({ tenantId: TenantIdSchema, trackingCode: z.string().regex(/^[0-9A-Z]{10}$/) }),
      },
      responses: {
        200: {
          description: 'Progress',
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
        },
        ...errorResponses(400, 404, 429),
      },
    }),
    async (c) => {
      await enforceRateLimit(
        deps,
        c,
        PUBLIC_SCOPE,
        { name: 'track-ip', limit: 60, windowSeconds: 60 },
        deps.clientIp(c),
      );
      const { tenantId, trackingCode } = c.req.valid('param');
      // Read-only and keyed by an unguessable code, so the tenant may come from the path here.
      const tenant = deps.store.tenant(tenantId);
      const ref = await tenant.get<{ caseId: string }>(trackingKey(trackingCode));
      const found = ref ? await findCase(tenant, ref.data.caseId) : undefined;
      if (!found) throw new AppError('not_found', 'No case has this tracking code.');
      return c.json(trackingView(found.data, await caseEvents(tenant, found.data.id)), 200);
    },
  );
};
