import type { WhistleEvent, WhistleState } from '@civicgrid/domain';
import type { KeySpec, NewItem, StoredItem, TenantStore, TransactOp } from '@civicgrid/storage';
import { logOps, readLog, stateKey } from '../events/aggregate-log';

export const whistleKey = (id: string): KeySpec => stateKey('whistle', id);
const summonsKey = (departmentId: string, whistleId: string): KeySpec => ({
  pk: ['whistle-summons', departmentId],
  sk: [whistleId],
});
/** The street's archive numbers run per year; this counter hands out the next one. */
export const archiveCounterKey = (streetCode: string, year: string): KeySpec => ({
  pk: ['whistle-archive', streetCode, year],
  sk: ['counter'],
});

/**
 * Whistles whose report-by deadline is still open for some department, one partition per UTC
 * day it falls on, so the sweeper reads a few days' partitions instead of every whistle.
 */
export interface ReportByEntry {
  whistleId: string;
  reportBy: string;
}
export const reportByPartition = (day: string) => ['whistle-report-by', day];
const reportByKey = (entry: ReportByEntry): KeySpec => ({
  pk: reportByPartition(entry.reportBy.slice(0, 10)),
  sk: [entry.reportBy, entry.whistleId],
});
/** The report-by deadline the sweeper must watch, while some summoned department has neither reported nor been flagged. */
const watchedReportBy = (state: WhistleState | undefined): string | undefined =>
  state?.reportBy !== undefined &&
  ['blown', 'acting'].includes(state.status) &&
  state.summons.some((s) => s.report === undefined && s.missing === undefined)
    ? state.reportBy
    : undefined;

const reportByOps = (previous: WhistleState | undefined, next: WhistleState): TransactOp[] => {
  const before = watchedReportBy(previous);
  const after = watchedReportBy(next);
  if (before === after) return [];
  const ops: TransactOp[] = [];
  if (before) ops.push({ kind: 'delete', key: reportByKey({ whistleId: next.id, reportBy: before }) });
  if (after) {
    const entry: ReportByEntry = { whistleId: next.id, reportBy: after };
    ops.push({ kind: 'put', item: { key: reportByKey(entry), entity: 'whistle-report-by', data: entry } });
  }
  return ops;
};

/** GSI1: a street's board by status; GSI2: the district's view of its streets' whistles by status. */
const stateItem = (state: WhistleState): NewItem<WhistleState> => ({
  key: whistleKey(state.id),
  entity: 'whistle',
  data: state,
  indexes: {
    GSI1: { pk: ['whistles-by-street', state.streetCode], sk: [state.status, state.id] },
    GSI2: { pk: ['whistles-by-district', state.streetCode.slice(0, 6)], sk: [state.status, state.id] },
  },
});

export const findWhistle = (tenant: TenantStore, id: string) =>
  tenant.get<WhistleState>(whistleKey(id), { consistentRead: true });

export const whistleEvents = (tenant: TenantStore, id: string) =>
  readLog<WhistleEvent>(tenant, 'whistle', id);

/** One decision in one transaction: the state at its version, its events, the summons inbox entries. */
export const whistleDecisionOps = (
  previous: StoredItem<WhistleState> | undefined,
  next: WhistleState,
  events: readonly WhistleEvent[],
): TransactOp[] => {
  const ops = [...logOps('whistle', previous, stateItem(next), events), ...reportByOps(previous?.data, next)];
  // Summons become visible to departments once the whistle is blown.
  if (['blown', 'acting'].includes(next.status)) {
    for (const summons of next.summons) {
      ops.push({
        kind: 'put',
        item: {
          key: summonsKey(summons.departmentId, next.id),
          entity: 'whistle-summons',
          data: {
            whistleId: next.id,
            status: next.status,
            reportBy: next.reportBy,
            reported: Boolean(summons.report),
          },
        },
      });
    }
  } else if (previous && ['blown', 'acting'].includes(previous.data.status)) {
    for (const summons of next.summons)
      ops.push({ kind: 'delete', key: summonsKey(summons.departmentId, next.id) });
  }
  return ops;
};

/** One status of one street's (GSI1) or district's (GSI2) whistles. */
export interface WhistlePartition {
  owner: { street: string } | { district: string };
  status: WhistleState['status'];
}

/** A page of one partition, newest first (ids are time-ordered). */
export const whistlesIn = async (tenant: TenantStore, partition: WhistlePartition, cursor?: string) => {
  const { owner, status } = partition;
  const page = await tenant.query<WhistleState>(
    'street' in owner
      ? {
          index: 'GSI1',
          pk: ['whistles-by-street', owner.street],
          skBeginsWith: [status],
          limit: 100,
          cursor,
          descending: true,
        }
      : {
          index: 'GSI2',
          pk: ['whistles-by-district', owner.district],
          skBeginsWith: [status],
          limit: 100,
          cursor,
          descending: true,
        },
  );
  return { items: page.items.map((i) => i.data), nextCursor: page.nextCursor };
};

/** A department's open summons (whistles blown and under way), a page at a time. */
export const summonsOf = async (tenant: TenantStore, departmentId: string, cursor?: string) => {
  const page = await tenant.query<{ whistleId: string }>({
    pk: ['whistle-summons', departmentId],
    limit: 100,
    cursor,
  });
  return { ids: page.items.map((i) => i.data.whistleId), nextCursor: page.nextCursor };
};
