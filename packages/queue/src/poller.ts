import type { Clock } from '@civicgrid/domain';
import type { SQSEvent } from 'aws-lambda';
import type { InProcessQueue } from './in-process-queue';
import { localLambdaContext, type SqsHandler, toSqsEvent } from './lambda-event';

export interface QueuePollerOptions {
  /** Records per invocation, 1-10 (one SQS receive, and Lambda's limit for FIFO queues). */
  batchSize: number;
  /** For the handler's `getRemainingTimeInMillis`; defaults to the queue's clock. */
  clock?: Clock;
  /** Told when the handler throws or answers with an invalid batch response; defaults to console.error. */
  onError?: (error: unknown, event: SQSEvent) => void;
  /** As the event source mapping's ReportBatchItemFailures: when off, `batchItemFailures` is ignored. */
  reportBatchItemFailures?: boolean;
  functionName?: string;
  /** The simulated Lambda timeout; defaults to the queue's visibility timeout. */
  timeoutMs?: number;
}

export interface PollResult {
  /** Records handed to the handler. */
  delivered: number;
  /** Records left on the queue to be retried after their visibility timeout. */
  failed: number;
}

export interface DrainResult extends PollResult {
  /** Polls that delivered something. */
  rounds: number;
}

/**
 * Plays the part of Lambda's SQS event source mapping for the local harness and tests: receives a
 * batch, invokes the same handler Lambda would, and deletes what the handler did not report as
 * failed. Failed records stay invisible until their visibility timeout, then are retried and,
 * after the queue's maxReceiveCount, dead-lettered.
 */
export class QueuePoller {
  private readonly batchSize: number;
  private readonly clock: Clock;
  private readonly onError: (error: unknown, event: SQSEvent) => void;
  private readonly reportBatchItemFailures: boolean;
  private readonly functionName: string;
  private readonly timeoutMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly queue: InProcessQueue,
    private readonly handler: SqsHandler,
    options: QueuePollerOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 10) {
      throw new RangeError(`batchSize must be an integer from 1 to 10, got ${options.batchSize}`);
    }
    this.batchSize = options.batchSize;
    this.clock = options.clock ?? queue.clock;
    this.onError =
      options.onError ?? ((error) => console.error(`[queue ${queue.name}] batch failed:`, error));
    this.reportBatchItemFailures = options.reportBatchItemFailures ?? true;
    this.functionName = options.functionName ?? `${queue.name}-consumer`;
    this.timeoutMs = options.timeoutMs ?? queue.visibilityTimeoutMs;
  }

  /** Delivers at most one batch. */
  async pollOnce(): Promise<PollResult> {
    const messages = this.queue.receive(this.batchSize);
    if (messages.length === 0) return { delivered: 0, failed: 0 };
    const event = toSqsEvent(this.queue, messages);
    const failedIds = await this.invoke(event);
    for (const message of messages) {
      if (!failedIds.has(message.messageId)) this.queue.deleteMessage(message.receiptHandle);
    }
    return { delivered: messages.length, failed: messages.filter((m) => failedIds.has(m.messageId)).length };
  }

  /**
   * Polls until a poll finds nothing to deliver: failed messages are then invisible, so advance the
   * clock past the visibility timeout and drain again to see the retry. Throws after `maxRounds`
   * busy polls, which means something keeps feeding the queue.
   */
  async drain(options: { maxRounds?: number } = {}): Promise<DrainResult> {
    const { maxRounds = 100 } = options;
    const total: DrainResult = { rounds: 0, delivered: 0, failed: 0 };
    while (total.rounds < maxRounds) {
      const result = await this.pollOnce();
      if (result.delivered === 0) return total;
      total.rounds += 1;
      total.delivered += result.delivered;
      total.failed += result.failed;
    }
    throw new Error(`${this.queue.name}: still delivering after ${maxRounds} rounds`);
  }

  /** Polls in the background on real timers (for the dev server); at once again after a full poll. */
  start(intervalMs = 250): void {
    if (this.loop !== undefined) throw new Error(`${this.queue.name}: poller already started`);
    this.running = true;
    this.loop = this.run(intervalMs);
  }

  /** Stops polling; resolves once a poll in progress has finished, so its deletes are done. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(intervalMs: number): Promise<void> {
    while (this.running) {
      let delivered = 0;
      try {
        delivered = (await this.pollOnce()).delivered;
      } catch (error) {
        this.onError(error, { Records: [] });
      }
      // After a full poll go again, but through the timer queue so a backlog cannot starve I/O.
      if (this.running) await this.sleep(delivered === 0 ? intervalMs : 0);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  /** Returns the ids of records to keep, following Lambda's rules for partial batch responses. */
  private async invoke(event: SQSEvent): Promise<Set<string>> {
    const all = new Set(event.Records.map((r) => r.messageId));
    const context = localLambdaContext({
      functionName: this.functionName,
      timeoutMs: this.timeoutMs,
      clock: this.clock,
    });
    let response: unknown;
    try {
      response = await this.handler(event, context);
    } catch (error) {
      this.onError(error, event);
      return all;
    }
    if (!this.reportBatchItemFailures) return new Set();
    const failures = batchItemFailures(response, all);
    if (failures === 'invalid') {
      this.onError(new Error('invalid batch response; the whole batch counts as failed'), event);
      return all;
    }
    return failures;
  }
}

/**
 * Lambda treats no response, no list or an empty list as full success, and any item identifier
 * that is missing, empty or not a message of the batch as failure of the whole batch.
 */
const batchItemFailures = (response: unknown, batch: ReadonlySet<string>): Set<string> | 'invalid' => {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== 'object') return 'invalid';
  const list: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return 'invalid';
  const ids = new Set<string>();
  for (const item of list) {
    const id: unknown = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !batch.has(id)) return 'invalid';
    ids.add(id);
  }
  return ids;
};
