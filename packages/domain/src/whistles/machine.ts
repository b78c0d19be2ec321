import { AppError, NotFoundError } from '../errors';
import type { Principal } from '../identity/policy';
import type { Role } from '../identity/roles';
import { orgContains, orgLevels } from '../identity/scope';
import {
  type WhistleCommand,
  type WhistleCommandInput,
  type WhistleCommandOf,
  WhistleCommandSchema,
} from './commands';
import type { WhistleEvent } from './events';
import { isBlownAtOnce, type WhistleSettings } from './settings';
import {
  type ActionMode,
  followUpCaseIds,
  type Summons,
  type WhistleActorRef,
  type WhistleState,
  type WhistleStatus,
} from './whistle';

/** Whoever acts, as read from a verified token. */
export type WhistleActor = Principal;

export interface WhistleTransition {
  /** Statuses the command is accepted in; empty for `draft`, which starts a whistle. */
  from: readonly WhistleStatus[];
  /** Statuses the whistle may end in, or 'unchanged' for commands that only add a record. */
  to: readonly WhistleStatus[] | 'unchanged';
  roles: readonly Role[];
  /** What else must hold, beyond status and role; enforced in `decideWhistle`. */
  guard: string;
}

const streetSide = ['street_center', 'community_station'] as const satisfies readonly Role[];
const called = ['blown', 'acting'] as const satisfies readonly WhistleStatus[];

export const whistleTransitions = {
  draft: {
    from: [],
    to: ['draft'],
    roles: streetSide,
    guard:
      'a street center whistles in its street; a community station to its parent street; ' +
      'the location’s grid lies in that street',
  },
  file: {
    from: ['draft', 'returned'],
    to: ['filed', 'blown'],
    roles: streetSide,
    guard: 'the whistle’s street center or raising community; kinds blown at once are blown at filing',
  },
  approve: {
    from: ['filed', 'blown', 'acting', 'closed'],
    to: ['approved', 'blown', 'acting', 'closed'],
    roles: ['district_center'],
    guard: 'the district containing the street; once filed, or after the blow for kinds blown at once',
  },
  return: {
    from: ['filed'],
    to: ['returned'],
    roles: ['district_center'],
    guard: 'the district containing the street; a reason (the information missing)',
  },
  reject: {
    from: ['filed', 'blown', 'acting', 'closed'],
    to: ['rejected', 'blown', 'acting', 'closed'],
    roles: ['district_center'],
    guard:
      'the district containing the street; a reason; after the blow (kinds blown at once) the rejection ' +
      'is recorded against the street and the work goes on',
  },
  blow: {
    from: ['approved'],
    to: ['blown'],
    roles: streetSide,
    guard: 'the whistle’s street center or raising community; opens the report-by deadline of the kind',
  },
  acknowledge: {
    from: called,
    to: 'unchanged',
    roles: ['department'],
    guard: 'the department is summoned and has not acknowledged yet',
  },
  report: {
    from: called,
    to: 'unchanged',
    roles: ['department'],
    guard:
      'the department is summoned and has not reported yet; off-site beyond the radius, late after report-by',
  },
  flagMissing: {
    from: called,
    to: 'unchanged',
    roles: ['street_center', 'district_center'],
    guard: 'the whistle’s street or its district; report-by has passed; some department has not reported',
  },
  recordAction: {
    from: called,
    to: ['acting'],
    roles: ['street_center'],
    guard:
      'the whistle’s street; officers of summoned departments; two competent officers, or one and a ' +
      'resident second inspector of another department, or none and evidence only',
  },
  followUp: {
    from: ['acting', 'closed'],
    to: 'unchanged',
    roles: ['department'],
    guard: 'the department is summoned; the linked cases are new to the whistle',
  },
  close: {
    from: ['acting'],
    to: ['closed'],
    roles: ['street_center'],
    guard:
      'the whistle’s street; every summoned department reported or was flagged missing; feedback to the source',
  },
  evaluate: {
    from: ['closed'],
    to: 'unchanged',
    roles: ['street_center', 'community_station'],
    guard: 'the whistle’s street or source community, once per summoned department',
  },
  rateWhistle: {
    from: ['acting', 'closed'],
    to: 'unchanged',
    roles: ['department'],
    guard: 'the department is summoned and has not rated the whistle yet',
  },
  archive: {
    from: ['closed'],
    to: ['archived'],
    roles: ['street_center'],
    guard: 'the whistle’s street; no review pending; the number is street code, year and sequence',
  },
} as const satisfies Record<WhistleCommand['type'], WhistleTransition>;

// ---------------------------------------------------------------------------------------------
// Failures

const guardFailed = (code: string, message: string, details: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', message, { code, ...details });
const forbidden = (code: string, message: string): AppError => new AppError('forbidden', message, { code });

// ---------------------------------------------------------------------------------------------
// Geometry

const earthRadiusM = 6_371_008.8;
const radians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in metres between two WGS-84 [longitude, latitude] points. */
export const haversineM = (a: readonly [number, number], b: readonly [number, number]): number => {
  const dLat = radians(b[1] - a[1]);
  const dLng = radians(b[0] - a[0]);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a[1])) * Math.cos(radians(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
};

// ---------------------------------------------------------------------------------------------
// Place checks

const actorRef = (actor: WhistleActor): WhistleActorRef => ({
  userId: actor.userId,
  role: actor.role,
  ...(actor.scope.kind === 'department' ? { departmentId: actor.scope.departmentId } : {}),
});

const orgScope = (actor: WhistleActor): string | undefined =>
  actor.scope.kind === 'org' ? actor.scope.code : undefined;

/** The source community, which rates the departments beside the street. */
export const sourceCommunity = (state: WhistleState): string | undefined => {
  if (state.raisedBy !== undefined) return state.raisedBy;
  const ref = state.source.kind === 'community' ? state.source.ref : undefined;
  return ref !== undefined && ref.length === orgLevels.community && orgContains(state.streetCode, ref)
    ? ref
    : undefined;
};

const isStreetCenterOf = (actor: WhistleActor, state: WhistleState): boolean =>
  actor.role === 'street_center' && orgScope(actor) === state.streetCode;

/** The street runs its whistles; a community runs the whistles it raised until they are blown. */
const requireStreetSide = (actor: WhistleActor, state: WhistleState): void => {
  const ok =
    isStreetCenterOf(actor, state) ||
    (actor.role === 'community_station' &&
      state.raisedBy !== undefined &&
      orgScope(actor) === state.raisedBy);
  if (!ok) throw forbidden('outside_scope', 'the whistle belongs to another street or community');
};

const requireStreetCenter = (actor: WhistleActor, state: WhistleState): void => {
  if (!isStreetCenterOf(actor, state))
    throw forbidden('outside_scope', 'the whistle belongs to another street');
};

const requireDistrictOf = (actor: WhistleActor, state: WhistleState): void => {
  const scope = orgScope(actor);
  if (actor.role !== 'district_center' || scope === undefined || !orgContains(scope, state.streetCode)) {
    throw forbidden('outside_scope', 'the street lies outside the district center’s area');
  }
};

const requireSummons = (actor: WhistleActor, state: WhistleState): Summons => {
  if (actor.scope.kind !== 'department') throw forbidden('no_department', 'the actor holds no department');
  const { departmentId } = actor.scope;
  const summons = state.summons.find((candidate) => candidate.departmentId === departmentId);
  if (!summons) throw forbidden('not_summoned', 'the department is not summoned by this whistle');
  return summons;
};

// ---------------------------------------------------------------------------------------------
// decide

export interface WhistleDecision {
  events: WhistleEvent[];
}

type Context = {
  state: WhistleState;
  actor: WhistleActor;
  by: WhistleActorRef;
  now: Date;
  at: string;
  settings: WhistleSettings;
};

type Handler<T extends WhistleCommand['type']> = (
  command: WhistleCommandOf<T>,
  context: Context,
) => WhistleEvent[];

const event = <E extends WhistleEvent>(
  context: Context,
  type: E['type'],
  payload: E['payload'],
): WhistleEvent =>
  ({ type, whistleId: context.state.id, at: context.at, actor: context.by, payload }) as WhistleEvent;

const decideDraft = (command: WhistleCommandOf<'draft'>, actor: WhistleActor, now: Date): WhistleEvent[] => {
  const scope = orgScope(actor);
  const isStreet = actor.role === 'street_center' && scope?.length === orgLevels.street;
  const isCommunity = actor.role === 'community_station' && scope?.length === orgLevels.community;
  if (scope === undefined || (!isStreet && !isCommunity)) {
    throw forbidden('outside_scope', 'a whistle is raised by a street center or a community station');
  }
  // A community cannot summon departments itself: it whistles to its parent street.
  const streetCode = scope.slice(0, orgLevels.street);
  if (!orgContains(streetCode, command.location.gridCode)) {
    throw forbidden('outside_territory', 'the whistle’s location lies outside the street’s territory');
  }
  return [
    {
      type: 'whistle.drafted',
      whistleId: command.whistleId,
      at: now.toISOString(),
      actor: actorRef(actor),
      payload: {
        tenantId: actor.tenantId,
        streetCode,
        ...(isCommunity ? { raisedBy: scope } : {}),
        kind: command.kind,
        source: command.source,
        description: command.description,
        categories: command.categories,
        commonality: command.commonality,
        location: command.location,
        departments: command.departments,
      },
    },
  ];
};

const reportBy = (context: Context): string =>
  new Date(
    context.now.getTime() + context.settings.reportWithinMinutes[context.state.kind] * 60_000,
  ).toISOString();

/** Archive years follow Beijing time (UTC+8, no daylight saving), not the server's zone. */
const beijingYear = (now: Date): number => new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();

const requireReviewable = (state: WhistleState): boolean => {
  if (state.status === 'filed') return false;
  if (!state.reviewPending) throw guardFailed('not_pending_review', 'the whistle has been reviewed already');
  return true;
};

const handlers: { [T in WhistleCommand['type']]: Handler<T> } = {
  draft: () => {
    throw guardFailed('already_exists', 'the whistle exists already');
  },

  file: (command, context) => {
    requireStreetSide(context.actor, context.state);
    const blownAtOnce = isBlownAtOnce(context.settings, context.state.kind);
    const filed = event(context, 'whistle.filed', {
      ...(command.description === undefined ? {} : { description: command.description }),
      ...(command.departments === undefined ? {} : { departments: command.departments }),
      ...(command.note === undefined ? {} : { note: command.note }),
      blownAtOnce,
    });
    return blownAtOnce ? [filed, event(context, 'whistle.blown', { reportBy: reportBy(context) })] : [filed];
  },

  approve: (command, context) => {
    requireDistrictOf(context.actor, context.state);
    const afterBlow = requireReviewable(context.state);
    return [
      event(context, 'whistle.approved', {
        ...(command.note === undefined ? {} : { note: command.note }),
        afterBlow,
      }),
    ];
  },

  return: (command, context) => {
    requireDistrictOf(context.actor, context.state);
    return [event(context, 'whistle.returned', { reason: command.reason })];
  },

  reject: (command, context) => {
    requireDistrictOf(context.actor, context.state);
    const afterBlow = requireReviewable(context.state);
    return [event(context, 'whistle.rejected', { reason: command.reason, afterBlow })];
  },

  blow: (_command, context) => {
    requireStreetSide(context.actor, context.state);
    return [event(context, 'whistle.blown', { reportBy: reportBy(context) })];
  },

  acknowledge: (_command, context) => {
    const summons = requireSummons(context.actor, context.state);
    if (summons.acknowledgedAt !== undefined) {
      throw guardFailed('already_acknowledged', 'the department has acknowledged already');
    }
    return [event(context, 'whistle.acknowledged', { departmentId: summons.departmentId })];
  },

  report: (command, context) => {
    const { state } = context;
    const summons = requireSummons(context.actor, state);
    if (summons.report !== undefined)
      throw guardFailed('already_reported', 'the department has reported already');
    const distanceM = Math.round(haversineM(state.location.point, command.position));
    return [
      event(context, 'whistle.reported', {
        departmentId: summons.departmentId,
        position: command.position,
        distanceM,
        onSite: distanceM <= context.settings.offSiteRadiusM,
        late: state.reportBy !== undefined && context.at > state.reportBy,
      }),
    ];
  },

  flagMissing: (_command, context) => {
    const { state, actor } = context;
    if (actor.role === 'district_center') requireDistrictOf(actor, state);
    else requireStreetCenter(actor, state);
    if (state.reportBy === undefined || context.at <= state.reportBy) {
      throw guardFailed('deadline_not_passed', 'departments still have time to report', {
        reportBy: state.reportBy,
      });
    }
    const departmentIds = state.summons
      .filter((summons) => summons.report === undefined && summons.missing === undefined)
      .map((summons) => summons.departmentId);
    if (departmentIds.length === 0) throw guardFailed('nothing_missing', 'no department is missing');
    return [event(context, 'whistle.missing_flagged', { departmentIds })];
  },

  recordAction: (command, context) => {
    const { state } = context;
    requireStreetCenter(context.actor, state);
    const summoned = new Map(state.summons.map((summons) => [summons.departmentId, summons]));
    const people = [...command.officers, ...(command.secondInspector ? [command.secondInspector] : [])];
    if (!summoned.has(command.competentDepartmentId)) {
      throw guardFailed('not_summoned', 'the competent department is not summoned');
    }
    const strangers = people.filter((officer) => !summoned.has(officer.departmentId));
    if (strangers.length > 0) {
      throw guardFailed('not_summoned', 'officers act only for summoned departments', {
        departmentIds: strangers.map((officer) => officer.departmentId),
      });
    }
    if (new Set(people.map((officer) => officer.userId)).size !== people.length) {
      throw guardFailed('duplicate_officer', 'each officer is named once');
    }
    const competent = command.officers.filter(
      (officer) => officer.departmentId === command.competentDepartmentId,
    ).length;
    const mode: ActionMode =
      competent >= 2 ? 'joint' : competent === 1 ? 'second_inspector' : 'evidence_only';
    const inspector = command.secondInspector;
    if (mode === 'second_inspector') {
      // Enforcement needs two inspectors; a lone competent officer borrows a resident one.
      if (inspector === undefined) {
        throw guardFailed('second_inspector_required', 'one competent officer needs a second inspector');
      }
      if (
        inspector.departmentId === command.competentDepartmentId ||
        summoned.get(inspector.departmentId)?.kind !== 'resident'
      ) {
        throw guardFailed(
          'second_inspector_not_resident',
          'the second inspector is a resident officer of another department',
        );
      }
    } else if (inspector !== undefined) {
      throw guardFailed(
        'second_inspector_unneeded',
        'a second inspector stands in for one competent officer only',
      );
    }
    return [
      event(context, 'whistle.action_recorded', {
        actionId: state.actions.length + 1,
        description: command.description,
        power: command.power,
        competentDepartmentId: command.competentDepartmentId,
        officers: command.officers,
        ...(inspector === undefined ? {} : { secondInspector: inspector }),
        mode,
        evidenceIds: command.evidenceIds,
      }),
    ];
  },

  followUp: (command, context) => {
    const { state } = context;
    const summons = requireSummons(context.actor, state);
    const linked = new Set(followUpCaseIds(state));
    const again = command.caseIds.filter((id) => linked.has(id));
    if (again.length > 0)
      throw guardFailed('already_linked', 'the case is linked already', { caseIds: again });
    return [
      event(context, 'whistle.followed_up', {
        departmentId: summons.departmentId,
        caseIds: command.caseIds,
        ...(command.note === undefined ? {} : { note: command.note }),
      }),
    ];
  },

  close: (command, context) => {
    const { state } = context;
    requireStreetCenter(context.actor, state);
    const outstanding = state.summons
      .filter((summons) => summons.report === undefined && summons.missing === undefined)
      .map((summons) => summons.departmentId);
    if (outstanding.length > 0) {
      throw guardFailed('reports_outstanding', 'departments have neither reported nor been flagged missing', {
        departmentIds: outstanding,
      });
    }
    return [event(context, 'whistle.closed', { feedback: command.feedback })];
  },

  evaluate: (command, context) => {
    const { state, actor } = context;
    const evaluator = isStreetCenterOf(actor, state)
      ? 'street'
      : actor.role === 'community_station' && orgScope(actor) === sourceCommunity(state)
        ? 'community'
        : undefined;
    if (evaluator === undefined) {
      throw forbidden('not_evaluator', 'the whistle’s street or source community evaluates');
    }
    if (!state.summons.some((summons) => summons.departmentId === command.departmentId)) {
      throw guardFailed('not_summoned', 'the department is not summoned by this whistle');
    }
    const done = state.evaluations.some(
      (evaluation) => evaluation.departmentId === command.departmentId && evaluation.evaluator === evaluator,
    );
    if (done) throw guardFailed('already_evaluated', 'the department has been evaluated already');
    return [
      event(context, 'whistle.evaluated', {
        departmentId: command.departmentId,
        evaluator,
        response: command.response,
        attitude: command.attitude,
        result: command.result,
        ...(command.comment === undefined ? {} : { comment: command.comment }),
      }),
    ];
  },

  rateWhistle: (command, context) => {
    const { state } = context;
    const summons = requireSummons(context.actor, state);
    if (state.departmentRatings.some((rating) => rating.departmentId === summons.departmentId)) {
      throw guardFailed('already_rated', 'the department has rated the whistle already');
    }
    return [
      event(context, 'whistle.rated', {
        departmentId: summons.departmentId,
        score: command.score,
        withoutCause: command.withoutCause,
        ...(command.comment === undefined ? {} : { comment: command.comment }),
      }),
    ];
  },

  archive: (command, context) => {
    const { state } = context;
    requireStreetCenter(context.actor, state);
    if (state.reviewPending)
      throw guardFailed('review_pending', 'the district has not reviewed the whistle yet');
    const archiveNumber = `${state.streetCode}-${beijingYear(context.now)}-${String(command.seq).padStart(4, '0')}`;
    return [event(context, 'whistle.archived', { archiveNumber })];
  },
};

/**
 * Decides what happens when `actor` sends `input` to the whistle at `now` under the tenant's
 * `settings`. Pure: the caller loads the state and appends the returned events under its
 * version. Throws an AppError when refused.
 */
export const decideWhistle = (
  state: WhistleState | undefined,
  input: WhistleCommandInput,
  actor: WhistleActor,
  now: Date,
  settings: WhistleSettings,
): WhistleDecision => {
  const parsed = WhistleCommandSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'invalid whistle command', {
      code: 'invalid_command',
      issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    });
  }
  const command = parsed.data;
  const transition: WhistleTransition = whistleTransitions[command.type];

  if (state !== undefined && state.tenantId !== actor.tenantId) throw new NotFoundError('no such whistle');
  // The archive is the record of what happened: nothing may change it, whoever asks.
  if (state?.status === 'archived') throw forbidden('read_only', 'an archived whistle is read-only');
  if (!transition.roles.includes(actor.role)) {
    throw forbidden('role_not_allowed', `a ${actor.role} may not ${command.type} a whistle`);
  }
  if (state === undefined) {
    if (command.type !== 'draft') throw new NotFoundError('no such whistle');
    return { events: decideDraft(command, actor, now) };
  }
  if (!transition.from.includes(state.status)) {
    throw guardFailed('invalid_transition', `cannot ${command.type} a ${state.status} whistle`, {
      status: state.status,
      command: command.type,
    });
  }
  const context: Context = { state, actor, by: actorRef(actor), now, at: now.toISOString(), settings };
  const handler = handlers[command.type] as Handler<typeof command.type>;
  return { events: handler(command, context) };
};

// ---------------------------------------------------------------------------------------------
// evolve

const updateSummons = (
  state: WhistleState,
  departmentId: string,
  change: (summons: Summons) => Summons,
): Summons[] =>
  state.summons.map((summons) => (summons.departmentId === departmentId ? change(summons) : summons));

const summonsOf = (departments: { departmentId: string; kind: Summons['kind'] }[]): Summons[] =>
  departments.map(({ departmentId, kind }) => ({ departmentId, kind, followUps: [] }));

const applyEvent = (state: WhistleState, event: WhistleEvent): WhistleState => {
  const { at, actor: by } = event;
  switch (event.type) {
    case 'whistle.drafted':
      return state;
    case 'whistle.filed': {
      const { description, departments, blownAtOnce } = event.payload;
      return {
        ...state,
        status: 'filed',
        filedAt: at,
        reviewPending: blownAtOnce,
        ...(description === undefined ? {} : { description }),
        ...(departments === undefined ? {} : { summons: summonsOf(departments) }),
      };
    }
    case 'whistle.approved': {
      const { note, afterBlow } = event.payload;
      return {
        ...state,
        status: afterBlow ? state.status : 'approved',
        reviewPending: false,
        reviews: [
          ...state.reviews,
          { outcome: 'approved', ...(note === undefined ? {} : { reason: note }), afterBlow, at, by },
        ],
      };
    }
    case 'whistle.returned':
      return {
        ...state,
        status: 'returned',
        reviews: [
          ...state.reviews,
          { outcome: 'returned', reason: event.payload.reason, afterBlow: false, at, by },
        ],
      };
    case 'whistle.rejected': {
      const { reason, afterBlow } = event.payload;
      return {
        ...state,
        status: afterBlow ? state.status : 'rejected',
        reviewPending: false,
        reviews: [...state.reviews, { outcome: 'rejected', reason, afterBlow, at, by }],
      };
    }
    case 'whistle.blown':
      return { ...state, status: 'blown', blownAt: at, reportBy: event.payload.reportBy };
    case 'whistle.acknowledged':
      return {
        ...state,
        summons: updateSummons(state, event.payload.departmentId, (summons) => ({
          ...summons,
          acknowledgedAt: at,
        })),
      };
    case 'whistle.reported': {
      const { departmentId, position, distanceM, onSite, late } = event.payload;
      return {
        ...state,
        summons: updateSummons(state, departmentId, (summons) => ({
          ...summons,
          // Showing up on site answers the summons even without a separate acknowledgement.
          acknowledgedAt: summons.acknowledgedAt ?? at,
          report: { at, position, distanceM, onSite, late, by },
        })),
      };
    }
    case 'whistle.missing_flagged': {
      const missing = new Set(event.payload.departmentIds);
      return {
        ...state,
        summons: state.summons.map((summons) =>
          missing.has(summons.departmentId) ? { ...summons, missing: { flaggedAt: at } } : summons,
        ),
      };
    }
    case 'whistle.action_recorded': {
      const { actionId, secondInspector, ...rest } = event.payload;
      return {
        ...state,
        status: 'acting',
        actions: [
          ...state.actions,
          { id: actionId, ...rest, ...(secondInspector === undefined ? {} : { secondInspector }), at, by },
        ],
      };
    }
    case 'whistle.followed_up': {
      const { departmentId, caseIds, note } = event.payload;
      return {
        ...state,
        summons: updateSummons(state, departmentId, (summons) => ({
          ...summons,
          followUps: [...summons.followUps, { caseIds, ...(note === undefined ? {} : { note }), at, by }],
        })),
      };
    }
    case 'whistle.closed':
      return { ...state, status: 'closed', closedAt: at, feedback: event.payload.feedback };
    case 'whistle.evaluated': {
      const { comment, ...rest } = event.payload;
      return {
        ...state,
        evaluations: [
          ...state.evaluations,
          { ...rest, ...(comment === undefined ? {} : { comment }), at, by },
        ],
      };
    }
    case 'whistle.rated': {
      const { comment, ...rest } = event.payload;
      return {
        ...state,
        departmentRatings: [
          ...state.departmentRatings,
          { ...rest, ...(comment === undefined ? {} : { comment }), at, by },
        ],
      };
    }
    case 'whistle.archived':
      return { ...state, status: 'archived', archivedAt: at, archiveNumber: event.payload.archiveNumber };
  }
};

/**
 * Folds one event into the state. Pure and total over logs that `decideWhistle` produced; an event of
 * another whistle, or a first event that is not a draft, is a programming error.
 */
export const evolveWhistle = (state: WhistleState | undefined, event: WhistleEvent): WhistleState => {
  if (state === undefined) {
    if (event.type !== 'whistle.drafted') {
      throw new AppError('internal_error', 'a whistle log starts with its draft', { type: event.type });
    }
    const { payload } = event;
    return {
      id: event.whistleId,
      tenantId: payload.tenantId,
      streetCode: payload.streetCode,
      ...(payload.raisedBy === undefined ? {} : { raisedBy: payload.raisedBy }),
      source: payload.source,
      kind: payload.kind,
      description: payload.description,
      categories: payload.categories,
      commonality: payload.commonality,
      location: payload.location,
      status: 'draft',
      draftedAt: event.at,
      reviews: [],
      reviewPending: false,
      summons: summonsOf(payload.departments),
      actions: [],
      evaluations: [],
      departmentRatings: [],
      version: 1,
    };
  }
  if (event.whistleId !== state.id || event.type === 'whistle.drafted') {
    throw new AppError('internal_error', 'the event does not belong to this whistle', {
      whistleId: state.id,
      eventWhistleId: event.whistleId,
      type: event.type,
    });
  }
  return { ...applyEvent(state, event), version: state.version + 1 };
};

/** The state of a whistle from its whole log, oldest event first. */
export const replayWhistle = (events: readonly WhistleEvent[]): WhistleState | undefined =>
  events.reduce<WhistleState | undefined>(evolveWhistle, undefined);
