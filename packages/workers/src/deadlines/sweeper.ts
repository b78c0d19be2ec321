import { type CaseState, type Clock, ConflictError, type WorkingCalendar } from '@civicgrid/domain';
import type { Store, TenantStore } from '@civicgrid/storage';
import { type Notice, noticeKey, type Recipient } from '../events/notifications';
import { type DeadlineEntry, deadlinePartition } from './deadline-index';

export interface SweepOptions {
  store: Store;
  clock: Clock;
  /** Each tenant counts working time by its own calendar. */
  calendarFor: (tenantId: string) => Promise<WorkingCalendar>;
  /** Working minutes before a deadline at which the assignee is warned. */
  warnBeforeMinutes?: number;
  /** Other deadlines watched per tenant (e.g. whistles' report-by); each returns what it flagged. */
  watches?: readonly ((tenantId: string) => Promise<number>)[];
}

export interface SweepResult {
  checked: number;
  warned: number;
  overdue: number;
  /** Items the watches flagged, e.g. whistles whose departments missed the report-by deadline. */
  flagged: number;
}

/** Days to look back (overdue steps keep being found) and ahead (warnings across long holidays). */
const LOOK_BACK_DAYS = 7;
const LOOK_AHEAD_DAYS = 10;
const DAY_MS = 86_400_000;

/** Who works on the step that is falling due. */
export const stepRecipients = (state: CaseState): Recipient[] => {
  const step = state.deadline?.step;
  const grid: Recipient[] = state.location.gridCode ? [`grid:${state.location.gridCode}`] : [];
  const center: Recipient[] = [`org:${state.handlingOrgCode}`];
  switch (step) {
    case 'verify':
    case 'check':
      return grid;
    case 'accept':
    case 'handle':
      return state.assignments
        .filter((a) => a.state !== 'handled')
        .map((a) => `department:${a.departmentId}` as const);
    case 'evaluate':
      return state.reporter.kind === 'citizen' ? [`user:${state.reporter.userId}`] : center;
    default:
      return center;
  }
};

const entriesAround = async (tenant: TenantStore, now: Date) => {
  const entries: DeadlineEntry[] = [];
  for (let d = -LOOK_BACK_DAYS; d <= LOOK_AHEAD_DAYS; d += 1) {
    const day = new Date(now.getTime() + d * DAY_MS).toISOString().slice(0, 10);
    let cursor: string | undefined;
    do {
      const page = await tenant.query<DeadlineEntry>({ pk: deadlinePartition(day), limit: 200, cursor });
      entries.push(...page.items.map((i) => i.data));
      cursor = page.nextCursor;
    } while (cursor);
  }
  return entries;
};

const writeNotice = async (tenant: TenantStore, recipient: Recipient, notice: Notice) => {
  try {
    await tenant.create({ key: noticeKey(recipient, notice.eventId), entity: 'notification', data: notice });
    return true;
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'already_exists') return false;
    throw error;
  }
};

/**
 * Finds the steps of one tenant that fall due soon or are overdue, and tells the assignee
 * (and, once overdue, the center, which may then urge). Notices are keyed by case, deadline
 * and kind, so sweeping again tells nobody twice.
 */
export const sweepTenant = async (options: SweepOptions, tenantId: string): Promise<SweepResult> => {
  const tenant = options.store.tenant(tenantId);
  const now = options.clock.now();
  const result: SweepResult = { checked: 0, warned: 0, overdue: 0, flagged: 0 };
  const calendar = await options.calendarFor(tenantId);
  for (const entry of await entriesAround(tenant, now)) {
    result.checked += 1;
    const status = calendar.deadlineStatus(new Date(entry.dueAt), now, options.warnBeforeMinutes ?? 60);
    if (status === 'on_time') continue;
    const state = (
      await tenant.get<CaseState>({ pk: ['case', entry.caseId], sk: ['state'] }, { consistentRead: true })
    )?.data;
    // The index may trail a decision by a moment; only the case's own deadline counts.
    if (!state || state.deadline?.dueAt !== entry.dueAt) continue;
    const kind = status === 'overdue' ? 'overdue' : 'due_soon';
    const notice: Notice = {
      eventId: `${kind}.${entry.caseId}.${entry.step}.${entry.dueAt}`,
      caseId: entry.caseId,
      type: `case.step_${kind}`,
      at: now.toISOString(),
      step: entry.step,
      message:
        kind === 'overdue'
          ? `环节已超时 ${entry.step} step is overdue`
          : `环节即将到期 ${entry.step} step falls due soon`,
    };
    const recipients = [
      ...stepRecipients(state),
      ...(kind === 'overdue' ? [`org:${state.handlingOrgCode}` as const] : []),
    ];
    let wrote = false;
    for (const recipient of new Set(recipients))
      wrote = (await writeNotice(tenant, recipient, notice)) || wrote;
    if (wrote) result[kind === 'overdue' ? 'overdue' : 'warned'] += 1;
  }
  for (const watch of options.watches ?? []) result.flagged += await watch(tenantId);
  return result;
};

export const sweepDeadlines = async (options: SweepOptions, tenantIds: readonly string[]) => {
  const total: SweepResult = { checked: 0, warned: 0, overdue: 0, flagged: 0 };
  for (const tenantId of tenantIds) {
    const r = await sweepTenant(options, tenantId);
    total.checked += r.checked;
    total.warned += r.warned;
    total.overdue += r.overdue;
    total.flagged += r.flagged;
  }
  return total;
};
