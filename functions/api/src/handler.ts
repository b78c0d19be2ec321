import { createApp } from '@civicgrid/api';
import { awsDependencies, cognitoAuth } from '@civicgrid/aws-runtime';
import { getConnInfo, handle } from 'hono/aws-lambda';

export const handler = handle(
  createApp({
    ...awsDependencies(),
    auth: cognitoAuth(),
    clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
  }),
);
