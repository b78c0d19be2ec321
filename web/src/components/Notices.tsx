import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { errorText } from '../errors';
import { useApp } from '../hooks';
import { useT } from '../i18n';
import {
  countLabel,
  loadSeen,
  type Notice,
  type NoticePage,
  newestSeen,
  noticeHref,
  noticesPageSize,
  noticesPollInterval,
  noticeText,
  saveSeen,
  unreadOf,
} from '../notices';
import { navigate } from '../router';

/** How many notices the open list shows at first and adds with "load more". */
const listPageSize = 20;

type List =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'ready'; items: Notice[]; nextCursor?: string; more: 'idle' | 'loading' | 'error' };

/**
 * The top bar's notices: a button with the count of notices newer than when the user last opened the
 * list (refreshed every minute while the tab is visible), opening a panel of the notices, each a link
 * to its case or whistle. A failed refresh keeps the last count; a failed list says so inside the panel.
 */
export function NoticesControl({ pollEvery = noticesPollInterval }: { pollEvery?: number }) {
  const { api, session } = useApp();
  const i18n = useT();
  const { t, date } = i18n;
  const { tenantId } = session;
  const userId = session.user.id;
  const [latest, setLatest] = useState<NoticePage>({ items: [] });
  const [seenAt, setSeenAt] = useState(() => loadSeen(localStorage, tenantId, userId));
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<List>({ state: 'loading' });
  // What was seen before this opening: the notices after it are marked new in the list.
  const [seenBefore, setSeenBefore] = useState<string | undefined>();
  const button = useRef<HTMLButtonElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const headingId = useId();

  // The count: asked at once, then every `pollEvery` while the tab is visible and on coming back to it.
  useEffect(() => {
    let live = true;
    const poll = () => {
      if (document.visibilityState !== 'visible') return;
      api.get<NoticePage>(`/v1/notifications?limit=${noticesPageSize}`).then(
        (page) => {
          if (live) setLatest(page);
        },
        () => {
          // Quietly keep the last count: the list shows the error when opened.
        },
      );
    };
    poll();
    const timer = setInterval(poll, pollEvery);
    document.addEventListener('visibilitychange', poll);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [api, pollEvery]);

  /** Marks everything up to the newest of these notices as seen, for this user on this device. */
  const markSeen = useCallback(
    (notices: Notice[]) =>
      setSeenAt((before) => {
        const next = newestSeen(notices, before);
        if (next !== before) saveSeen(localStorage, tenantId, userId, next);
        return next;
      }),
    [tenantId, userId],
  );

  const loadFirst = useCallback(() => {
    setList({ state: 'loading' });
    api.get<NoticePage>(`/v1/notifications?limit=${listPageSize}`).then(
      (page) => {
        setList({ state: 'ready', items: page.items, nextCursor: page.nextCursor, more: 'idle' });
        markSeen(page.items);
      },
      (error: unknown) => setList({ state: 'error', error }),
    );
  }, [api, markSeen]);

  const loadMore = () => {
    if (list.state !== 'ready' || !list.nextCursor) return;
    const { nextCursor } = list;
    setList({ ...list, more: 'loading' });
    api
      .get<NoticePage>(`/v1/notifications?limit=${listPageSize}&cursor=${encodeURIComponent(nextCursor)}`)
      .then(
        (page) =>
          setList((current) =>
            current.state === 'ready'
              ? {
                  state: 'ready',
                  items: [...current.items, ...page.items],
                  nextCursor: page.nextCursor,
                  more: 'idle',
                }
              : current,
          ),
        () => setList((current) => (current.state === 'ready' ? { ...current, more: 'error' } : current)),
      );
  };

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);

  const toggle = () => {
    if (open) return close(false);
    setOpen(true);
    setSeenBefore(seenAt);
    markSeen(latest.items);
    loadFirst();
  };

  // Escape closes the panel and gives focus back to the button; a click or tap elsewhere closes it.
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) close(false);
    };
    const onEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close(true);
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', onEscape);
    };
  }, [open, close]);

  const unread = unreadOf(latest, seenAt);
  const shown = unread.count > 0 ? countLabel(unread) : undefined;

  return (
    <div className="notices" ref={wrapper}>
      <button
        type="button"
        ref={button}
        className="link notices-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={toggle}
        data-testid="notices-button"
      >
        {t('notices')}
        {shown && (
          <span className="notices-count">
            {' '}
            {shown}
            <span className="sr-only"> {t('noticesUnread')}</span>
          </span>
        )}
      </button>
      <span className="sr-only" aria-live="polite">
        {shown ? `${t('notices')} ${shown} ${t('noticesUnread')}` : ''}
      </span>
      {open && (
        <section className="notices-panel card" id={panelId} aria-labelledby={headingId}>
          <div className="notices-head">
            <h2 id={headingId}>{t('noticesTitle')}</h2>
            <button type="button" className="link notices-close" onClick={() => close(true)}>
              {t('noticesClose')}
            </button>
          </div>
          {list.state === 'loading' && (
            <p className="muted" aria-busy="true">
              {t('loading')}
            </p>
          )}
          {list.state === 'error' && (
            <div className="muted" role="status">
              <p>
                {t('noticesFailed')} ({errorText(list.error, i18n)})
              </p>
              <button type="button" onClick={loadFirst}>
                {t('retry')}
              </button>
            </div>
          )}
          {list.state === 'ready' && list.items.length === 0 && <p className="muted">{t('noticesEmpty')}</p>}
          {list.state === 'ready' && list.items.length > 0 && (
            <>
              <ul className="notices-list">
                {list.items.map((notice) => {
                  const href = noticeHref(notice);
                  const isNew = unreadOf({ items: [notice] }, seenBefore).count > 0;
                  return (
                    <li key={notice.eventId}>
                      <a
                        href={href}
                        className={isNew ? 'notices-link unread' : 'notices-link'}
                        onClick={(event) => {
                          event.preventDefault();
                          setOpen(false);
                          navigate(href);
                        }}
                      >
                        {noticeText(notice, i18n)}
                        {isNew && <span className="sr-only"> ({t('noticeNew')})</span>}
                      </a>
                      <span className="muted notices-meta">
                        <time dateTime={notice.at}>{date(notice.at)}</time> · {notice.caseId}
                      </span>
                    </li>
                  );
                })}
              </ul>
              {list.more === 'error' && (
                <p className="muted" role="status">
                  {t('noticesFailed')}
                </p>
              )}
              {list.nextCursor && (
                <button type="button" onClick={loadMore} disabled={list.more === 'loading'}>
                  {list.more === 'loading' ? t('loading') : t('noticesMore')}
                </button>
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
}
