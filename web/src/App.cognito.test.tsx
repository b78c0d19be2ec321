// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { setApiBase } from './api';
import type { CognitoConfig } from './cognito';

const config: CognitoConfig = {
  stage: 'dev',
  region: 'cn-north-1',
  apiBaseUrl: '/api',
  userPoolId: 'cn-north-1_abc',
  userPoolClientId: 'client123',
  authDomain: 'https://civicgrid-dev.auth.cn-north-1.amazoncognito.com',
  redirectPath: '/auth/callback',
};
const auth = { kind: 'cognito', config } as const;

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const idToken = `${b64url({ alg: 'RS256' })}.${b64url({
  exp: Math.floor(Date.now() / 1000) + 3600,
  'custom:tenant_id': 'demo-city',
})}.sig`;
const me = {
  id: 'u-admin',
  username: 'admin',
  displayName: 'City Admin',
  role: 'city_admin',
  scope: { kind: 'org', code: '110101' },
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let assign: ReturnType<typeof vi.fn<(url: string | URL) => void>>;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  assign = vi.fn<(url: string | URL) => void>();
  vi.spyOn(window.location, 'assign').mockImplementation(assign);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  setApiBase('');
  window.history.replaceState(null, '', '/');
});

describe('the console signing in through Cognito', () => {
  it('keeps the password form locally', () => {
    render(<App />);
    expect(document.querySelector('input[type=password]')).not.toBeNull();
  });

  it('offers the hosted UI instead of a password, and sends the browser there with PKCE', async () => {
    render(<App auth={auth} />);
    expect(document.querySelector('input[type=password]')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '使用城市统一账号登录' }));
    await waitFor(() => expect(assign).toHaveBeenCalledTimes(1));
    const url = new URL(assign.mock.calls[0]?.[0] as string);
    expect(url.pathname).toBe('/oauth2/authorize');
    const pending = JSON.parse(sessionStorage.getItem('civicgrid.pkce') as string) as { state: string };
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('redirect_uri')).toBe(`${window.location.origin}/auth/callback`);
  });

  it('completes the sign-in on the callback, asks the API under /api with the ID token, and signs out', async () => {
    sessionStorage.setItem('civicgrid.pkce', JSON.stringify({ verifier: 'V', state: 'S' }));
    window.history.replaceState(null, '', '/auth/callback?code=CODE&state=S');
    setApiBase('/api');
    const calls: { url: string; auth?: string }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const headers = (init?.headers ?? {}) as Record<string, string>;
        calls.push({ url: String(input), ...(headers.authorization ? { auth: headers.authorization } : {}) });
        if (String(input).endsWith('/oauth2/token')) {
          return json({ id_token: idToken, access_token: 'a', refresh_token: 'R1', expires_in: 3600 });
        }
        if (input === '/api/v1/me') return json(me);
        return json({ items: [] });
      }),
    );
    render(<App auth={auth} />);
    await waitFor(() => expect(screen.getByTestId('who').textContent).toContain('City Admin'));
    expect(window.location.pathname).toBe('/');
    expect(calls.find((c) => c.url === '/api/v1/me')?.auth).toBe(`Bearer ${idToken}`);
    const stored = JSON.parse(localStorage.getItem('civicgrid.session') as string);
    expect(stored).toMatchObject({ tenantId: 'demo-city', token: idToken, refreshToken: 'R1' });

    fireEvent.click(screen.getByRole('button', { name: '退出登录' }));
    expect(localStorage.getItem('civicgrid.session')).toBeNull();
    // The refresh token is revoked, not merely forgotten.
    expect(calls.some((c) => c.url.endsWith('/oauth2/revoke'))).toBe(true);
    const logout = new URL(assign.mock.calls.at(-1)?.[0] as string);
    expect(logout.pathname).toBe('/logout');
    expect(logout.searchParams.get('client_id')).toBe('client123');
  });

  it('refuses a callback whose state this tab did not send', async () => {
    sessionStorage.setItem('civicgrid.pkce', JSON.stringify({ verifier: 'V', state: 'S' }));
    window.history.replaceState(null, '', '/auth/callback?code=CODE&state=FORGED');
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(<App auth={auth} />);
    expect((await screen.findByRole('alert')).textContent).toContain('登录未完成');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(localStorage.getItem('civicgrid.session')).toBeNull();
  });
});

const stored = (overrides: Record<string, unknown> = {}) => ({
  tenantId: 'demo-city',
  token: 'OLD',
  expiresAt: new Date(Date.now() - 60_000).toISOString(),
  user: me,
  refreshToken: 'R1',
  ...overrides,
});

/** A fetch that answers the token endpoint with `token` and the API with the user and empty lists. */
const stack = (token: () => Promise<Response>) => {
  const calls: { url: string; auth?: string }[] = [];
  const fetchMock = vi.fn(async (input: string, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ url: String(input), ...(headers.authorization ? { auth: headers.authorization } : {}) });
    if (String(input).endsWith('/oauth2/token')) return token();
    if (String(input).endsWith('/v1/me')) return json(me);
    return json({ items: [] });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, tokenCalls: () => calls.filter((c) => c.url.endsWith('/oauth2/token')) };
};

describe('reopening the console with a spent ID token', () => {
  it('renews the token once before showing the console, and asks the API with the new one', async () => {
    localStorage.setItem('civicgrid.session', JSON.stringify(stored()));
    const { calls, tokenCalls } = stack(async () => json({ id_token: idToken, expires_in: 3600 }));
    const errors = vi.spyOn(console, 'error');
    render(
      <StrictMode>
        <App auth={auth} />
      </StrictMode>,
    );
    expect(screen.getByRole('status').textContent).toContain('正在恢复登录');
    expect(screen.queryByTestId('who')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('who').textContent).toContain('City Admin'));
    expect(tokenCalls()).toHaveLength(1);
    // No API call went out with the spent token.
    expect(calls.filter((c) => c.auth === 'Bearer OLD')).toEqual([]);
    const saved = JSON.parse(localStorage.getItem('civicgrid.session') as string);
    expect(saved).toMatchObject({ token: idToken, refreshToken: 'R1' });
    expect(new Date(saved.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(errors).not.toHaveBeenCalled();
  });

  it('also renews first a token that runs out within the refresh lead', async () => {
    localStorage.setItem(
      'civicgrid.session',
      JSON.stringify(stored({ expiresAt: new Date(Date.now() + 30_000).toISOString() })),
    );
    const { tokenCalls } = stack(async () => json({ id_token: idToken, expires_in: 3600 }));
    render(<App auth={auth} />);
    expect(screen.getByRole('status').textContent).toContain('正在恢复登录');
    await screen.findByTestId('who');
    expect(tokenCalls()).toHaveLength(1);
  });

  it('drops the session and shows the sign-in when the refresh token is refused', async () => {
    localStorage.setItem('civicgrid.session', JSON.stringify(stored()));
    const { calls } = stack(async () => json({ error: 'invalid_grant', error_description: 'revoked' }, 400));
    render(<App auth={auth} />);
    await screen.findByRole('button', { name: '使用城市统一账号登录' });
    expect(screen.getByRole('status').textContent).toContain('登录已过期');
    expect(localStorage.getItem('civicgrid.session')).toBeNull();
    expect(calls.filter((c) => !c.url.endsWith('/oauth2/token'))).toEqual([]);
    // Dropping a spent session is not a sign-out through the hosted UI.
    expect(assign).not.toHaveBeenCalled();
  });

  it('shows a network failure with a retry instead of signing out, and goes on once it works', async () => {
    localStorage.setItem('civicgrid.session', JSON.stringify(stored()));
    let online = false;
    const { tokenCalls } = stack(async () => {
      if (!online) throw new TypeError('Failed to fetch');
      return json({ id_token: idToken, expires_in: 3600 });
    });
    render(<App auth={auth} />);
    expect((await screen.findByRole('alert')).textContent).toContain('暂时无法恢复登录');
    expect(localStorage.getItem('civicgrid.session')).not.toBeNull();
    expect(screen.getByRole('button', { name: '重新登录' })).toBeTruthy();
    online = true;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    await waitFor(() => expect(screen.getByTestId('who').textContent).toContain('City Admin'));
    expect(tokenCalls()).toHaveLength(2);
  });

  it('lets the user give up a session it cannot renew now and sign in afresh', async () => {
    localStorage.setItem('civicgrid.session', JSON.stringify(stored()));
    stack(async () => new Response('upstream', { status: 503 }));
    render(<App auth={auth} />);
    await screen.findByRole('alert');
    fireEvent.click(screen.getByRole('button', { name: '重新登录' }));
    await waitFor(() => expect(assign).toHaveBeenCalledTimes(1));
    expect(new URL(assign.mock.calls[0]?.[0] as string).pathname).toBe('/oauth2/authorize');
    expect(localStorage.getItem('civicgrid.session')).toBeNull();
  });
});

describe('a local session running out while the console is open', () => {
  afterEach(() => vi.useRealTimers());

  it('drops to the sign-in with the session-expired notice, without console errors', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    localStorage.setItem(
      'civicgrid.session',
      JSON.stringify({
        tenantId: 'demo-city',
        token: 'LOCAL',
        expiresAt: new Date(Date.now() + 60 * 60_000).toISOString(),
        user: me,
      }),
    );
    stack(async () => json({}));
    const errors = vi.spyOn(console, 'error');
    render(<App />);
    expect(screen.getByTestId('who').textContent).toContain('City Admin');
    await act(async () => {
      vi.advanceTimersByTime(60 * 60_000);
    });
    expect(screen.queryByTestId('who')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('登录已过期，请重新登录');
    expect(document.querySelector('input[type=password]')).not.toBeNull();
    expect(localStorage.getItem('civicgrid.session')).toBeNull();
    expect(errors).not.toHaveBeenCalled();
  });

  it('forgets a local session that ran out while the tab was closed, even one with a refresh token', () => {
    localStorage.setItem('civicgrid.session', JSON.stringify(stored()));
    render(<App />);
    expect(document.querySelector('input[type=password]')).not.toBeNull();
    expect(localStorage.getItem('civicgrid.session')).toBeNull();
  });
});
