import { AppError, type CaseState, type Principal, type WorkingCalendar } from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { assertAllowed } from '../http/auth';
import { unitsOfLevel } from '../org/unit-store';
import { type CaseSummary, summaryPartition } from './case-store';

export interface CaseSearch {
  from: string;
  to: string;
  orgCode?: string;
  status?: CaseState['status'];
  categoryCode?: string;
  departmentId?: string;
  channel?: CaseState['channel'];
  overdue?: boolean;
  limit: number;
}

const MAX_MONTHS = 12;

const monthsBetween = (from: string, to: string) => {
  const months: string[] = [];
  const cursor = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  const last = to.slice(0, 7);
  while (cursor.toISOString().slice(0, 7) <= last) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
};

/**
 * Searches the summaries of the streets under the place asked for (or the caller's place),
 * one partition per street and month of report; every other filter is applied to those. A
 * department searches the cases dispatched to it, wherever they are.
 */
export const searchCases = async (
  tenant: TenantStore,
  principal: Principal,
  query: CaseSearch,
  { now, calendar }: { now: Date; calendar: WorkingCalendar },
) => {
  const { scope } = principal;
  const own = scope.kind === 'department' ? scope.departmentId : undefined;
  if (own && query.departmentId && query.departmentId !== own)
    throw new AppError('forbidden', 'A department searches only the cases dispatched to it.');
  const departmentId = own ?? query.departmentId;
  const place = query.orgCode ?? (scope.kind === 'org' ? scope.code : undefined);
  // A department's results are its own cases, so any place narrows them without widening its reach.
  if (place && !own) assertAllowed(principal, 'cases.read', { orgCode: place });
  else if (!place && !own && scope.kind !== 'city')
    throw new AppError('forbidden', 'Search needs a place (orgCode) within your scope.');
  if (query.from > query.to)
    throw new AppError('validation_failed', '`from` is after `to`.', { field: 'from' });
  const months = monthsBetween(query.from, query.to);
  if (months.length > MAX_MONTHS) {
    throw new AppError('validation_failed', `Search at most ${MAX_MONTHS} months at a time.`, {
      field: 'to',
    });
  }
  const streets =
    place && place.length >= 9
      ? [place.slice(0, 9)]
      : (await unitsOfLevel(tenant, 'street'))
          .map((s) => s.data.code)
          .filter((code) => !place || code.startsWith(place));

  const matches = (s: CaseSummary) =>
    (!place || s.gridCode.startsWith(place)) &&
    (!query.status || s.status === query.status) &&
    (!query.categoryCode || s.categoryCode === query.categoryCode) &&
    (!departmentId || s.departmentIds.includes(departmentId)) &&
    (!query.channel || s.channel === query.channel) &&
    (!query.overdue ||
      (s.deadline !== undefined &&
        calendar.deadlineStatus(new Date(s.deadline.dueAt), now, 0) === 'overdue'));

  const items: CaseSummary[] = [];
  let truncated = false;
  for (const street of streets) {
    for (const month of months) {
      let cursor: string | undefined;
      do {
        const page = await tenant.query<CaseSummary>({
          pk: summaryPartition(street, month),
          skBetween: [[query.from], [`${query.to}~`]],
          limit: 200,
          cursor,
        });
        for (const { data } of page.items) {
          if (!matches(data)) continue;
          if (items.length === query.limit) {
            truncated = true;
            break;
          }
          items.push(data);
        }
        cursor = truncated ? undefined : page.nextCursor;
      } while (cursor);
      if (truncated) break;
    }
    if (truncated) break;
  }
  items.sort((a, b) => b.reportedAt.localeCompare(a.reportedAt));
  return { items, truncated };
};
