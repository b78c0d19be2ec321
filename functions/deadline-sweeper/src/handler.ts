import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { activeTenantIds, deadlineSweepOptions } from '@civicgrid/api';
import { awsDependencies, awsMetrics } from '@civicgrid/aws-runtime';
import { sweepDeadlines } from '@civicgrid/workers';
import type { ScheduledHandler } from 'aws-lambda';

const { store, clock, events, logger } = awsDependencies();
const metrics = awsMetrics();

/** Runs on an EventBridge schedule: tells assignees of steps due soon or overdue, flags
 * departments that missed a whistle's report-by deadline. */
export const handler: ScheduledHandler = async () => {
  metrics.captureColdStartMetric();
  const result = await sweepDeadlines(
    deadlineSweepOptions({ store, clock, events }),
    await activeTenantIds(store),
  );
  logger.info('deadlines swept', { ...result });
  metrics.addMetric('StepsChecked', MetricUnit.Count, result.checked);
  metrics.addMetric('WarningsSent', MetricUnit.Count, result.warned);
  metrics.addMetric('OverdueFlagged', MetricUnit.Count, result.overdue);
  metrics.addMetric('MissingReportsFlagged', MetricUnit.Count, result.flagged);
  metrics.publishStoredMetrics();
};
