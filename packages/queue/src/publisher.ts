import type { DomainEvent } from './contracts';

/** Where domain events go once their change is stored; SQS in AWS, an in-process queue locally. */
export interface EventPublisher {
  /** Resolves once every event is accepted; events of one aggregate keep their order. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}
