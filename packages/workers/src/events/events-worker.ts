import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type DomainEvent, parseDomainEvent } from '@civicgrid/queue';
import type { Store } from '@civicgrid/storage';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { updateCounters } from '../analytics/updater';
import { notify } from './notifications';
import { recordEvent } from './timeline';

export interface EventsWorkerDeps {
  store: Store;
  logger: Logger;
  /** FIFO queues must stop a message group at its first failure so order is kept. */
  fifo: boolean;
  /** What the product does in answer to an event (e.g. auto-dispatch); each must be idempotent. */
  reactions?: readonly ((event: DomainEvent) => Promise<void>)[];
}

/**
 * Consumes the domain events queue. Each record is handled on its own; failures are reported
 * per record (batchItemFailures) so only they are retried and, past maxReceiveCount, dead-lettered.
 */
export const createEventsWorker = ({ store, logger, fifo, reactions = [] }: EventsWorkerDeps) => {
  const handleRecord = async (record: SQSRecord) => {
    const event = parseDomainEvent(record.body);
    const outcome = await recordEvent(store, event);
    const notices = await notify(store, event);
    // Read models of the analytics: counters per period and dimension (idempotent, order-tolerant).
    await updateCounters(store, event);
    for (const react of reactions) await react(event);
    logger.debug('event recorded', { eventId: event.id, type: event.type, outcome, notices });
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // skipGroupOnError: a failure holds back only the rest of its own message group.
    const response = fifo
      ? await processPartialResponse(event, handleRecord, new SqsFifoPartialProcessorAsync(), {
          context,
          skipGroupOnError: true,
        })
      : await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context });
    if (response.batchItemFailures.length > 0) {
      logger.warn('records failed', { failed: response.batchItemFailures.map((f) => f.itemIdentifier) });
    }
    return response;
  };
};
