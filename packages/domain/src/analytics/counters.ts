import { localDateOf } from '../calendar/zoned-time';

/**
 * What the read models count. Every measure is a plain count (or a sum of scores), so that
 * counters can be added with DynamoDB's ADD in any order and recomputed from the logs.
 */
export const measures = [
  // The case loop at a place (district, street, community, grid), a category or a channel.
  'reported',
  'registered',
  'rejected',
  'escalated',
  'closed',
  'closedSmallLoop',
  'closedBigLoop',
  'evaluations',
  'satisfactionSum',
  'satisfied',
  // Grid-worker activity at a place.
  'patrolReports',
  'verifications',
  'verificationsOnTime',
  'checks',
  'checksOnTime',
  // 接诉即办: hotline cases, counted in the period the call came in (a cohort).
  'hotlineReceived',
  'hotlineDispatched',
  'hotlineResponded',
  'hotlineResolved',
  'hotlineRated',
  'hotlineSatisfied',
  // A department's share of cases.
  'received',
  'accepted',
  'acceptedOnTime',
  'returned',
  'wronglyReturned',
  'handled',
  'handledOnTime',
  'handledLate',
  'reworked',
  // Whistle-and-report.
  'whistlesBlown',
  'whistlesClosed',
  'summoned',
  'whistleReported',
  'whistleReportedOnTime',
  'whistleOffSite',
  'whistleMissing',
  'streetEvaluations',
  'streetScoreSum',
] as const;
export type Measure = (typeof measures)[number];
export type Measures = Partial<Record<Measure, number>>;

/**
 * The dimensions counters are kept by. Place codes nest (a street's code is a prefix of its
 * grids'), so one dimension's items under a place are one key-prefix query. The crossed
 * dimensions let a street or district see its own hot spots, and a category its grids.
 */
export const dimensions = [
  'tenant',
  'district',
  'street',
  'community',
  'grid',
  'department',
  'category',
  'channel',
  'district-category',
  'street-category',
  'category-grid',
] as const;
export type Dimension = (typeof dimensions)[number];

export const periodKinds = ['day', 'month'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export interface AnalyticsPeriod {
  kind: PeriodKind;
  /** '2026-05' for a month, '2026-05-03' for a day, in the tenant's time zone. */
  key: string;
}

/** Counted under this category while a case has none yet (e.g. a citizen's unclassified report). */
export const UNCATEGORIZED = 'none';

/** One counter item: a period, a dimension and the dimension's key (e.g. [street code, category]). */
export interface CounterAddress {
  period: AnalyticsPeriod;
  dimension: Dimension;
  key: string[];
}

export interface CounterDelta extends CounterAddress {
  measures: Measures;
}

export const addressId = (address: CounterAddress): string =>
  [address.period.kind, address.period.key, address.dimension, ...address.key].join('|');

/** The day and the month an instant falls in, on the tenant's wall clock. */
export const periodsOf = (at: string, timeZone: string): AnalyticsPeriod[] => {
  const day = localDateOf(new Date(at), timeZone);
  return [
    { kind: 'day', key: day },
    { kind: 'month', key: day.slice(0, 7) },
  ];
};

export const MonthSchemaPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DaySchemaPattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The month before '2026-01' is '2025-12'. */
export const previousMonth = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
};

/** Adds measures into a running total (in place) and returns it. */
export const addMeasures = (total: Measures, more: Measures, sign = 1): Measures => {
  for (const [measure, value] of Object.entries(more) as [Measure, number][]) {
    if (!value) continue;
    const sum = (total[measure] ?? 0) + sign * value;
    if (sum === 0) delete total[measure];
    else total[measure] = sum;
  }
  return total;
};

/** Folds deltas that address the same counter into one; zero measures are dropped. */
export const mergeDeltas = (deltas: readonly CounterDelta[]): CounterDelta[] => {
  const merged = new Map<string, CounterDelta>();
  for (const delta of deltas) {
    const id = addressId(delta);
    const existing = merged.get(id);
    if (existing) addMeasures(existing.measures, delta.measures);
    else merged.set(id, { ...delta, key: [...delta.key], measures: addMeasures({}, delta.measures) });
  }
  return [...merged.values()].filter((delta) => Object.keys(delta.measures).length > 0);
};

/** Counters as a map from address id to measures: what reconciliation compares. */
export type CounterTable = Map<string, CounterDelta>;

export const toCounterTable = (deltas: readonly CounterDelta[]): CounterTable =>
  new Map(mergeDeltas(deltas).map((delta) => [addressId(delta), delta]));

export interface Drift {
  address: CounterAddress;
  measure: Measure;
  expected: number;
  actual: number;
}

/** Every measure whose stored value differs from the value recomputed from the logs. */
export const compareCounters = (expected: CounterTable, actual: CounterTable): Drift[] => {
  const drifts: Drift[] = [];
  const ids = new Set([...expected.keys(), ...actual.keys()]);
  for (const id of [...ids].sort()) {
    const want = expected.get(id);
    const have = actual.get(id);
    const address = (want ?? have) as CounterDelta;
    const names = new Set([...Object.keys(want?.measures ?? {}), ...Object.keys(have?.measures ?? {})]);
    for (const measure of [...names].sort() as Measure[]) {
      const e = want?.measures[measure] ?? 0;
      const a = have?.measures[measure] ?? 0;
      if (e !== a) {
        drifts.push({
          address: { period: address.period, dimension: address.dimension, key: address.key },
          measure,
          expected: e,
          actual: a,
        });
      }
    }
  }
  return drifts;
};
