import { AppError } from '../errors';
import type { Role } from '../identity/roles';
import type { CaseState } from './case';
import type { CaseCommandInput, CaseCommandType } from './commands';
import { type CaseActor, decide, type Transition, transitions } from './machine';

/** The commands that act on an existing case (`report` starts one). */
export type CaseActionType = Exclude<CaseCommandType, 'report'>;

/** An id no real case has: merging is judged against "some other open case the center reaches". */
const OTHER_CASE = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const OTHER_CASE_2 = '01ARZ3NDEKTSV4RRFFQ69G5FAW';
/** A department id no tenant's catalog holds, so that it is never already dispatched. */
const SOME_DEPARTMENT = 'zz-any-department';
const FAR_FUTURE = '2999-12-31T00:00:00.000Z';

/**
 * The commands with which the caller could try each action on this case: the arguments that
 * only the caller's choice fills in (reasons, results, photos) are stand-ins; those that the
 * case itself offers (its pending extensions, its urgings) are tried one by one.
 */
const probes = (state: CaseState): Record<CaseActionType, CaseCommandInput[]> => ({
  verify: [{ type: 'verify', confirmed: true }],
  register: [{ type: 'register', categoryCode: state.categoryCode ?? 'E01-01' }],
  reject: [{ type: 'reject', reason: '-' }],
  dispatch: [{ type: 'dispatch', departmentIds: [SOME_DEPARTMENT] }],
  accept: [{ type: 'accept' }],
  return: [{ type: 'return', reason: '-' }],
  handle: [{ type: 'handle', result: '-', evidenceIds: ['evidence'] }],
  startCheck: [{ type: 'startCheck' }],
  checkPass: [{ type: 'checkPass' }],
  checkFail: [{ type: 'checkFail', reason: '-' }],
  evaluate: [{ type: 'evaluate', satisfaction: 3 }],
  escalate: [{ type: 'escalate', reason: '-' }],
  requestExtension: [{ type: 'requestExtension', reason: '-', until: FAR_FUTURE }],
  approveExtension: state.extensions.map((e) => ({ type: 'approveExtension', extensionId: e.id })),
  rejectExtension: state.extensions.map((e) => ({ type: 'rejectExtension', extensionId: e.id, reason: '-' })),
  suspend: [{ type: 'suspend', reason: '-' }],
  resume: [{ type: 'resume' }],
  merge: [
    {
      type: 'merge',
      primary: {
        id: state.id === OTHER_CASE ? OTHER_CASE_2 : OTHER_CASE,
        tenantId: state.tenantId,
        status: 'reported',
        handlingOrgCode: state.handlingOrgCode,
      },
    },
  ],
  void: [{ type: 'void', reason: '-' }],
  urge: [{ type: 'urge', message: '-' }],
  acknowledgeUrging: state.urgings.map((u) => ({ type: 'acknowledgeUrging', urgingId: u.id })),
});

const accepted = (state: CaseState, command: CaseCommandInput, actor: CaseActor, now: Date): boolean => {
  // A refusal is an expected answer here, not a failure: capturing its stack trace would cost
  // more than deciding (an inbox judges hundreds of cases). Restored before returning.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    decide(state, command, actor, now, () => now);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
};

/**
 * The commands `actor` may send to the case now: the case machine's table (status and role)
 * narrowed by its guards (level, place, assignment, pending records), judged by `decide` itself
 * so that what is offered and what is accepted cannot drift apart. Arguments left to the caller
 * (which department, which primary case, how long an extension) are assumed well chosen: a
 * merge is offered when the center may merge the case into some open case it reaches.
 */
export const allowedCaseCommands = (state: CaseState, actor: CaseActor): CaseActionType[] => {
  const now = new Date(state.reportedAt);
  const tries = probes(state);
  return (Object.keys(tries) as CaseActionType[]).filter((type) => {
    const transition: Transition = transitions[type];
    if (!transition.from.includes(state.status)) return false;
    if (!(transition.roles as readonly Role[]).includes(actor.role)) return false;
    return tries[type].some((command) => accepted(state, command, actor, now));
  });
};

/** The urgings (督办) addressed to `actor` that they have not acknowledged yet, by id. */
export const urgingsToAcknowledge = (state: CaseState, actor: CaseActor): number[] => {
  const now = new Date(state.reportedAt);
  if (!transitions.acknowledgeUrging.from.includes(state.status as never)) return [];
  return state.urgings
    .filter((urging) => accepted(state, { type: 'acknowledgeUrging', urgingId: urging.id }, actor, now))
    .map((urging) => urging.id);
};
