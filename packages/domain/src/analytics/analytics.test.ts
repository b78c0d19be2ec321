import { describe, expect, it } from 'vitest';
import type { CaseState } from '../cases/case';
import type { CaseCommandInput } from '../cases/commands';
import type { CaseEvent } from '../cases/events';
import { actors, departmentActor, grid, resolve, street } from '../cases/fixtures.test-support';
import { type CaseActor, decide, evolve } from '../cases/machine';
import type { WhistleEvent } from '../whistles/events';
import { caseLogDeltas, whistleLogDeltas } from './contributions';
import {
  addressId,
  type CounterDelta,
  compareCounters,
  type Measures,
  periodsOf,
  previousMonth,
  toCounterTable,
} from './counters';
import { toCsv } from './csv';
import {
  compositeScore,
  defaultScoreWeights,
  departmentScorecard,
  hotlineRates,
  monthlyProblem,
  placeFigures,
  risingCategories,
  ScoreWeightsSchema,
} from './figures';

const TZ = 'Asia/Shanghai';
const t0 = Date.parse('2026-03-02T01:00:00.000Z');
const at = (hours: number) => new Date(t0 + hours * 3_600_000);

/** Runs commands through the real machine at given hours after t0 and returns the log. */
const script = (steps: [number, CaseCommandInput, CaseActor][]): CaseEvent[] => {
  const log: CaseEvent[] = [];
  let state: CaseState | undefined;
  for (const [hours, command, actor] of steps) {
    const { events } = decide(state, command, actor, at(hours), resolve);
    for (const event of events) {
      log.push(event);
      state = evolve(state, event);
    }
  }
  return log;
};

const um = departmentActor('urban-mgmt');
/** A hotline case with every twist: a wrong return, a late acceptance, a late result, a rework. */
const hotlineCase = script([
  [
    0,
    {
      type: 'report',
      caseId: '01J0000000000000000000CASE',
      channel: 'hotline',
      description: '井盖缺失',
      location: { point: [116.41, 39.91], gridCode: grid },
    },
    actors.street,
  ],
  [1, { type: 'verify', confirmed: true }, actors.gridWorker], // due at 2 h: on time
  [1.1, { type: 'register', categoryCode: 'E01-01' }, actors.street],
  [1.2, { type: 'dispatch', departmentIds: ['urban-mgmt'] }, actors.street],
  [1.3, { type: 'accept' }, um], // due 3.2 h: on time
  [2, { type: 'return', reason: '不属于本部门' }, um],
  [2.2, { type: 'dispatch', departmentIds: ['urban-mgmt'] }, actors.street], // the return was wrong
  [5, { type: 'accept' }, um], // due 4.2 h: late
  [96, { type: 'handle', result: '已更换', evidenceIds: ['p1'] }, um], // due 77 h: late
  [96.5, { type: 'startCheck' }, actors.gridWorker],
  [97, { type: 'checkFail', reason: '井盖松动' }, actors.gridWorker], // due 120 h: on time
  [98, { type: 'handle', result: '已加固', evidenceIds: ['p2'] }, um],
  [98.5, { type: 'startCheck' }, actors.gridWorker],
  [99, { type: 'checkPass' }, actors.gridWorker],
  [31 * 24, { type: 'evaluate', satisfaction: 5 }, actors.street], // rated in April
]);

const counters = (log: CaseEvent[]) => toCounterTable(caseLogDeltas(log, TZ).flat());
const get = (
  table: Map<string, CounterDelta>,
  kind: 'day' | 'month',
  key: string,
  dim: string,
  ...k: string[]
) => table.get([kind, key, dim, ...k].join('|'))?.measures ?? {};

describe('counter deltas of a case log', () => {
  const table = counters(hotlineCase);

  it('counts the street by the hand-computed figures, hotline measures in the month of the call', () => {
    expect(get(table, 'month', '2026-03', 'street', street)).toEqual({
      reported: 1,
      hotlineReceived: 1,
      verifications: 1,
      verificationsOnTime: 1,
      hotlineResponded: 1,
      registered: 1,
      closed: 1,
      closedSmallLoop: 1,
      checks: 2,
      checksOnTime: 2,
      hotlineResolved: 1,
      hotlineRated: 1,
      hotlineSatisfied: 1,
    });
    expect(get(table, 'month', '2026-04', 'street', street)).toEqual({
      evaluations: 1,
      satisfactionSum: 5,
      satisfied: 1,
    });
  });

  it("counts the department's returns, wrong returns, lateness and rework", () => {
    expect(get(table, 'month', '2026-03', 'department', 'urban-mgmt')).toEqual({
      received: 2,
      wronglyReturned: 1,
      hotlineDispatched: 2,
      accepted: 2,
      acceptedOnTime: 1,
      hotlineResponded: 1,
      returned: 1,
      handled: 2,
      handledOnTime: 1,
      handledLate: 1,
      reworked: 1,
      closed: 1,
      hotlineResolved: 1,
      hotlineRated: 1,
      hotlineSatisfied: 1,
    });
    expect(get(table, 'month', '2026-04', 'department', 'urban-mgmt')).toEqual({
      evaluations: 1,
      satisfactionSum: 5,
      satisfied: 1,
    });
  });

  it('keeps days and crossed dimensions, with the category the case had at each event', () => {
    expect(get(table, 'day', '2026-03-02', 'grid', grid)).toMatchObject({ reported: 1, registered: 1 });
    expect(get(table, 'month', '2026-03', 'street-category', street, 'none')).toEqual({
      reported: 1,
      hotlineReceived: 1,
      hotlineResponded: 1,
    });
    expect(get(table, 'month', '2026-03', 'category-grid', 'E01-01', grid)).toMatchObject({
      registered: 1,
      closed: 1,
    });
    expect(get(table, 'day', '2026-03-02', 'category-grid', 'E01-01', grid)).toEqual({});
  });

  it('gives the same counters for a replayed log: contributions depend on the log, not on delivery', () => {
    expect([...counters([...hotlineCase]).entries()]).toEqual([...table.entries()]);
    const twice = toCounterTable([...caseLogDeltas(hotlineCase, TZ).flat()]);
    expect(compareCounters(table, twice)).toEqual([]);
  });

  it('places periods on the tenant wall clock', () => {
    expect(periodsOf('2026-03-31T16:30:00.000Z', TZ)).toEqual([
      { kind: 'day', key: '2026-04-01' },
      { kind: 'month', key: '2026-04' },
    ]);
    expect(periodsOf('2026-03-31T16:30:00.000Z', 'UTC')[1]).toEqual({ kind: 'month', key: '2026-03' });
    expect(previousMonth('2026-01')).toBe('2025-12');
  });
});

describe('counter deltas of a whistle log', () => {
  const actor = { userId: 'sc', role: 'street_center' as const };
  const w = (type: string, hours: number, payload: unknown) =>
    ({ type, whistleId: 'w1', at: at(hours).toISOString(), actor, payload }) as WhistleEvent;
  const log = [
    w('whistle.drafted', 0, {
      tenantId: 'demo-city',
      streetCode: street,
      kind: 'emergency',
      source: { kind: 'patrol' },
      description: '违建',
      categories: ['E01-01'],
      commonality: 'individual',
      location: { point: [116.41, 39.91], gridCode: grid },
      departments: [
        { departmentId: 'urban-mgmt', kind: 'resident' },
        { departmentId: 'market-reg', kind: 'resident' },
        { departmentId: 'traffic', kind: 'on_call' },
      ],
    }),
    w('whistle.filed', 0.1, { blownAtOnce: true }),
    w('whistle.blown', 0.1, { reportBy: at(0.6).toISOString() }),
    w('whistle.reported', 0.3, {
      departmentId: 'urban-mgmt',
      position: [116.41, 39.91],
      distanceM: 3,
      onSite: true,
      late: false,
    }),
    w('whistle.reported', 0.9, {
      departmentId: 'market-reg',
      position: [116.5, 39.91],
      distanceM: 900,
      onSite: false,
      late: true,
    }),
    w('whistle.missing_flagged', 1, { departmentIds: ['traffic'] }),
    w('whistle.closed', 5, { feedback: '已拆除' }),
    w('whistle.evaluated', 6, {
      departmentId: 'urban-mgmt',
      evaluator: 'street',
      response: 5,
      attitude: 4,
      result: 3,
    }),
  ];
  const table = toCounterTable(whistleLogDeltas(log, TZ).flat());

  it('counts summons, reports on time and off site, missing departments and street ratings', () => {
    expect(get(table, 'month', '2026-03', 'department', 'urban-mgmt')).toEqual({
      summoned: 1,
      whistleReported: 1,
      whistleReportedOnTime: 1,
      streetEvaluations: 1,
      streetScoreSum: 12,
    });
    expect(get(table, 'month', '2026-03', 'department', 'market-reg')).toEqual({
      summoned: 1,
      whistleReported: 1,
      whistleOffSite: 1,
    });
    expect(get(table, 'month', '2026-03', 'department', 'traffic')).toEqual({
      summoned: 1,
      whistleMissing: 1,
    });
    expect(get(table, 'month', '2026-03', 'street', street)).toEqual({ whistlesBlown: 1, whistlesClosed: 1 });
  });
});

describe('figures', () => {
  it('scores a department by hand-computed components and weights', () => {
    const m: Measures = {
      received: 10,
      wronglyReturned: 1,
      handled: 8,
      handledOnTime: 6,
      handledLate: 2,
      reworked: 2,
      closed: 5,
      evaluations: 4,
      satisfactionSum: 16,
      satisfied: 3,
      summoned: 4,
      whistleReported: 3,
      whistleReportedOnTime: 2,
      whistleMissing: 1,
      streetEvaluations: 2,
      streetScoreSum: 24,
    };
    const card = departmentScorecard('urban-mgmt', '2026-03', m);
    // onTime 6/8, closure 5/10, rework 1-2/8, returns 1-1/10, citizen 3/4, whistle 2/4, street 24/30.
    expect(card.components).toEqual({
      onTime: 75,
      closure: 50,
      rework: 75,
      returns: 90,
      citizenSatisfaction: 75,
      whistleReporting: 50,
      streetEvaluation: 80,
    });
    // (75·25 + 50·15 + 75·15 + 90·10 + 75·15 + 50·10 + 80·10) / 100 = 70.75
    expect(card.score).toBe(70.8);
    expect(card.cases.overdue).toBe(2);
    expect(card.ratings).toEqual({
      citizen: { count: 4, average: 4, satisfiedRate: 75 },
      street: { count: 2, average: 4 },
    });
    // The street's evaluation as half the score: (80·50 + 75·50) / 100.
    const streetHeavy = {
      ...defaultScoreWeights,
      onTime: 50,
      closure: 0,
      rework: 0,
      returns: 0,
      citizenSatisfaction: 0,
      whistleReporting: 0,
      streetEvaluation: 50,
    };
    expect(departmentScorecard('x', '2026-03', m, streetHeavy).score).toBe(77.5);
  });

  it('leaves components without data out of the composite and refuses weights not adding up to 100', () => {
    const card = departmentScorecard('x', '2026-03', { handled: 4, handledOnTime: 1 });
    // onTime 25, rework 100 (no rework); weights 25 and 15 → (25·25 + 100·15) / 40 = 53.125
    expect(card.components.onTime).toBe(25);
    expect(card.components.closure).toBeNull();
    expect(card.score).toBe(53.1);
    expect(
      compositeScore({ ...card.components, onTime: null, rework: null }, defaultScoreWeights),
    ).toBeNull();
    expect(ScoreWeightsSchema.safeParse({ ...defaultScoreWeights, onTime: 30 }).success).toBe(false);
    expect(ScoreWeightsSchema.safeParse(defaultScoreWeights).success).toBe(true);
  });

  it('computes hotline rates per place and per department', () => {
    const m: Measures = {
      hotlineReceived: 8,
      hotlineDispatched: 5,
      hotlineResponded: 6,
      hotlineResolved: 4,
      hotlineRated: 3,
      hotlineSatisfied: 2,
    };
    expect(hotlineRates(m, 'place')).toMatchObject({
      responseRate: 75,
      resolutionRate: 50,
      satisfactionRate: 66.7,
    });
    expect(hotlineRates(m, 'department')).toMatchObject({
      received: 5,
      responseRate: 120,
      resolutionRate: 80,
    });
    expect(hotlineRates({}, 'place')).toMatchObject({ responseRate: null, satisfactionRate: null });
  });

  it('compares places: density, self-closure, escalation, grid work', () => {
    const figures = placeFigures(
      '110101001',
      {
        registered: 12,
        closed: 10,
        closedSmallLoop: 9,
        closedBigLoop: 1,
        escalated: 3,
        verifications: 4,
        verificationsOnTime: 3,
      },
      0.5,
    );
    expect(figures).toMatchObject({ density: 24, selfClosureRate: 90, escalationRate: 25 });
    expect(figures.gridWork.verificationsOnTimeRate).toBe(75);
  });

  it('finds rising categories and the monthly problem among the most frequent', () => {
    const current = new Map([
      ['A', 30],
      ['B', 25],
      ['C', 20],
      ['D', 10],
      ['E', 9],
      ['F', 8],
    ]);
    const previous = new Map([
      ['A', 28],
      ['B', 10],
      ['C', 20],
      ['F', 1],
    ]);
    expect(risingCategories(current, previous, 3).map((c) => [c.categoryCode, c.growth])).toEqual([
      ['B', 15],
      ['D', 10],
      ['E', 9],
    ]);
    // F grew by 7 but is not among the five most frequent.
    expect(monthlyProblem(current, previous)).toEqual({
      categoryCode: 'B',
      count: 25,
      previous: 10,
      growth: 15,
      growthRate: 150,
    });
    expect(monthlyProblem(new Map(), previous)).toBeUndefined();
  });

  it('reports drift between recomputed and stored counters', () => {
    const expected = counters(hotlineCase);
    const actual = counters(hotlineCase);
    const address = [...actual.values()][0] as CounterDelta;
    actual.set(addressId(address), { ...address, measures: { ...address.measures, reported: 7 } });
    expect(compareCounters(expected, actual)).toEqual([
      {
        address: { period: address.period, dimension: address.dimension, key: address.key },
        measure: 'reported',
        expected: 1,
        actual: 7,
      },
    ]);
  });

  it('writes CSV with a BOM, quoting and dotted columns', () => {
    const csv = toCsv([
      { name: '城管, 东城', cases: { received: 3 } },
      { name: '=cmd', cases: { received: 1 }, score: null },
    ]);
    expect(csv).toBe('\uFEFFname,cases.received,score\r\n"城管, 东城",3,\r\n\'=cmd,1,\r\n');
  });
});
