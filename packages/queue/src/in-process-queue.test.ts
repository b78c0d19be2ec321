import { ManualClock } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { InProcessQueue, type InProcessQueueOptions } from './in-process-queue';

const TIMEOUT = 30_000;

const setup = (options: Partial<InProcessQueueOptions> = {}) => {
  const clock = new ManualClock();
  const deadLetterQueue = new InProcessQueue({
    name: 'jobs-dlq',
    fifo: options.fifo ?? false,
    visibilityTimeoutMs: TIMEOUT,
    clock,
  });
  const queue = new InProcessQueue({
    name: 'jobs',
    visibilityTimeoutMs: TIMEOUT,
    maxReceiveCount: 3,
    deadLetterQueue,
    clock,
    ...options,
  });
  return { clock, queue, deadLetterQueue };
};

const bodies = (messages: { body: string }[]) => messages.map((m) => m.body);

describe('InProcessQueue receive and visibility', () => {
  it('hides a received message for the visibility timeout, then redelivers it with a new handle', () => {
    const { clock, queue } = setup();
    const sentAt = clock.now().getTime();
    const id = queue.send('hello');
    clock.advance(500);

    const [first] = queue.receive(10);
    expect(first).toMatchObject({
      messageId: id,
      body: 'hello',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(sentAt),
        ApproximateFirstReceiveTimestamp: String(sentAt + 500),
      },
    });
    expect(queue.receive(10)).toEqual([]);
    expect(queue.peek()[0]?.state).toBe('in-flight');

    clock.advance(TIMEOUT - 1);
    expect(queue.receive(10)).toEqual([]);
    clock.advance(1);
    const [second] = queue.receive(10);
    expect(second?.messageId).toBe(id);
    expect(second?.attributes.ApproximateReceiveCount).toBe('2');
    expect(second?.attributes.ApproximateFirstReceiveTimestamp).toBe(String(sentAt + 500));
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);
  });

  it('ignores a delete with a stale receipt handle and honours the latest one', () => {
    const { clock, queue } = setup();
    queue.send('hello');
    const [first] = queue.receive();
    clock.advance(TIMEOUT);
    const [second] = queue.receive();
    if (!first || !second) throw new Error('expected deliveries');

    expect(queue.deleteMessage(first.receiptHandle)).toBe(false);
    expect(queue.size()).toBe(1);
    expect(queue.deleteMessage(second.receiptHandle)).toBe(true);
    expect(queue.size()).toBe(0);
    expect(queue.deleteMessage(second.receiptHandle)).toBe(false);
  });

  it('deletes with a handle whose timeout ran out when nobody received the message again', () => {
    const { clock, queue } = setup();
    queue.send('slow');
    const [message] = queue.receive();
    clock.advance(TIMEOUT * 2);
    expect(queue.deleteMessage(message?.receiptHandle ?? '')).toBe(true);
    expect(queue.receive()).toEqual([]);
  });

  it('changes the visibility of an in-flight message, and refuses stale handles', () => {
    const { clock, queue } = setup();
    queue.send('a');
    const [message] = queue.receive();
    const handle = message?.receiptHandle ?? '';

    queue.changeVisibility(handle, 120_000);
    clock.advance(TIMEOUT);
    expect(queue.receive()).toEqual([]);
    queue.changeVisibility(handle, 0);
    const [again] = queue.receive();
    expect(again?.body).toBe('a');
    expect(() => queue.changeVisibility(handle, 0)).toThrow(/stale/);
    expect(() => queue.changeVisibility(again?.receiptHandle ?? '', 12 * 3600_000 + 1)).toThrow(RangeError);
  });

  it('receives at most maxMessages, and only 1-10 of them', () => {
    const { queue } = setup();
    for (let i = 0; i < 12; i++) queue.send(`m${i}`);
    expect(bodies(queue.receive(4))).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(queue.receive(10)).toHaveLength(8);
    expect(() => queue.receive(0)).toThrow(RangeError);
    expect(() => queue.receive(11)).toThrow(RangeError);
  });

  it('delays a message on a standard queue', () => {
    const { clock, queue } = setup();
    queue.send('later', { delayMs: 1000 });
    expect(queue.peek()[0]?.state).toBe('delayed');
    expect(queue.receive()).toEqual([]);
    clock.advance(1000);
    expect(bodies(queue.receive())).toEqual(['later']);
  });
});

describe('InProcessQueue dead-lettering', () => {
  it('moves a message to the dead-letter queue on the receive after maxReceiveCount, not before', () => {
    const { clock, queue, deadLetterQueue } = setup();
    const id = queue.send('poison');
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [message] = queue.receive();
      expect(message?.attributes.ApproximateReceiveCount).toBe(String(attempt));
      expect(deadLetterQueue.size()).toBe(0);
      clock.advance(TIMEOUT);
    }

    expect(queue.receive()).toEqual([]);
    expect(queue.size()).toBe(0);
    const [dead] = deadLetterQueue.receive();
    expect(dead).toMatchObject({ messageId: id, body: 'poison' });
    expect(dead?.attributes.DeadLetterQueueSourceArn).toBe('arn:aws:sqs:local:000000000000:jobs');
    expect(dead?.attributes.ApproximateReceiveCount).toBe('4');
  });

  it('delivers the next messages in the same receive that dead-letters an exhausted one', () => {
    const { clock, queue, deadLetterQueue } = setup({ maxReceiveCount: 1 });
    queue.send('poison');
    queue.receive();
    clock.advance(TIMEOUT);
    queue.send('fine');
    expect(bodies(queue.receive(10))).toEqual(['fine']);
    expect(bodies(deadLetterQueue.peek())).toEqual(['poison']);
  });

  it('redrives visible dead letters back to their source queue with a fresh receive count', () => {
    const { clock, queue, deadLetterQueue } = setup({ maxReceiveCount: 1 });
    queue.send('a');
    queue.send('b');
    queue.receive(10);
    clock.advance(TIMEOUT);
    queue.receive(10);
    expect(deadLetterQueue.size()).toBe(2);

    expect(deadLetterQueue.redrive({ maxMessages: 1 })).toBe(1);
    expect(bodies(deadLetterQueue.peek())).toEqual(['b']);
    const [back] = queue.receive(10);
    expect(back?.body).toBe('a');
    expect(back?.attributes.ApproximateReceiveCount).toBe('1');
    expect(back?.attributes.DeadLetterQueueSourceArn).toBeUndefined();

    // An in-flight dead letter is someone's to look at; it stays.
    deadLetterQueue.receive();
    expect(deadLetterQueue.redrive()).toBe(0);
    clock.advance(TIMEOUT);
    expect(deadLetterQueue.redrive()).toBe(1);
    expect(deadLetterQueue.size()).toBe(0);
  });

  it('redrives to another queue when told to, and only to one of the same type', () => {
    const { clock, queue, deadLetterQueue } = setup({ maxReceiveCount: 1 });
    const elsewhere = new InProcessQueue({ name: 'elsewhere', visibilityTimeoutMs: 1000, clock });
    queue.send('x');
    queue.receive();
    clock.advance(TIMEOUT);
    queue.receive();

    const fifo = new InProcessQueue({ name: 'f', fifo: true, visibilityTimeoutMs: 1000, clock });
    expect(() => deadLetterQueue.redrive({ to: fifo })).toThrow(/same type/);
    expect(deadLetterQueue.redrive({ to: elsewhere })).toBe(1);
    expect(bodies(elsewhere.receive())).toEqual(['x']);
    expect(queue.size()).toBe(0);
  });

  it('leaves messages sent straight to a dead-letter queue when redriving to their source', () => {
    const { deadLetterQueue } = setup();
    deadLetterQueue.send('orphan');
    expect(deadLetterQueue.redrive()).toBe(0);
    expect(deadLetterQueue.size()).toBe(1);
  });

  it('requires a dead-letter queue of the same type, with a maxReceiveCount', () => {
    const clock = new ManualClock();
    const standard = new InProcessQueue({ name: 'dlq', visibilityTimeoutMs: 1, clock });
    expect(
      () =>
        new InProcessQueue({
          name: 'q',
          fifo: true,
          visibilityTimeoutMs: 1,
          maxReceiveCount: 2,
          deadLetterQueue: standard,
        }),
    ).toThrow(/same type/);
    expect(
      () => new InProcessQueue({ name: 'q', visibilityTimeoutMs: 1, deadLetterQueue: standard }),
    ).toThrow(/both/);
  });
});

describe('InProcessQueue FIFO', () => {
  const fifo = () => setup({ fifo: true });
  let n = 0;
  const send = (queue: InProcessQueue, body: string, groupId: string) =>
    queue.send(body, { groupId, deduplicationId: `d${++n}` });

  it('delivers a group in order, several per batch, and other groups alongside', () => {
    const { queue } = fifo();
    send(queue, 'a1', 'A');
    send(queue, 'b1', 'B');
    send(queue, 'a2', 'A');
    send(queue, 'a3', 'A');
    const batch = queue.receive(10);
    expect(bodies(batch)).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(batch.map((m) => m.attributes.MessageGroupId)).toEqual(['A', 'B', 'A', 'A']);
    const sequence = batch.map((m) => m.attributes.SequenceNumber ?? '');
    expect([...sequence].sort()).toEqual(sequence);
  });

  it('holds back a group while one of its messages is in flight, without blocking other groups', () => {
    const { clock, queue } = fifo();
    send(queue, 'a1', 'A');
    const [a1] = queue.receive(1);
    send(queue, 'a2', 'A');
    send(queue, 'b1', 'B');

    expect(bodies(queue.receive(10))).toEqual(['b1']);
    expect(queue.receive(10)).toEqual([]);

    // Released by timeout: a1 comes again before a2.
    clock.advance(TIMEOUT);
    const retry = queue.receive(1);
    expect(bodies(retry)).toEqual(['a1']);
    expect(retry[0]?.messageId).toBe(a1?.messageId);
    expect(queue.receive(10).map((m) => m.body)).toEqual(['b1']);

    // Released by delete: a2 follows at once.
    queue.deleteMessage(retry[0]?.receiptHandle ?? '');
    expect(bodies(queue.receive(10))).toEqual(['a2']);
  });

  it('lets the next message of a group through once the blocking one is dead-lettered', () => {
    const { clock, queue, deadLetterQueue } = setup({ fifo: true, maxReceiveCount: 1 });
    send(queue, 'a1', 'A');
    send(queue, 'a2', 'A');
    queue.receive(1);
    clock.advance(TIMEOUT);
    expect(bodies(queue.receive(10))).toEqual(['a2']);
    expect(bodies(deadLetterQueue.peek())).toEqual(['a1']);
  });

  it('drops a resend with the same deduplication id within five minutes, even after a delete', () => {
    const { clock, queue } = fifo();
    const id = queue.send('first', { groupId: 'A', deduplicationId: 'evt-1' });
    const [message] = queue.receive();
    queue.deleteMessage(message?.receiptHandle ?? '');

    clock.advance(5 * 60_000 - 1);
    expect(queue.send('again', { groupId: 'A', deduplicationId: 'evt-1' })).toBe(id);
    expect(queue.size()).toBe(0);

    clock.advance(1);
    const later = queue.send('again', { groupId: 'A', deduplicationId: 'evt-1' });
    expect(later).not.toBe(id);
    expect(bodies(queue.receive())).toEqual(['again']);
  });

  it('deduplicates by body hash when content-based deduplication is on', () => {
    const clock = new ManualClock();
    const queue = new InProcessQueue({
      name: 'cbd',
      fifo: true,
      visibilityTimeoutMs: 1000,
      contentBasedDeduplication: true,
      clock,
    });
    queue.send('same', { groupId: 'A' });
    queue.send('same', { groupId: 'A' });
    queue.send('different', { groupId: 'A' });
    expect(queue.size()).toBe(2);
  });

  it('rejects what SQS rejects on each queue type', () => {
    const { queue } = fifo();
    expect(() => queue.send('x')).toThrow(/groupId/);
    expect(() => queue.send('x', { groupId: 'A' })).toThrow(/deduplicationId/);
    expect(() => queue.send('x', { groupId: 'A', deduplicationId: 'd', delayMs: 10 })).toThrow(/delay/);
    expect(() => queue.send('x', { groupId: '网格', deduplicationId: 'd' })).toThrow(/groupId/);
    expect(() => queue.send('', { groupId: 'A', deduplicationId: 'd' })).toThrow(/empty/);

    const { queue: standard } = setup();
    expect(() => standard.send('x', { deduplicationId: 'd' })).toThrow(/FIFO/);
    expect(() => standard.send('x', { delayMs: 15 * 60_000 + 1 })).toThrow(RangeError);
  });
});

describe('InProcessQueue inspection', () => {
  it('peeks at every message and its state without receiving', () => {
    const { clock, queue } = setup();
    queue.send('a');
    queue.send('b');
    queue.send('c', { delayMs: 5000 });
    queue.receive(1);

    expect(queue.peek().map((m) => [m.body, m.state, m.receiveCount])).toEqual([
      ['a', 'in-flight', 1],
      ['b', 'visible', 0],
      ['c', 'delayed', 0],
    ]);
    expect(queue.peek()[0]?.visibleAt.getTime()).toBe(clock.now().getTime() + TIMEOUT);
    expect(queue.size()).toBe(3);
    // Peeking changed nothing.
    expect(bodies(queue.receive(10))).toEqual(['b']);
    queue.purge();
    expect(queue.size()).toBe(0);
  });
});
