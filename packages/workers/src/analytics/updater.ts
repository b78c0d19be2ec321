import {
  type CaseEvent,
  type CounterDelta,
  caseLogDeltas,
  type WhistleEvent,
  whistleLogDeltas,
} from '@civicgrid/domain';
import type { DomainEvent } from '@civicgrid/queue';
import type { Store, TenantStore } from '@civicgrid/storage';
import { applyEventDeltas, readApplied, tenantTimeZone } from './counter-store';

/** Aggregates whose events feed the counters. */
export const countedAggregates = ['case', 'whistle'] as const;
export type CountedAggregate = (typeof countedAggregates)[number];

export const isCounted = (type: string): type is CountedAggregate =>
  (countedAggregates as readonly string[]).includes(type);

/** An aggregate's whole event log, oldest first (cases and whistles keep theirs the same way). */
export const readAggregateLog = async <E>(tenant: TenantStore, type: string, id: string): Promise<E[]> => {
  const events: E[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.query<E>({
      pk: [type, id],
      skBeginsWith: ['event'],
      limit: 100,
      cursor,
      consistentRead: true,
    });
    events.push(...page.items.map((i) => i.data));
    cursor = page.nextCursor;
  } while (cursor);
  return events;
};

/** Each logged event's counter deltas, from the log itself. */
export const aggregateDeltas = async (
  tenant: TenantStore,
  type: CountedAggregate,
  id: string,
  timeZone: string,
): Promise<{ log: { at: string }[]; deltas: CounterDelta[][] }> => {
  if (type === 'case') {
    const log = await readAggregateLog<CaseEvent>(tenant, 'case', id);
    return { log, deltas: caseLogDeltas(log, timeZone) };
  }
  const log = await readAggregateLog<WhistleEvent>(tenant, 'whistle', id);
  return { log, deltas: whistleLogDeltas(log, timeZone) };
};

export interface UpdateResult {
  /** Events of the log counted by this call. */
  counted: number;
  /** Sequence number counted through after the call. */
  appliedThrough: number;
}

const MAX_CONFLICT_RETRIES = 8;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Brings the counters up to date with one aggregate's log. Whichever of its events arrives (the
 * latest, an old redelivery, one overtaking another), the log is read and every event past the
 * aggregate's applied mark is counted in order, one transaction per event with the mark. So a
 * duplicate finds nothing left to count, and any order of deliveries ends at the same counters.
 */
export const updateAggregateCounters = async (
  store: Store,
  tenantId: string,
  aggregate: { type: CountedAggregate; id: string },
): Promise<UpdateResult> => {
  const tenant = store.tenant(tenantId);
  let applied = await readApplied(tenant, aggregate.type, aggregate.id);
  const { log, deltas } = await aggregateDeltas(
    tenant,
    aggregate.type,
    aggregate.id,
    await tenantTimeZone(tenant),
  );
  let counted = 0;
  let conflicts = 0;
  while (applied < log.length) {
    const seq = applied + 1;
    const outcome = await applyEventDeltas(
      store,
      tenant,
      aggregate,
      seq,
      deltas[seq - 1] ?? [],
      (log[seq - 1] as { at: string }).at,
    );
    if (outcome === 'applied') {
      applied = seq;
      counted += 1;
    } else if (outcome === 'already_applied') {
      applied = await readApplied(tenant, aggregate.type, aggregate.id);
    } else {
      conflicts += 1;
      if (conflicts > MAX_CONFLICT_RETRIES)
        throw new Error('counters stayed contended; the event will be retried');
      await pause(10 * 2 ** Math.min(conflicts, 6) * Math.random());
    }
  }
  return { counted, appliedThrough: applied };
};

/** The events worker's entry: counts a case or whistle event, ignores the rest. */
export const updateCounters = async (store: Store, event: DomainEvent): Promise<UpdateResult | undefined> => {
  const type = event.aggregate.type;
  if (!isCounted(type)) return undefined;
  return updateAggregateCounters(store, event.tenantId, { type, id: event.aggregate.id });
};
