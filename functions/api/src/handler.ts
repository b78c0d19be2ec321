import { createApp } from '@civicgrid/api';
import { awsDependencies } from '@civicgrid/aws-runtime';
import { handle } from 'hono/aws-lambda';

export const handler = handle(createApp(awsDependencies()));
