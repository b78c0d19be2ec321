import { ConflictError } from '@civicgrid/domain';
import type { DomainEvent } from '@civicgrid/queue';
import type { Store } from '@civicgrid/storage';

/** Whom a notice is for: a center (by org code), a grid, a department or one user. */
export type Recipient = `org:${string}` | `grid:${string}` | `department:${string}` | `user:${string}`;

interface CasePayload {
  status?: string;
  handlingOrgCode?: string;
  gridCode?: string;
  departmentIds?: string[];
  reporterUserId?: string;
}

export interface Notice {
  eventId: string;
  /** The case or whistle the notice is about (see `type`). */
  caseId: string;
  type: string;
  at: string;
  /** Chinese first, English second, as the console shows it. */
  message: string;
  /** The case's step a deadline notice is about (`case.step_overdue`, `case.step_due_soon`). */
  step?: string;
}

const messages: Record<string, string> = {
  'case.reported': '新上报案件待核实 New report to verify on site',
  'case.verified': '核实结果待立案 Verified report awaits registration',
  'case.registered': '案件已立案待派遣 Registered case awaits dispatch',
  'case.dispatched': '收到派遣任务 New task dispatched to you',
  'case.returned': '案件被退回待重新派遣 Case returned, re-dispatch it',
  'case.handled': '处理结果待核查 Result awaits on-site check',
  'case.check_failed': '核查未通过需返工 Check failed, rework needed',
  'case.closed': '案件已结案请评价 Case closed, please rate it',
  'case.check_passed': '案件已结案请评价 Case closed, please rate it',
  'case.extension_requested': '延期申请待审批 Extension request awaits decision',
  'case.urged': '收到督办 You have been urged on a case',
  'whistle.filed': '吹哨待审核 Whistle filed for review',
  'whistle.blown': '吹哨报到：请按时到场 Whistle blown: report on site in time',
  'whistle.returned': '吹哨被退回需补充 Whistle returned for more information',
  'whistle.rejected': '吹哨未获批准 Whistle rejected',
  'whistle.approved': '吹哨已获批准 Whistle approved',
  'whistle.missing_flagged': '吹哨未按时报到 Report-by deadline missed',
  'whistle.closed': '吹哨已办结，请查看结果并评价 Whistle closed: see the outcome and rate',
};

/** Who must act next after an event, as far as the event and the case's new position tell. */
export const recipientsOf = (event: DomainEvent): Recipient[] => {
  if (event.aggregate.type === 'whistle') return whistleRecipientsOf(event);
  const p = event.payload as CasePayload;
  const center: Recipient[] = p.handlingOrgCode ? [`org:${p.handlingOrgCode}`] : [];
  const grid: Recipient[] = p.gridCode ? [`grid:${p.gridCode}`] : [];
  const departments: Recipient[] = (p.departmentIds ?? []).map((id) => `department:${id}` as const);
  switch (event.type) {
    case 'case.reported':
      return p.status === 'reported' ? grid : center;
    case 'case.verified':
    case 'case.registered':
    case 'case.returned':
    case 'case.extension_requested':
      return center;
    case 'case.dispatched':
    case 'case.check_failed':
      return departments;
    case 'case.handled':
      return p.status === 'handled' ? grid : [];
    case 'case.check_passed':
      return p.reporterUserId ? [`user:${p.reporterUserId}`] : center;
    case 'case.urged':
      return [...departments, ...(p.status === 'reported' || p.status === 'checking' ? grid : [])];
    default:
      return [];
  }
};

/**
 * A filed whistle goes to its district for review and the decision back to the street; a blown
 * one to every summoned department; a missed deadline to the late departments and the street;
 * the outcome back to its source: the community that raised it, the grid of a patrol finding or
 * case, the district of a hotline demand or plan.
 */
const whistleRecipientsOf = (event: DomainEvent): Recipient[] => {
  const p = event.payload as {
    streetCode?: string;
    gridCode?: string;
    sourceKind?: string;
    sourceCommunity?: string;
    departmentIds?: string[];
    missingDepartmentIds?: string[];
  };
  const street: Recipient[] = p.streetCode ? [`org:${p.streetCode}`] : [];
  switch (event.type) {
    case 'whistle.filed':
      return p.streetCode ? [`org:${p.streetCode.slice(0, 6)}`] : [];
    case 'whistle.returned':
    case 'whistle.rejected':
    case 'whistle.approved':
      return street;
    case 'whistle.blown':
      return (p.departmentIds ?? []).map((id) => `department:${id}` as const);
    case 'whistle.missing_flagged':
      return [...(p.missingDepartmentIds ?? []).map((id) => `department:${id}` as const), ...street];
    case 'whistle.closed':
      return [
        ...(p.sourceCommunity ? [`org:${p.sourceCommunity}` as const] : []),
        // A patrol finding or a case goes back to the grid it came from; a hotline demand or a
        // district plan to the district center that passed it on.
        ...(p.gridCode && (p.sourceKind === 'patrol' || p.sourceKind === 'case')
          ? [`grid:${p.gridCode}` as const]
          : []),
        ...(p.streetCode && (p.sourceKind === 'hotline' || p.sourceKind === 'plan')
          ? [`org:${p.streetCode.slice(0, 6)}` as const]
          : []),
      ];
    default:
      return [];
  }
};

export const noticeKey = (recipient: Recipient, eventId: string) => ({
  pk: ['notifications', ...recipient.split(':')],
  sk: [eventId],
});

/** Writes one notice per recipient; a redelivered event finds its notices there and adds none. */
export const notify = async (store: Store, event: DomainEvent): Promise<number> => {
  const notice: Notice = {
    eventId: event.id,
    caseId: event.aggregate.id,
    type: event.type,
    at: event.occurredAt,
    message: messages[event.type] ?? event.type,
  };
  let written = 0;
  for (const recipient of recipientsOf(event)) {
    try {
      await store
        .tenant(event.tenantId)
        .create({ key: noticeKey(recipient, event.id), entity: 'notification', data: notice });
      written += 1;
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === 'already_exists')) throw error;
    }
  }
  return written;
};
