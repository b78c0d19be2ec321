import type {
  ActorRef,
  CaseChannel,
  CaseLevel,
  CaseLocation,
  CaseStatus,
  Deadline,
  ReporterRef,
  StepKey,
  UrgingTarget,
} from './case';

/**
 * One entry of a case's immutable log. Everything `evolve` needs is in the event, deadlines
 * included, so that replaying a log never consults the calendar or the catalog again.
 */
interface EventOf<T extends string, P> {
  type: T;
  /** The case whose log the event belongs to; a merge writes to two logs. */
  caseId: string;
  /** ISO timestamp. */
  at: string;
  actor: ActorRef;
  payload: P;
}

export type CaseReported = EventOf<
  'case.reported',
  {
    tenantId: string;
    channel: CaseChannel;
    description: string;
    categoryCode?: string;
    location: CaseLocation;
    attachmentIds: string[];
    level: CaseLevel;
    handlingOrgCode: string;
    reporter: ReporterRef;
    deadline: Deadline;
  }
>;
/** Where the grid worker's device was on site, and how far from the case's point (metres). */
export interface OnSite {
  position?: [number, number];
  distanceM?: number;
}
export type CaseVerified = EventOf<
  'case.verified',
  { confirmed: boolean; note?: string; attachmentIds: string[]; deadline: Deadline } & OnSite
>;
export type CaseRegistered = EventOf<
  'case.registered',
  { categoryCode: string; note?: string; deadline: Deadline }
>;
export type CaseRejected = EventOf<'case.rejected', { reason: string }>;
export type CaseDispatched = EventOf<
  'case.dispatched',
  {
    departments: { departmentId: string; deadline: Deadline }[];
    catalogVersion?: string;
    note?: string;
  }
>;
export type CaseAccepted = EventOf<'case.accepted', { departmentId: string; deadline: Deadline }>;
export type CaseReturned = EventOf<
  'case.returned',
  {
    departmentId: string;
    reason: string;
    /** Set when no department is left and the case goes back to the center for re-dispatch. */
    deadline?: Deadline;
  }
>;
export type CaseHandled = EventOf<
  'case.handled',
  {
    departmentId: string;
    result: string;
    evidenceIds: string[];
    /** Set when this was the last result outstanding and the on-site check is due. */
    deadline?: Deadline;
  }
>;
export type CaseCheckStarted = EventOf<'case.check_started', Record<string, never>>;
export type CaseCheckPassed = EventOf<
  'case.check_passed',
  { note?: string; attachmentIds: string[]; deadline: Deadline } & OnSite
>;
export type CaseCheckFailed = EventOf<
  'case.check_failed',
  {
    reason: string;
    attachmentIds: string[];
    departments: { departmentId: string; deadline: Deadline }[];
  } & OnSite
>;
export type CaseEvaluated = EventOf<'case.evaluated', { satisfaction: 1 | 2 | 3 | 4 | 5; comment?: string }>;
export type CaseEscalated = EventOf<
  'case.escalated',
  {
    reason: string;
    fromOrgCode: string;
    toOrgCode: string;
    level: CaseLevel;
    /** Street-level dispatches withdrawn: the district routes the case afresh. */
    withdrawnDepartmentIds: string[];
    status: CaseStatus;
    deadline?: Deadline;
  }
>;
export type CaseExtensionRequested = EventOf<
  'case.extension_requested',
  { extensionId: number; departmentId: string; reason: string; until: string }
>;
export type CaseExtensionApproved = EventOf<
  'case.extension_approved',
  { extensionId: number; departmentId: string; until: string; step: StepKey }
>;
export type CaseExtensionRejected = EventOf<
  'case.extension_rejected',
  { extensionId: number; departmentId: string; reason: string }
>;
export type CaseSuspended = EventOf<'case.suspended', { reason: string; previousStatus: CaseStatus }>;
export type CaseResumed = EventOf<
  'case.resumed',
  {
    note?: string;
    status: CaseStatus;
    /** Fresh deadlines: time spent suspended does not count against anyone. */
    deadline?: Deadline;
    departments: { departmentId: string; deadline: Deadline }[];
  }
>;
export type CaseMerged = EventOf<'case.merged', { primaryId: string }>;
/** Written to the primary's log when a duplicate is merged into it. */
export type CaseDuplicateLinked = EventOf<'case.duplicate_linked', { duplicateId: string }>;
export type CaseVoided = EventOf<'case.voided', { reason: string }>;
export type CaseUrged = EventOf<
  'case.urged',
  { urgingId: number; message: string; overdue: boolean; step?: StepKey; target: UrgingTarget }
>;
export type CaseUrgingAcknowledged = EventOf<'case.urging_acknowledged', { urgingId: number }>;

export type CaseEvent =
  | CaseReported
  | CaseVerified
  | CaseRegistered
  | CaseRejected
  | CaseDispatched
  | CaseAccepted
  | CaseReturned
  | CaseHandled
  | CaseCheckStarted
  | CaseCheckPassed
  | CaseCheckFailed
  | CaseEvaluated
  | CaseEscalated
  | CaseExtensionRequested
  | CaseExtensionApproved
  | CaseExtensionRejected
  | CaseSuspended
  | CaseResumed
  | CaseMerged
  | CaseDuplicateLinked
  | CaseVoided
  | CaseUrged
  | CaseUrgingAcknowledged;

export type CaseEventType = CaseEvent['type'];
