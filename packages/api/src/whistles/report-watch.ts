import { ConflictError, type Principal, type WhistleState } from '@civicgrid/domain';
import type { AutomationDeps } from '../cases/automation';
import { commandWhistle } from './service';
import { findWhistle, type ReportByEntry, reportByPartition } from './whistle-store';

/** Report-by deadlines further back than this are left to a person (the sweeper was down a week). */
const LOOK_BACK_DAYS = 7;
const DAY_MS = 86_400_000;

/** Acting for the whistle's street, and saying so in the log and the audit. */
const streetOf = (state: WhistleState): Principal => ({
  tenantId: state.tenantId,
  userId: 'system:report-watch',
  role: 'street_center',
  scope: { kind: 'org', code: state.streetCode },
});

/**
 * Flags the summoned departments that have not reported once a whistle's report-by deadline
 * has passed (未按时报到). Run by the deadline sweeper for each tenant; returns how many whistles
 * it flagged. Sweeping again flags nobody twice: a flagged whistle leaves the index.
 */
export const watchReportDeadlines =
  (deps: AutomationDeps) =>
  async (tenantId: string): Promise<number> => {
    const tenant = deps.store.tenant(tenantId);
    const now = deps.clock.now();
    const due: ReportByEntry[] = [];
    for (let d = -LOOK_BACK_DAYS; d <= 0; d += 1) {
      const day = new Date(now.getTime() + d * DAY_MS).toISOString().slice(0, 10);
      let cursor: string | undefined;
      do {
        const page = await tenant.query<ReportByEntry>({ pk: reportByPartition(day), limit: 200, cursor });
        due.push(...page.items.map((i) => i.data).filter((e) => new Date(e.reportBy) < now));
        cursor = page.nextCursor;
      } while (cursor);
    }
    let flagged = 0;
    for (const entry of due) {
      const current = await findWhistle(tenant, entry.whistleId);
      // The index may trail a decision by a moment; only the whistle's own state counts.
      if (!current || current.data.reportBy !== entry.reportBy) continue;
      if (current.data.summons.every((s) => s.report !== undefined || s.missing !== undefined)) continue;
      try {
        await commandWhistle(
          {
            tenant,
            principal: streetOf(current.data),
            requestId: `report-watch.${entry.whistleId}.${entry.reportBy}`,
            clock: deps.clock,
            events: deps.events,
            assertUploaded: async () => {},
          },
          current,
          { type: 'flagMissing' },
        );
        flagged += 1;
      } catch (error) {
        // Someone reported or flagged in the meantime: the next sweep sees the new state.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return flagged;
  };
