import { describe, expect, it } from 'vitest';
import { translator } from './i18n';
import {
  countLabel,
  hasNoticeBox,
  loadSeen,
  type Notice,
  newestSeen,
  noticeHref,
  noticeKeyOf,
  noticeText,
  saveSeen,
  unreadOf,
} from './notices';

const notice = (type: string, at: string, caseId = '01JCASE'): Notice => ({
  eventId: `e-${at}`,
  caseId,
  type,
  at,
  message: `消息 message of ${type}`,
});

/** A Storage over a Map, as localStorage behaves. */
const memoryStorage = (): Storage => {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, value),
  };
};

// Every type the events worker writes a notice for (packages/workers/src/events/notifications.ts).
const workerTypes = [
  'case.reported',
  'case.verified',
  'case.registered',
  'case.dispatched',
  'case.returned',
  'case.handled',
  'case.check_failed',
  'case.closed',
  'case.check_passed',
  'case.extension_requested',
  'case.urged',
  'whistle.filed',
  'whistle.blown',
  'whistle.returned',
  'whistle.rejected',
  'whistle.approved',
  'whistle.missing_flagged',
  'whistle.closed',
  // The deadline sweeper's (packages/workers/src/deadlines/sweeper.ts).
  'case.step_overdue',
  'case.step_due_soon',
];

describe('notice texts', () => {
  it('gives every type the worker notifies a text in both languages', () => {
    for (const type of workerTypes) {
      const key = noticeKeyOf(type);
      expect(key, type).toBeDefined();
      for (const lang of ['zh', 'en'] as const) {
        expect(translator(lang).t(key as NonNullable<typeof key>), `${type} ${lang}`).toMatch(/\S/);
      }
    }
    expect(noticeText(notice('case.dispatched', '2026-05-01T00:00:00.000Z'), translator('zh'))).toBe(
      '收到派遣任务',
    );
    expect(noticeText(notice('whistle.blown', '2026-05-01T00:00:00.000Z'), translator('en'))).toBe(
      'Whistle blown: report on site in time',
    );
    // A deadline notice names its step in the console's language.
    const overdue = { ...notice('case.step_overdue', '2026-05-01T00:00:00.000Z'), step: 'verify' };
    expect(noticeText(overdue, translator('zh'))).toMatch(/^环节已超时: \S+$/);
    expect(noticeText(overdue, translator('en'))).toBe(`Step overdue: ${translator('en').command('verify')}`);
    expect(noticeText({ ...overdue, step: 'check' }, translator('en'))).toBe(
      `Step overdue: ${translator('en').t('stepCheck')}`,
    );
  });

  it('falls back to the API’s message for a type it does not know, including inherited names', () => {
    const unknown = notice('case.something_new', '2026-05-01T00:00:00.000Z');
    expect(noticeKeyOf('case.something_new')).toBeUndefined();
    expect(noticeKeyOf('toString')).toBeUndefined();
    expect(noticeText(unknown, translator('en'))).toBe('消息 message of case.something_new');
  });
});

describe('notice links', () => {
  it('leads case notices to the case and whistle notices to the whistle', () => {
    expect(noticeHref(notice('case.dispatched', '2026-05-01T00:00:00.000Z', 'C1'))).toBe('/cases/C1');
    expect(noticeHref(notice('whistle.blown', '2026-05-01T00:00:00.000Z', 'W1'))).toBe('/whistles/W1');
    expect(noticeHref(notice('case.urged', '2026-05-01T00:00:00.000Z', 'a/b'))).toBe('/cases/a%2Fb');
  });
});

describe('unread counting', () => {
  const items = [
    notice('case.dispatched', '2026-05-01T03:00:00.000Z'),
    notice('case.urged', '2026-05-01T02:00:00.000Z'),
    notice('case.dispatched', '2026-05-01T01:00:00.000Z'),
  ];

  it('counts every notice when the list was never opened', () => {
    expect(unreadOf({ items }, undefined)).toEqual({ count: 3, more: false });
    expect(unreadOf({ items: [] }, undefined)).toEqual({ count: 0, more: false });
  });

  it('counts only notices after the newest one seen', () => {
    expect(unreadOf({ items }, '2026-05-01T01:00:00.000Z')).toEqual({ count: 2, more: false });
    expect(unreadOf({ items }, '2026-05-01T03:00:00.000Z')).toEqual({ count: 0, more: false });
    expect(unreadOf({ items, nextCursor: 'c' }, '2026-05-01T02:00:00.000Z')).toEqual({
      count: 1,
      more: false,
    });
  });

  it('says "more" when a whole page is new and another follows', () => {
    const page = { items, nextCursor: 'next' };
    expect(unreadOf(page, '2026-04-30T00:00:00.000Z')).toEqual({ count: 3, more: true });
    expect(countLabel(unreadOf(page, undefined))).toBe('3+');
    expect(countLabel({ count: 2, more: false })).toBe('2');
  });

  it('marks the newest notice as seen and never moves the mark back', () => {
    expect(newestSeen(items, undefined)).toBe('2026-05-01T03:00:00.000Z');
    expect(newestSeen(items, '2026-05-02T00:00:00.000Z')).toBe('2026-05-02T00:00:00.000Z');
    expect(newestSeen([], undefined)).toBeUndefined();
  });

  it('keeps the mark per city and user', () => {
    const storage = memoryStorage();
    saveSeen(storage, 'demo-city', 'urbanmgmt', '2026-05-01T03:00:00.000Z');
    saveSeen(storage, 'demo-city', 'street', undefined);
    expect(loadSeen(storage, 'demo-city', 'urbanmgmt')).toBe('2026-05-01T03:00:00.000Z');
    expect(loadSeen(storage, 'demo-city', 'street')).toBeUndefined();
    expect(loadSeen(storage, 'other-city', 'urbanmgmt')).toBeUndefined();
  });

  it('counts everything as new when storage refuses', () => {
    const broken = {
      ...memoryStorage(),
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    } as Storage;
    expect(() => saveSeen(broken, 'demo-city', 'u', '2026-05-01T00:00:00.000Z')).not.toThrow();
    expect(loadSeen(broken, 'demo-city', 'u')).toBeUndefined();
  });
});

describe('who has a notice box', () => {
  it('asks for notices for the working roles, not for the city admin or the operator', () => {
    for (const role of [
      'district_center',
      'street_center',
      'community_station',
      'grid_worker',
      'department',
      'citizen',
    ] as const) {
      expect(hasNoticeBox(role), role).toBe(true);
    }
    expect(hasNoticeBox('city_admin')).toBe(false);
    expect(hasNoticeBox('platform_operator')).toBe(false);
  });
});
