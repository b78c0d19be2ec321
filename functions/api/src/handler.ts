import { createApp } from '@civicgrid/api';
import { awsDependencies, cognitoAuth, s3Attachments } from '@civicgrid/aws-runtime';
import { getConnInfo, handle } from 'hono/aws-lambda';

export const handler = handle(
  createApp({
    ...awsDependencies(),
    auth: cognitoAuth(),
    attachments: s3Attachments(),
    clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
  }),
);
