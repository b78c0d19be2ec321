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
  const ops = logOps('whistle', previous, stateItem(next), events);
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

export const whistlesByStatus = async (
  tenant: TenantStore,
  index: 'GSI1' | 'GSI2',
  owner: string,
  statuses: readonly WhistleState['status'][],
) => {
  const pk = index === 'GSI1' ? ['whistles-by-street', owner] : ['whistles-by-district', owner];
  const found: WhistleState[] = [];
  for (const status of statuses) {
    const page = await tenant.query<WhistleState>({ index, pk, skBeginsWith: [status], limit: 100 });
    found.push(...page.items.map((i) => i.data));
  }
  return found;
};

export const summonsOf = async (tenant: TenantStore, departmentId: string) => {
  const page = await tenant.query<{ whistleId: string }>({
    pk: ['whistle-summons', departmentId],
    limit: 100,
  });
  return page.items.map((i) => i.data.whistleId);
};
