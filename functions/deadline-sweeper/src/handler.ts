import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { activeTenantIds, tenantCalendar } from '@civicgrid/api';
import { awsDependencies, awsMetrics } from '@civicgrid/aws-runtime';
import { sweepDeadlines } from '@civicgrid/workers';
import type { ScheduledHandler } from 'aws-lambda';

const { store, clock, logger } = awsDependencies();
const metrics = awsMetrics();

/** Runs on an EventBridge schedule: tells assignees of steps due soon or overdue. */
export const handler: ScheduledHandler = async () => {
  metrics.captureColdStartMetric();
  const result = await sweepDeadlines(
    { store, clock, calendarFor: (id) => tenantCalendar(store.tenant(id)) },
    await activeTenantIds(store),
  );
  logger.info('deadlines swept', { ...result });
  metrics.addMetric('StepsChecked', MetricUnit.Count, result.checked);
  metrics.addMetric('WarningsSent', MetricUnit.Count, result.warned);
  metrics.addMetric('OverdueFlagged', MetricUnit.Count, result.overdue);
  metrics.publishStoredMetrics();
};
