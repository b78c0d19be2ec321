import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ValidationError } from '@civicgrid/domain';
import { type DomainEvent, messageGroupId, validateDomainEvent } from './contracts';
import type { EventPublisher } from './publisher';

// SendMessageBatch takes at most 10 entries and 256 KiB in total (older queues' limit, the safe one).
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/** Some events were not accepted by SQS; those and any after them were not sent. */
export class PublishError extends Error {
  constructor(
    message: string,
    /** Entries SQS reported as failed. */
    readonly failedIds: readonly string[],
    /** Events not attempted because an earlier batch failed. */
    readonly unsentIds: readonly string[],
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

export class SqsEventPublisher implements EventPublisher {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly options: { fifo: boolean },
  ) {}

  /**
   * Sends in batches, in order, and stops at the first batch with a failed entry: sending later
   * events of the same aggregate would overtake the failed one. Retrying the whole call is safe on
   * a FIFO queue, where the event id deduplicates what did get through.
   */
  async publish(events: readonly DomainEvent[]): Promise<void> {
    const valid = events.map(validateDomainEvent);
    const ids = valid.map((e) => e.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    // The event id is the batch entry id, which SQS requires to be unique within a batch.
    if (duplicate !== undefined) throw new ValidationError(`Event ${duplicate} is in the batch twice.`);

    const batches = chunk(valid.map((event) => this.entry(event)));
    for (const [index, entries] of batches.entries()) {
      const output = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      const failedIds = (output.Failed ?? []).map((f) => f.Id ?? '?');
      if (failedIds.length > 0) {
        const reasons = (output.Failed ?? []).map((f) => `${f.Id}: ${f.Code} ${f.Message ?? ''}`.trim());
        const unsentIds = batches.slice(index + 1).flatMap((b) => b.map((e) => e.Id ?? '?'));
        throw new PublishError(
          `SQS rejected ${failedIds.length} event(s): ${reasons.join('; ')}` +
            (unsentIds.length > 0 ? `; not sent: ${unsentIds.join(', ')}` : ''),
          failedIds,
          unsentIds,
        );
      }
    }
  }

  private entry(event: DomainEvent): SendMessageBatchRequestEntry {
    const entry: SendMessageBatchRequestEntry = { Id: event.id, MessageBody: JSON.stringify(event) };
    if (this.options.fifo) {
      entry.MessageGroupId = messageGroupId(event);
      entry.MessageDeduplicationId = event.id;
    }
    return entry;
  }
}

const chunk = (entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] => {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '', 'utf8');
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};
