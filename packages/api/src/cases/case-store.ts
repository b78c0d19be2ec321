import type { CaseEvent, CaseState } from '@civicgrid/domain';
import type { KeySpec, NewItem, StoredItem, TenantStore, TransactOp } from '@civicgrid/storage';
import { deadlineIndexOps } from '@civicgrid/workers';
import { logOps, readLog, stateKey } from '../events/aggregate-log';

export const caseKey = (id: string): KeySpec => stateKey('case', id);
/** The reporter's contact lives apart from the state and the log, so neither carries it. */
export const contactKey = (id: string): KeySpec => ({ pk: ['case', id], sk: ['contact'] });
/** Open cases that look like the same problem, found at intake for the center to merge. */
export const duplicatesKey = (id: string): KeySpec => ({ pk: ['case', id], sk: ['duplicates'] });
export const idempotencyKey = (key: string): KeySpec => ({ pk: ['case-idempotency', key], sk: ['case'] });
export const trackingKey = (code: string): KeySpec => ({ pk: ['case-tracking', code], sk: ['case'] });
const departmentInboxKey = (departmentId: string, caseId: string): KeySpec => ({
  pk: ['cases-by-department', departmentId],
  sk: [caseId],
});
const reporterKey = (userId: string, caseId: string): KeySpec => ({
  pk: ['cases-by-reporter', userId],
  sk: [caseId],
});

/**
 * GSI1 lists a center's cases by status (its street or district runs them); GSI2 lists a
 * grid's cases by status, for the grid worker who verifies and checks them.
 */
const stateItem = (state: CaseState): NewItem<CaseState> => ({
  key: caseKey(state.id),
  entity: 'case',
  data: state,
  indexes: {
    GSI1: { pk: ['cases-by-org', state.handlingOrgCode], sk: [state.status, state.reportedAt, state.id] },
    ...(state.location.gridCode
      ? {
          GSI2: {
            pk: ['cases-by-grid', state.location.gridCode],
            sk: [state.status, state.reportedAt, state.id],
          },
        }
      : {}),
  },
});

/** What search filters on, kept per street and month of report so a search reads few partitions. */
export interface CaseSummary {
  id: string;
  status: CaseState['status'];
  channel: CaseState['channel'];
  categoryCode?: string;
  /** The description's beginning, for lists; the case holds it whole. */
  description?: string;
  point?: [number, number];
  gridCode: string;
  handlingOrgCode: string;
  departmentIds: string[];
  reportedAt: string;
  deadline?: CaseState['deadline'];
  closedAt?: string;
}

/** How much of the description a summary keeps: a list line's worth. */
export const SUMMARY_DESCRIPTION_CHARS = 80;
const truncate = (text: string) => {
  // By code points, so that no character (an emoji, a rare hanzi) is cut in half.
  const chars = Array.from(text);
  return chars.length > SUMMARY_DESCRIPTION_CHARS
    ? `${chars.slice(0, SUMMARY_DESCRIPTION_CHARS - 1).join('')}…`
    : text;
};

export const summaryPartition = (streetCode: string, month: string) => ['case-summaries', streetCode, month];

const summaryItem = (state: CaseState): NewItem<CaseSummary> | undefined => {
  const gridCode = state.location.gridCode;
  if (!gridCode) return undefined;
  return {
    key: {
      pk: summaryPartition(gridCode.slice(0, 9), state.reportedAt.slice(0, 7)),
      sk: [state.reportedAt, state.id],
    },
    entity: 'case-summary',
    data: {
      id: state.id,
      status: state.status,
      channel: state.channel,
      ...(state.categoryCode ? { categoryCode: state.categoryCode } : {}),
      description: truncate(state.description),
      ...(state.location.point ? { point: state.location.point } : {}),
      gridCode,
      handlingOrgCode: state.handlingOrgCode,
      departmentIds: state.assignments.map((a) => a.departmentId),
      reportedAt: state.reportedAt,
      ...(state.deadline ? { deadline: state.deadline } : {}),
      ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    },
  };
};

export const findCase = (tenant: TenantStore, id: string) =>
  tenant.get<CaseState>(caseKey(id), { consistentRead: true });

export const caseEvents = (tenant: TenantStore, id: string) => readLog<CaseEvent>(tenant, 'case', id);

/**
 * The writes of one decision, in one transaction: the state at its new version (conditional
 * on the version read, so of two concurrent commands exactly one wins), each event appended
 * at its sequence number, and the inbox entries the new state implies.
 */
export const decisionOps = (
  previous: StoredItem<CaseState> | undefined,
  next: CaseState,
  events: readonly CaseEvent[],
): TransactOp[] => {
  const ops = logOps('case', previous, stateItem(next), events);
  const before = new Set(previous?.data.assignments.map((a) => a.departmentId) ?? []);
  for (const assignment of next.assignments) {
    before.delete(assignment.departmentId);
    ops.push({
      kind: 'put',
      item: {
        key: departmentInboxKey(assignment.departmentId, next.id),
        entity: 'case-inbox',
        data: { caseId: next.id, status: next.status, assignment: assignment.state },
      },
    });
  }
  for (const gone of before) ops.push({ kind: 'delete', key: departmentInboxKey(gone, next.id) });
  ops.push(...deadlineIndexOps(previous?.data, next));
  const summary = summaryItem(next);
  if (summary) ops.push({ kind: 'put', item: summary });
  if (!previous && next.reporter.kind === 'citizen') {
    ops.push({
      kind: 'create',
      item: {
        key: reporterKey(next.reporter.userId, next.id),
        entity: 'case-ref',
        data: { caseId: next.id },
      },
    });
  }
  return ops;
};

const collectIds = async (tenant: TenantStore, pk: string[]) => {
  const page = await tenant.query<{ caseId: string }>({ pk, limit: 100 });
  return page.items.map((i) => i.data.caseId);
};

export const casesOfDepartment = (tenant: TenantStore, departmentId: string) =>
  collectIds(tenant, ['cases-by-department', departmentId]);

export const casesOfReporter = (tenant: TenantStore, userId: string) =>
  collectIds(tenant, ['cases-by-reporter', userId]);

export const casesByStatus = async (
  tenant: TenantStore,
  index: 'GSI1' | 'GSI2',
  owner: string,
  statuses: readonly CaseState['status'][],
) => {
  const pk = index === 'GSI1' ? ['cases-by-org', owner] : ['cases-by-grid', owner];
  const found: CaseState[] = [];
  for (const status of statuses) {
    const page = await tenant.query<CaseState>({ index, pk, skBeginsWith: [status], limit: 100 });
    found.push(...page.items.map((i) => i.data));
  }
  return found;
};
