import { ManualClock, ValidationError } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { messageGroupId, parseDomainEvent } from './contracts';
import { makeEvent } from './fixtures';
import { InProcessEventPublisher } from './in-process-publisher';
import { InProcessQueue } from './in-process-queue';

const fifoQueue = () =>
  new InProcessQueue({ name: 'events', fifo: true, visibilityTimeoutMs: 1000, clock: new ManualClock() });

describe('InProcessEventPublisher', () => {
  it('sends each event as JSON, grouped by aggregate and deduplicated by event id', async () => {
    const queue = fifoQueue();
    const first = makeEvent();
    const other = makeEvent({ aggregate: { type: 'case', id: 'C-2' } });
    const publisher = new InProcessEventPublisher(queue);
    await publisher.publish([first, other]);
    await publisher.publish([first]);

    const received = queue.receive(10);
    expect(received.map((m) => parseDomainEvent(m.body))).toEqual([first, other]);
    expect(received.map((m) => m.attributes.MessageGroupId)).toEqual([
      messageGroupId(first),
      messageGroupId(other),
    ]);
    expect(received[0]?.attributes.MessageDeduplicationId).toBe(first.id);
  });

  it('publishes nothing when any event is invalid', async () => {
    const queue = fifoQueue();
    const bad = { ...makeEvent(), tenantId: 'Bad Tenant' };
    await expect(new InProcessEventPublisher(queue).publish([makeEvent(), bad])).rejects.toThrow(
      ValidationError,
    );
    expect(queue.size()).toBe(0);
  });

  it('sends without FIFO ids to a standard queue', async () => {
    const queue = new InProcessQueue({ name: 'plain', visibilityTimeoutMs: 1000, clock: new ManualClock() });
    const event = makeEvent();
    await new InProcessEventPublisher(queue).publish([event]);
    const [message] = queue.receive();
    expect(parseDomainEvent(message?.body ?? '')).toEqual(event);
    expect(message?.attributes.MessageDeduplicationId).toBeUndefined();
  });
});
