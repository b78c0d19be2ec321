import { ManualClock } from '@civicgrid/domain';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { InProcessQueue } from './in-process-queue';
import type { SqsHandler } from './lambda-event';
import { QueuePoller } from './poller';

const TIMEOUT = 60_000;

const setup = (options: { fifo?: boolean; maxReceiveCount?: number } = {}) => {
  const clock = new ManualClock();
  const fifo = options.fifo ?? false;
  const deadLetterQueue = new InProcessQueue({
    name: 'events-dlq',
    fifo,
    visibilityTimeoutMs: TIMEOUT,
    clock,
  });
  const queue = new InProcessQueue({
    name: 'events',
    fifo,
    visibilityTimeoutMs: TIMEOUT,
    maxReceiveCount: options.maxReceiveCount ?? 3,
    deadLetterQueue,
    clock,
  });
  let n = 0;
  const send = (body: string, groupId = 'G') =>
    fifo ? queue.send(body, { groupId, deduplicationId: `d${++n}` }) : queue.send(body);
  return { clock, queue, deadLetterQueue, send };
};

/** Records every batch's bodies, and fails the bodies in `failing` by partial batch response. */
const recordingHandler = (failing: Set<string> = new Set()) => {
  const batches: string[][] = [];
  const processed: string[] = [];
  const handler: SqsHandler = async (event) => {
    batches.push(event.Records.map((r) => r.body));
    processed.push(...event.Records.filter((r) => !failing.has(r.body)).map((r) => r.body));
    return {
      batchItemFailures: event.Records.filter((r) => failing.has(r.body)).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
  return { handler, batches, processed };
};

describe('QueuePoller event shape', () => {
  it('hands the handler a Lambda-shaped SQS event and context', async () => {
    const { clock, queue, send } = setup({ fifo: true });
    const id = send('hello', 'demo-city#case#C-1');
    let seen: { event: SQSEvent; context: Context; remaining: number } | undefined;
    const poller = new QueuePoller(
      queue,
      async (event, context) => {
        clock.advance(1500);
        seen = { event, context, remaining: context.getRemainingTimeInMillis() };
      },
      { batchSize: 10, timeoutMs: 10_000 },
    );

    expect(await poller.pollOnce()).toEqual({ delivered: 1, failed: 0 });
    const record = seen?.event.Records[0];
    expect(seen?.event.Records).toHaveLength(1);
    expect(record).toMatchObject({
      messageId: id,
      body: 'hello',
      messageAttributes: {},
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:events',
      awsRegion: 'local',
      attributes: {
        ApproximateReceiveCount: '1',
        MessageGroupId: 'demo-city#case#C-1',
        MessageDeduplicationId: 'd1',
      },
    });
    expect(record?.receiptHandle).toEqual(expect.any(String));
    expect(seen?.context.functionName).toBe('events-consumer');
    expect(seen?.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen?.remaining).toBe(8500);
  });

  it('takes at most batchSize records per invocation', async () => {
    const { queue, send } = setup();
    for (let i = 0; i < 7; i++) send(`m${i}`);
    const { handler, batches } = recordingHandler();
    const poller = new QueuePoller(queue, handler, { batchSize: 3 });
    expect(await poller.drain()).toEqual({ rounds: 3, delivered: 7, failed: 0 });
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(() => new QueuePoller(queue, handler, { batchSize: 11 })).toThrow(RangeError);
  });
});

describe('QueuePoller outcomes', () => {
  it('deletes the whole batch when the handler returns nothing', async () => {
    const { queue, send } = setup();
    send('a');
    send('b');
    const handler = vi.fn<SqsHandler>(async () => undefined);
    const poller = new QueuePoller(queue, handler, { batchSize: 10 });
    expect(await poller.pollOnce()).toEqual({ delivered: 2, failed: 0 });
    expect(queue.size()).toBe(0);
  });

  it('retries a batch whose handler throws, and dead-letters it after maxReceiveCount attempts', async () => {
    const { clock, queue, deadLetterQueue, send } = setup({ maxReceiveCount: 3 });
    send('poison');
    const onError = vi.fn();
    const handler = vi.fn<SqsHandler>(async () => {
      throw new Error('boom');
    });
    const poller = new QueuePoller(queue, handler, { batchSize: 10, onError });

    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await poller.pollOnce()).toEqual({ delivered: 1, failed: 1 });
      expect(await poller.pollOnce()).toEqual({ delivered: 0, failed: 0 });
      expect(queue.size()).toBe(1);
      expect(deadLetterQueue.size()).toBe(0);
      clock.advance(TIMEOUT);
    }
    expect(onError).toHaveBeenCalledTimes(3);
    expect(onError.mock.calls[0]?.[0]).toEqual(new Error('boom'));

    expect(await poller.pollOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(handler).toHaveBeenCalledTimes(3);
    expect(queue.size()).toBe(0);
    expect(deadLetterQueue.peek().map((m) => m.body)).toEqual(['poison']);
  });

  it('redelivers only the records a partial batch response names, once their timeout has run out', async () => {
    const { clock, queue, send } = setup();
    for (const body of ['a', 'b', 'c', 'd']) send(body);
    const failing = new Set(['b', 'd']);
    const { handler, batches } = recordingHandler(failing);
    const poller = new QueuePoller(queue, handler, { batchSize: 10 });

    expect(await poller.pollOnce()).toEqual({ delivered: 4, failed: 2 });
    expect(queue.peek().map((m) => [m.body, m.state])).toEqual([
      ['b', 'in-flight'],
      ['d', 'in-flight'],
    ]);

    clock.advance(TIMEOUT - 1);
    expect(await poller.drain()).toEqual({ rounds: 0, delivered: 0, failed: 0 });
    clock.advance(1);
    failing.clear();
    expect(await poller.drain()).toEqual({ rounds: 1, delivered: 2, failed: 0 });
    expect(batches).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'd'],
    ]);
    expect(queue.size()).toBe(0);
  });

  it('keeps the whole batch when the response names a record that is not in it', async () => {
    const { queue, send } = setup();
    send('a');
    send('b');
    const onError = vi.fn();
    const poller = new QueuePoller(
      queue,
      async () => ({ batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] }),
      { batchSize: 10, onError },
    );
    expect(await poller.pollOnce()).toEqual({ delivered: 2, failed: 2 });
    expect(queue.size()).toBe(2);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/invalid/) }),
      {
        Records: expect.any(Array),
      },
    );
  });

  it('ignores batchItemFailures when reportBatchItemFailures is off, as Lambda does', async () => {
    const { queue, send } = setup();
    send('a');
    const { handler } = recordingHandler(new Set(['a']));
    const poller = new QueuePoller(queue, handler, { batchSize: 10, reportBatchItemFailures: false });
    expect(await poller.pollOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(queue.size()).toBe(0);
  });

  it('processes dead letters redriven after the fault is fixed', async () => {
    const { clock, queue, deadLetterQueue, send } = setup({ maxReceiveCount: 2 });
    send('a');
    send('b');
    const failing = new Set(['a', 'b']);
    const { handler, processed } = recordingHandler(failing);
    const poller = new QueuePoller(queue, handler, { batchSize: 10 });

    await poller.drain();
    clock.advance(TIMEOUT);
    await poller.drain();
    clock.advance(TIMEOUT);
    await poller.drain();
    expect(deadLetterQueue.size()).toBe(2);
    expect(processed).toEqual([]);

    failing.clear();
    expect(deadLetterQueue.redrive()).toBe(2);
    expect(await poller.drain()).toMatchObject({ delivered: 2, failed: 0 });
    expect(processed).toEqual(['a', 'b']);
    expect(queue.size()).toBe(0);
    expect(deadLetterQueue.size()).toBe(0);
  });

  it('keeps FIFO order per group across a retry while other groups go on', async () => {
    const { clock, queue, send } = setup({ fifo: true });
    send('a1', 'A');
    send('b1', 'B');
    send('a2', 'A');
    send('b2', 'B');
    let failA = true;
    // Like a FIFO batch processor: after a group's first failure, the rest of that group fails too.
    const handled: string[] = [];
    const handler: SqsHandler = async (event): Promise<SQSBatchResponse> => {
      const failures = event.Records.filter((r) => failA && r.attributes.MessageGroupId === 'A');
      handled.push(...event.Records.filter((r) => !failures.includes(r)).map((r) => r.body));
      return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
    };
    const poller = new QueuePoller(queue, handler, { batchSize: 10 });

    await poller.drain();
    send('a3', 'A');
    send('b3', 'B');
    await poller.drain();
    expect(handled).toEqual(['b1', 'b2', 'b3']);

    failA = false;
    clock.advance(TIMEOUT);
    await poller.drain();
    expect(handled).toEqual(['b1', 'b2', 'b3', 'a1', 'a2', 'a3']);
  });
});

describe('QueuePoller drain and background polling', () => {
  it('gives up draining after maxRounds when the queue never empties', async () => {
    const { queue, send } = setup();
    send('seed');
    const poller = new QueuePoller(
      queue,
      async () => {
        send('more');
      },
      { batchSize: 1 },
    );
    await expect(poller.drain({ maxRounds: 5 })).rejects.toThrow(/5 rounds/);
    expect(queue.size()).toBe(1);
  });

  it('polls on real timers until stopped, and stop waits for the poll in progress', async () => {
    const queue = new InProcessQueue({ name: 'live', visibilityTimeoutMs: 30_000 });
    const handled: string[] = [];
    let release: (() => void) | undefined;
    const poller = new QueuePoller(
      queue,
      async (event) => {
        for (const record of event.Records) {
          if (record.body === 'slow') await new Promise<void>((resolve) => (release = resolve));
          handled.push(record.body);
        }
      },
      { batchSize: 1 },
    );
    poller.start(5);
    expect(() => poller.start(5)).toThrow(/already/);

    queue.send('quick');
    await vi.waitFor(() => expect(handled).toEqual(['quick']));
    queue.send('slow');
    await vi.waitFor(() => expect(release).toBeDefined());

    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release?.();
    await stopping;
    expect(handled).toEqual(['quick', 'slow']);
    expect(queue.size()).toBe(0);

    queue.send('after stop');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(queue.peek().map((m) => m.state)).toEqual(['visible']);

    poller.start(5);
    await vi.waitFor(() => expect(handled).toContain('after stop'));
    await poller.stop();
  });
});
