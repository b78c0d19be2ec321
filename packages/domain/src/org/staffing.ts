import type { CommunityKind, GridKind } from './codes';

/**
 * C city's staffing per grid: urban basic "4+X" = liaison + grid head + one full-time
 * worker + at least one part-time worker + volunteers; village basic "3+X" drops the
 * full-time worker; exclusive "2+X" = grid head + at least one part-time worker + volunteers.
 */
export type StaffingModel = '4+X' | '3+X' | '2+X';

export interface RosterMember {
  name: string;
  phone?: string;
  userId?: string;
}

export interface Roster {
  liaison?: RosterMember;
  gridHead?: RosterMember;
  fullTime: RosterMember[];
  partTime: RosterMember[];
  volunteers: RosterMember[];
}

export const emptyRoster = (): Roster => ({ fullTime: [], partTime: [], volunteers: [] });

export const staffingModel = (gridKind: GridKind, communityKind: CommunityKind | undefined): StaffingModel =>
  gridKind === 'exclusive' ? '2+X' : communityKind === 'village' ? '3+X' : '4+X';

export interface StaffingReport {
  model: StaffingModel;
  complete: boolean;
  missing: ('liaison' | 'gridHead' | 'fullTime' | 'partTime')[];
}

export const checkStaffing = (model: StaffingModel, roster: Roster): StaffingReport => {
  const missing: StaffingReport['missing'] = [];
  if (model !== '2+X' && !roster.liaison) missing.push('liaison');
  if (!roster.gridHead) missing.push('gridHead');
  if (model === '4+X' && roster.fullTime.length < 1) missing.push('fullTime');
  if (roster.partTime.length < 1) missing.push('partTime');
  return { model, complete: missing.length === 0, missing };
};
