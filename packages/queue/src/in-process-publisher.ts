import type { DomainEvent } from './contracts';
import { messageGroupId, validateDomainEvent } from './contracts';
import type { InProcessQueue } from './in-process-queue';
import type { EventPublisher } from './publisher';

/** Publishes to an in-process queue with the same group and deduplication ids as SqsEventPublisher. */
export class InProcessEventPublisher implements EventPublisher {
  constructor(private readonly queue: InProcessQueue) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    // Validate all first so that a bad event publishes nothing, as with SQS.
    const valid = events.map(validateDomainEvent);
    for (const event of valid) {
      const body = JSON.stringify(event);
      if (this.queue.fifo) {
        this.queue.send(body, { groupId: messageGroupId(event), deduplicationId: event.id });
      } else {
        this.queue.send(body);
      }
    }
  }
}
