import { AppError, ConflictError, NotFoundError } from '../errors';
import type { Principal } from '../identity/policy';
import type { Role } from '../identity/roles';
import { orgContains, orgLevels } from '../identity/scope';
import { haversineM } from '../whistles/machine';
import {
  type ActorRef,
  type Assignment,
  type CaseChannel,
  type CaseLevel,
  type CaseState,
  type CaseStatus,
  type Deadline,
  isAnonymousChannel,
  isOpen,
  needsVerification,
  openStatuses,
  type ReporterRef,
  type StepKey,
  type UrgingTarget,
} from './case';
import { type CaseCommand, type CaseCommandInput, CaseCommandSchema, type CommandOf } from './commands';
import type { CaseEvent, OnSite } from './events';
import type { DeadlineResolver, StepContext } from './limits';

/** Whoever acts, as read from a verified token; departments may name their department again. */
export type CaseActor = Principal & { departmentId?: string };

export interface Transition {
  /** Statuses the command is accepted in; empty for `report`, which starts a case. */
  from: readonly CaseStatus[];
  /** Statuses the case may end in, or 'unchanged' for commands that only add a record. */
  to: readonly CaseStatus[] | 'unchanged';
  roles: readonly Role[];
  /** What else must hold, beyond status and role; enforced in `decide`. */
  guard: string;
  /** The time-limit keys of the steps the command may open. */
  opens: readonly StepKey[];
}

const centers = ['street_center', 'district_center'] as const satisfies readonly Role[];
const working = ['dispatched', 'accepted', 'rework'] as const satisfies readonly CaseStatus[];
const unsuspended = openStatuses.filter((status) => status !== 'suspended');

export const transitions = {
  report: {
    from: [],
    to: ['reported'],
    roles: ['citizen', 'grid_worker', 'community_station', 'street_center', 'district_center', 'city_admin'],
    guard:
      'a grid code is given; citizen channel by a citizen, patrol by the grid worker of the grid, hotline by a ' +
      'center, whistle by a street center or community station, api by a city admin or center, each reaching the grid',
    opens: ['verify', 'register'],
  },
  verify: {
    from: ['reported'],
    to: ['verifying'],
    roles: ['grid_worker'],
    guard: 'citizen or hotline channel; the case lies in the grid worker’s grid',
    opens: ['register'],
  },
  register: {
    from: ['reported', 'verifying'],
    to: ['registered'],
    roles: centers,
    guard:
      'the center at the case’s level over its handling org; straight from reported only for staff channels, ' +
      'from verifying only if confirmed on site; the category is known',
    opens: ['dispatch'],
  },
  reject: {
    from: ['reported', 'verifying'],
    to: ['rejected'],
    roles: centers,
    guard: 'the center at the case’s level; a reason',
    opens: [],
  },
  dispatch: {
    from: ['registered', 'dispatched', 'accepted'],
    to: ['dispatched'],
    roles: centers,
    guard: 'the center at the case’s level; at least one department, none already dispatched',
    opens: ['accept'],
  },
  accept: {
    from: ['dispatched'],
    to: ['dispatched', 'accepted'],
    roles: ['department'],
    guard: 'the case is dispatched to the department and not yet accepted by it',
    opens: ['handle'],
  },
  return: {
    from: ['dispatched', 'accepted'],
    to: ['registered', 'dispatched', 'accepted', 'handled'],
    roles: ['department'],
    guard: 'the case is dispatched to the department and not yet handled by it; a reason',
    opens: ['dispatch', 'check'],
  },
  handle: {
    from: ['dispatched', 'accepted', 'rework'],
    to: ['dispatched', 'accepted', 'rework', 'handled'],
    roles: ['department'],
    guard: 'the department has accepted (or is reworking); a result and at least one evidence attachment',
    opens: ['check'],
  },
  startCheck: {
    from: ['handled'],
    to: ['checking'],
    roles: ['grid_worker'],
    guard: 'the case lies in the grid worker’s grid',
    opens: [],
  },
  checkPass: {
    from: ['checking'],
    to: ['closed'],
    roles: ['grid_worker'],
    guard: 'the case lies in the grid worker’s grid',
    opens: ['evaluate'],
  },
  checkFail: {
    from: ['checking'],
    to: ['rework'],
    roles: ['grid_worker'],
    guard: 'the case lies in the grid worker’s grid; a reason; named departments are dispatched',
    opens: ['handle'],
  },
  evaluate: {
    from: ['closed'],
    to: ['evaluated'],
    roles: ['citizen', ...centers],
    guard:
      'the reporting citizen; for a case without a citizen reporter (anonymous hotline caller, staff), ' +
      'the center at the case’s level',
    opens: [],
  },
  escalate: {
    from: ['reported', 'verifying', 'registered', 'dispatched', 'accepted', 'rework'],
    to: ['reported', 'verifying', 'registered'],
    roles: ['street_center'],
    guard: 'a street-level case of the center’s street; a reason; street dispatches are withdrawn',
    opens: ['dispatch'],
  },
  requestExtension: {
    from: working,
    to: 'unchanged',
    roles: ['department'],
    guard: 'the department is handling the case, has no pending request, and asks for a later deadline',
    opens: [],
  },
  approveExtension: {
    from: working,
    to: 'unchanged',
    roles: centers,
    guard: 'the center at the case’s level; the request is pending and its department still handling',
    opens: [],
  },
  rejectExtension: {
    from: working,
    to: 'unchanged',
    roles: centers,
    guard: 'the center at the case’s level; the request is pending; a reason',
    opens: [],
  },
  suspend: {
    from: ['registered', ...working],
    to: ['suspended'],
    roles: centers,
    guard: 'the center at the case’s level; a reason',
    opens: [],
  },
  resume: {
    from: ['suspended'],
    to: ['registered', ...working],
    roles: centers,
    guard: 'the center at the case’s level; the previous status is restored with fresh deadlines',
    opens: ['dispatch', 'accept', 'handle'],
  },
  merge: {
    from: openStatuses,
    to: ['merged'],
    roles: centers,
    guard:
      'the center at the case’s level, reaching the primary too; the primary is open, of the same tenant, another case',
    opens: [],
  },
  void: {
    from: openStatuses,
    to: ['voided'],
    roles: centers,
    guard: 'the center at the case’s level; a reason',
    opens: [],
  },
  urge: {
    from: unsuspended,
    to: 'unchanged',
    roles: centers,
    guard: 'a center over the handling org (a district urges its streets); overdue or at will',
    opens: [],
  },
  acknowledgeUrging: {
    from: [...openStatuses, 'closed'],
    to: 'unchanged',
    roles: ['department', 'grid_worker', ...centers],
    guard: 'the urging exists, is addressed to the actor, and the actor has not acknowledged it yet',
    opens: [],
  },
} as const satisfies Record<CaseCommand['type'], Transition>;

// ---------------------------------------------------------------------------------------------
// Failures

const guardFailed = (code: string, message: string, details: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', message, { code, ...details });
const forbidden = (code: string, message: string): AppError => new AppError('forbidden', message, { code });

// ---------------------------------------------------------------------------------------------
// Place checks

const actorRef = (actor: CaseActor): ActorRef => {
  const departmentId = actor.scope.kind === 'department' ? actor.scope.departmentId : actor.departmentId;
  return { userId: actor.userId, role: actor.role, ...(departmentId === undefined ? {} : { departmentId }) };
};

const orgScope = (actor: CaseActor): string | undefined =>
  actor.scope.kind === 'org' ? actor.scope.code : undefined;

const reaches = (actor: CaseActor, code: string | undefined): boolean => {
  const scope = orgScope(actor);
  return scope !== undefined && code !== undefined && orgContains(scope, code);
};

const centerRole: Record<CaseLevel, Role> = { street: 'street_center', district: 'district_center' };

/** Small loop at the street, big loop at the district: each center runs only its own level. */
const requireCenterAtLevel = (
  actor: CaseActor,
  state: Pick<CaseState, 'level' | 'handlingOrgCode'>,
): void => {
  if (actor.role !== centerRole[state.level]) {
    throw forbidden('wrong_level', `a ${state.level}-level case is run by the ${centerRole[state.level]}`);
  }
  if (!reaches(actor, state.handlingOrgCode)) {
    throw forbidden('outside_scope', 'the case is handled outside the center’s area');
  }
};

const requireGridWorkerOfCase = (actor: CaseActor, state: CaseState): void => {
  if (!reaches(actor, state.location.gridCode)) {
    throw forbidden('outside_grid', 'the case lies outside the grid worker’s grid');
  }
};

const actorDepartment = (actor: CaseActor): string => {
  if (actor.scope.kind !== 'department') throw forbidden('no_department', 'the actor holds no department');
  if (actor.departmentId !== undefined && actor.departmentId !== actor.scope.departmentId) {
    throw forbidden('department_mismatch', 'the actor’s department differs from its scope');
  }
  return actor.scope.departmentId;
};

const requireAssignment = (actor: CaseActor, state: CaseState): Assignment => {
  const departmentId = actorDepartment(actor);
  const assignment = state.assignments.find((candidate) => candidate.departmentId === departmentId);
  if (!assignment) throw forbidden('not_assigned', 'the case is not dispatched to this department');
  return assignment;
};

// ---------------------------------------------------------------------------------------------
// Deadlines and derived status

const stepContext = (
  state: Pick<CaseState, 'tenantId' | 'categoryCode' | 'level' | 'handlingOrgCode'>,
  departmentId?: string,
): StepContext => ({
  tenantId: state.tenantId,
  level: state.level,
  handlingOrgCode: state.handlingOrgCode,
  ...(state.categoryCode === undefined ? {} : { categoryCode: state.categoryCode }),
  ...(departmentId === undefined ? {} : { departmentId }),
});

/** While departments work, the case is as late as its latest-running department: the earliest deadline. */
const earliestDeadline = (assignments: readonly Assignment[]): Deadline | undefined =>
  assignments
    .map((assignment) => assignment.deadline)
    .filter((deadline): deadline is Deadline => deadline !== undefined)
    .reduce<Deadline | undefined>(
      (earliest, deadline) =>
        earliest === undefined || deadline.dueAt < earliest.dueAt ? deadline : earliest,
      undefined,
    );

const progressStatus = (assignments: readonly Assignment[]): CaseStatus => {
  if (assignments.length === 0) return 'registered';
  if (assignments.every((assignment) => assignment.state === 'handled')) return 'handled';
  if (assignments.some((assignment) => assignment.state === 'rework')) return 'rework';
  if (assignments.some((assignment) => assignment.state === 'dispatched')) return 'dispatched';
  return 'accepted';
};

/** The center's own step when no department is left working on the case. */
const centerStep = (status: CaseStatus): StepKey | undefined =>
  status === 'registered' ? 'dispatch' : status === 'handled' ? 'check' : undefined;

const departmentStep = (assignment: Assignment): StepKey | undefined =>
  assignment.state === 'dispatched' ? 'accept' : assignment.state === 'handled' ? undefined : 'handle';

// ---------------------------------------------------------------------------------------------
// decide

export interface CaseDecision {
  events: CaseEvent[];
}

type Context = {
  state: CaseState;
  actor: CaseActor;
  by: ActorRef;
  now: Date;
  at: string;
  /** The deadline of a step opened now; `on` is the state as it will be, where that matters. */
  deadline: (step: StepKey, departmentId?: string, on?: CaseState) => Deadline;
};

type Handler<T extends CaseCommand['type']> = (command: CommandOf<T>, context: Context) => CaseEvent[];

const event = <E extends CaseEvent>(context: Context, type: E['type'], payload: E['payload']): CaseEvent =>
  ({ type, caseId: context.state.id, at: context.at, actor: context.by, payload }) as CaseEvent;

const reporterFor = (command: CommandOf<'report'>, actor: CaseActor): ReporterRef => {
  if (command.channel === 'citizen') return { kind: 'citizen', userId: actor.userId };
  if (isAnonymousChannel(command.channel)) return { kind: 'anonymous', reporterId: actor.userId };
  if (command.channel === 'hotline') {
    if (command.reporterUserId !== undefined) return { kind: 'citizen', userId: command.reporterUserId };
    return { kind: 'caller', ...(command.callerRef === undefined ? {} : { callerRef: command.callerRef }) };
  }
  return { kind: 'staff', userId: actor.userId, role: actor.role };
};

/** Which roles may report through each channel. */
export const channelRoles: Record<CaseChannel, readonly Role[]> = {
  citizen: ['citizen'],
  patrol: ['grid_worker'],
  hotline: ['street_center', 'district_center'],
  whistle: ['street_center', 'community_station'],
  api: ['city_admin', 'street_center', 'district_center'],
  // Acted by the anonymous reporter the public intake mints (a citizen without an account).
  web: ['citizen'],
  open311: ['citizen'],
};

const decideReport = (
  command: CommandOf<'report'>,
  actor: CaseActor,
  now: Date,
  resolve: DeadlineResolver,
): CaseEvent[] => {
  if (!channelRoles[command.channel].includes(actor.role)) {
    throw forbidden(
      'channel_not_allowed',
      `a ${actor.role} does not report through the ${command.channel} channel`,
    );
  }
  const gridCode = command.location.gridCode;
  if (gridCode === undefined) {
    // Every case needs a grid: its grid worker verifies and checks it on site.
    throw guardFailed('grid_required', 'locate the report in a grid first');
  }
  if (actor.role !== 'citizen' && actor.role !== 'city_admin' && !reaches(actor, gridCode)) {
    throw forbidden('outside_scope', 'the reported grid lies outside the actor’s area');
  }
  if (
    command.channel !== 'hotline' &&
    (command.callerRef !== undefined || command.reporterUserId !== undefined)
  ) {
    throw guardFailed('caller_without_hotline', 'caller details belong to hotline reports');
  }
  const handlingOrgCode = command.handlingOrgCode ?? gridCode.slice(0, orgLevels.street);
  const level: CaseLevel | undefined =
    handlingOrgCode.length === orgLevels.street
      ? 'street'
      : handlingOrgCode.length === orgLevels.district
        ? 'district'
        : undefined;
  if (level === undefined) {
    throw guardFailed('invalid_handling_org', 'a case is handled by a street or a district');
  }
  if (!orgContains(handlingOrgCode, gridCode)) {
    throw guardFailed('handling_org_mismatch', 'the handling org does not contain the reported grid');
  }
  const tenantId = actor.tenantId;
  const step: StepKey = needsVerification(command.channel) ? 'verify' : 'register';
  const dueAt = resolve(step, now, {
    tenantId,
    level,
    handlingOrgCode,
    ...(command.categoryCode === undefined ? {} : { categoryCode: command.categoryCode }),
  });
  return [
    {
      type: 'case.reported',
      caseId: command.caseId,
      at: now.toISOString(),
      actor: actorRef(actor),
      payload: {
        tenantId,
        channel: command.channel,
        description: command.description,
        ...(command.categoryCode === undefined ? {} : { categoryCode: command.categoryCode }),
        location: command.location,
        attachmentIds: command.attachmentIds,
        level,
        handlingOrgCode,
        reporter: reporterFor(command, actor),
        deadline: { step, dueAt: dueAt.toISOString() },
      },
    },
  ];
};

/** Whom an urging goes to: the assignee of the step the case is in. */
const urgingTarget = (command: CommandOf<'urge'>, state: CaseState): UrgingTarget => {
  const gridCode = state.location.gridCode;
  const center: UrgingTarget = { kind: 'center', orgCode: state.handlingOrgCode };
  switch (state.status) {
    case 'reported':
      return needsVerification(state.channel) && gridCode !== undefined ? { kind: 'grid', gridCode } : center;
    case 'handled':
    case 'checking':
      return gridCode === undefined ? center : { kind: 'grid', gridCode };
    case 'dispatched':
    case 'accepted':
    case 'rework': {
      const working = state.assignments.filter((assignment) => assignment.state !== 'handled');
      const named = command.departmentIds ?? working.map((assignment) => assignment.departmentId);
      const stranger = named.find((id) => !working.some((assignment) => assignment.departmentId === id));
      if (stranger !== undefined) {
        throw guardFailed('department_not_working', `${stranger} is not working on the case`, {
          departmentId: stranger,
        });
      }
      return { kind: 'departments', departmentIds: named };
    }
    default:
      return center;
  }
};

const isOverdue = (state: CaseState, target: UrgingTarget, now: Date): boolean => {
  const iso = now.toISOString();
  if (target.kind === 'departments') {
    return state.assignments.some(
      (assignment) =>
        target.departmentIds.includes(assignment.departmentId) &&
        assignment.deadline !== undefined &&
        assignment.deadline.dueAt < iso,
    );
  }
  return state.deadline !== undefined && state.deadline.dueAt < iso;
};

/** The device position a grid worker sent from the site, with its distance from the case's point. */
const onSite = (position: [number, number] | undefined, state: CaseState): OnSite =>
  position === undefined
    ? {}
    : {
        position,
        ...(state.location.point === undefined
          ? {}
          : { distanceM: Math.round(haversineM(state.location.point, position)) }),
      };

const handlers: { [T in CaseCommand['type']]: Handler<T> } = {
  report: () => {
    throw new ConflictError('already_exists', 'the case already exists');
  },

  verify: (command, context) => {
    const { state, actor } = context;
    if (!needsVerification(state.channel)) {
      throw guardFailed('verification_not_needed', `${state.channel} reports are registered directly`);
    }
    requireGridWorkerOfCase(actor, state);
    return [
      event(context, 'case.verified', {
        confirmed: command.confirmed,
        ...(command.note === undefined ? {} : { note: command.note }),
        attachmentIds: command.attachmentIds,
        deadline: context.deadline('register'),
        ...onSite(command.position, state),
      }),
    ];
  },

  register: (command, context) => {
    const { state, actor } = context;
    requireCenterAtLevel(actor, state);
    if (state.status === 'reported' && needsVerification(state.channel)) {
      throw guardFailed('verification_required', `${state.channel} reports are verified on site first`);
    }
    if (state.status === 'verifying' && state.verification?.confirmed !== true) {
      throw guardFailed('not_confirmed', 'the on-site check did not confirm the report; reject it instead');
    }
    const categoryCode = command.categoryCode ?? state.categoryCode;
    if (categoryCode === undefined)
      throw guardFailed('category_required', 'a case is registered under a category');
    return [
      event(context, 'case.registered', {
        categoryCode,
        ...(command.note === undefined ? {} : { note: command.note }),
        deadline: context.deadline('dispatch', undefined, { ...state, categoryCode }),
      }),
    ];
  },

  reject: (command, context) => {
    requireCenterAtLevel(context.actor, context.state);
    return [event(context, 'case.rejected', { reason: command.reason })];
  },

  dispatch: (command, context) => {
    const { state } = context;
    requireCenterAtLevel(context.actor, state);
    const already = command.departmentIds.find((id) =>
      state.assignments.some((assignment) => assignment.departmentId === id),
    );
    if (already !== undefined) {
      throw guardFailed('already_dispatched', `the case is already dispatched to ${already}`, {
        departmentId: already,
      });
    }
    return [
      event(context, 'case.dispatched', {
        departments: command.departmentIds.map((departmentId) => ({
          departmentId,
          deadline: context.deadline('accept', departmentId),
        })),
        ...(command.catalogVersion === undefined ? {} : { catalogVersion: command.catalogVersion }),
        ...(command.note === undefined ? {} : { note: command.note }),
      }),
    ];
  },

  accept: (_command, context) => {
    const assignment = requireAssignment(context.actor, context.state);
    if (assignment.state !== 'dispatched') {
      throw guardFailed('already_accepted', 'the department has already accepted the case');
    }
    return [
      event(context, 'case.accepted', {
        departmentId: assignment.departmentId,
        deadline: context.deadline('handle', assignment.departmentId),
      }),
    ];
  },

  return: (command, context) => {
    const assignment = requireAssignment(context.actor, context.state);
    if (assignment.state !== 'dispatched' && assignment.state !== 'accepted') {
      throw guardFailed('already_handled', 'a department returns a case only before handling it');
    }
    const remaining = context.state.assignments.filter((other) => other !== assignment);
    const step = centerStep(progressStatus(remaining));
    return [
      event(context, 'case.returned', {
        departmentId: assignment.departmentId,
        reason: command.reason,
        ...(step === undefined ? {} : { deadline: context.deadline(step) }),
      }),
    ];
  },

  handle: (command, context) => {
    const assignment = requireAssignment(context.actor, context.state);
    if (assignment.state !== 'accepted' && assignment.state !== 'rework') {
      throw guardFailed(
        assignment.state === 'dispatched' ? 'not_accepted' : 'already_handled',
        assignment.state === 'dispatched' ? 'accept the case before handling it' : 'the result is already in',
      );
    }
    const after = context.state.assignments.map((other) =>
      other === assignment ? { ...other, state: 'handled' as const } : other,
    );
    const step = centerStep(progressStatus(after));
    return [
      event(context, 'case.handled', {
        departmentId: assignment.departmentId,
        result: command.result,
        evidenceIds: command.evidenceIds,
        ...(step === undefined ? {} : { deadline: context.deadline(step) }),
      }),
    ];
  },

  startCheck: (_command, context) => {
    requireGridWorkerOfCase(context.actor, context.state);
    return [event(context, 'case.check_started', {})];
  },

  checkPass: (command, context) => {
    requireGridWorkerOfCase(context.actor, context.state);
    return [
      event(context, 'case.check_passed', {
        ...(command.note === undefined ? {} : { note: command.note }),
        attachmentIds: command.attachmentIds,
        deadline: context.deadline('evaluate'),
        ...onSite(command.position, context.state),
      }),
    ];
  },

  checkFail: (command, context) => {
    const { state } = context;
    requireGridWorkerOfCase(context.actor, state);
    const named = command.departmentIds ?? state.assignments.map((assignment) => assignment.departmentId);
    const stranger = named.find(
      (id) => !state.assignments.some((assignment) => assignment.departmentId === id),
    );
    if (stranger !== undefined) {
      throw guardFailed('not_assigned', `the case is not dispatched to ${stranger}`, {
        departmentId: stranger,
      });
    }
    return [
      event(context, 'case.check_failed', {
        reason: command.reason,
        attachmentIds: command.attachmentIds,
        departments: named.map((departmentId) => ({
          departmentId,
          deadline: context.deadline('handle', departmentId),
        })),
        ...onSite(command.position, state),
      }),
    ];
  },

  evaluate: (command, context) => {
    const { state, actor } = context;
    // An anonymous reporter acts through the tracking code they were given.
    const anonymousReporter =
      state.reporter.kind === 'anonymous' &&
      actor.role === 'citizen' &&
      actor.userId === state.reporter.reporterId;
    if (state.reporter.kind === 'citizen') {
      if (actor.role !== 'citizen' || actor.userId !== state.reporter.userId) {
        throw forbidden('not_reporter', 'only the reporting citizen evaluates this case');
      }
    } else if (!anonymousReporter) {
      if (actor.role === 'citizen')
        throw forbidden('not_reporter', 'the case was not reported by this citizen');
      requireCenterAtLevel(actor, state);
    }
    return [
      event(context, 'case.evaluated', {
        satisfaction: command.satisfaction,
        ...(command.comment === undefined ? {} : { comment: command.comment }),
      }),
    ];
  },

  escalate: (command, context) => {
    const { state } = context;
    if (state.level !== 'street')
      throw guardFailed('already_district', 'the case is already in the big loop');
    requireCenterAtLevel(context.actor, state);
    const toOrgCode = state.handlingOrgCode.slice(0, orgLevels.district);
    const restarts = state.status !== 'reported' && state.status !== 'verifying';
    const status: CaseStatus = restarts ? 'registered' : state.status;
    return [
      event(context, 'case.escalated', {
        reason: command.reason,
        fromOrgCode: state.handlingOrgCode,
        toOrgCode,
        level: 'district',
        withdrawnDepartmentIds: state.assignments.map((assignment) => assignment.departmentId),
        status,
        // The district dispatches afresh; before registration the running step simply continues.
        ...(restarts
          ? {
              deadline: context.deadline('dispatch', undefined, {
                ...state,
                level: 'district',
                handlingOrgCode: toOrgCode,
              }),
            }
          : {}),
      }),
    ];
  },

  requestExtension: (command, context) => {
    const { state } = context;
    const assignment = requireAssignment(context.actor, state);
    if (assignment.state !== 'accepted' && assignment.state !== 'rework') {
      throw guardFailed('not_handling', 'only a department handling the case asks for more time');
    }
    const pending = state.extensions.some(
      (extension) => extension.departmentId === assignment.departmentId && extension.status === 'pending',
    );
    if (pending) throw guardFailed('extension_pending', 'a request of this department is already pending');
    const current = assignment.deadline?.dueAt;
    if (current !== undefined && new Date(command.until).getTime() <= new Date(current).getTime()) {
      throw guardFailed('not_later', 'an extension asks for a deadline later than the current one');
    }
    return [
      event(context, 'case.extension_requested', {
        extensionId: state.extensions.length + 1,
        departmentId: assignment.departmentId,
        reason: command.reason,
        until: new Date(command.until).toISOString(),
      }),
    ];
  },

  approveExtension: (command, context) => {
    const { state } = context;
    requireCenterAtLevel(context.actor, state);
    const extension = state.extensions.find((candidate) => candidate.id === command.extensionId);
    if (extension === undefined) throw new NotFoundError('no such extension request');
    if (extension.status !== 'pending') throw guardFailed('not_pending', 'the request is already decided');
    const assignment = state.assignments.find(
      (candidate) => candidate.departmentId === extension.departmentId,
    );
    if (assignment === undefined || (assignment.state !== 'accepted' && assignment.state !== 'rework')) {
      throw guardFailed('not_handling', 'the department is no longer handling the case');
    }
    const until = new Date(command.until ?? extension.requestedUntil).toISOString();
    const current = assignment.deadline?.dueAt;
    if (current !== undefined && new Date(until).getTime() <= new Date(current).getTime()) {
      throw guardFailed('not_later', 'an extension grants a deadline later than the current one');
    }
    return [
      event(context, 'case.extension_approved', {
        extensionId: extension.id,
        departmentId: extension.departmentId,
        until,
        step: 'handle',
      }),
    ];
  },

  rejectExtension: (command, context) => {
    const { state } = context;
    requireCenterAtLevel(context.actor, state);
    const extension = state.extensions.find((candidate) => candidate.id === command.extensionId);
    if (extension === undefined) throw new NotFoundError('no such extension request');
    if (extension.status !== 'pending') throw guardFailed('not_pending', 'the request is already decided');
    return [
      event(context, 'case.extension_rejected', {
        extensionId: extension.id,
        departmentId: extension.departmentId,
        reason: command.reason,
      }),
    ];
  },

  suspend: (command, context) => {
    requireCenterAtLevel(context.actor, context.state);
    return [
      event(context, 'case.suspended', { reason: command.reason, previousStatus: context.state.status }),
    ];
  },

  resume: (command, context) => {
    const { state } = context;
    requireCenterAtLevel(context.actor, state);
    const status = state.suspension?.previousStatus ?? progressStatus(state.assignments);
    const departments = state.assignments.flatMap((assignment) => {
      const step = departmentStep(assignment);
      return step === undefined
        ? []
        : [
            {
              departmentId: assignment.departmentId,
              deadline: context.deadline(step, assignment.departmentId),
            },
          ];
    });
    const step = centerStep(status);
    return [
      event(context, 'case.resumed', {
        ...(command.note === undefined ? {} : { note: command.note }),
        status,
        ...(step === undefined ? {} : { deadline: context.deadline(step) }),
        departments,
      }),
    ];
  },

  merge: (command, context) => {
    const { state, actor } = context;
    requireCenterAtLevel(actor, state);
    const { primary } = command;
    if (primary.id === state.id) throw guardFailed('same_case', 'a case is not a duplicate of itself');
    if (primary.tenantId !== state.tenantId) throw new NotFoundError('no such primary case');
    if (!isOpen(primary.status)) {
      throw guardFailed('primary_not_open', `the primary case is ${primary.status}`, {
        status: primary.status,
      });
    }
    if (!reaches(actor, primary.handlingOrgCode)) {
      throw forbidden('outside_scope', 'the primary case is handled outside the center’s area');
    }
    return [
      event(context, 'case.merged', { primaryId: primary.id }),
      {
        type: 'case.duplicate_linked',
        caseId: primary.id,
        at: context.at,
        actor: context.by,
        payload: { duplicateId: state.id },
      },
    ];
  },

  void: (command, context) => {
    requireCenterAtLevel(context.actor, context.state);
    return [event(context, 'case.voided', { reason: command.reason })];
  },

  urge: (command, context) => {
    const { state, actor } = context;
    if (!reaches(actor, state.handlingOrgCode)) {
      throw forbidden('outside_scope', 'the case is handled outside the center’s area');
    }
    const target = urgingTarget(command, state);
    const step =
      target.kind === 'departments'
        ? state.assignments.find((assignment) => target.departmentIds.includes(assignment.departmentId))
            ?.deadline?.step
        : state.deadline?.step;
    return [
      event(context, 'case.urged', {
        urgingId: state.urgings.length + 1,
        message: command.message,
        overdue: isOverdue(state, target, context.now),
        ...(step === undefined ? {} : { step }),
        target,
      }),
    ];
  },

  acknowledgeUrging: (command, context) => {
    const { state, actor } = context;
    const urging = state.urgings.find((candidate) => candidate.id === command.urgingId);
    if (urging === undefined) throw new NotFoundError('no such urging');
    const { target } = urging;
    const addressed =
      target.kind === 'departments'
        ? actor.role === 'department' && target.departmentIds.includes(actorDepartment(actor))
        : target.kind === 'grid'
          ? actor.role === 'grid_worker' && reaches(actor, target.gridCode)
          : actor.role === centerRole[target.orgCode.length === orgLevels.district ? 'district' : 'street'] &&
            reaches(actor, target.orgCode);
    if (!addressed) throw forbidden('not_addressed', 'the urging is not addressed to the actor');
    const by = context.by;
    const already = urging.acknowledgements.some((ack) =>
      target.kind === 'departments' ? ack.by.departmentId === by.departmentId : true,
    );
    if (already) throw guardFailed('already_acknowledged', 'the urging is already acknowledged');
    return [event(context, 'case.urging_acknowledged', { urgingId: urging.id })];
  },
};

/**
 * Decides what happens when `actor` sends `input` to the case at `now`. Pure: the caller loads
 * the state, resolves deadlines (tenant calendar, duty catalog) through `deadlines`, and appends
 * the returned events under the state's version. Throws an AppError when refused.
 */
export const decide = (
  state: CaseState | undefined,
  input: CaseCommandInput,
  actor: CaseActor,
  now: Date,
  deadlines: DeadlineResolver,
): CaseDecision => {
  const parsed = CaseCommandSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'invalid case command', {
      code: 'invalid_command',
      issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    });
  }
  const command = parsed.data;
  const transition: Transition = transitions[command.type];

  if (state !== undefined && state.tenantId !== actor.tenantId) throw new NotFoundError('no such case');
  if (!transition.roles.includes(actor.role)) {
    throw forbidden('role_not_allowed', `a ${actor.role} may not ${command.type} a case`);
  }
  if (state === undefined) {
    if (command.type !== 'report') throw new NotFoundError('no such case');
    return { events: decideReport(command, actor, now, deadlines) };
  }
  if (command.type !== 'report' && !transition.from.includes(state.status)) {
    throw guardFailed('invalid_transition', `cannot ${command.type} a ${state.status} case`, {
      status: state.status,
      command: command.type,
    });
  }
  const context: Context = {
    state,
    actor,
    by: actorRef(actor),
    now,
    at: now.toISOString(),
    deadline: (step, departmentId, on = state) => ({
      step,
      dueAt: deadlines(step, now, stepContext(on, departmentId)).toISOString(),
    }),
  };
  const handler = handlers[command.type] as Handler<typeof command.type>;
  return { events: handler(command, context) };
};

// ---------------------------------------------------------------------------------------------
// evolve

const withAssignments = (state: CaseState, assignments: Assignment[], deadline?: Deadline): CaseState => {
  const status = progressStatus(assignments);
  const next = { ...state, assignments, status, deadline: deadline ?? earliestDeadline(assignments) };
  if (next.deadline === undefined) delete next.deadline;
  return next;
};

const updateAssignment = (
  state: CaseState,
  departmentId: string,
  change: (assignment: Assignment) => Assignment,
): Assignment[] =>
  state.assignments.map((assignment) =>
    assignment.departmentId === departmentId ? change(assignment) : assignment,
  );

const onSiteOf = ({ position, distanceM }: OnSite): OnSite => ({
  ...(position === undefined ? {} : { position }),
  ...(distanceM === undefined ? {} : { distanceM }),
});

const applyEvent = (state: CaseState, event: CaseEvent): CaseState => {
  const { at, actor: by } = event;
  switch (event.type) {
    case 'case.reported':
      return state;
    case 'case.verified':
      return {
        ...state,
        status: 'verifying',
        verification: {
          confirmed: event.payload.confirmed,
          ...(event.payload.note === undefined ? {} : { note: event.payload.note }),
          attachmentIds: event.payload.attachmentIds,
          at,
          by,
          ...onSiteOf(event.payload),
        },
        deadline: event.payload.deadline,
      };
    case 'case.registered':
      return {
        ...state,
        status: 'registered',
        categoryCode: event.payload.categoryCode,
        registeredAt: at,
        deadline: event.payload.deadline,
      };
    case 'case.rejected': {
      const { deadline: _deadline, ...rest } = state;
      return { ...rest, status: 'rejected', rejection: { reason: event.payload.reason, at, by } };
    }
    case 'case.dispatched':
      return withAssignments(state, [
        ...state.assignments,
        ...event.payload.departments.map(
          ({ departmentId, deadline }): Assignment => ({
            departmentId,
            state: 'dispatched',
            dispatchedAt: at,
            deadline,
            reworkCount: 0,
          }),
        ),
      ]);
    case 'case.accepted':
      return withAssignments(
        state,
        updateAssignment(state, event.payload.departmentId, (assignment) => ({
          ...assignment,
          state: 'accepted',
          acceptedAt: at,
          deadline: event.payload.deadline,
        })),
      );
    case 'case.returned':
      return withAssignments(
        {
          ...state,
          returns: [
            ...state.returns,
            { departmentId: event.payload.departmentId, reason: event.payload.reason, at, by },
          ],
          returnCount: state.returnCount + 1,
        },
        state.assignments.filter((assignment) => assignment.departmentId !== event.payload.departmentId),
        event.payload.deadline,
      );
    case 'case.handled':
      return withAssignments(
        state,
        updateAssignment(state, event.payload.departmentId, ({ deadline: _deadline, ...assignment }) => ({
          ...assignment,
          state: 'handled',
          handledAt: at,
          result: { text: event.payload.result, evidenceIds: event.payload.evidenceIds },
        })),
        event.payload.deadline,
      );
    case 'case.check_started':
      return { ...state, status: 'checking' };
    case 'case.check_passed':
      return {
        ...state,
        status: 'closed',
        closedAt: at,
        checks: [
          ...state.checks,
          {
            passed: true,
            at,
            by,
            ...(event.payload.note === undefined ? {} : { note: event.payload.note }),
            attachmentIds: event.payload.attachmentIds,
            ...onSiteOf(event.payload),
          },
        ],
        deadline: event.payload.deadline,
      };
    case 'case.check_failed': {
      const failed = new Map(event.payload.departments.map((entry) => [entry.departmentId, entry.deadline]));
      const assignments = state.assignments.map((assignment): Assignment => {
        const deadline = failed.get(assignment.departmentId);
        return deadline === undefined
          ? assignment
          : { ...assignment, state: 'rework', deadline, reworkCount: assignment.reworkCount + 1 };
      });
      return withAssignments(
        {
          ...state,
          reworkCount: state.reworkCount + 1,
          checks: [
            ...state.checks,
            {
              passed: false,
              at,
              by,
              reason: event.payload.reason,
              departmentIds: [...failed.keys()],
              attachmentIds: event.payload.attachmentIds,
              ...onSiteOf(event.payload),
            },
          ],
        },
        assignments,
      );
    }
    case 'case.evaluated': {
      const { deadline: _deadline, ...rest } = state;
      return {
        ...rest,
        status: 'evaluated',
        evaluation: {
          satisfaction: event.payload.satisfaction,
          ...(event.payload.comment === undefined ? {} : { comment: event.payload.comment }),
          at,
          by,
        },
      };
    }
    case 'case.escalated': {
      const { deadline: _deadline, ...rest } = state;
      const deadline = event.payload.deadline ?? state.deadline;
      return {
        ...rest,
        status: event.payload.status,
        level: event.payload.level,
        handlingOrgCode: event.payload.toOrgCode,
        assignments: [],
        escalations: [
          ...state.escalations,
          {
            fromOrgCode: event.payload.fromOrgCode,
            toOrgCode: event.payload.toOrgCode,
            reason: event.payload.reason,
            at,
            by,
          },
        ],
        ...(deadline === undefined ? {} : { deadline }),
      };
    }
    case 'case.extension_requested':
      return {
        ...state,
        extensions: [
          ...state.extensions,
          {
            id: event.payload.extensionId,
            departmentId: event.payload.departmentId,
            reason: event.payload.reason,
            requestedUntil: event.payload.until,
            requestedAt: at,
            requestedBy: by,
            status: 'pending',
          },
        ],
      };
    case 'case.extension_approved': {
      const { extensionId, departmentId, until, step } = event.payload;
      return withAssignments(
        {
          ...state,
          extensions: state.extensions.map((extension) =>
            extension.id === extensionId
              ? { ...extension, status: 'approved', decidedAt: at, decidedBy: by, grantedUntil: until }
              : extension,
          ),
        },
        updateAssignment(state, departmentId, (assignment) => ({
          ...assignment,
          deadline: { step, dueAt: until },
        })),
      );
    }
    case 'case.extension_rejected':
      return {
        ...state,
        extensions: state.extensions.map((extension) =>
          extension.id === event.payload.extensionId
            ? {
                ...extension,
                status: 'rejected',
                decidedAt: at,
                decidedBy: by,
                rejectionReason: event.payload.reason,
              }
            : extension,
        ),
      };
    case 'case.suspended': {
      // The clock stops while a case is suspended: no deadline runs.
      const { deadline: _deadline, ...rest } = state;
      return {
        ...rest,
        status: 'suspended',
        suspension: { previousStatus: event.payload.previousStatus, reason: event.payload.reason, at, by },
        assignments: state.assignments.map(({ deadline: _stopped, ...assignment }) => assignment),
      };
    }
    case 'case.resumed': {
      const { suspension: _suspension, ...rest } = state;
      const fresh = new Map(event.payload.departments.map((entry) => [entry.departmentId, entry.deadline]));
      const assignments = state.assignments.map((assignment) => {
        const deadline = fresh.get(assignment.departmentId);
        return deadline === undefined ? assignment : { ...assignment, deadline };
      });
      const deadline = event.payload.deadline ?? earliestDeadline(assignments);
      return {
        ...rest,
        status: event.payload.status,
        assignments,
        ...(deadline === undefined ? {} : { deadline }),
      };
    }
    case 'case.merged': {
      const { deadline: _deadline, ...rest } = state;
      return { ...rest, status: 'merged', mergedInto: event.payload.primaryId };
    }
    case 'case.duplicate_linked':
      return { ...state, duplicates: [...state.duplicates, event.payload.duplicateId] };
    case 'case.voided': {
      const { deadline: _deadline, ...rest } = state;
      return { ...rest, status: 'voided', voided: { reason: event.payload.reason, at, by } };
    }
    case 'case.urged':
      return {
        ...state,
        urgings: [
          ...state.urgings,
          {
            id: event.payload.urgingId,
            at,
            by,
            message: event.payload.message,
            overdue: event.payload.overdue,
            ...(event.payload.step === undefined ? {} : { step: event.payload.step }),
            target: event.payload.target,
            acknowledgements: [],
          },
        ],
      };
    case 'case.urging_acknowledged':
      return {
        ...state,
        urgings: state.urgings.map((urging) =>
          urging.id === event.payload.urgingId
            ? { ...urging, acknowledgements: [...urging.acknowledgements, { at, by }] }
            : urging,
        ),
      };
  }
};

/**
 * Folds one event into the state. Pure and total over logs that `decide` produced; an event of
 * another case, or a first event that is not a report, is a programming error.
 */
export const evolve = (state: CaseState | undefined, event: CaseEvent): CaseState => {
  if (state === undefined) {
    if (event.type !== 'case.reported') {
      throw new AppError('internal_error', 'a case log starts with its report', { type: event.type });
    }
    const { payload } = event;
    return {
      id: event.caseId,
      tenantId: payload.tenantId,
      status: 'reported',
      channel: payload.channel,
      ...(payload.categoryCode === undefined ? {} : { categoryCode: payload.categoryCode }),
      description: payload.description,
      attachmentIds: payload.attachmentIds,
      location: payload.location,
      level: payload.level,
      handlingOrgCode: payload.handlingOrgCode,
      reporter: payload.reporter,
      reportedAt: event.at,
      assignments: [],
      returns: [],
      returnCount: 0,
      checks: [],
      reworkCount: 0,
      extensions: [],
      deadline: payload.deadline,
      escalations: [],
      duplicates: [],
      urgings: [],
      version: 1,
    };
  }
  if (event.caseId !== state.id || event.type === 'case.reported') {
    throw new AppError('internal_error', 'the event does not belong to this case', {
      caseId: state.id,
      eventCaseId: event.caseId,
      type: event.type,
    });
  }
  return { ...applyEvent(state, event), version: state.version + 1 };
};

/** The state of a case from its whole log, oldest event first. */
export const replay = (events: readonly CaseEvent[]): CaseState | undefined =>
  events.reduce<CaseState | undefined>(evolve, undefined);
