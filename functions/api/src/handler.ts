import { createApp } from '@civicgrid/api';
import { awsDependencies, awsMetrics, cognitoAuth, s3Attachments } from '@civicgrid/aws-runtime';
import { getConnInfo, handle } from 'hono/aws-lambda';

const metrics = awsMetrics();

const serve = handle(
  createApp({
    ...awsDependencies(),
    auth: cognitoAuth(),
    attachments: s3Attachments(),
    clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
  }),
);

// API Gateway already counts requests, errors and latency; the function adds its cold starts.
export const handler: typeof serve = (event, context) => {
  metrics.captureColdStartMetric();
  return serve(event, context);
};
