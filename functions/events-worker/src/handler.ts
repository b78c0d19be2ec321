import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { caseReactions } from '@civicgrid/api';
import { awsDependencies, awsMetrics } from '@civicgrid/aws-runtime';
import { queueDefinitions } from '@civicgrid/queue';
import { createEventsWorker } from '@civicgrid/workers';
import type { SQSHandler } from 'aws-lambda';

const { store, logger, clock, events } = awsDependencies();
const metrics = awsMetrics();

const work = createEventsWorker({
  store,
  logger,
  fifo: queueDefinitions.events.fifo,
  reactions: caseReactions({ store, clock, events }),
});

/** Works a batch of the events queue; failed messages go back to the queue, one by one. */
export const handler: SQSHandler = async (event, context) => {
  metrics.captureColdStartMetric();
  const response = await work(event, context);
  const failed = response.batchItemFailures.length;
  metrics.addMetric('EventsHandled', MetricUnit.Count, event.Records.length - failed);
  metrics.addMetric('EventsFailed', MetricUnit.Count, failed);
  metrics.publishStoredMetrics();
  return response;
};
