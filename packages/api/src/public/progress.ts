import type { BilingualName, CaseEvent, CaseEventType, CaseState } from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { allDepartments } from '../catalog/department-store';

/**
 * The public part of a case's timeline: the steps a reporter understands, in their words.
 * Urgings, extensions and links between cases are the administration's business; people,
 * reasons and results are never shown (they may name residents).
 */
const stepLabels: Partial<Record<CaseEventType, BilingualName>> = {
  'case.reported': { zh: '已受理，等待网格员现场核实', en: 'Received; a grid worker will verify it on site' },
  'case.verified': { zh: '网格员已到现场核实', en: 'Verified on site by the grid worker' },
  'case.registered': { zh: '已立案', en: 'Registered as a case' },
  'case.rejected': { zh: '经核实不予立案', en: 'Not taken up after verification' },
  'case.dispatched': { zh: '已派遣至责任部门', en: 'Dispatched to the responsible department' },
  'case.accepted': { zh: '责任部门已接收', en: 'Accepted by the department' },
  'case.returned': { zh: '正在重新派遣', en: 'Being routed to another department' },
  'case.handled': { zh: '责任部门已处理，等待现场核查', en: 'Handled; awaiting the on-site check' },
  'case.check_started': { zh: '网格员正在现场核查', en: 'Being checked on site' },
  'case.check_passed': { zh: '现场核查通过，已结案', en: 'Checked on site and closed' },
  'case.check_failed': { zh: '核查未通过，责任部门返工', en: 'Check failed; the department is reworking it' },
  'case.evaluated': { zh: '已评价', en: 'Rated' },
  'case.escalated': { zh: '已提交区网格中心统筹', en: 'Passed to the district command center' },
  'case.suspended': { zh: '暂缓处理（挂账）', en: 'On hold' },
  'case.resumed': { zh: '恢复处理', en: 'Resumed' },
  'case.merged': { zh: '与同一问题的其他报告合并处理', en: 'Merged with another report of the same problem' },
  'case.voided': { zh: '已撤销', en: 'Withdrawn' },
};

export interface PublicStep {
  type: CaseEventType;
  at: string;
  label: BilingualName;
}

export const publicSteps = (events: readonly CaseEvent[]): PublicStep[] =>
  events.flatMap((event) => {
    const label = stepLabels[event.type];
    return label ? [{ type: event.type, at: event.at, label }] : [];
  });

/** The latest public step as one line, Chinese first: Open311's `status_notes`. */
export const statusNote = (steps: readonly PublicStep[]): string | null => {
  const last = steps.at(-1);
  return last ? `${last.label.zh} ${last.label.en}` : null;
};

/** The departments working on the case, by name: Open311's `agency_responsible`. */
export const departmentNames = async (tenant: TenantStore) => {
  const names = new Map((await allDepartments(tenant)).map((d) => [d.data.id, d.data.name]));
  return (state: CaseState): string | null => {
    const ids = state.assignments.map((a) => a.departmentId);
    return ids.length > 0 ? ids.map((id) => names.get(id) ?? id).join('、') : null;
  };
};

/**
 * When the work should be done: while departments handle the case, the latest of their
 * deadlines; before that, the running step's; none once the case is closed.
 */
export const expectedAt = (state: CaseState): string | undefined => {
  const handling = state.assignments
    .map((a) => a.deadline?.dueAt)
    .filter((due): due is string => due !== undefined)
    .sort();
  return handling.at(-1) ?? state.deadline?.dueAt;
};

/** The time of the latest step, public or not: Open311's `updated_datetime`. */
export const updatedAt = (events: readonly CaseEvent[]): string | undefined => events.at(-1)?.at;
