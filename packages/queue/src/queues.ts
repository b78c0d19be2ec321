/**
 * The queues' shape, shared by the CDK stack and the local harness so that both run with the same
 * FIFO-ness, timeouts, retry limits and batch sizes.
 */
export interface QueueDefinition {
  readonly fifo: boolean;
  /** Keep it at least the consumer's timeout (AWS advises 6×), or a slow message is redelivered mid-run. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message is moved to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Records per Lambda invocation (at most 10 for FIFO queues). */
  readonly batchSize: number;
  /** Off: producers set the deduplication id (the event id), so equal payloads are not collapsed. */
  readonly contentBasedDeduplication: boolean;
  /** Consumers return `batchItemFailures`; without this the event source mapping ignores them. */
  readonly reportBatchItemFailures: boolean;
  readonly retentionDays: number;
  /** Longer than the source's so that a failed message outlives its investigation. */
  readonly deadLetterRetentionDays: number;
}

export const queueDefinitions = {
  /** Domain events, one FIFO group per aggregate. */
  events: {
    fifo: true,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    batchSize: 10,
    contentBasedDeduplication: false,
    reportBatchItemFailures: true,
    retentionDays: 4,
    deadLetterRetentionDays: 14,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof queueDefinitions;
