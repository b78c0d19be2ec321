import {
  decideWhistle,
  evolveWhistle,
  type WhistleCommandInput,
  type WhistleEvent,
  type WhistleState,
} from '@civicgrid/domain';
import type { EventPublisher } from '@civicgrid/queue';
import type { StoredItem, TransactOp } from '@civicgrid/storage';
import { auditOp } from '../audit/audit-log';
import { toDomainEvents } from '../events/aggregate-log';
import type { WriteContext } from '../http/env';
import { tenantCalendar } from '../settings/calendar-store';
import { tenantWhistleSettings } from '../settings/whistle-settings';
import { archiveCounterKey, whistleDecisionOps } from './whistle-store';

export interface WhistleContext extends WriteContext {
  events: EventPublisher;
  /** Checks that attachment ids name uploads of this tenant. */
  assertUploaded: (ids: readonly string[]) => Promise<void>;
}

/** The community the outcome goes back to: the one that raised the whistle or brought the request. */
export const sourceCommunityOf = (state: WhistleState): string | undefined =>
  state.raisedBy ??
  (state.source.kind === 'community' && state.source.ref?.length === 12 ? state.source.ref : undefined);

/**
 * Whistle events for the queue, with whom they concern: the street, the district, the
 * community that raised it and the summoned departments.
 */
const whistleDomainEvents = (state: WhistleState, events: readonly WhistleEvent[], requestId: string) =>
  toDomainEvents({ type: 'whistle', id: state.id, tenantId: state.tenantId }, events, requestId, {
    status: state.status,
    streetCode: state.streetCode,
    gridCode: state.location.gridCode,
    sourceKind: state.source.kind,
    ...(sourceCommunityOf(state) ? { sourceCommunity: sourceCommunityOf(state) } : {}),
    departmentIds: state.summons.map((s) => s.departmentId),
    missingDepartmentIds: state.summons.filter((s) => s.missing && !s.report).map((s) => s.departmentId),
  });

/**
 * One command on one whistle: the pure machine decides; the state, its log, the summons inbox,
 * the report-by index and the audit entry commit together; the events go to the queue after.
 */
export const commandWhistle = async (
  ctx: WhistleContext,
  previous: StoredItem<WhistleState> | undefined,
  command: WhistleCommandInput,
  extra: TransactOp[] = [],
): Promise<WhistleState> => {
  if (command.type === 'recordAction') await ctx.assertUploaded(command.evidenceIds);
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
  await ctx.events.publish(whistleDomainEvents(next, events, ctx.requestId));
  return next;
};

/**
 * Archives a closed whistle under the street's next number for the year in the tenant's zone;
 * the counter moves in the same transaction, so two archives never share a number.
 */
export const archiveWhistle = async (
  ctx: WhistleContext,
  current: StoredItem<WhistleState>,
): Promise<WhistleState> => {
  const year = (await tenantCalendar(ctx.tenant)).localDateOf(ctx.clock.now()).slice(0, 4);
  const counterKey = archiveCounterKey(current.data.streetCode, year);
  const counter = await ctx.tenant.get<{ n: number }>(counterKey, { consistentRead: true });
  const seq = (counter?.data.n ?? 0) + 1;
  const counterItem = { key: counterKey, entity: 'whistle-archive-counter', data: { n: seq } };
  return commandWhistle(ctx, current, { type: 'archive', seq }, [
    counter
      ? { kind: 'replace', item: counterItem, previous: counter }
      : { kind: 'create', item: counterItem },
  ]);
};
