import { randomBytes } from 'node:crypto';
import {
  AppError,
  type CaseActor,
  type CaseCommandInput,
  type CaseEvent,
  type CaseState,
  type DeadlineResolver,
  type DutyCatalog,
  decide,
  defaultStepLimits,
  evolve,
  NotFoundError,
  newId,
  type Principal,
  routeCase,
  type WorkingCalendar,
} from '@civicgrid/domain';
import type { EventPublisher } from '@civicgrid/queue';
import type { StoredItem, TenantStore } from '@civicgrid/storage';
import { auditOp } from '../audit/audit-log';
import { tenantCatalog } from '../catalog/catalog-store';
import type { WriteContext } from '../http/env';
import type { LocatorCache } from '../org/locator-cache';
import { tenantCalendar } from '../settings/calendar-store';
import { contactKey, decisionOps, duplicatesKey, findCase, idempotencyKey, trackingKey } from './case-store';
import { likelyDuplicates } from './duplicates';
import { caseDomainEvents } from './publish';

/** What running a command on a case needs. */
export type CommandContext = WriteContext & {
  /** Checks that attachment ids name uploads of this tenant. */
  assertUploaded: (ids: readonly string[]) => Promise<void>;
  events: EventPublisher;
};

/** Intake also places the report on the map. */
export type CaseContext = CommandContext & {
  locators: LocatorCache;
  /** Finds an address in the city (its gazetteer, then any external geocoder). */
  geocode: (
    tenant: TenantStore,
    q: string,
    options: { limit: number },
  ) => Promise<{ point: [number, number] }[]>;
};

/**
 * After the commit, the events go to the queue for notifications and read models. A crash in
 * between loses only those side effects, never the case's own log (see the closing note).
 */
const publish = (ctx: CommandContext, state: CaseState, events: readonly CaseEvent[]) =>
  ctx.events.publish(caseDomainEvents(state, events, ctx.requestId));

/**
 * Step limits: where the category routes, the catalog's handling limit and (if it sets one) its
 * dispatch limit; the defaults otherwise. All counted in the tenant's working calendar.
 */
const deadlinesFor =
  (catalog: DutyCatalog, calendar: WorkingCalendar): DeadlineResolver =>
  (step, from, context) => {
    if ((step === 'handle' || step === 'dispatch') && context.categoryCode) {
      const route = routeCase(catalog, context.categoryCode, context.handlingOrgCode);
      if (route.kind === 'routed') {
        const limit = step === 'handle' ? route.handlingLimit : route.dispatchLimit;
        if (limit) return calendar.addTime(from, limit);
      }
    }
    return calendar.addTime(from, defaultStepLimits[step]);
  };

/** The principal as the case machine sees it: a department's member acts for its department. */
export const caseActorOf = (principal: Principal): CaseActor => ({
  ...principal,
  ...(principal.scope.kind === 'department' ? { departmentId: principal.scope.departmentId } : {}),
});
const actorOf = (ctx: WriteContext): CaseActor => caseActorOf(ctx.principal);

/** Decides, folds and stores one command; a lost race surfaces as 409 from the storage. */
const apply = async (
  ctx: CommandContext,
  previous: StoredItem<CaseState> | undefined,
  command: CaseCommandInput,
  extra: Parameters<TenantStore['transact']>[0] = [],
) => {
  const { catalog } = await tenantCatalog(ctx.tenant);
  const { events } = decide(
    previous?.data,
    command,
    actorOf(ctx),
    ctx.clock.now(),
    deadlinesFor(catalog, await tenantCalendar(ctx.tenant)),
  );
  const own = events.filter(
    (e) => e.caseId === (previous?.data.id ?? (command as { caseId?: string }).caseId),
  );
  const next = own.reduce<CaseState | undefined>(evolve, previous?.data) as CaseState;
  await ctx.tenant.transact([
    ...decisionOps(previous, next, own),
    ...extra,
    auditOp(ctx.clock, {
      principal: ctx.principal,
      requestId: ctx.requestId,
      action: `case.${command.type}`,
      target: { type: 'case', id: next.id },
    }),
  ]);
  await publish(ctx, next, own);
  return { state: next, events };
};

const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const trackingCode = () =>
  Array.from(randomBytes(10), (b) => TRACKING_ALPHABET[b % TRACKING_ALPHABET.length]).join('');

/** A retried report answers exactly as the first one did. */
const replay = async (tenant: TenantStore, first: { caseId: string; trackingCode: string }) => {
  const duplicates = await tenant.get<{ caseIds: string[] }>(duplicatesKey(first.caseId));
  return { ...first, possibleDuplicates: duplicates?.data.caseIds ?? [], replayed: true };
};

export interface IntakeInput {
  channel: CaseState['channel'];
  description: string;
  categoryCode?: string;
  location: { point?: [number, number]; address?: string };
  attachmentIds?: string[];
  contact?: { name?: string; phone?: string };
  callerRef?: string;
}

/**
 * Takes a report in: places it in its grid, opens the case and gives the reporter a tracking
 * code. The same idempotency key always answers with the case it first made.
 */
export const reportCase = async (
  ctx: CaseContext,
  input: IntakeInput,
  key?: string,
  /** Further writes of the same transaction (a channel's own record of the report, say). */
  also: (ids: { caseId: string; trackingCode: string }) => Parameters<TenantStore['transact']>[0] = () => [],
) => {
  if (key) {
    const seen = await ctx.tenant.get<{ caseId: string; trackingCode: string }>(idempotencyKey(key), {
      consistentRead: true,
    });
    if (seen) return replay(ctx.tenant, seen.data);
  }
  const point =
    input.location.point ??
    (input.location.address
      ? (await ctx.geocode(ctx.tenant, input.location.address, { limit: 1 }))[0]?.point
      : undefined);
  if (!point) {
    throw new AppError('validation_failed', 'A report needs a point, or an address found in the city.', {
      code: input.location.address ? 'address_not_found' : 'location_required',
    });
  }
  const place = await ctx.locators.locate(ctx.tenant, point[0], point[1]);
  if (!place) {
    throw new AppError('validation_failed', 'The location lies in no grid of this city.', {
      code: 'outside_territory',
    });
  }
  await ctx.assertUploaded(input.attachmentIds ?? []);
  const caseId = newId(ctx.clock.now().getTime());
  const code = trackingCode();
  const extra: Parameters<TenantStore['transact']>[0] = [
    { kind: 'create', item: { key: trackingKey(code), entity: 'case-tracking', data: { caseId } } },
    ...(input.contact
      ? [
          {
            kind: 'create' as const,
            item: { key: contactKey(caseId), entity: 'case-contact', data: input.contact },
          },
        ]
      : []),
    ...(key
      ? [
          {
            kind: 'create' as const,
            item: {
              key: idempotencyKey(key),
              entity: 'case-idempotency',
              data: { caseId, trackingCode: code },
            },
          },
        ]
      : []),
    ...also({ caseId, trackingCode: code }),
  ];
  let reported: CaseState;
  try {
    ({ state: reported } = await apply(
      ctx,
      undefined,
      {
        type: 'report',
        caseId,
        channel: input.channel,
        description: input.description,
        ...(input.categoryCode ? { categoryCode: input.categoryCode } : {}),
        location: {
          point,
          gridCode: place.grid.code,
          ...(input.location.address ? { address: input.location.address } : {}),
        },
        attachmentIds: input.attachmentIds ?? [],
        ...(input.callerRef ? { callerRef: input.callerRef } : {}),
      },
      extra,
    ));
  } catch (error) {
    // Two submissions with one key at once: the one that lost answers with the winner's case.
    if (key && error instanceof AppError && error.status === 409) {
      const seen = await ctx.tenant.get<{ caseId: string; trackingCode: string }>(idempotencyKey(key), {
        consistentRead: true,
      });
      if (seen) return replay(ctx.tenant, seen.data);
    }
    throw error;
  }
  const duplicates = await likelyDuplicates(ctx.tenant, reported);
  if (duplicates.length > 0) {
    await ctx.tenant.transact([
      {
        kind: 'put',
        item: { key: duplicatesKey(caseId), entity: 'case-duplicates', data: { caseIds: duplicates } },
      },
    ]);
  }
  return { caseId, trackingCode: code, possibleDuplicates: duplicates, replayed: false };
};

/** Runs a command on an existing case; a merge also links the primary in the same transaction. */
export const commandCase = async (
  ctx: CommandContext,
  caseId: string,
  command: CaseCommandInput | { type: 'merge'; primaryId: string },
) => {
  const current = await findCase(ctx.tenant, caseId);
  if (!current) throw new NotFoundError('Case not found.');
  const { attachmentIds, evidenceIds } = command as { attachmentIds?: string[]; evidenceIds?: string[] };
  await ctx.assertUploaded([...(attachmentIds ?? []), ...(evidenceIds ?? [])]);
  if (command.type === 'merge' && 'primaryId' in command) {
    const primary = await findCase(ctx.tenant, command.primaryId);
    if (!primary) throw new NotFoundError('The primary case was not found.');
    const { catalog } = await tenantCatalog(ctx.tenant);
    const full: CaseCommandInput = {
      type: 'merge',
      primary: {
        id: primary.data.id,
        tenantId: primary.data.tenantId,
        status: primary.data.status,
        handlingOrgCode: primary.data.handlingOrgCode,
      },
    };
    const { events } = decide(
      current.data,
      full,
      actorOf(ctx),
      ctx.clock.now(),
      deadlinesFor(catalog, await tenantCalendar(ctx.tenant)),
    );
    const mine = events.filter((e) => e.caseId === caseId);
    const theirs = events.filter((e) => e.caseId === primary.data.id);
    const next = mine.reduce(evolve, current.data);
    const nextPrimary = theirs.reduce(evolve, primary.data);
    await ctx.tenant.transact([
      ...decisionOps(current, next, mine),
      ...decisionOps(primary, nextPrimary, theirs),
      auditOp(ctx.clock, {
        principal: ctx.principal,
        requestId: ctx.requestId,
        action: 'case.merge',
        target: { type: 'case', id: caseId },
        changes: { primaryId: primary.data.id },
      }),
    ]);
    await publish(ctx, next, mine);
    await publish(ctx, nextPrimary, theirs);
    return next;
  }
  return (await apply(ctx, current, command as CaseCommandInput)).state;
};
