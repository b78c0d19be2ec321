import type { Role } from '@civicgrid/domain';
import type { Translator } from './i18n';
import type { zh } from './messages/notices';

/** A notice as `GET /v1/notifications` answers it: `caseId` is a case's or, for `whistle.*`, a whistle's id. */
export interface Notice {
  eventId: string;
  caseId: string;
  type: string;
  at: string;
  /** The worker's text, Chinese then English: shown when the console does not know the type. */
  message: string;
  /** The case step a deadline notice is about. */
  step?: string;
}

export interface NoticePage {
  items: Notice[];
  nextCursor?: string;
}

/** How often the count is refreshed while the tab is visible. */
export const noticesPollInterval = 60_000;
/** How many notices one request asks for: the count shows "50+" beyond a full page of unread ones. */
export const noticesPageSize = 50;

/**
 * The roles with a notice box (the API keeps one per center, grid, department and citizen); a city
 * admin or the platform operator would always get an empty list, so the console does not ask.
 */
export const hasNoticeBox = (role: Role): boolean => role !== 'city_admin' && role !== 'platform_operator';

type NoticeKey = keyof typeof zh & `notice${'Case' | 'Whistle'}${string}`;

const noticeKeys: Record<string, NoticeKey> = {
  'case.reported': 'noticeCaseReported',
  'case.verified': 'noticeCaseVerified',
  'case.registered': 'noticeCaseRegistered',
  'case.dispatched': 'noticeCaseDispatched',
  'case.returned': 'noticeCaseReturned',
  'case.handled': 'noticeCaseHandled',
  'case.check_failed': 'noticeCaseCheckFailed',
  'case.closed': 'noticeCaseClosed',
  'case.check_passed': 'noticeCaseClosed',
  'case.extension_requested': 'noticeCaseExtensionRequested',
  'case.urged': 'noticeCaseUrged',
  'case.step_overdue': 'noticeCaseStepOverdue',
  'case.step_due_soon': 'noticeCaseStepDueSoon',
  'whistle.filed': 'noticeWhistleFiled',
  'whistle.blown': 'noticeWhistleBlown',
  'whistle.returned': 'noticeWhistleReturned',
  'whistle.rejected': 'noticeWhistleRejected',
  'whistle.approved': 'noticeWhistleApproved',
  'whistle.missing_flagged': 'noticeWhistleMissingFlagged',
  'whistle.closed': 'noticeWhistleClosed',
};

/** The message key of a notice's type, or undefined for a type this console does not know. */
export const noticeKeyOf = (type: string): NoticeKey | undefined =>
  Object.hasOwn(noticeKeys, type) ? noticeKeys[type] : undefined;

/**
 * A notice's text in the console's language, else the API's own (bilingual) message; a deadline
 * notice names its step as the case page does.
 */
export const noticeText = (notice: Notice, i18n: Pick<Translator, 't' | 'command'>): string => {
  const key = noticeKeyOf(notice.type);
  if (!key) return notice.message;
  if (!notice.step) return i18n.t(key);
  return `${i18n.t(key)}: ${notice.step === 'check' ? i18n.t('stepCheck') : i18n.command(notice.step)}`;
};

/** Where a notice leads: a whistle's page for `whistle.*`, else the case's. */
export const noticeHref = (notice: Notice): string =>
  `/${notice.type.startsWith('whistle.') ? 'whistles' : 'cases'}/${encodeURIComponent(notice.caseId)}`;

const timeOf = (iso: string | undefined): number => {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
};

/**
 * How many of the newest notices (newest first) came after `seenAt`, the newest one the user had when
 * last opening the list (never opened: all are new). `more` when a full page is new and more may follow.
 */
export const unreadOf = (page: NoticePage, seenAt: string | undefined): { count: number; more: boolean } => {
  const seen = timeOf(seenAt);
  const count = page.items.filter((notice) => timeOf(notice.at) > seen).length;
  return { count, more: count === page.items.length && count > 0 && page.nextCursor !== undefined };
};

/** The count as the badge shows it: "50+" when more may follow. */
export const countLabel = ({ count, more }: { count: number; more: boolean }): string =>
  more ? `${count}+` : String(count);

/** The newest time among notices and what was seen before: what opening the list marks as seen. */
export const newestSeen = (notices: Notice[], seenAt: string | undefined): string | undefined =>
  notices.reduce<string | undefined>(
    (newest, notice) => (timeOf(notice.at) > timeOf(newest) ? notice.at : newest),
    seenAt,
  );

const seenKey = (tenantId: string, userId: string) => `civicgrid.notices.seen:${tenantId}:${userId}`;

/** When this user last opened the list (the newest notice then), per user and city on this device. */
export const loadSeen = (storage: Storage, tenantId: string, userId: string): string | undefined => {
  try {
    return storage.getItem(seenKey(tenantId, userId)) ?? undefined;
  } catch {
    return undefined; // storage refused (private mode): everything counts as new
  }
};

export const saveSeen = (storage: Storage, tenantId: string, userId: string, at: string | undefined) => {
  try {
    if (at) storage.setItem(seenKey(tenantId, userId), at);
  } catch {
    // storage refused or full: the count starts again from all notices next time
  }
};
