import { z } from 'zod';
import type { Measures } from './counters';

/**
 * The figures cities run by, computed from counters. A rate is a share in percent, rounded to
 * one decimal, and null when its denominator is zero (nothing to rate is not 0 %).
 */
export const percentOf = (part: number | undefined, whole: number | undefined): number | null =>
  whole ? Math.round((1000 * (part ?? 0)) / whole) / 10 : null;

const round1 = (value: number) => Math.round(value * 10) / 10;
const n = (m: Measures, key: keyof Measures) => m[key] ?? 0;

/** The parts of a department's composite score, each 0–100. */
export const scoreComponents = [
  'onTime',
  'closure',
  'rework',
  'returns',
  'citizenSatisfaction',
  'whistleReporting',
  'streetEvaluation',
] as const;
export type ScoreComponent = (typeof scoreComponents)[number];

export const ScoreWeightsSchema = z
  .strictObject(
    Object.fromEntries(scoreComponents.map((c) => [c, z.number().int().min(0).max(100)])) as Record<
      ScoreComponent,
      z.ZodNumber
    >,
  )
  .refine((w) => Object.values(w).reduce((a, b) => a + b, 0) === 100, 'the weights add up to 100');
export type ScoreWeights = z.infer<typeof ScoreWeightsSchema>;

/** The street's evaluation weighs 10 %, as in Shijingshan; each city sets its own. */
export const defaultScoreWeights: ScoreWeights = {
  onTime: 25,
  closure: 15,
  rework: 15,
  returns: 10,
  citizenSatisfaction: 15,
  whistleReporting: 10,
  streetEvaluation: 10,
};

export interface DepartmentScorecard {
  departmentId: string;
  period: string;
  cases: {
    received: number;
    accepted: number;
    acceptedOnTime: number;
    returned: number;
    wronglyReturned: number;
    handled: number;
    handledOnTime: number;
    overdue: number;
    reworked: number;
    closed: number;
  };
  whistles: { summoned: number; reported: number; reportedOnTime: number; offSite: number; missing: number };
  ratings: {
    citizen: { count: number; average: number | null; satisfiedRate: number | null };
    street: { count: number; average: number | null };
  };
  components: Record<ScoreComponent, number | null>;
  /** Weighted mean of the components that have data; the weights of the others are left out. */
  score: number | null;
}

const complement = (value: number | null) => (value === null ? null : round1(100 - value));

export const departmentScorecard = (
  departmentId: string,
  period: string,
  m: Measures,
  weights: ScoreWeights = defaultScoreWeights,
): DepartmentScorecard => {
  const streetCount = n(m, 'streetEvaluations');
  const streetAverage = streetCount ? round1(n(m, 'streetScoreSum') / (3 * streetCount)) : null;
  const citizenCount = n(m, 'evaluations');
  const closure = percentOf(n(m, 'closed'), n(m, 'received'));
  const components: Record<ScoreComponent, number | null> = {
    onTime: percentOf(n(m, 'handledOnTime'), n(m, 'handled')),
    closure: closure === null ? null : Math.min(100, closure),
    rework: complement(percentOf(n(m, 'reworked'), n(m, 'handled'))),
    returns: complement(percentOf(n(m, 'wronglyReturned'), n(m, 'received'))),
    citizenSatisfaction: percentOf(n(m, 'satisfied'), citizenCount),
    whistleReporting: percentOf(n(m, 'whistleReportedOnTime'), n(m, 'summoned')),
    streetEvaluation: streetCount ? round1((n(m, 'streetScoreSum') / (15 * streetCount)) * 100) : null,
  };
  return {
    departmentId,
    period,
    cases: {
      received: n(m, 'received'),
      accepted: n(m, 'accepted'),
      acceptedOnTime: n(m, 'acceptedOnTime'),
      returned: n(m, 'returned'),
      wronglyReturned: n(m, 'wronglyReturned'),
      handled: n(m, 'handled'),
      handledOnTime: n(m, 'handledOnTime'),
      overdue: n(m, 'handledLate'),
      reworked: n(m, 'reworked'),
      closed: n(m, 'closed'),
    },
    whistles: {
      summoned: n(m, 'summoned'),
      reported: n(m, 'whistleReported'),
      reportedOnTime: n(m, 'whistleReportedOnTime'),
      offSite: n(m, 'whistleOffSite'),
      missing: n(m, 'whistleMissing'),
    },
    ratings: {
      citizen: {
        count: citizenCount,
        average: citizenCount ? round1(n(m, 'satisfactionSum') / citizenCount) : null,
        satisfiedRate: percentOf(n(m, 'satisfied'), citizenCount),
      },
      street: { count: streetCount, average: streetAverage },
    },
    components,
    score: compositeScore(components, weights),
  };
};

export const compositeScore = (
  components: Record<ScoreComponent, number | null>,
  weights: ScoreWeights,
): number | null => {
  let weighted = 0;
  let total = 0;
  for (const component of scoreComponents) {
    const value = components[component];
    if (value === null || weights[component] === 0) continue;
    weighted += value * weights[component];
    total += weights[component];
  }
  return total ? round1(weighted / total) : null;
};

/** 接诉即办: response, resolution and satisfaction rates of hotline cases received in the period. */
export interface HotlineRates {
  received: number;
  responded: number;
  resolved: number;
  rated: number;
  satisfied: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
}

/** For a place the base is the calls received there; for a department, the calls dispatched to it. */
export const hotlineRates = (m: Measures, of: 'place' | 'department'): HotlineRates => {
  const received = of === 'place' ? n(m, 'hotlineReceived') : n(m, 'hotlineDispatched');
  return {
    received,
    responded: n(m, 'hotlineResponded'),
    resolved: n(m, 'hotlineResolved'),
    rated: n(m, 'hotlineRated'),
    satisfied: n(m, 'hotlineSatisfied'),
    responseRate: percentOf(n(m, 'hotlineResponded'), received),
    resolutionRate: percentOf(n(m, 'hotlineResolved'), received),
    satisfactionRate: percentOf(n(m, 'hotlineSatisfied'), n(m, 'hotlineRated')),
  };
};

/** One place (street, community or grid) beside its peers. */
export interface PlaceFigures {
  code: string;
  reported: number;
  registered: number;
  closed: number;
  /** Cases registered per km² of the place, when its area is known. */
  density: number | null;
  /** Closed in the street's small loop, as a share of all closures. */
  selfClosureRate: number | null;
  escalated: number;
  /** Escalated to the district's big loop, as a share of the cases registered. */
  escalationRate: number | null;
  satisfactionRate: number | null;
  gridWork: {
    patrolReports: number;
    verifications: number;
    verificationsOnTimeRate: number | null;
    checks: number;
    checksOnTimeRate: number | null;
  };
  whistlesBlown: number;
}

export const placeFigures = (code: string, m: Measures, areaKm2?: number): PlaceFigures => ({
  code,
  reported: n(m, 'reported'),
  registered: n(m, 'registered'),
  closed: n(m, 'closed'),
  density: areaKm2 ? Math.round((n(m, 'registered') / areaKm2) * 100) / 100 : null,
  selfClosureRate: percentOf(n(m, 'closedSmallLoop'), n(m, 'closed')),
  escalated: n(m, 'escalated'),
  escalationRate: percentOf(n(m, 'escalated'), n(m, 'registered')),
  satisfactionRate: percentOf(n(m, 'satisfied'), n(m, 'evaluations')),
  gridWork: {
    patrolReports: n(m, 'patrolReports'),
    verifications: n(m, 'verifications'),
    verificationsOnTimeRate: percentOf(n(m, 'verificationsOnTime'), n(m, 'verifications')),
    checks: n(m, 'checks'),
    checksOnTimeRate: percentOf(n(m, 'checksOnTime'), n(m, 'checks')),
  },
  whistlesBlown: n(m, 'whistlesBlown'),
});

export interface RankedCount {
  key: string;
  count: number;
}

/** Highest count first; ties by key so the order is stable. */
export const topCounts = (counts: ReadonlyMap<string, number>, limit: number): RankedCount[] =>
  [...counts.entries()]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, limit);

export interface CategoryTrend {
  categoryCode: string;
  count: number;
  previous: number;
  growth: number;
  /** Growth against the previous period in percent; null when the previous period had none. */
  growthRate: number | null;
}

/** Categories whose count grew against the previous period, biggest growth first. */
export const risingCategories = (
  current: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number>,
  limit: number,
): CategoryTrend[] =>
  [...current.entries()]
    .map(([categoryCode, count]) => trend(categoryCode, count, previous.get(categoryCode) ?? 0))
    .filter((t) => t.growth > 0)
    .sort((a, b) => b.growth - a.growth || b.count - a.count || a.categoryCode.localeCompare(b.categoryCode))
    .slice(0, limit);

const trend = (categoryCode: string, count: number, previous: number): CategoryTrend => ({
  categoryCode,
  count,
  previous,
  growth: count - previous,
  growthRate: percentOf(count - previous, previous),
});

/** How many of the most frequent categories the monthly problem is chosen among. */
export const MONTHLY_PROBLEM_CANDIDATES = 5;

/**
 * 每月一题: among the five categories with the most cases this month, the one that grew most
 * against the previous month (ties: higher count, then code). Frequent and getting worse.
 */
export const monthlyProblem = (
  current: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number>,
): CategoryTrend | undefined => {
  const candidates = topCounts(current, MONTHLY_PROBLEM_CANDIDATES).map((c) =>
    trend(c.key, c.count, previous.get(c.key) ?? 0),
  );
  return candidates.sort(
    (a, b) => b.growth - a.growth || b.count - a.count || a.categoryCode.localeCompare(b.categoryCode),
  )[0];
};
