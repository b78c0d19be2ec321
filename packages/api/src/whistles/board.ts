import type { Principal, WhistleState, WhistleStatus, WorkingCalendar } from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { unitsOfLevel } from '../org/unit-store';
import { tenantCalendar } from '../settings/calendar-store';
import { findWhistle, summonsOf, type WhistlePartition, whistlesIn } from './whistle-store';

/**
 * board: the whistles under way in the caller's place; review: what the district must decide
 * (filed, or blown at once and not yet reviewed); summons: a department's open calls; archive:
 * archived whistles.
 */
export const boardViews = ['board', 'review', 'summons', 'archive'] as const;
export type BoardView = (typeof boardViews)[number];

export interface BoardFilter {
  status?: WhistleStatus;
  kind?: WhistleState['kind'];
  category?: string;
  commonality?: WhistleState['commonality'];
  sourceKind?: WhistleState['source']['kind'];
  /** The year, in the tenant's time zone, the whistle was drafted (archive numbers carry the year of archiving). */
  year?: number;
  /** Words in the description or address, or (part of) the archive number. */
  q?: string;
}

export interface Board {
  view: BoardView;
  items: WhistleState[];
  /** Set when the view reads one partition and more pages follow. */
  nextCursor?: string;
  /** Set when the view spans several partitions and one of them held more than a page. */
  truncated: boolean;
}

const ongoing: WhistleStatus[] = ['draft', 'filed', 'returned', 'approved', 'blown', 'acting', 'closed'];

const statusesOf = (view: BoardView, filter: BoardFilter): WhistleStatus[] => {
  const base: WhistleStatus[] =
    view === 'archive' ? ['archived'] : view === 'review' ? ['filed', 'blown', 'acting'] : ongoing;
  return filter.status ? base.filter((s) => s === filter.status) : base;
};

/** Where the caller's whistles live: its street's or district's partitions, or every district's for the city. */
const ownersOf = async (tenant: TenantStore, principal: Principal): Promise<WhistlePartition['owner'][]> => {
  const { scope } = principal;
  if (scope.kind === 'city')
    return (await unitsOfLevel(tenant, 'district')).map((u) => ({ district: u.data.code }));
  if (scope.kind !== 'org') return [];
  return [scope.code.length === 6 ? { district: scope.code } : { street: scope.code.slice(0, 9) }];
};

/** What a listing filters with: the caller, the view, and the tenant's calendar for the year in its zone. */
interface Lens {
  principal: Principal;
  view: BoardView;
  calendar: WorkingCalendar | undefined;
}

const matches = (w: WhistleState, filter: BoardFilter, { principal, view, calendar }: Lens) => {
  const { scope } = principal;
  // A community sees the whistles in its place and those it raised; a grid worker those in its grid.
  if (scope.kind === 'org' && scope.code.length > 9) {
    if (!w.location.gridCode.startsWith(scope.code) && w.raisedBy !== scope.code) return false;
  }
  if (view === 'review' && w.status !== 'filed' && !w.reviewPending) return false;
  if (filter.kind && w.kind !== filter.kind) return false;
  if (filter.category && !w.categories.includes(filter.category)) return false;
  if (filter.commonality && w.commonality !== filter.commonality) return false;
  if (filter.sourceKind && w.source.kind !== filter.sourceKind) return false;
  if (filter.year && Number(calendar?.localDateOf(new Date(w.draftedAt)).slice(0, 4)) !== filter.year)
    return false;
  if (filter.q) {
    const text = [w.description, w.location.address ?? '', w.archiveNumber ?? ''].join(' ').toLowerCase();
    if (
      !filter.q
        .toLowerCase()
        .split(/\s+/)
        .filter(Boolean)
        .every((word) => text.includes(word))
    )
      return false;
  }
  return true;
};

/** The whistles a caller asked for, read from the indexes that hold them; never a scan. */
export const whistleBoard = async (
  tenant: TenantStore,
  principal: Principal,
  view: BoardView,
  filter: BoardFilter,
  cursor?: string,
): Promise<Board> => {
  // The calendar (one read) is needed only to place drafting dates in the tenant's year.
  const lens: Lens = { principal, view, calendar: filter.year ? await tenantCalendar(tenant) : undefined };
  if (view === 'summons') {
    if (principal.scope.kind !== 'department') return { view, items: [], truncated: false };
    const page = await summonsOf(tenant, principal.scope.departmentId, cursor);
    const found = await Promise.all(page.ids.map((id) => findWhistle(tenant, id)));
    const items = found.flatMap((f) => (f && matches(f.data, filter, lens) ? [f.data] : []));
    return { view, items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), truncated: false };
  }
  const partitions = (await ownersOf(tenant, principal)).flatMap((owner) =>
    statusesOf(view, filter).map((status) => ({ owner, status })),
  );
  const single = partitions.length === 1;
  const items: WhistleState[] = [];
  let truncated = false;
  let nextCursor: string | undefined;
  for (const partition of partitions) {
    const page = await whistlesIn(tenant, partition, single ? cursor : undefined);
    items.push(...page.items.filter((w) => matches(w, filter, lens)));
    if (page.nextCursor) {
      if (single) nextCursor = page.nextCursor;
      else truncated = true;
    }
  }
  return { view, items, ...(nextCursor ? { nextCursor } : {}), truncated };
};
