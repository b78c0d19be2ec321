import { type CaseState, isOpen } from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { casesByStatus } from './case-store';

/** How close and how recent another open case must be to look like the same problem. */
export const DUPLICATE_RADIUS_M = 200;
export const DUPLICATE_WINDOW_MS = 72 * 3_600_000;

const EARTH_RADIUS_M = 6_371_000;
const toRad = (deg: number) => (deg * Math.PI) / 180;

export const distanceM = ([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]) => {
  const dLat = toRad(lat2 - lat1);
  const dLon = toRad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
};

const openStatuses: CaseState['status'][] = [
  'reported',
  'verifying',
  'registered',
  'dispatched',
  'accepted',
  'handled',
  'checking',
  'rework',
];

/**
 * Open cases of the same grid and category reported nearby in the last days: likely the same
 * problem, flagged so the center can merge them. Only the grid's own partition is read.
 */
export const likelyDuplicates = async (tenant: TenantStore, state: CaseState): Promise<string[]> => {
  const { gridCode, point } = state.location;
  if (!gridCode || !point) return [];
  const reportedAt = new Date(state.reportedAt).getTime();
  const candidates = await casesByStatus(tenant, 'GSI2', gridCode, openStatuses);
  return candidates
    .filter(
      (other) =>
        other.id !== state.id &&
        isOpen(other.status) &&
        other.categoryCode === state.categoryCode &&
        other.location.point !== undefined &&
        distanceM(point, other.location.point) <= DUPLICATE_RADIUS_M &&
        reportedAt - new Date(other.reportedAt).getTime() <= DUPLICATE_WINDOW_MS,
    )
    .map((other) => other.id);
};
