import type { Role } from '../identity/roles';

/**
 * The case loop (案件闭环): reported → verifying → registered (立案) → dispatched (派遣) → accepted →
 * handled (处理反馈) → checking (核查) → closed (结案) → evaluated, with rework (返工) after a failed
 * check, suspension (挂账) of hard cases, and three ways out early: rejected (不予立案), merged into
 * another case, voided.
 */
export const caseStatuses = [
  'reported',
  'verifying',
  'registered',
  'rejected',
  'dispatched',
  'accepted',
  'handled',
  'checking',
  'rework',
  'closed',
  'evaluated',
  'suspended',
  'merged',
  'voided',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Nothing happens to a case in these any more; its log is complete. */
export const terminalStatuses = [
  'rejected',
  'evaluated',
  'merged',
  'voided',
] as const satisfies readonly CaseStatus[];

/**
 * Still being worked on. `closed` is neither open nor terminal: the work is done and only the
 * reporter's evaluation is missing, so it can no longer be voided, merged or escalated.
 */
export const openStatuses = [
  'reported',
  'verifying',
  'registered',
  'dispatched',
  'accepted',
  'handled',
  'checking',
  'rework',
  'suspended',
] as const satisfies readonly CaseStatus[];

export const isTerminal = (status: CaseStatus): boolean =>
  (terminalStatuses as readonly CaseStatus[]).includes(status);
export const isOpen = (status: CaseStatus): boolean =>
  (openStatuses as readonly CaseStatus[]).includes(status);

/**
 * How the problem reached the platform. Citizen and hotline reports are verified on site first,
 * and so are anonymous ones: from the public reporting page (`web`) or an Open311 client.
 */
export const caseChannels = ['patrol', 'citizen', 'hotline', 'whistle', 'api', 'web', 'open311'] as const;
export type CaseChannel = (typeof caseChannels)[number];

export const channelsNeedingVerification = [
  'citizen',
  'hotline',
  'web',
  'open311',
] as const satisfies readonly CaseChannel[];

/** Channels where anyone may report without an account; the reporter holds only a tracking code. */
export const anonymousChannels = ['web', 'open311'] as const satisfies readonly CaseChannel[];
export const isAnonymousChannel = (channel: CaseChannel): boolean =>
  (anonymousChannels as readonly CaseChannel[]).includes(channel);
export const needsVerification = (channel: CaseChannel): boolean =>
  (channelsNeedingVerification as readonly CaseChannel[]).includes(channel);

/** Which loop owns the case: the street's small loop or the district's big loop. */
export type CaseLevel = 'street' | 'district';

export interface CaseLocation {
  /** WGS-84 [longitude, latitude]. */
  point?: [number, number];
  /** The 15-digit grid code; grid workers verify and check only cases in their own grid. */
  gridCode?: string;
  address?: string;
}

/**
 * Who reported. Only a citizen with an account can evaluate their own case; a hotline caller
 * without one is rated by the center on a return call (回访), and staff reports by the center.
 */
export type ReporterRef =
  | { kind: 'citizen'; userId: string }
  | { kind: 'staff'; userId: string; role: Role }
  | { kind: 'caller'; callerRef?: string }
  /**
   * Someone without an account (public page, Open311 client). `reporterId` is minted at intake
   * and known only to the service that holds the tracking code; whoever presents that code
   * acts as this reporter. The center may rate such a case too, as for hotline callers.
   */
  | { kind: 'anonymous'; reporterId: string };

/** The steps that carry a time limit; durations live in the duty catalog and tenant settings. */
export const stepKeys = ['verify', 'register', 'dispatch', 'accept', 'handle', 'check', 'evaluate'] as const;
export type StepKey = (typeof stepKeys)[number];

export interface Deadline {
  step: StepKey;
  /** ISO timestamp. */
  dueAt: string;
}

export interface ActorRef {
  userId: string;
  role: Role;
  departmentId?: string;
}

/**
 * One department's share of the case. `rework` is `accepted` again after a failed check: the
 * same department must hand in a new result.
 */
export type AssignmentState = 'dispatched' | 'accepted' | 'handled' | 'rework';

export interface Assignment {
  departmentId: string;
  state: AssignmentState;
  dispatchedAt: string;
  acceptedAt?: string;
  handledAt?: string;
  /** The deadline of this department's current step (accept or handle); absent once handled. */
  deadline?: Deadline;
  result?: { text: string; evidenceIds: string[] };
  reworkCount: number;
}

export interface ReturnRecord {
  departmentId: string;
  reason: string;
  at: string;
  by: ActorRef;
}

export interface CheckRecord {
  passed: boolean;
  at: string;
  by: ActorRef;
  note?: string;
  /** Why it failed, and whose results failed. */
  reason?: string;
  departmentIds?: string[];
  attachmentIds: string[];
  /** The grid worker's device on site, and its distance from the case's point in metres. */
  position?: [number, number];
  distanceM?: number;
}

export interface ExtensionRequest {
  /** 1-based, in order of request; stable because the log is append-only. */
  id: number;
  departmentId: string;
  reason: string;
  /** The deadline the department asks for. */
  requestedUntil: string;
  requestedAt: string;
  requestedBy: ActorRef;
  status: 'pending' | 'approved' | 'rejected';
  decidedAt?: string;
  decidedBy?: ActorRef;
  grantedUntil?: string;
  rejectionReason?: string;
}

/** Whom an urging (督办) is addressed to: the step's assignee when it was sent. */
export type UrgingTarget =
  | { kind: 'departments'; departmentIds: string[] }
  | { kind: 'grid'; gridCode: string }
  | { kind: 'center'; orgCode: string };

export interface Urging {
  id: number;
  at: string;
  by: ActorRef;
  message: string;
  /** Whether the step was past its deadline when urged; urging at will is allowed too. */
  overdue: boolean;
  step?: StepKey;
  target: UrgingTarget;
  acknowledgements: { at: string; by: ActorRef }[];
}

export interface Evaluation {
  satisfaction: 1 | 2 | 3 | 4 | 5;
  comment?: string;
  at: string;
  by: ActorRef;
}

/** The aggregate, as folded from its event log by `evolve`. */
export interface CaseState {
  id: string;
  tenantId: string;
  status: CaseStatus;
  channel: CaseChannel;
  categoryCode?: string;
  description: string;
  attachmentIds: string[];
  location: CaseLocation;
  level: CaseLevel;
  /** The street (9 digits) or district (6 digits) whose center runs the case. */
  handlingOrgCode: string;
  reporter: ReporterRef;
  reportedAt: string;
  verification?: {
    confirmed: boolean;
    note?: string;
    attachmentIds: string[];
    at: string;
    by: ActorRef;
    /** The grid worker's device on site, and its distance from the case's point in metres. */
    position?: [number, number];
    distanceM?: number;
  };
  registeredAt?: string;
  rejection?: { reason: string; at: string; by: ActorRef };
  /** Departments currently dispatched; a department that returns the case leaves this list. */
  assignments: Assignment[];
  returns: ReturnRecord[];
  returnCount: number;
  checks: CheckRecord[];
  reworkCount: number;
  extensions: ExtensionRequest[];
  /** The case's current step; while departments work, the earliest of their deadlines. */
  deadline?: Deadline;
  escalations: { fromOrgCode: string; toOrgCode: string; reason: string; at: string; by: ActorRef }[];
  suspension?: { previousStatus: CaseStatus; reason: string; at: string; by: ActorRef };
  closedAt?: string;
  mergedInto?: string;
  duplicates: string[];
  voided?: { reason: string; at: string; by: ActorRef };
  evaluation?: Evaluation;
  urgings: Urging[];
  /** Number of events folded; storage appends event `version + 1` conditionally. */
  version: number;
}
