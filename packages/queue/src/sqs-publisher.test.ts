import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ValidationError } from '@civicgrid/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { messageGroupId } from './contracts';
import { makeEvent } from './fixtures';
import { PublishError, SqsEventPublisher } from './sqs-publisher';

const QUEUE_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/events.fifo';
const sqs = mockClient(SQSClient);

const sentBatches = () => sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);

describe('SqsEventPublisher', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('sends in order, in batches of ten, with group and deduplication ids on a FIFO queue', async () => {
    const events = Array.from({ length: 23 }, (_, i) =>
      makeEvent({ aggregate: { type: 'case', id: `C-${i % 4}` } }),
    );
    await new SqsEventPublisher(new SQSClient({}), QUEUE_URL, { fifo: true }).publish(events);

    const batches = sentBatches();
    expect(batches.map((b) => b.Entries?.length)).toEqual([10, 10, 3]);
    expect(batches.every((b) => b.QueueUrl === QUEUE_URL)).toBe(true);
    const entries = batches.flatMap((b) => b.Entries ?? []);
    expect(entries.map((e) => e.Id)).toEqual(events.map((e) => e.id));
    entries.forEach((entry, i) => {
      const event = events[i];
      if (!event) throw new Error('missing event');
      expect(entry.MessageGroupId).toBe(messageGroupId(event));
      expect(entry.MessageGroupId).toBe(`demo-city#case#C-${i % 4}`);
      expect(entry.MessageDeduplicationId).toBe(event.id);
      expect(JSON.parse(entry.MessageBody ?? '')).toEqual(event);
    });
  });

  it('leaves out group and deduplication ids on a standard queue', async () => {
    await new SqsEventPublisher(new SQSClient({}), QUEUE_URL, { fifo: false }).publish([makeEvent()]);
    const [entry] = sentBatches()[0]?.Entries ?? [];
    expect(entry).toBeDefined();
    expect(entry?.MessageGroupId).toBeUndefined();
    expect(entry?.MessageDeduplicationId).toBeUndefined();
  });

  it('sends nothing for no events', async () => {
    await new SqsEventPublisher(new SQSClient({}), QUEUE_URL, { fifo: true }).publish([]);
    expect(sentBatches()).toEqual([]);
  });

  it('starts a new batch before the batch payload would pass 256 KiB', async () => {
    const big = { blob: 'x'.repeat(100 * 1024) };
    const events = [makeEvent({ payload: big }), makeEvent({ payload: big }), makeEvent({ payload: big })];
    await new SqsEventPublisher(new SQSClient({}), QUEUE_URL, { fifo: true }).publish(events);
    expect(sentBatches().map((b) => b.Entries?.map((e) => e.Id))).toEqual([
      [events[0]?.id, events[1]?.id],
      [events[2]?.id],
    ]);
  });

  it('throws a PublishError naming failed and unsent events, and stops sending', async () => {
    const events = Array.from({ length: 25 }, () => makeEvent());
    const failed = events[12]?.id ?? '';
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [] })
      .resolvesOnce({
        Failed: [{ Id: failed, Code: 'InternalError', SenderFault: false, Message: 'try again' }],
      });

    const publish = new SqsEventPublisher(new SQSClient({}), QUEUE_URL, { fifo: true }).publish(events);
    const error = await publish.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).failedIds).toEqual([failed]);
    expect((error as PublishError).unsentIds).toEqual(events.slice(20).map((e) => e.id));
    expect((error as PublishError).message).toContain(failed);
    expect((error as PublishError).message).toContain('InternalError');
    expect(sentBatches()).toHaveLength(2);
  });

  it('propagates a rejected request', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('AccessDenied'));
    const publisher = new SqsEventPublisher(new SQSClient({}), QUEUE_URL, { fifo: true });
    await expect(publisher.publish([makeEvent()])).rejects.toThrow('AccessDenied');
  });

  it('validates every event before sending any', async () => {
    const publisher = new SqsEventPublisher(new SQSClient({}), QUEUE_URL, { fifo: true });
    const bad = { ...makeEvent(), type: 'CaseCreated' };
    await expect(publisher.publish([makeEvent(), bad])).rejects.toThrow(ValidationError);

    const twice = makeEvent();
    await expect(publisher.publish([twice, makeEvent(), twice])).rejects.toThrow(/twice/);
    expect(sentBatches()).toEqual([]);
  });
});
