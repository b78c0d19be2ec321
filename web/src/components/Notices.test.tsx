// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api';
import { ApiError } from '../api';
import { AppContext } from '../hooks';
import { I18nContext, type Lang, translator } from '../i18n';
import { loadSeen, type Notice, type NoticePage, saveSeen } from '../notices';
import type { Session } from '../session';
import { NoticesControl } from './Notices';

const session: Session = {
  tenantId: 'demo-city',
  token: 'tok',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: {
    id: 'urbanmgmt',
    username: 'urbanmgmt',
    displayName: '城管',
    role: 'department',
    scope: { kind: 'department', departmentId: 'urban-enforcement' },
  },
};

const notice = (n: number, type = 'case.dispatched'): Notice => ({
  eventId: `E${String(n).padStart(3, '0')}`,
  caseId: `C${n}`,
  type,
  at: new Date(Date.UTC(2026, 4, 1, 0, n)).toISOString(),
  message: `消息 ${n} message ${n}`,
});

/** A fake API answering `GET /v1/notifications` from pages keyed by cursor (none: the first). */
const fakeApi = (pages: Record<string, NoticePage> | (() => Promise<NoticePage>)) => {
  const get = vi.fn(async (path: string) => {
    if (typeof pages === 'function') return pages();
    const cursor = new URL(path, 'http://x').searchParams.get('cursor') ?? '';
    const page = pages[cursor];
    if (!page) throw new ApiError(400, 'validation', 'bad cursor');
    return page;
  });
  return { get, post: vi.fn(), put: vi.fn(), patch: vi.fn(), delete: vi.fn() };
};

const mount = (api: ReturnType<typeof fakeApi>, options: { lang?: Lang; pollEvery?: number } = {}) =>
  render(
    <I18nContext.Provider value={translator(options.lang ?? 'zh')}>
      <AppContext.Provider value={{ session, api: api as unknown as ApiClient, signOut: () => {} }}>
        <NoticesControl {...(options.pollEvery ? { pollEvery: options.pollEvery } : {})} />
      </AppContext.Provider>
    </I18nContext.Provider>,
  );

const noticesButton = () => screen.getByTestId('notices-button');

beforeEach(() => {
  localStorage.clear();
  window.history.replaceState(null, '', '/cases');
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the notices control', () => {
  it('counts the notices after the last opening, announces the count, and clears it on opening', async () => {
    saveSeen(localStorage, 'demo-city', 'urbanmgmt', notice(1).at);
    const api = fakeApi({ '': { items: [notice(3), notice(2, 'case.urged'), notice(1)] } });
    mount(api);
    await waitFor(() => expect(noticesButton().textContent).toBe('通知 2 条新通知'));
    expect(screen.getByRole('button', { name: '通知 2 条新通知' }).getAttribute('aria-expanded')).toBe(
      'false',
    );
    fireEvent.click(noticesButton());
    const panel = await screen.findByRole('region', { name: '待办通知' });
    await within(panel).findByText('收到督办');
    const links = within(panel).getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual([
      '收到派遣任务 (新)',
      '收到督办 (新)',
      '收到派遣任务',
    ]);
    expect(links[0]?.getAttribute('href')).toBe('/cases/C3');
    expect(noticesButton().getAttribute('aria-expanded')).toBe('true');
    expect(noticesButton().textContent).toBe('通知');
    expect(loadSeen(localStorage, 'demo-city', 'urbanmgmt')).toBe(notice(3).at);
  });

  it('shows each notice in the current language with its time, and the API’s message for an unknown type', async () => {
    const api = fakeApi({ '': { items: [notice(2, 'whistle.blown'), notice(1, 'case.brand_new')] } });
    mount(api, { lang: 'en' });
    await waitFor(() => expect(noticesButton().textContent).toBe('Notices 2 new'));
    fireEvent.click(noticesButton());
    const panel = await screen.findByRole('region', { name: 'Work waiting for you' });
    const whistle = await within(panel).findByRole('link', { name: /Whistle blown: report on site in time/ });
    expect(whistle.getAttribute('href')).toBe('/whistles/C2');
    expect(
      within(panel)
        .getByRole('link', { name: /消息 1 message 1/ })
        .getAttribute('href'),
    ).toBe('/cases/C1');
    expect(panel.querySelector('time')?.getAttribute('datetime')).toBe(notice(2).at);
  });

  it('follows a notice to its case with the console’s router and closes the list', async () => {
    const api = fakeApi({ '': { items: [notice(7)] } });
    mount(api);
    fireEvent.click(noticesButton());
    const link = await screen.findByRole('link', { name: /收到派遣任务/ });
    fireEvent.click(link);
    expect(window.location.pathname).toBe('/cases/C7');
    expect(screen.queryByRole('region', { name: '待办通知' })).toBeNull();
  });

  it('loads more by the next cursor', async () => {
    const api = fakeApi({
      '': { items: [notice(9), notice(8)], nextCursor: 'page2' },
      page2: { items: [notice(4, 'whistle.closed')] },
    });
    mount(api);
    fireEvent.click(noticesButton());
    const panel = await screen.findByRole('region', { name: '待办通知' });
    fireEvent.click(await within(panel).findByRole('button', { name: '加载更多' }));
    await within(panel).findByRole('link', { name: /吹哨已办结/ });
    expect(within(panel).getAllByRole('link')).toHaveLength(3);
    expect(api.get).toHaveBeenCalledWith('/v1/notifications?limit=20&cursor=page2');
    expect(within(panel).queryByRole('button', { name: '加载更多' })).toBeNull();
  });

  it('shows no count and an empty list when nothing waits', async () => {
    const api = fakeApi({ '': { items: [] } });
    mount(api);
    await waitFor(() => expect(api.get).toHaveBeenCalled());
    expect(noticesButton().textContent).toBe('通知');
    fireEvent.click(noticesButton());
    await screen.findByText('暂无通知');
  });

  it('keeps quiet when the API fails: no count, a calm error in the list with a retry, nothing on the console', async () => {
    const errors = vi.spyOn(console, 'error');
    let fail = true;
    const api = fakeApi(async () => {
      if (fail) throw new ApiError(0, 'network', 'offline');
      return { items: [notice(5)] };
    });
    mount(api);
    await waitFor(() => expect(api.get).toHaveBeenCalled());
    fireEvent.click(noticesButton());
    await screen.findByText(/暂时无法加载通知/);
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    await screen.findByRole('link', { name: /收到派遣任务/ });
    expect(errors).not.toHaveBeenCalled();
  });

  it('closes on Escape and gives focus back to the button', async () => {
    const api = fakeApi({ '': { items: [notice(1)] } });
    mount(api);
    fireEvent.click(noticesButton());
    const link = await screen.findByRole('link', { name: /收到派遣任务/ });
    link.focus();
    fireEvent.keyDown(link, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: '待办通知' })).toBeNull();
    expect(document.activeElement).toBe(noticesButton());
    expect(noticesButton().getAttribute('aria-expanded')).toBe('false');
  });

  it('refreshes the count every interval while the tab is visible, and stops when unmounted', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let items = [notice(1)];
    const api = fakeApi(async () => ({ items }));
    const view = mount(api, { pollEvery: 60_000 });
    await waitFor(() => expect(noticesButton().textContent).toBe('通知 1 条新通知'));
    items = [notice(2), notice(1)];
    await act(async () => vi.advanceTimersByTime(60_000));
    await waitFor(() => expect(noticesButton().textContent).toBe('通知 2 条新通知'));
    // Hidden: no request.
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const before = api.get.mock.calls.length;
    await act(async () => vi.advanceTimersByTime(60_000));
    expect(api.get.mock.calls.length).toBe(before);
    // Visible again: asks at once.
    visibility.mockReturnValue('visible');
    items = [notice(3), notice(2), notice(1)];
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(noticesButton().textContent).toBe('通知 3 条新通知'));
    view.unmount();
    const afterUnmount = api.get.mock.calls.length;
    await act(async () => vi.advanceTimersByTime(180_000));
    expect(api.get.mock.calls.length).toBe(afterUnmount);
  });
});
