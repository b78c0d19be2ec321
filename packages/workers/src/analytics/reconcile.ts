import {
  type AnalyticsPeriod,
  addMeasures,
  type CounterDelta,
  compareCounters,
  type Drift,
  dimensions,
  localDateOf,
  toCounterTable,
} from '@civicgrid/domain';
import type { Store, TenantStore } from '@civicgrid/storage';
import { addToCounters, queryCounters, readApplied, tenantTimeZone } from './counter-store';
import { aggregateDeltas, type CountedAggregate, isCounted, updateAggregateCounters } from './updater';

export interface ReconcileOptions {
  store: Store;
  tenantId: string;
  /** 'YYYY-MM' in the tenant's time zone; the month and each of its days are checked. */
  month: string;
  /** Add the difference to each drifted counter, and count the events no delivery counted yet. */
  repair?: boolean;
}

export interface ReconcileReport {
  tenantId: string;
  month: string;
  aggregates: number;
  /** Counter items compared (the month's and its days'). */
  counters: number;
  drifts: Drift[];
  /** Aggregates whose log has events no delivery has counted yet (still queued, or lost). */
  behind: { type: string; id: string; applied: number; logged: number }[];
  repaired: boolean;
}

const DAY_MS = 86_400_000;

/** The month's days, 'YYYY-MM-DD'. */
const daysOf = (month: string): string[] => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
};

/**
 * Every case and whistle with an event in the month, from the tenant's daily activity feed
 * (UTC days, one either side to cover the time zone). A case reported in the month is among
 * them, so its later events (counted in the month of the call) are found too.
 */
const aggregatesActiveIn = async (tenant: TenantStore, month: string) => {
  const days = daysOf(month);
  const first = Date.parse(`${days[0]}T00:00:00Z`) - DAY_MS;
  const found = new Map<string, { type: CountedAggregate; id: string }>();
  for (let t = first; t <= Date.parse(`${days.at(-1)}T00:00:00Z`) + DAY_MS; t += DAY_MS) {
    let cursor: string | undefined;
    do {
      const page = await tenant.query<{ aggregate?: { type: string; id: string } }>({
        index: 'GSI1',
        pk: ['activity', new Date(t).toISOString().slice(0, 10)],
        limit: 500,
        cursor,
      });
      for (const { data } of page.items) {
        const type = data.aggregate?.type;
        const id = data.aggregate?.id;
        if (type && id && isCounted(type)) found.set(`${type}#${id}`, { type, id });
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return [...found.values()];
};

const inMonth = (period: AnalyticsPeriod, month: string) => period.key.startsWith(month);

/**
 * Recomputes one month's counters from the event logs and compares them with the stored ones.
 * The logs are the truth; each aggregate is recomputed up to the event its mark says was
 * counted, so events still in the queue are reported as `behind`, not as drift.
 */
export const reconcileMonth = async ({
  store,
  tenantId,
  month,
  repair = false,
}: ReconcileOptions): Promise<ReconcileReport> => {
  const tenant = store.tenant(tenantId);
  const timeZone = await tenantTimeZone(tenant);
  const aggregates = await aggregatesActiveIn(tenant, month);
  const expectedDeltas: CounterDelta[] = [];
  const behind: ReconcileReport['behind'] = [];
  for (const aggregate of aggregates) {
    const applied = await readApplied(tenant, aggregate.type, aggregate.id);
    const { log, deltas } = await aggregateDeltas(tenant, aggregate.type, aggregate.id, timeZone);
    if (applied < log.length) behind.push({ ...aggregate, applied, logged: log.length });
    for (const delta of deltas.slice(0, applied).flat()) {
      if (inMonth(delta.period, month)) expectedDeltas.push(delta);
    }
  }
  const periods: AnalyticsPeriod[] = [
    { kind: 'month', key: month },
    ...daysOf(month).map((key) => ({ kind: 'day' as const, key })),
  ];
  const storedDeltas: CounterDelta[] = [];
  for (const period of periods) {
    for (const dimension of dimensions) {
      for (const counter of await queryCounters(tenant, period, dimension)) {
        storedDeltas.push({ period, dimension, key: counter.key, measures: counter.measures });
      }
    }
  }
  const expected = toCounterTable(expectedDeltas);
  const actual = toCounterTable(storedDeltas);
  const drifts = compareCounters(expected, actual);
  if (repair) {
    const fixes = new Map<string, CounterDelta>();
    for (const drift of drifts) {
      const id = `${drift.address.period.key}|${drift.address.dimension}|${drift.address.key.join('|')}`;
      const fix = fixes.get(id) ?? { ...drift.address, measures: {} };
      addMeasures(fix.measures, { [drift.measure]: drift.expected - drift.actual });
      fixes.set(id, fix);
    }
    await addToCounters(store, tenant, [...fixes.values()]);
    for (const lagging of behind) {
      await updateAggregateCounters(store, tenantId, {
        type: lagging.type as CountedAggregate,
        id: lagging.id,
      });
    }
  }
  return {
    tenantId,
    month,
    aggregates: aggregates.length,
    counters: new Set([...expected.keys(), ...actual.keys()]).size,
    drifts,
    behind,
    repaired: repair,
  };
};

/** The month that holds yesterday on the tenant's wall clock: what a nightly run checks (on the 1st, the month just ended). */
export const monthToReconcile = (now: Date, timeZone: string): string =>
  localDateOf(new Date(now.getTime() - DAY_MS), timeZone).slice(0, 7);
