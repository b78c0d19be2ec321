import { activeTenantIds } from '@civicgrid/api';
import { awsDependencies } from '@civicgrid/aws-runtime';
import { reconcileTenants } from '@civicgrid/workers';
import type { ScheduledHandler } from 'aws-lambda';

const { store, clock, logger } = awsDependencies();

/**
 * Runs nightly on an EventBridge schedule: recomputes each tenant's current month of analytics
 * counters from the event logs and logs any drift. `RECONCILE_REPAIR=true` also corrects it.
 */
export const handler: ScheduledHandler = async () => {
  const reports = await reconcileTenants(
    { store, clock, logger, repair: process.env.RECONCILE_REPAIR === 'true' },
    await activeTenantIds(store),
  );
  logger.info('analytics reconciled', {
    tenants: reports.length,
    drifts: reports.reduce((sum, r) => sum + r.drifts.length, 0),
  });
};
