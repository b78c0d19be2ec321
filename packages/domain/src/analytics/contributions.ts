import type { CaseState, Deadline, StepKey } from '../cases/case';
import type { CaseEvent } from '../cases/events';
import { evolve } from '../cases/machine';
import type { WhistleEvent } from '../whistles/events';
import { evolveWhistle } from '../whistles/machine';
import type { WhistleState } from '../whistles/whistle';
import {
  type AnalyticsPeriod,
  type CounterDelta,
  type Dimension,
  type Measures,
  mergeDeltas,
  periodsOf,
  UNCATEGORIZED,
} from './counters';

/**
 * What one event adds to the counters. It is a function of the event and of the aggregate's
 * state before and after it (folded from the log), never of the order in which events reach
 * the read model, so replays and redeliveries compute exactly the same contribution.
 */
type Slot = [Dimension, string[]];

const placeSlots = (gridCode: string | undefined): Slot[] =>
  gridCode
    ? [
        ['tenant', ['all']],
        ['district', [gridCode.slice(0, 6)]],
        ['street', [gridCode.slice(0, 9)]],
        ['community', [gridCode.slice(0, 12)]],
        ['grid', [gridCode]],
      ]
    : [['tenant', ['all']]];

const onTime = (at: string, deadline: Deadline | undefined, step: StepKey): boolean =>
  deadline?.step !== step || Date.parse(at) <= Date.parse(deadline.dueAt);

const bit = (flag: boolean) => (flag ? 1 : 0);

class DeltaSink {
  readonly deltas: CounterDelta[] = [];
  constructor(private readonly timeZone: string) {}

  add(slots: readonly Slot[], measures: Measures, at: string, { monthOnly = false } = {}) {
    const periods: AnalyticsPeriod[] = periodsOf(at, this.timeZone).filter(
      (p) => !monthOnly || p.kind === 'month',
    );
    for (const period of periods) {
      for (const [dimension, key] of slots) this.deltas.push({ period, dimension, key, measures });
    }
  }
}

/** Where a case counts: its place, its category and channel, and (monthly) the crossed dimensions. */
const caseSlots = (state: CaseState): { flat: Slot[]; crossed: Slot[] } => {
  const grid = state.location.gridCode;
  const category = state.categoryCode ?? UNCATEGORIZED;
  return {
    flat: [...placeSlots(grid), ['category', [category]], ['channel', [state.channel]]],
    crossed: grid
      ? [
          ['district-category', [grid.slice(0, 6), category]],
          ['street-category', [grid.slice(0, 9), category]],
          ['category-grid', [category, grid]],
        ]
      : [],
  };
};

const departmentSlots = (ids: readonly string[]): Slot[] => ids.map((id) => ['department', [id]]);

/** The counter deltas of one case event; `before` is undefined for the report that opens the log. */
export const caseEventDeltas = (
  event: CaseEvent,
  before: CaseState | undefined,
  after: CaseState,
  timeZone: string,
): CounterDelta[] => {
  const sink = new DeltaSink(timeZone);
  const { at } = event;
  const cohort = after.reportedAt;
  const hotline = after.channel === 'hotline';
  const slots = caseSlots(after);
  const atCase = (measures: Measures, when = at) => {
    sink.add(slots.flat, measures, when);
    sink.add(slots.crossed, measures, when, { monthOnly: true });
  };
  const atPlace = (measures: Measures) => sink.add(placeSlots(after.location.gridCode), measures, at);
  const atDepartments = (ids: readonly string[], measures: Measures, when = at) =>
    sink.add(departmentSlots(ids), measures, when);
  const assigned = (before?.assignments ?? []).map((a) => a.departmentId);
  const assignment = (id: string) => before?.assignments.find((a) => a.departmentId === id);

  switch (event.type) {
    case 'case.reported':
      atCase({ reported: 1, hotlineReceived: bit(hotline) });
      if (after.channel === 'patrol') atPlace({ patrolReports: 1 });
      break;
    case 'case.verified': {
      const timely = onTime(at, before?.deadline, 'verify');
      atPlace({ verifications: 1, verificationsOnTime: bit(timely) });
      if (hotline && timely) atCase({ hotlineResponded: 1 }, cohort);
      break;
    }
    case 'case.registered':
      atCase({ registered: 1 });
      break;
    case 'case.rejected':
      atCase({ rejected: 1 });
      break;
    case 'case.escalated':
      atCase({ escalated: 1 });
      break;
    case 'case.dispatched':
      for (const { departmentId } of event.payload.departments) {
        const returnedBefore = (before?.returns ?? []).some((r) => r.departmentId === departmentId);
        atDepartments([departmentId], { received: 1, wronglyReturned: bit(returnedBefore) });
        if (hotline) atDepartments([departmentId], { hotlineDispatched: 1 }, cohort);
      }
      break;
    case 'case.accepted': {
      const id = event.payload.departmentId;
      const timely = onTime(at, assignment(id)?.deadline, 'accept');
      atDepartments([id], { accepted: 1, acceptedOnTime: bit(timely) });
      if (hotline && timely) atDepartments([id], { hotlineResponded: 1 }, cohort);
      break;
    }
    case 'case.returned':
      atDepartments([event.payload.departmentId], { returned: 1 });
      break;
    case 'case.handled': {
      const id = event.payload.departmentId;
      const timely = onTime(at, assignment(id)?.deadline, 'handle');
      atDepartments([id], { handled: 1, handledOnTime: bit(timely), handledLate: bit(!timely) });
      break;
    }
    case 'case.check_passed': {
      const small = before?.level === 'street';
      atCase({ closed: 1, closedSmallLoop: bit(small), closedBigLoop: bit(!small) });
      atPlace({ checks: 1, checksOnTime: bit(onTime(at, before?.deadline, 'check')) });
      atDepartments(assigned, { closed: 1 });
      if (hotline) {
        atCase({ hotlineResolved: 1 }, cohort);
        atDepartments(assigned, { hotlineResolved: 1 }, cohort);
      }
      break;
    }
    case 'case.check_failed':
      atPlace({ checks: 1, checksOnTime: bit(onTime(at, before?.deadline, 'check')) });
      atDepartments(
        event.payload.departments.map((d) => d.departmentId),
        { reworked: 1 },
      );
      break;
    case 'case.evaluated': {
      const score = event.payload.satisfaction;
      const rating = { evaluations: 1, satisfactionSum: score, satisfied: bit(score >= 4) };
      atCase(rating);
      atDepartments(assigned, rating);
      if (hotline) {
        const hotlineRating = { hotlineRated: 1, hotlineSatisfied: bit(score >= 4) };
        atCase(hotlineRating, cohort);
        atDepartments(assigned, hotlineRating, cohort);
      }
      break;
    }
    default:
      break;
  }
  return mergeDeltas(sink.deltas);
};

/** The counter deltas of one whistle event. */
export const whistleEventDeltas = (
  event: WhistleEvent,
  _before: WhistleState | undefined,
  after: WhistleState,
  timeZone: string,
): CounterDelta[] => {
  const sink = new DeltaSink(timeZone);
  const { at } = event;
  const places = placeSlots(after.location.gridCode);
  switch (event.type) {
    case 'whistle.blown':
      sink.add(places, { whistlesBlown: 1 }, at);
      sink.add(departmentSlots(after.summons.map((s) => s.departmentId)), { summoned: 1 }, at);
      break;
    case 'whistle.reported':
      sink.add(
        departmentSlots([event.payload.departmentId]),
        {
          whistleReported: 1,
          whistleReportedOnTime: bit(!event.payload.late),
          whistleOffSite: bit(!event.payload.onSite),
        },
        at,
      );
      break;
    case 'whistle.missing_flagged':
      sink.add(departmentSlots(event.payload.departmentIds), { whistleMissing: 1 }, at);
      break;
    case 'whistle.closed':
      sink.add(places, { whistlesClosed: 1 }, at);
      break;
    case 'whistle.evaluated': {
      const { response, attitude, result } = event.payload;
      sink.add(
        departmentSlots([event.payload.departmentId]),
        { streetEvaluations: 1, streetScoreSum: response + attitude + result },
        at,
      );
      break;
    }
    default:
      break;
  }
  return mergeDeltas(sink.deltas);
};

/** Each event's deltas, in log order (index i is the event at sequence number i + 1). */
export const caseLogDeltas = (log: readonly CaseEvent[], timeZone: string): CounterDelta[][] => {
  const result: CounterDelta[][] = [];
  let state: CaseState | undefined;
  for (const event of log) {
    const next = evolve(state, event);
    result.push(caseEventDeltas(event, state, next, timeZone));
    state = next;
  }
  return result;
};

export const whistleLogDeltas = (log: readonly WhistleEvent[], timeZone: string): CounterDelta[][] => {
  const result: CounterDelta[][] = [];
  let state: WhistleState | undefined;
  for (const event of log) {
    const next = evolveWhistle(state, event);
    result.push(whistleEventDeltas(event, state, next, timeZone));
    state = next;
  }
  return result;
};
