import { activeTenantIds, tenantCalendar } from '@civicgrid/api';
import { awsDependencies } from '@civicgrid/aws-runtime';
import { sweepDeadlines } from '@civicgrid/workers';
import type { ScheduledHandler } from 'aws-lambda';

const { store, clock, logger } = awsDependencies();

/** Runs on an EventBridge schedule: tells assignees of steps due soon or overdue. */
export const handler: ScheduledHandler = async () => {
  const result = await sweepDeadlines(
    { store, clock, calendarFor: (id) => tenantCalendar(store.tenant(id)) },
    await activeTenantIds(store),
  );
  logger.info('deadlines swept', { ...result });
};
