import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '@civicgrid/domain';
import type { Store } from '@civicgrid/storage';
import { tenantTimeZone } from './counter-store';
import { monthToReconcile, type ReconcileReport, reconcileMonth } from './reconcile';

export interface NightlyOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Add the difference to drifted counters; off by default, so a drift is looked at first. */
  repair?: boolean;
}

/**
 * The nightly run: for each tenant, the month that holds yesterday (on its own wall clock) is
 * recomputed from the event logs and compared; every drift is logged as a warning.
 */
export const reconcileTenants = async (
  { store, clock, logger, repair = false }: NightlyOptions,
  tenantIds: readonly string[],
): Promise<ReconcileReport[]> => {
  const reports: ReconcileReport[] = [];
  for (const tenantId of tenantIds) {
    const month = monthToReconcile(clock.now(), await tenantTimeZone(store.tenant(tenantId)));
    const report = await reconcileMonth({ store, tenantId, month, repair });
    const summary = {
      tenantId,
      month,
      aggregates: report.aggregates,
      counters: report.counters,
      drifts: report.drifts.length,
      behind: report.behind.length,
      repaired: report.repaired,
    };
    if (report.drifts.length > 0)
      logger.warn('analytics counters drifted', { ...summary, sample: report.drifts.slice(0, 20) });
    else logger.info('analytics counters reconciled', summary);
    reports.push(report);
  }
  return reports;
};
