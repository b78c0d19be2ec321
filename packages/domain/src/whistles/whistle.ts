import type { Role } from '../identity/roles';

/** 应急哨、重点哨、常规哨: the kind sets how soon summoned departments must report. */
export const whistleKinds = ['emergency', 'key', 'routine'] as const;
export type WhistleKind = (typeof whistleKinds)[number];

/** Where the whistle came from (哨源), kept so that recurring sources show up. */
export const whistleSourceKinds = ['case', 'patrol', 'hotline', 'community', 'plan'] as const;
export type WhistleSourceKind = (typeof whistleSourceKinds)[number];

export interface WhistleSource {
  kind: WhistleSourceKind;
  /** A case id, hotline ticket, community code or plan number, as the kind suggests. */
  ref?: string;
}

/** 共性问题综合治理，个性问题特殊治理: common problems get a shared treatment. */
export const commonalities = ['common', 'individual'] as const;
export type Commonality = (typeof commonalities)[number];

/**
 * draft → filed (with the district center) → returned | rejected | approved → blown → acting →
 * closed → archived. Kinds blown at once go from filed straight to blown and are reviewed after.
 */
export const whistleStatuses = [
  'draft',
  'filed',
  'returned',
  'rejected',
  'approved',
  'blown',
  'acting',
  'closed',
  'archived',
] as const;
export type WhistleStatus = (typeof whistleStatuses)[number];

/** An archived whistle is read-only; a rejected one never went out. */
export const terminalWhistleStatuses = ['rejected', 'archived'] as const satisfies readonly WhistleStatus[];

export interface WhistleLocation {
  /** WGS-84 [longitude, latitude]; check-ins are measured against it. */
  point: [number, number];
  /** The 15-digit grid code; it places the whistle inside its street. */
  gridCode: string;
  address?: string;
}

export interface WhistleActorRef {
  userId: string;
  role: Role;
  departmentId?: string;
}

/** "1+5" resident departments can lend a second inspector; "N" on-call departments cannot. */
export type SummonKind = 'resident' | 'on_call';

export interface CheckIn {
  at: string;
  /** WGS-84 [longitude, latitude] as reported by the officer's device. */
  position: [number, number];
  /** Whole metres from the whistle's point. */
  distanceM: number;
  onSite: boolean;
  late: boolean;
  by: WhistleActorRef;
}

export interface Summons {
  departmentId: string;
  kind: SummonKind;
  acknowledgedAt?: string;
  report?: CheckIn;
  /** Set when the deadline passed without a report; a late report afterwards keeps it. */
  missing?: { flaggedAt: string };
  /** Cases the department opened in its own competence afterwards (后段分流处置). */
  followUps: { caseIds: string[]; note?: string; at: string; by: WhistleActorRef }[];
}

export interface Officer {
  userId: string;
  departmentId: string;
}

/**
 * How the power was exercised: two competent officers act jointly; one acts with a resident
 * officer of another department as second inspector; with none, evidence is gathered and the
 * offender summoned.
 */
export type ActionMode = 'joint' | 'second_inspector' | 'evidence_only';

export interface ActionRecord {
  id: number;
  description: string;
  /** The power used, e.g. an order to remove an illegal structure. */
  power: string;
  competentDepartmentId: string;
  officers: Officer[];
  secondInspector?: Officer;
  mode: ActionMode;
  evidenceIds: string[];
  at: string;
  by: WhistleActorRef;
}

export type Score = 1 | 2 | 3 | 4 | 5;

/** The street's or the source community's rating of one summoned department. */
export interface DepartmentEvaluation {
  departmentId: string;
  evaluator: 'street' | 'community';
  response: Score;
  attitude: Score;
  result: Score;
  comment?: string;
  at: string;
  by: WhistleActorRef;
}

/** A department's rating of the whistle: the other half of the two-way evaluation. */
export interface WhistleRating {
  departmentId: string;
  score: Score;
  /** A whistle blown without cause counts against the street. */
  withoutCause: boolean;
  comment?: string;
  at: string;
  by: WhistleActorRef;
}

export interface WhistleReview {
  outcome: 'approved' | 'returned' | 'rejected';
  reason?: string;
  /** True for kinds blown at once, reviewed after the departments were already called. */
  afterBlow: boolean;
  at: string;
  by: WhistleActorRef;
}

/** The aggregate, as folded from its event log by `evolve`. */
export interface WhistleState {
  id: string;
  tenantId: string;
  /** The 9-digit street that blows the whistle; a community's whistle goes to its parent street. */
  streetCode: string;
  /** The 12-digit community that raised the whistle, if a community did. */
  raisedBy?: string;
  source: WhistleSource;
  kind: WhistleKind;
  description: string;
  categories: string[];
  commonality: Commonality;
  location: WhistleLocation;
  status: WhistleStatus;
  draftedAt: string;
  filedAt?: string;
  /** Every review decision, oldest first; a whistle may be returned and filed again. */
  reviews: WhistleReview[];
  /** Set for kinds blown at filing until the district center has reviewed them. */
  reviewPending: boolean;
  blownAt?: string;
  /** ISO timestamp by which every summoned department should have reported. */
  reportBy?: string;
  summons: Summons[];
  actions: ActionRecord[];
  closedAt?: string;
  /** What was fed back to the source when the whistle was closed. */
  feedback?: string;
  evaluations: DepartmentEvaluation[];
  departmentRatings: WhistleRating[];
  archiveNumber?: string;
  archivedAt?: string;
  /** Number of events folded; storage appends event `version + 1` conditionally. */
  version: number;
}

/** All the linked case ids the departments opened after the joint action. */
export const followUpCaseIds = (state: WhistleState): string[] =>
  state.summons.flatMap((summons) => summons.followUps.flatMap((followUp) => followUp.caseIds));
