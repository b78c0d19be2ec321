import type { TimeLimit } from '../catalog/duty-catalog';
import type { CaseLevel, StepKey } from './case';

/**
 * Fallback limits per step, for tenants that set none. The duty catalog's handling and dispatch
 * limits of a category take precedence; the resolver passed to `decide` picks.
 */
export const defaultStepLimits: Record<StepKey, TimeLimit> = {
  // A grid worker reaches a reported spot within a couple of working hours.
  verify: { amount: 2, unit: 'hours', basis: 'working' },
  register: { amount: 1, unit: 'hours', basis: 'working' },
  dispatch: { amount: 1, unit: 'hours', basis: 'working' },
  accept: { amount: 2, unit: 'hours', basis: 'working' },
  handle: { amount: 3, unit: 'days', basis: 'working' },
  check: { amount: 1, unit: 'days', basis: 'working' },
  // Reporters are given a week to rate, in calendar days: evaluation is not office work.
  evaluate: { amount: 7, unit: 'days', basis: 'natural' },
};

/** What a resolver may need to pick a limit: the tenant's calendar, the category's entry, the department. */
export interface StepContext {
  tenantId: string;
  categoryCode?: string;
  level: CaseLevel;
  handlingOrgCode: string;
  departmentId?: string;
}

/**
 * Returns when a step opened at `from` falls due. Working-time arithmetic needs the tenant's
 * calendar, which is I/O, so it is done by the caller and handed in.
 */
export type DeadlineResolver = (step: StepKey, from: Date, context: StepContext) => Date;

const hourMs = 3_600_000;

/**
 * A resolver that counts every limit in natural time, working or not. Right for natural-time
 * limits and for tests; for working-time limits it is only an approximation.
 */
export const naturalDeadlines =
  (limits: Record<StepKey, TimeLimit> = defaultStepLimits): DeadlineResolver =>
  (step, from) => {
    const limit = limits[step];
    const hours = limit.unit === 'days' ? limit.amount * 24 : limit.amount;
    return new Date(from.getTime() + hours * hourMs);
  };
