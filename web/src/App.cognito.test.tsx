// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
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
