import { AppError, type CaseActor, type CaseState, decide, isOpen } from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { type CaseSummary, summaryPartition } from './case-store';
import { distanceM } from './duplicates';

/** How near another open case must lie to be offered as the one this case duplicates. */
export const MERGE_RADIUS_M = 500;
/** How far back (by month of report) candidates are looked for. */
const MERGE_MONTHS = 3;
const MAX_CANDIDATES = 20;

export type MergeCandidate = CaseSummary & { distanceM: number };

const recentMonths = (now: Date) =>
  Array.from({ length: MERGE_MONTHS }, (_, back) => {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    return month.toISOString().slice(0, 7);
  });

/**
 * Open cases of the same category (any, while the case has none yet) within a few hundred metres
 * in the case's street, nearest first, that `actor` could merge the case into now: each is
 * judged by the case machine, so that a pick from the list is never refused for its place or state.
 */
export const mergeCandidates = async (
  tenant: TenantStore,
  state: CaseState,
  actor: CaseActor,
  now: Date,
): Promise<MergeCandidate[]> => {
  const { gridCode, point } = state.location;
  if (!gridCode || !point) return [];
  const found: MergeCandidate[] = [];
  for (const month of recentMonths(now)) {
    let cursor: string | undefined;
    do {
      const page = await tenant.query<CaseSummary>({
        pk: summaryPartition(gridCode.slice(0, 9), month),
        limit: 200,
        cursor,
      });
      for (const { data } of page.items) {
        if (data.id === state.id || !isOpen(data.status) || !data.point) continue;
        if (state.categoryCode && data.categoryCode !== state.categoryCode) continue;
        const distance = distanceM(point, data.point);
        if (distance <= MERGE_RADIUS_M) found.push({ ...data, distanceM: Math.round(distance) });
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  const mergeable = (candidate: CaseSummary) => {
    try {
      decide(
        state,
        {
          type: 'merge',
          primary: {
            id: candidate.id,
            tenantId: state.tenantId,
            status: candidate.status,
            handlingOrgCode: candidate.handlingOrgCode,
          },
        },
        actor,
        now,
        () => now,
      );
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  };
  return found
    .filter(mergeable)
    .sort((a, b) => a.distanceM - b.distanceM || b.reportedAt.localeCompare(a.reportedAt))
    .slice(0, MAX_CANDIDATES);
};
