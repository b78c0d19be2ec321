import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '@civicgrid/domain';
import { queueDefinitions, SqsEventPublisher } from '@civicgrid/queue';
import { createDocumentClient, Store } from '@civicgrid/storage';
import { z } from 'zod';

const EnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  EVENTS_QUEUE_URL: z.url(),
  POWERTOOLS_SERVICE_NAME: z.string().default('civicgrid'),
});

/**
 * The production adapters, built once per Lambda container from the environment the CDK
 * stack sets. A missing variable fails the cold start loudly instead of the first request.
 */
export const awsDependencies = (env: NodeJS.ProcessEnv = process.env) => {
  const config = EnvSchema.parse(env);
  return {
    store: new Store(createDocumentClient(), config.TABLE_NAME, systemClock),
    events: new SqsEventPublisher(new SQSClient({}), config.EVENTS_QUEUE_URL, {
      fifo: queueDefinitions.events.fifo,
    }),
    clock: systemClock,
    logger: new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME }),
  };
};
