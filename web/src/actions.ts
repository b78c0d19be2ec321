import {
  type CaseCommandType,
  type CaseState,
  needsVerification,
  orgContains,
  type Role,
  transitions,
} from '@civicgrid/domain';

/** Who is signed in, as `/v1/me` and the login answer describe them. */
export interface Viewer {
  id: string;
  role: Role;
  scope: { kind: 'org'; code: string } | { kind: 'department'; departmentId: string } | { kind: string };
}

/** A case as the API shows it: the state, its deadline status and timeline. */
export type CaseView = CaseState & {
  deadlineStatus?: 'on_time' | 'due_soon' | 'overdue';
  timeline?: { type: string; at: string; actor?: { userId: string; role: Role; departmentId?: string } }[];
  contact?: { name?: string; phone?: string };
  possibleDuplicates?: string[];
};

/** A row of a case list: a full case (inbox) or the summary that search answers. */
export interface CaseRow {
  id: string;
  status: CaseState['status'];
  channel: CaseState['channel'];
  reportedAt: string;
  categoryCode?: string;
  description?: string;
  location?: CaseState['location'];
  gridCode?: string;
  deadlineStatus?: CaseView['deadlineStatus'];
}

const orgScope = (viewer: Viewer): string | undefined =>
  viewer.scope.kind === 'org' ? (viewer.scope as { code: string }).code : undefined;
const departmentOf = (viewer: Viewer): string | undefined =>
  viewer.scope.kind === 'department' ? (viewer.scope as { departmentId: string }).departmentId : undefined;
const reaches = (viewer: Viewer, code: string | undefined): boolean => {
  const scope = orgScope(viewer);
  return scope !== undefined && code !== undefined && orgContains(scope, code);
};
const centerAtLevel = (viewer: Viewer, state: CaseState): boolean =>
  viewer.role === (state.level === 'street' ? 'street_center' : 'district_center') &&
  reaches(viewer, state.handlingOrgCode);

/**
 * The commands the viewer may send to the case now: the case machine's table (status and role),
 * narrowed by the guards the console can see (level, place, assignment). The API decides; this
 * only keeps the console from offering what would certainly be refused.
 */
export const allowedCommands = (state: CaseView, viewer: Viewer): Exclude<CaseCommandType, 'report'>[] => {
  const assignment = state.assignments.find((a) => a.departmentId === departmentOf(viewer));
  const pendingExtension = state.extensions.some((e) => e.status === 'pending');
  const guards: Partial<Record<CaseCommandType, () => boolean>> = {
    verify: () => needsVerification(state.channel) && reaches(viewer, state.location.gridCode),
    register: () =>
      centerAtLevel(viewer, state) &&
      (state.status === 'reported'
        ? !needsVerification(state.channel)
        : state.verification?.confirmed === true),
    reject: () => centerAtLevel(viewer, state),
    dispatch: () => centerAtLevel(viewer, state),
    accept: () => assignment?.state === 'dispatched',
    return: () => assignment?.state === 'dispatched' || assignment?.state === 'accepted',
    handle: () => assignment?.state === 'accepted' || assignment?.state === 'rework',
    startCheck: () => reaches(viewer, state.location.gridCode),
    checkPass: () => reaches(viewer, state.location.gridCode),
    checkFail: () => reaches(viewer, state.location.gridCode),
    evaluate: () =>
      state.reporter.kind === 'citizen'
        ? viewer.role === 'citizen' && state.reporter.userId === viewer.id
        : centerAtLevel(viewer, state),
    escalate: () => state.level === 'street' && centerAtLevel(viewer, state),
    requestExtension: () => assignment !== undefined && assignment.state !== 'handled' && !pendingExtension,
    approveExtension: () => centerAtLevel(viewer, state) && pendingExtension,
    rejectExtension: () => centerAtLevel(viewer, state) && pendingExtension,
    suspend: () => centerAtLevel(viewer, state),
    resume: () => centerAtLevel(viewer, state),
    merge: () => centerAtLevel(viewer, state),
    void: () => centerAtLevel(viewer, state),
    urge: () => reaches(viewer, state.handlingOrgCode),
    acknowledgeUrging: () => pendingUrgings(state, viewer).length > 0,
  };
  const commands = (Object.keys(transitions) as CaseCommandType[]).filter(
    (type): type is Exclude<CaseCommandType, 'report'> => type !== 'report',
  );
  return commands.filter((type) => {
    const transition = transitions[type];
    if (!(transition.from as readonly string[]).includes(state.status)) return false;
    if (!(transition.roles as readonly Role[]).includes(viewer.role)) return false;
    return guards[type]?.() ?? true;
  });
};

/** Urgings addressed to the viewer that they have not acknowledged yet. */
export const pendingUrgings = (state: CaseState, viewer: Viewer) =>
  state.urgings.filter((urging) => {
    if (urging.acknowledgements.some((a) => a.by.userId === viewer.id)) return false;
    const target = urging.target;
    if (target.kind === 'departments') {
      const department = departmentOf(viewer);
      return department !== undefined && target.departmentIds.includes(department);
    }
    if (target.kind === 'grid') return viewer.role === 'grid_worker' && reaches(viewer, target.gridCode);
    return (
      viewer.role !== 'grid_worker' && viewer.role !== 'department' && orgScope(viewer) === target.orgCode
    );
  });

/** Inbox buckets: what is late, what falls due soon, and the rest. */
export const bucketOf = (view: Pick<CaseView, 'deadlineStatus'>): 'overdue' | 'due_soon' | 'waiting' =>
  view.deadlineStatus === 'overdue' ? 'overdue' : view.deadlineStatus === 'due_soon' ? 'due_soon' : 'waiting';
