import {
  isId,
  orgContains,
  type Role,
  type WhistleCommandType,
  type WhistleState,
  whistleTransitions,
} from '@civicgrid/domain';
import type { Viewer } from './actions';
import type { FieldSpec } from './commands';

export type WhistleView = WhistleState & {
  timeline?: { type: string; at: string; actor?: { userId: string; role: Role; departmentId?: string } }[];
};

/** What the console offers; a department's follow-up cases are linked through the API for now. */
export type WhistleCommand = Exclude<WhistleCommandType, 'draft' | 'followUp'>;

const orgOf = (viewer: Viewer) =>
  viewer.scope.kind === 'org' ? (viewer.scope as { code: string }).code : undefined;
const departmentOf = (viewer: Viewer) =>
  viewer.scope.kind === 'department' ? (viewer.scope as { departmentId: string }).departmentId : undefined;

/**
 * The whistle commands the viewer may send now: the whistle machine's table, narrowed by the
 * guards the console can see (whose whistle, which summons, whether review is pending).
 */
export const allowedWhistleCommands = (
  state: WhistleState,
  viewer: Viewer,
  now = new Date(),
): WhistleCommand[] => {
  const org = orgOf(viewer);
  const summons = state.summons.find((s) => s.departmentId === departmentOf(viewer));
  const streetCenter = viewer.role === 'street_center' && org === state.streetCode;
  const streetSide =
    streetCenter ||
    (viewer.role === 'community_station' && state.raisedBy !== undefined && org === state.raisedBy);
  const district =
    viewer.role === 'district_center' && org !== undefined && orgContains(org, state.streetCode);
  const review = () => district && (state.status === 'filed' || state.reviewPending);
  const guards: Record<WhistleCommand, () => boolean> = {
    file: () => streetSide,
    approve: review,
    return: () => district && state.status === 'filed',
    reject: review,
    blow: () => streetSide,
    acknowledge: () => summons !== undefined && summons.acknowledgedAt === undefined,
    report: () => summons !== undefined && summons.report === undefined,
    flagMissing: () =>
      (streetCenter || district) &&
      state.reportBy !== undefined &&
      new Date(state.reportBy) < now &&
      state.summons.some((s) => s.report === undefined && s.missing === undefined),
    recordAction: () => streetCenter,
    close: () =>
      streetCenter && state.summons.every((s) => s.report !== undefined || s.missing !== undefined),
    evaluate: () => streetCenter || (viewer.role === 'community_station' && org === state.raisedBy),
    rateWhistle: () =>
      summons !== undefined && !state.departmentRatings.some((r) => r.departmentId === summons.departmentId),
    archive: () => streetCenter && !state.reviewPending,
  };
  return (Object.keys(guards) as WhistleCommand[]).filter((type) => {
    const transition = whistleTransitions[type];
    return (
      (transition.from as readonly string[]).includes(state.status) &&
      (transition.roles as readonly Role[]).includes(viewer.role) &&
      guards[type]()
    );
  });
};

/** The officers who checked in, who can be named in the joint action record. */
export const checkedInOfficers = (state: WhistleState) =>
  state.summons.flatMap((s) =>
    s.report ? [{ userId: s.report.by.userId, departmentId: s.departmentId, kind: s.kind }] : [],
  );

/** Time left until report-by, negative once passed, as d/h/min. */
export const countdown = (
  reportBy: string,
  now: Date,
): { overdue: boolean; days: number; hours: number; minutes: number } => {
  const ms = new Date(reportBy).getTime() - now.getTime();
  const total = Math.floor(Math.abs(ms) / 60_000);
  return {
    overdue: ms < 0,
    days: Math.floor(total / 1440),
    hours: Math.floor((total % 1440) / 60),
    minutes: total % 60,
  };
};

const f = (name: string, kind: FieldSpec['kind'], label: FieldSpec['label'], required = true): FieldSpec => ({
  name,
  kind,
  label,
  required,
});

/** The fields of each whistle command; `report` takes the device's position instead. */
export const whistleFields: Record<WhistleCommand, FieldSpec[]> = {
  file: [f('note', 'textarea', 'note', false)],
  approve: [f('note', 'textarea', 'note', false)],
  return: [f('reason', 'textarea', 'reason')],
  reject: [f('reason', 'textarea', 'reason')],
  blow: [],
  acknowledge: [],
  report: [],
  flagMissing: [],
  recordAction: [],
  close: [f('feedback', 'textarea', 'feedback')],
  evaluate: [
    f('departmentId', 'department', 'departments'),
    f('response', 'satisfaction', 'scoreResponse'),
    f('attitude', 'satisfaction', 'scoreAttitude'),
    f('result', 'satisfaction', 'scoreResult'),
    f('comment', 'textarea', 'comment', false),
  ],
  rateWhistle: [
    f('score', 'satisfaction', 'satisfaction'),
    f('withoutCause', 'confirmed', 'withoutCause', false),
    f('comment', 'textarea', 'comment', false),
  ],
  archive: [],
};

/**
 * Whether the viewer may link follow-up cases to the whistle (后续立案): a summoned department, once
 * the joint action is under way or the whistle is closed, as the whistle machine's `followUp` allows.
 */
export const canFollowUp = (state: WhistleState, viewer: Viewer): boolean => {
  const transition = whistleTransitions.followUp;
  return (
    (transition.from as readonly string[]).includes(state.status) &&
    (transition.roles as readonly Role[]).includes(viewer.role) &&
    state.summons.some((s) => s.departmentId === departmentOf(viewer))
  );
};

/** The follow-up cases linked to the whistle, each with the department that linked it, oldest first. */
export const followUpCases = (state: WhistleState) =>
  state.summons
    .flatMap((s) =>
      s.followUps.flatMap((f) =>
        f.caseIds.map((caseId) => ({
          caseId,
          departmentId: s.departmentId,
          at: f.at,
          ...(f.note === undefined ? {} : { note: f.note }),
        })),
      ),
    )
    .sort((a, b) => a.at.localeCompare(b.at));

/**
 * Case numbers typed or pasted (separated by commas, spaces or new lines) as the `followUp` command
 * takes them: 1–20 distinct case ids not linked yet; otherwise why not.
 */
export const parseFollowUpCaseIds = (
  text: string,
  state: WhistleState,
): { caseIds: string[] } | { problem: 'caseIdsInvalid' | 'caseIdsLinked'; ids: string[] } => {
  const ids = [
    ...new Set(
      text
        .split(/[\s,，;；、]+/)
        .map((id) => id.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  const invalid = ids.filter((id) => !isId(id));
  if (ids.length === 0 || ids.length > 20 || invalid.length > 0)
    return { problem: 'caseIdsInvalid', ids: invalid };
  const linked = new Set(followUpCases(state).map((f) => f.caseId));
  const again = ids.filter((id) => linked.has(id));
  if (again.length > 0) return { problem: 'caseIdsLinked', ids: again };
  return { caseIds: ids };
};
