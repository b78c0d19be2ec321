import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  type AnalyticsPeriod,
  type CounterAddress,
  type CounterDelta,
  DEFAULT_TIME_ZONE,
  type Dimension,
  type Measure,
  type Measures,
  measures,
} from '@civicgrid/domain';
import type { KeySpec, Store, TenantStore } from '@civicgrid/storage';

/**
 * Counters live one item per tenant × period × dimension × key, e.g. the May scorecard of one
 * department, each measure a top-level number attribute `m_<measure>` that writers ADD to.
 * All items of one period and dimension share a partition, sorted by key, so the grids of a
 * street (or the categories of a street) are one key-prefix query, however many cases there are.
 */
export const counterPartition = (period: AnalyticsPeriod, dimension: Dimension) => [
  'analytics',
  period.kind,
  period.key,
  dimension,
];

export const counterKey = (address: CounterAddress): KeySpec => ({
  pk: counterPartition(address.period, address.dimension),
  sk: address.key,
});

/** How far an aggregate's log has been counted: the sequence number of its last counted event. */
export const appliedKey = (aggregateType: string, aggregateId: string): KeySpec => ({
  pk: ['analytics-applied', aggregateType, aggregateId],
  sk: ['applied'],
});

const MEASURE_PREFIX = 'm_';
const measureSet = new Set<string>(measures);

/** The measures of a stored counter item. */
export const measuresOf = (item: Record<string, unknown> | undefined): Measures => {
  const result: Measures = {};
  if (!item) return result;
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(MEASURE_PREFIX) || typeof value !== 'number' || value === 0) continue;
    const measure = name.slice(MEASURE_PREFIX.length);
    if (measureSet.has(measure)) result[measure as Measure] = value;
  }
  return result;
};

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** ADD of every measure of a delta; the address is written too so an item explains itself. */
export const counterUpdate = (store: Store, tenant: TenantStore, delta: CounterDelta): TransactItem => {
  const names: Record<string, string> = {
    '#entity': 'entity',
    '#tenantId': 'tenantId',
    '#address': 'address',
  };
  const values: Record<string, unknown> = {
    ':entity': 'analytics-counter',
    ':tenantId': tenant.tenantId,
    ':address': { period: delta.period, dimension: delta.dimension, key: delta.key },
  };
  const adds: string[] = [];
  Object.entries(delta.measures).forEach(([measure, value], i) => {
    names[`#m${i}`] = `${MEASURE_PREFIX}${measure}`;
    values[`:m${i}`] = value;
    adds.push(`#m${i} :m${i}`);
  });
  return {
    Update: {
      TableName: store.tableName,
      Key: tenant.key(counterKey(delta)),
      UpdateExpression: `SET #entity = :entity, #tenantId = :tenantId, #address = :address ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** Moves an aggregate's applied mark from `from` to `to`, only if nobody moved it first. */
const markerPut = (
  store: Store,
  tenant: TenantStore,
  aggregate: { type: string; id: string },
  from: number,
  to: number,
  at: string,
): TransactItem => ({
  Put: {
    TableName: store.tableName,
    Item: {
      ...tenant.key(appliedKey(aggregate.type, aggregate.id)),
      entity: 'analytics-applied',
      tenantId: tenant.tenantId,
      applied: to,
      updatedAt: at,
    },
    ...(from === 0
      ? {
          ConditionExpression: 'attribute_not_exists(#applied)',
          ExpressionAttributeNames: { '#applied': 'applied' },
        }
      : {
          ConditionExpression: '#applied = :from',
          ExpressionAttributeNames: { '#applied': 'applied' },
          ExpressionAttributeValues: { ':from': from },
        }),
  },
});

export const readApplied = async (tenant: TenantStore, type: string, id: string): Promise<number> => {
  const item = (await tenant.get(appliedKey(type, id), { consistentRead: true })) as
    | (Record<string, unknown> & { applied?: number })
    | undefined;
  return item?.applied ?? 0;
};

export type ApplyOutcome = 'applied' | 'already_applied' | 'conflict';

/** A transaction holds at most 100 items; one is the marker. */
export const MAX_COUNTERS_PER_EVENT = 99;

/**
 * Adds one event's deltas and moves the marker from seq - 1 to seq, all in one transaction:
 * either the event is counted and marked, or neither. A marker already past `seq - 1` means
 * another delivery counted it ('already_applied'); a write conflict on a hot counter is 'conflict'.
 */
export const applyEventDeltas = async (
  store: Store,
  tenant: TenantStore,
  aggregate: { type: string; id: string },
  seq: number,
  deltas: readonly CounterDelta[],
  at: string,
): Promise<ApplyOutcome> => {
  if (deltas.length > MAX_COUNTERS_PER_EVENT) {
    throw new Error(`event ${seq} of ${aggregate.type} ${aggregate.id} touches ${deltas.length} counters`);
  }
  try {
    await store.client.send(
      new TransactWriteCommand({
        TransactItems: [
          markerPut(store, tenant, aggregate, seq - 1, seq, at),
          ...deltas.map((delta) => counterUpdate(store, tenant, delta)),
        ],
      }),
    );
    return 'applied';
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      return reasons[0]?.Code === 'ConditionalCheckFailed' ? 'already_applied' : 'conflict';
    }
    throw error;
  }
};

/** Adds deltas without a marker: only reconciliation's repair uses it. */
export const addToCounters = async (store: Store, tenant: TenantStore, deltas: readonly CounterDelta[]) => {
  for (let i = 0; i < deltas.length; i += 100) {
    await store.client.send(
      new TransactWriteCommand({
        TransactItems: deltas.slice(i, i + 100).map((delta) => counterUpdate(store, tenant, delta)),
      }),
    );
  }
};

/** One counter: a single item read, whatever the number of cases behind it. */
export const readCounter = async (tenant: TenantStore, address: CounterAddress): Promise<Measures> =>
  measuresOf((await tenant.get(counterKey(address))) as Record<string, unknown> | undefined);

export interface StoredCounter {
  key: string[];
  measures: Measures;
}

/**
 * Every counter of a period and dimension, optionally under a key prefix (e.g. the grids of a
 * street). Its size is bounded by the number of places or categories, not of cases.
 */
export const queryCounters = async (
  tenant: TenantStore,
  period: AnalyticsPeriod,
  dimension: Dimension,
  prefix?: readonly string[],
): Promise<StoredCounter[]> => {
  const found: StoredCounter[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.query<unknown>({
      pk: counterPartition(period, dimension),
      ...(prefix && prefix.length > 0 ? { skBeginsWith: prefix } : {}),
      limit: 500,
      cursor,
    });
    for (const item of page.items) {
      const raw = item as unknown as Record<string, unknown> & { SK: string };
      found.push({ key: raw.SK.split('#'), measures: measuresOf(raw) });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
};

/** The tenant's time zone from its working calendar; periods are days and months on its wall clock. */
export const tenantTimeZone = async (tenant: TenantStore): Promise<string> => {
  const stored = await tenant.get<{ timeZone?: string }>({ pk: ['settings'], sk: ['calendar'] });
  return stored?.data.timeZone ?? DEFAULT_TIME_ZONE;
};
