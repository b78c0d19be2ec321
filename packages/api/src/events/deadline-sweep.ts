import type { SweepOptions } from '@civicgrid/workers';
import type { AutomationDeps } from '../cases/automation';
import { tenantCalendar } from '../settings/calendar-store';
import { watchReportDeadlines } from '../whistles/report-watch';

/**
 * What the scheduled deadline sweep checks, the same on Lambda and in the embedded platform:
 * case steps by each tenant's working calendar, and whistles' report-by deadlines.
 */
export const deadlineSweepOptions = (deps: AutomationDeps): SweepOptions => ({
  store: deps.store,
  clock: deps.clock,
  calendarFor: (id) => tenantCalendar(deps.store.tenant(id)),
  watches: [watchReportDeadlines(deps)],
});
