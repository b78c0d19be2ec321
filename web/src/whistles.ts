import {
  isId,
  type Role,
  type WhistleActionType,
  type WhistleCommandType,
  type WhistleState,
} from '@civicgrid/domain';
import type { FieldSpec } from './commands';

export type WhistleView = WhistleState & {
  /** What the signed-in user may do now, as the API judges it. */
  allowedCommands?: WhistleActionType[];
  timeline?: { type: string; at: string; actor?: { userId: string; role: Role; departmentId?: string } }[];
};

/** What the console offers; a department's follow-up cases are linked through the API for now. */
export type WhistleCommand = Exclude<WhistleCommandType, 'draft' | 'followUp'>;

/**
 * The whistle commands the signed-in user may send now, as the API lists them (judged on the server
 * by the whistle machine), less those the console has no form for.
 */
export const allowedWhistleCommands = (view: WhistleView): WhistleCommand[] =>
  (view.allowedCommands ?? []).filter((type): type is WhistleCommand => type in whistleFields);

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

/** Whether the signed-in user may link follow-up cases to the whistle (后续立案), as the API judges it. */
export const canFollowUp = (view: WhistleView): boolean => (view.allowedCommands ?? []).includes('followUp');

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
