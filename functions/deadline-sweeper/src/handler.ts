import { activeTenantIds, deadlineSweepOptions } from '@civicgrid/api';
import { awsDependencies } from '@civicgrid/aws-runtime';
import { sweepDeadlines } from '@civicgrid/workers';
import type { ScheduledHandler } from 'aws-lambda';

const { store, clock, events, logger } = awsDependencies();

/** Runs on an EventBridge schedule: tells assignees of steps due soon or overdue, flags
 * departments that missed a whistle's report-by deadline. */
export const handler: ScheduledHandler = async () => {
  const result = await sweepDeadlines(
    deadlineSweepOptions({ store, clock, events }),
    await activeTenantIds(store),
  );
  logger.info('deadlines swept', { ...result });
};
