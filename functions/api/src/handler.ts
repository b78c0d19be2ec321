import { createApp } from '@civicgrid/api';
import {
  awsDependencies,
  awsMetrics,
  cognitoAuth,
  resolveClientIp,
  s3Attachments,
} from '@civicgrid/aws-runtime';
import { getConnInfo, handle } from 'hono/aws-lambda';

const metrics = awsMetrics();
// Set by the stack: the secret the console's CloudFront distribution sends along.
const originSecret = process.env.CLOUDFRONT_ORIGIN_SECRET || undefined;

const serve = handle(
  createApp({
    ...awsDependencies(),
    auth: cognitoAuth(),
    attachments: s3Attachments(),
    clientIp: (c) =>
      resolveClientIp(getConnInfo(c).remote.address, (name) => c.req.header(name), originSecret),
  }),
);

// API Gateway already counts requests, errors and latency; the function adds its cold starts.
export const handler: typeof serve = (event, context) => {
  metrics.captureColdStartMetric();
  return serve(event, context);
};
