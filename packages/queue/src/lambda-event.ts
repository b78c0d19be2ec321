import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '@civicgrid/domain';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ReceivedMessage } from './in-process-queue';

/** The shape of an SQS-triggered Lambda handler, so local delivery calls the very same function. */
// biome-ignore lint/suspicious/noConfusingVoidType: Lambda's own contract; a handler may return nothing.
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export const LOCAL_REGION = 'local';

/** Records shaped as Lambda's SQS event source mapping builds them. */
export const toSqsEvent = (queue: { arn: string }, messages: readonly ReceivedMessage[]): SQSEvent => ({
  Records: messages.map(
    (message): SQSRecord => ({
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: { ...message.attributes },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: LOCAL_REGION,
    }),
  ),
});

/** Enough of a Lambda context for handlers that log the request id or watch the remaining time. */
export const localLambdaContext = (options: {
  functionName: string;
  timeoutMs: number;
  clock: Clock;
}): Context => {
  const { functionName, timeoutMs, clock } = options;
  const deadline = clock.now().getTime() + timeoutMs;
  const legacy = () => {
    throw new Error('context.done/fail/succeed are not supported; return or throw instead');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now().getTime()),
    done: legacy,
    fail: legacy,
    succeed: legacy,
  };
};
