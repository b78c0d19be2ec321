import type {
  ActionMode,
  Commonality,
  Officer,
  Score,
  SummonKind,
  WhistleActorRef,
  WhistleKind,
  WhistleLocation,
  WhistleSource,
} from './whistle';

/**
 * One entry of a whistle's immutable log. Derived facts (deadline, distance, lateness, archive
 * number) are in the event so that replay never consults settings or the clock again.
 */
interface EventOf<T extends string, P> {
  type: T;
  whistleId: string;
  /** ISO timestamp. */
  at: string;
  actor: WhistleActorRef;
  payload: P;
}

export type WhistleDrafted = EventOf<
  'whistle.drafted',
  {
    tenantId: string;
    streetCode: string;
    raisedBy?: string;
    kind: WhistleKind;
    source: WhistleSource;
    description: string;
    categories: string[];
    commonality: Commonality;
    location: WhistleLocation;
    departments: { departmentId: string; kind: SummonKind }[];
  }
>;
export type WhistleFiled = EventOf<
  'whistle.filed',
  {
    description?: string;
    departments?: { departmentId: string; kind: SummonKind }[];
    note?: string;
    /** The kind is blown at once and reviewed after. */
    blownAtOnce: boolean;
  }
>;
export type WhistleApproved = EventOf<'whistle.approved', { note?: string; afterBlow: boolean }>;
export type WhistleReturned = EventOf<'whistle.returned', { reason: string }>;
export type WhistleRejected = EventOf<'whistle.rejected', { reason: string; afterBlow: boolean }>;
export type WhistleBlown = EventOf<'whistle.blown', { reportBy: string }>;
export type WhistleAcknowledged = EventOf<'whistle.acknowledged', { departmentId: string }>;
export type WhistleReported = EventOf<
  'whistle.reported',
  { departmentId: string; position: [number, number]; distanceM: number; onSite: boolean; late: boolean }
>;
export type WhistleMissingFlagged = EventOf<'whistle.missing_flagged', { departmentIds: string[] }>;
export type WhistleActionRecorded = EventOf<
  'whistle.action_recorded',
  {
    actionId: number;
    description: string;
    power: string;
    competentDepartmentId: string;
    officers: Officer[];
    secondInspector?: Officer;
    mode: ActionMode;
    evidenceIds: string[];
  }
>;
export type WhistleFollowedUp = EventOf<
  'whistle.followed_up',
  { departmentId: string; caseIds: string[]; note?: string }
>;
export type WhistleClosed = EventOf<'whistle.closed', { feedback: string }>;
export type WhistleEvaluated = EventOf<
  'whistle.evaluated',
  {
    departmentId: string;
    evaluator: 'street' | 'community';
    response: Score;
    attitude: Score;
    result: Score;
    comment?: string;
  }
>;
export type WhistleRated = EventOf<
  'whistle.rated',
  { departmentId: string; score: Score; withoutCause: boolean; comment?: string }
>;
export type WhistleArchived = EventOf<'whistle.archived', { archiveNumber: string }>;

export type WhistleEvent =
  | WhistleDrafted
  | WhistleFiled
  | WhistleApproved
  | WhistleReturned
  | WhistleRejected
  | WhistleBlown
  | WhistleAcknowledged
  | WhistleReported
  | WhistleMissingFlagged
  | WhistleActionRecorded
  | WhistleFollowedUp
  | WhistleClosed
  | WhistleEvaluated
  | WhistleRated
  | WhistleArchived;

export type WhistleEventType = WhistleEvent['type'];
