import { newId } from '@civicgrid/domain';
import type { DomainEvent } from '@civicgrid/queue';
import type { KeySpec, NewItem, StoredItem, TenantStore, TransactOp } from '@civicgrid/storage';

/**
 * An event-sourced aggregate (a case, a whistle) keeps its current state and its append-only
 * event log in one partition, [type, id]: the state under 'state', event n under 'event#n'.
 */
export const stateKey = (type: string, id: string): KeySpec => ({ pk: [type, id], sk: ['state'] });

const eventKey = (type: string, id: string, seq: number): KeySpec => ({
  pk: [type, id],
  sk: ['event', String(seq).padStart(6, '0')],
});

export const readLog = async <E>(tenant: TenantStore, type: string, id: string): Promise<E[]> => {
  const events: E[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.query<E>({ pk: [type, id], skBeginsWith: ['event'], limit: 100, cursor });
    events.push(...page.items.map((i) => i.data));
    cursor = page.nextCursor;
  } while (cursor);
  return events;
};

/**
 * The state at its new version, conditional on the version read (so of two concurrent
 * commands exactly one wins), and each event appended at its sequence number.
 */
export const logOps = <S extends { id: string; version: number }>(
  type: string,
  previous: StoredItem<S> | undefined,
  state: NewItem<S>,
  events: readonly unknown[],
): TransactOp[] => {
  const firstSeq = (previous?.data.version ?? 0) + 1;
  return [
    previous ? { kind: 'replace', item: state, previous } : { kind: 'create', item: state },
    ...events.map(
      (event, i): TransactOp => ({
        kind: 'create',
        item: { key: eventKey(type, state.data.id, firstSeq + i), entity: `${type}-event`, data: event },
      }),
    ),
  ];
};

interface LoggedEvent {
  type: string;
  at: string;
  actor: { userId: string; role: string };
}

/**
 * What the asynchronous side learns of an aggregate's events: each event plus where the
 * aggregate stands after it, so handlers need not read it back.
 */
export const toDomainEvents = (
  aggregate: { type: string; id: string; tenantId: string },
  events: readonly LoggedEvent[],
  requestId: string,
  payload: Record<string, unknown>,
): DomainEvent[] =>
  events.map((event) => ({
    id: newId(new Date(event.at).getTime()),
    type: event.type,
    tenantId: aggregate.tenantId,
    aggregate: { type: aggregate.type, id: aggregate.id },
    occurredAt: event.at,
    actor: { userId: event.actor.userId, role: event.actor.role },
    requestId,
    payload,
  }));
