import { AppError } from '../errors';
import type { Role } from '../identity/roles';
import type { WhistleCommandInput, WhistleCommandType } from './commands';
import { decideWhistle, type WhistleActor, whistleTransitions } from './machine';
import { defaultWhistleSettings } from './settings';
import type { WhistleState } from './whistle';

/** The commands that act on an existing whistle (`draft` starts one). */
export type WhistleActionType = Exclude<WhistleCommandType, 'draft'>;

/** A case id no real case has: a follow-up is judged against "some case the department opened". */
const SOME_CASE = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/**
 * The commands with which the caller could try each action on this whistle: what only the caller
 * chooses (reasons, scores, the officers on site) is a stand-in; what the whistle itself offers
 * (its summoned departments) is tried one by one.
 */
const probes = (state: WhistleState): Record<WhistleActionType, WhistleCommandInput[]> => {
  const departments = state.summons.map((summons) => summons.departmentId);
  return {
    file: [{ type: 'file' }],
    approve: [{ type: 'approve' }],
    return: [{ type: 'return', reason: '-' }],
    reject: [{ type: 'reject', reason: '-' }],
    blow: [{ type: 'blow' }],
    acknowledge: [{ type: 'acknowledge' }],
    report: [{ type: 'report', position: state.location.point }],
    flagMissing: [{ type: 'flagMissing' }],
    // Two competent officers of a summoned department act jointly: the form that always holds.
    recordAction: departments.map((departmentId) => ({
      type: 'recordAction',
      description: '-',
      power: '-',
      competentDepartmentId: departmentId,
      officers: [
        { userId: 'officer-1', departmentId },
        { userId: 'officer-2', departmentId },
      ],
      evidenceIds: ['evidence'],
    })),
    followUp: [{ type: 'followUp', caseIds: [SOME_CASE] }],
    close: [{ type: 'close', feedback: '-' }],
    evaluate: departments.map((departmentId) => ({
      type: 'evaluate',
      departmentId,
      response: 3,
      attitude: 3,
      result: 3,
    })),
    rateWhistle: [{ type: 'rateWhistle', score: 3, withoutCause: false }],
    archive: [{ type: 'archive', seq: 1 }],
  };
};

const accepted = (state: WhistleState, command: WhistleCommandInput, actor: WhistleActor, now: Date) => {
  // A refusal is an expected answer here, not a failure: no stack trace (see the cases' twin).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // The tenant's settings change what a command does (blown at once, off-site radius), never whether.
    decideWhistle(state, command, actor, now, defaultWhistleSettings);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
};

/**
 * The commands `actor` may send to the whistle at `now` (flagging missing departments waits for
 * the report-by time): the whistle machine's table narrowed by its guards, judged by
 * `decideWhistle` itself so that what is offered and what is accepted cannot drift apart.
 */
export const allowedWhistleCommands = (
  state: WhistleState,
  actor: WhistleActor,
  now: Date,
): WhistleActionType[] => {
  const tries = probes(state);
  return (Object.keys(tries) as WhistleActionType[]).filter((type) => {
    const transition = whistleTransitions[type];
    if (!(transition.from as readonly string[]).includes(state.status)) return false;
    if (!(transition.roles as readonly Role[]).includes(actor.role)) return false;
    return tries[type].some((command) => accepted(state, command, actor, now));
  });
};
