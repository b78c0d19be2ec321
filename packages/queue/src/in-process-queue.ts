import { createHash, randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '@civicgrid/domain';

export interface InProcessQueueOptions {
  name: string;
  fifo?: boolean;
  visibilityTimeoutMs: number;
  /** Receives before a message goes to `deadLetterQueue`; give both or neither, as SQS's redrive policy does. */
  maxReceiveCount?: number;
  deadLetterQueue?: InProcessQueue;
  /** FIFO only: without a deduplication id, deduplicate by a hash of the body. */
  contentBasedDeduplication?: boolean;
  clock?: Clock;
}

export interface SendOptions {
  /** Required for FIFO queues: messages of one group are delivered in order, one batch at a time. */
  groupId?: string;
  /** FIFO only: a second send with the same id within 5 minutes is accepted but dropped. */
  deduplicationId?: string;
  /** Standard queues only (SQS rejects per-message delays on FIFO queues). */
  delayMs?: number;
}

/** The system attributes SQS returns, as strings, in the names Lambda's SQS records use. */
export interface MessageAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  ApproximateFirstReceiveTimestamp: string;
  SenderId: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  SequenceNumber?: string;
  /** Set on messages in a dead-letter queue. */
  DeadLetterQueueSourceArn?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: MessageAttributes;
}

export type MessageState = 'visible' | 'in-flight' | 'delayed';

export interface PeekedMessage {
  messageId: string;
  body: string;
  state: MessageState;
  receiveCount: number;
  groupId?: string;
  sentAt: Date;
  /** When it becomes (or became) receivable. */
  visibleAt: Date;
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  /** Only the latest handle is valid; it is replaced on every receive. */
  receiptHandle: string | undefined;
  /** While in a dead-letter queue: the queue it was dead-lettered from, where redrive returns it. */
  readonly source: InProcessQueue | undefined;
}

// SQS's limits, enforced here so that what works locally also works in AWS.
const MAX_RECEIVE_BATCH = 10;
const MAX_VISIBILITY_TIMEOUT_MS = 12 * 60 * 60 * 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const SQS_ID = /^[!-~]{1,128}$/;
const SENDER_ID = '000000000000';

const assertIntegerIn = (label: string, value: number, min: number, max: number): void => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${label} must be an integer from ${min} to ${max}, got ${value}`);
  }
};

/**
 * A queue with SQS semantics (visibility timeout, receive counts, redrive to a dead-letter queue,
 * FIFO groups and deduplication) that runs in memory on a `Clock`, so the local harness and tests
 * exercise the same failure paths as AWS, deterministically with a ManualClock.
 */
export class InProcessQueue {
  readonly name: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutMs: number;
  readonly clock: Clock;
  readonly deadLetterQueue: InProcessQueue | undefined;
  readonly maxReceiveCount: number | undefined;
  private readonly contentBasedDeduplication: boolean;
  /** In arrival order, which is also delivery order within a FIFO group. */
  private messages: StoredMessage[] = [];
  private readonly deduplication = new Map<string, { messageId: string; expiresAt: number }>();
  private sequence = 0;
  private handles = 0;

  constructor(options: InProcessQueueOptions) {
    this.name = options.name;
    this.fifo = options.fifo ?? false;
    this.clock = options.clock ?? systemClock;
    this.contentBasedDeduplication = options.contentBasedDeduplication ?? false;
    assertIntegerIn('visibilityTimeoutMs', options.visibilityTimeoutMs, 0, MAX_VISIBILITY_TIMEOUT_MS);
    this.visibilityTimeoutMs = options.visibilityTimeoutMs;
    if (this.contentBasedDeduplication && !this.fifo) {
      throw new Error(`${this.name}: content-based deduplication is only for FIFO queues`);
    }
    const { deadLetterQueue, maxReceiveCount } = options;
    if ((deadLetterQueue === undefined) !== (maxReceiveCount === undefined)) {
      throw new Error(`${this.name}: give both deadLetterQueue and maxReceiveCount, or neither`);
    }
    if (maxReceiveCount !== undefined) assertIntegerIn('maxReceiveCount', maxReceiveCount, 1, 1000);
    if (deadLetterQueue !== undefined && (deadLetterQueue === this || deadLetterQueue.fifo !== this.fifo)) {
      throw new Error(`${this.name}: the dead-letter queue must be another queue of the same type`);
    }
    this.deadLetterQueue = deadLetterQueue;
    this.maxReceiveCount = maxReceiveCount;
  }

  get arn(): string {
    return `arn:aws:sqs:local:000000000000:${this.name}`;
  }

  /** Returns the message id; for a deduplicated FIFO send, the id of the message first sent. */
  send(body: string, options: SendOptions = {}): string {
    if (body.length === 0) throw new RangeError(`${this.name}: a message body may not be empty`);
    const now = this.now();
    const { groupId, delayMs = 0 } = options;
    if (groupId !== undefined && !SQS_ID.test(groupId)) {
      throw new RangeError(`${this.name}: groupId must be 1-128 printable ASCII characters`);
    }
    if (!this.fifo) {
      if (options.deduplicationId !== undefined) {
        throw new Error(`${this.name}: deduplicationId is only for FIFO queues`);
      }
      assertIntegerIn('delayMs', delayMs, 0, MAX_DELAY_MS);
      return this.append({ body, groupId, deduplicationId: undefined, visibleAt: now + delayMs, now });
    }

    if (groupId === undefined) throw new Error(`${this.name}: FIFO queues need a groupId`);
    if (delayMs !== 0) throw new Error(`${this.name}: FIFO queues do not support a per-message delay`);
    const deduplicationId =
      options.deduplicationId ??
      (this.contentBasedDeduplication ? createHash('sha256').update(body).digest('hex') : undefined);
    if (deduplicationId === undefined) {
      throw new Error(
        `${this.name}: FIFO queues need a deduplicationId (content-based deduplication is off)`,
      );
    }
    if (!SQS_ID.test(deduplicationId)) {
      throw new RangeError(`${this.name}: deduplicationId must be 1-128 printable ASCII characters`);
    }
    this.forgetExpiredDeduplications(now);
    const original = this.deduplication.get(deduplicationId);
    if (original !== undefined) return original.messageId;
    const messageId = this.append({ body, groupId, deduplicationId, visibleAt: now, now });
    this.deduplication.set(deduplicationId, { messageId, expiresAt: now + DEDUPLICATION_WINDOW_MS });
    return messageId;
  }

  /**
   * Receives up to `maxMessages` (1-10) visible messages, each with a fresh receipt handle, and hides
   * them for the visibility timeout. A message already received `maxReceiveCount` times is moved to
   * the dead-letter queue instead. In a FIFO queue a group with a message in flight delivers nothing.
   */
  receive(maxMessages = 1): ReceivedMessage[] {
    assertIntegerIn('maxMessages', maxMessages, 1, MAX_RECEIVE_BATCH);
    const now = this.now();
    const received: ReceivedMessage[] = [];
    const blockedGroups = new Set<string>();
    for (const message of [...this.messages]) {
      if (received.length === maxMessages) break;
      const group = this.fifo ? message.groupId : undefined;
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (this.maxReceiveCount !== undefined && message.receiveCount >= this.maxReceiveCount) {
        this.moveToDeadLetterQueue(message, now);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.visibilityTimeoutMs;
      this.handles += 1;
      message.receiptHandle = `${this.name}:${message.messageId}:${this.handles}`;
      received.push(this.toReceived(message, message.receiptHandle));
    }
    return received;
  }

  /**
   * Deletes the message if `receiptHandle` is its latest one, also after its visibility timeout ran
   * out as long as nobody received it again. A stale or unknown handle is ignored (returns false),
   * as SQS accepts the call without deleting: the message is someone else's now.
   */
  deleteMessage(receiptHandle: string): boolean {
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index === -1) return false;
    this.messages.splice(index, 1);
    return true;
  }

  /**
   * Makes an in-flight message visible again after `timeoutMs` from now (0 releases it at once).
   * Throws for a stale handle or a message no longer in flight, as SQS does.
   */
  changeVisibility(receiptHandle: string, timeoutMs: number): void {
    assertIntegerIn('timeoutMs', timeoutMs, 0, MAX_VISIBILITY_TIMEOUT_MS);
    const now = this.now();
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (message === undefined) throw new Error(`${this.name}: receipt handle is stale or unknown`);
    if (message.visibleAt <= now)
      throw new Error(`${this.name}: message ${message.messageId} is not in flight`);
    message.visibleAt = now + timeoutMs;
  }

  /**
   * Moves visible messages of this (dead-letter) queue back to the queue each came from, or all to
   * `to`, as new messages with a reset receive count, like SQS's StartMessageMoveTask. Messages with
   * no known source and no `to` stay. FIFO deduplication is bypassed: these are not new sends.
   * Returns how many moved.
   */
  redrive(options: { to?: InProcessQueue; maxMessages?: number } = {}): number {
    const { to, maxMessages = Number.POSITIVE_INFINITY } = options;
    if (to !== undefined && (to === this || to.fifo !== this.fifo)) {
      throw new Error(`${this.name}: can only redrive to another queue of the same type`);
    }
    const now = this.now();
    let moved = 0;
    for (const message of [...this.messages]) {
      if (moved >= maxMessages) break;
      const destination = to ?? message.source;
      if (destination === undefined || message.visibleAt > now) continue;
      this.remove(message);
      destination.append({
        body: message.body,
        groupId: message.groupId,
        deduplicationId: message.deduplicationId,
        visibleAt: now,
        now,
        messageId: message.messageId,
      });
      moved += 1;
    }
    return moved;
  }

  /** Every message with its state, without receiving any. */
  peek(): PeekedMessage[] {
    const now = this.now();
    return this.messages.map((m) => ({
      messageId: m.messageId,
      body: m.body,
      state: this.stateOf(m, now),
      receiveCount: m.receiveCount,
      ...(m.groupId === undefined ? {} : { groupId: m.groupId }),
      sentAt: new Date(m.sentAt),
      visibleAt: new Date(m.visibleAt),
    }));
  }

  /** All messages, visible or not (SQS's approximate counts summed). */
  size(): number {
    return this.messages.length;
  }

  purge(): void {
    this.messages = [];
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private stateOf(message: StoredMessage, now: number): MessageState {
    if (message.visibleAt <= now) return 'visible';
    return message.receiptHandle === undefined ? 'delayed' : 'in-flight';
  }

  private append(input: {
    body: string;
    groupId: string | undefined;
    deduplicationId: string | undefined;
    visibleAt: number;
    now: number;
    messageId?: string;
    receiveCount?: number;
    source?: InProcessQueue;
  }): string {
    const messageId = input.messageId ?? randomUUID();
    this.sequence += 1;
    this.messages.push({
      messageId,
      body: input.body,
      groupId: input.groupId,
      deduplicationId: input.deduplicationId,
      sequenceNumber: this.fifo ? String(this.sequence).padStart(20, '0') : undefined,
      sentAt: input.now,
      visibleAt: input.visibleAt,
      receiveCount: input.receiveCount ?? 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
      source: input.source,
    });
    return messageId;
  }

  private moveToDeadLetterQueue(message: StoredMessage, now: number): void {
    const deadLetterQueue = this.deadLetterQueue;
    if (deadLetterQueue === undefined) return;
    this.remove(message);
    // The message keeps its id and receive count, so the dead-letter queue shows how often it failed.
    deadLetterQueue.append({
      body: message.body,
      groupId: message.groupId,
      deduplicationId: message.deduplicationId,
      visibleAt: now,
      now,
      messageId: message.messageId,
      receiveCount: message.receiveCount,
      source: this,
    });
  }

  private remove(message: StoredMessage): void {
    this.messages = this.messages.filter((m) => m !== message);
  }

  private forgetExpiredDeduplications(now: number): void {
    for (const [id, entry] of this.deduplication) {
      if (entry.expiresAt <= now) this.deduplication.delete(id);
    }
  }

  private toReceived(message: StoredMessage, receiptHandle: string): ReceivedMessage {
    const attributes: MessageAttributes = {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      SenderId: SENDER_ID,
    };
    if (message.groupId !== undefined) attributes.MessageGroupId = message.groupId;
    if (message.deduplicationId !== undefined) attributes.MessageDeduplicationId = message.deduplicationId;
    if (message.sequenceNumber !== undefined) attributes.SequenceNumber = message.sequenceNumber;
    if (message.source !== undefined) attributes.DeadLetterQueueSourceArn = message.source.arn;
    return { messageId: message.messageId, receiptHandle, body: message.body, attributes };
  }
}
