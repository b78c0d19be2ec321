import type { CaseActionType, CaseState, Role } from '@civicgrid/domain';

/** Who is signed in, as `/v1/me` and the login answer describe them. */
export interface Viewer {
  id: string;
  role: Role;
  scope: { kind: 'org'; code: string } | { kind: 'department'; departmentId: string } | { kind: string };
}

/**
 * A case as the API shows it: the state, its deadline status and timeline, and what the caller
 * may do now — the commands (judged by the case machine on the server) and the urgings to
 * acknowledge. The console offers exactly those and derives none itself.
 */
export type CaseView = CaseState & {
  deadlineStatus?: 'on_time' | 'due_soon' | 'overdue';
  allowedCommands?: CaseActionType[];
  urgingsToAcknowledge?: number[];
  timeline?: { type: string; at: string; actor?: { userId: string; role: Role; departmentId?: string } }[];
  contact?: { name?: string; phone?: string };
  possibleDuplicates?: string[];
  /** The names of the departments the case mentions, for readers who cannot list departments. */
  departmentNames?: Record<string, { zh: string; en?: string }>;
};

/** A row of a case list: a full case (inbox) or the summary that search answers. */
export interface CaseRow {
  id: string;
  status: CaseState['status'];
  channel: CaseState['channel'];
  reportedAt: string;
  categoryCode?: string;
  /** The whole description (inbox) or its beginning (search). */
  description?: string;
  location?: CaseState['location'];
  /** Search summaries carry the point and grid beside, not in, a location. */
  point?: [number, number];
  gridCode?: string;
  deadlineStatus?: CaseView['deadlineStatus'];
  /** Inbox rows say what the caller may do now. */
  allowedCommands?: CaseActionType[];
}

/** Where a row lies on the map, whichever shape the API gave it in. */
export const pointOf = (row: CaseRow): [number, number] | undefined => row.point ?? row.location?.point;

/** Inbox buckets: what is late, what falls due soon, and the rest. */
export const bucketOf = (view: Pick<CaseView, 'deadlineStatus'>): 'overdue' | 'due_soon' | 'waiting' =>
  view.deadlineStatus === 'overdue' ? 'overdue' : view.deadlineStatus === 'due_soon' ? 'due_soon' : 'waiting';
