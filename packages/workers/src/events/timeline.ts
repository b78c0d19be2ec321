import { ConflictError } from '@civicgrid/domain';
import type { DomainEvent } from '@civicgrid/queue';
import type { KeySpec, Store } from '@civicgrid/storage';

/**
 * Where an aggregate's published event is recorded: beside the aggregate, ordered by event id
 * (a ULID), apart from the aggregate's own event log.
 */
export const timelineKey = (event: Pick<DomainEvent, 'aggregate' | 'id'>): KeySpec => ({
  pk: [event.aggregate.type, event.aggregate.id],
  sk: ['activity', event.id],
});

/**
 * Appends a domain event to its aggregate's timeline and to the tenant's daily activity feed.
 * SQS delivers at least once, so a second delivery of the same event is a no-op, not an error.
 */
export const recordEvent = async (store: Store, event: DomainEvent): Promise<'recorded' | 'duplicate'> => {
  try {
    await store.tenant(event.tenantId).create({
      key: timelineKey(event),
      entity: 'event',
      data: event,
      indexes: { GSI1: { pk: ['activity', event.occurredAt.slice(0, 10)], sk: [event.id] } },
    });
    return 'recorded';
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'already_exists') return 'duplicate';
    throw error;
  }
};
