/** @vitest-environment happy-dom */
import { describe, expect, it, vi } from 'vitest';
import { apiUrl, setApiBase } from './api';
import {
  authorizeUrl,
  beginSignIn,
  type CognitoConfig,
  completeSignIn,
  isTransientFailure,
  jwtClaims,
  loadAuthMode,
  needsRefresh,
  pkceChallenge,
  randomString,
  refreshDelay,
  refreshLead,
  refreshTokens,
  renewSession,
  renewSessionOnce,
  revokeRefreshToken,
  SignInError,
  sessionFromTokens,
  signOutUrl,
} from './cognito';
import type { Session } from './session';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

// What the stack writes: authDomain is the user pool domain's base URL.
const config: CognitoConfig = {
  stage: 'prod',
  region: 'cn-north-1',
  apiBaseUrl: '/api',
  userPoolId: 'cn-north-1_abc',
  userPoolClientId: 'client123',
  authDomain: 'https://civicgrid-prod.auth.cn-north-1.amazoncognito.com',
  redirectPath: '/auth/callback',
};
const origin = 'https://console.example';
const now = new Date('2026-05-01T00:00:00Z');

const b64url = (value: unknown) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const idToken = (claims: Record<string, unknown>) => `${b64url({ alg: 'RS256' })}.${b64url(claims)}.sig`;
const exp = now.getTime() / 1000 + 3600;
const id1 = idToken({ sub: 's', token_use: 'id', exp, 'custom:tenant_id': 'demo-city', name: '张三' });

/** A session signed in through Cognito: its ID token `id1` runs out at 01:00, and it can be renewed. */
const renewable: Session = {
  tenantId: 'demo-city',
  token: id1,
  expiresAt: '2026-05-01T01:00:00.000Z',
  user: {
    id: 'u1',
    username: 'admin',
    displayName: 'A',
    role: 'city_admin',
    scope: { kind: 'org', code: '110101' },
  },
  refreshToken: 'R1',
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;
const formOf = (mock: FetchMock, call = 0) => {
  const [url, init] = mock.mock.calls[call] as [string, RequestInit];
  return { url, init, form: Object.fromEntries(new URLSearchParams(init.body as string)) };
};

describe('PKCE', () => {
  // RFC 7636, appendix B. (The 41-character verifier sometimes quoted for it is a mistyped copy:
  // the RFC's is 43 characters, the base64url of 32 octets.)
  const octets = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214,
    191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
  ];
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

  it('derives the S256 challenge of RFC 7636’s example verifier', async () => {
    expect(await pkceChallenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes the verifier as the RFC does, from 32 random octets', () => {
    const fixed = {
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => {
        (array as unknown as Uint8Array).set(octets);
        return array;
      },
      subtle: globalThis.crypto.subtle,
    } as Crypto;
    expect(randomString(32, fixed)).toBe(verifier);
  });
});

describe('loadAuthMode', () => {
  it('is local when /config.json is missing, is the local index.html, or cannot be fetched', async () => {
    expect(await loadAuthMode(async () => new Response('Not found', { status: 404 }))).toEqual({
      kind: 'local',
    });
    const html = async () =>
      new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html' } });
    expect(await loadAuthMode(html)).toEqual({ kind: 'local' });
    expect(await loadAuthMode(async () => json({ stage: 'dev' }))).toEqual({ kind: 'local' });
    expect(
      await loadAuthMode(async () => {
        throw new TypeError('offline');
      }),
    ).toEqual({ kind: 'local' });
  });

  it('is Cognito when the stack’s config names the client and domain', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => json(config));
    expect(await loadAuthMode(fetchMock)).toEqual({ kind: 'cognito', config });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/config.json');
    const mapStyleUrl = 'https://maps.geo.ap-southeast-1.amazonaws.com/v2/styles/Standard/descriptor?key=k';
    expect(await loadAuthMode(async () => json({ ...config, mapStyleUrl }))).toEqual({
      kind: 'cognito',
      config: { ...config, mapStyleUrl },
    });
  });
});

describe('signing in', () => {
  it('sends the browser to the hosted UI with the code flow, PKCE and state', () => {
    const url = new URL(authorizeUrl(config, origin, 'CHALLENGE', 'STATE'));
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://civicgrid-prod.auth.cn-north-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://console.example/auth/callback',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      code_challenge: 'CHALLENGE',
      state: 'STATE',
    });
    // A bare domain works as well.
    expect(authorizeUrl({ ...config, authDomain: 'auth.example.com' }, origin, 'c', 's')).toMatch(
      /^https:\/\/auth\.example\.com\/oauth2\/authorize\?/,
    );
  });

  it('keeps the verifier and state in session storage and sends the verifier’s challenge', async () => {
    const storage = new MemoryStorage();
    const url = new URL(await beginSignIn(config, origin, storage));
    const pending = JSON.parse(storage.getItem('civicgrid.pkce') as string) as {
      verifier: string;
      state: string;
    };
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('code_challenge')).toBe(await pkceChallenge(pending.verifier));
    // Each sign-in gets fresh values.
    await beginSignIn(config, origin, storage);
    expect(JSON.parse(storage.getItem('civicgrid.pkce') as string).state).not.toBe(pending.state);
  });

  it('exchanges the code with the verifier when the state matches, once', async () => {
    const storage = new MemoryStorage();
    storage.setItem('civicgrid.pkce', JSON.stringify({ verifier: 'VERIFIER', state: 'STATE' }));
    const fetchMock = vi.fn<typeof fetch>(async () =>
      json({ id_token: id1, access_token: 'a', refresh_token: 'R1', expires_in: 3600, token_type: 'Bearer' }),
    );
    const tokens = await completeSignIn(
      config,
      origin,
      '?code=CODE&state=STATE',
      storage,
      fetchMock,
      () => now,
    );
    expect(tokens).toEqual({ idToken: id1, refreshToken: 'R1', expiresAt: '2026-05-01T01:00:00.000Z' });
    const { url, init, form } = formOf(fetchMock);
    expect(url).toBe('https://civicgrid-prod.auth.cn-north-1.amazoncognito.com/oauth2/token');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
    expect(form).toEqual({
      client_id: 'client123',
      grant_type: 'authorization_code',
      code: 'CODE',
      redirect_uri: 'https://console.example/auth/callback',
      code_verifier: 'VERIFIER',
    });
    // The pair is spent: replaying the answer fails.
    await expect(
      completeSignIn(config, origin, '?code=CODE&state=STATE', storage, fetchMock),
    ).rejects.toThrow(SignInError);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('refuses an answer whose state this tab did not send, without exchanging its code', async () => {
    const storage = new MemoryStorage();
    storage.setItem('civicgrid.pkce', JSON.stringify({ verifier: 'VERIFIER', state: 'STATE' }));
    const fetchMock = vi.fn<typeof fetch>();
    const failure = await completeSignIn(config, origin, '?code=CODE&state=OTHER', storage, fetchMock).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(SignInError);
    expect((failure as SignInError).code).toBe('state_mismatch');
    const missing = await completeSignIn(config, origin, '?code=CODE', new MemoryStorage(), fetchMock).catch(
      (e: unknown) => e,
    );
    expect((missing as SignInError).code).toBe('no_pending_sign_in');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('reports the hosted UI’s error and a refused exchange', async () => {
    const storage = new MemoryStorage();
    storage.setItem('civicgrid.pkce', JSON.stringify({ verifier: 'V', state: 'S' }));
    await expect(
      completeSignIn(config, origin, '?error=access_denied&error_description=nope&state=S', storage, vi.fn()),
    ).rejects.toMatchObject({ code: 'access_denied', message: 'nope' });
    storage.setItem('civicgrid.pkce', JSON.stringify({ verifier: 'V', state: 'S' }));
    const refused = vi.fn<typeof fetch>(async () => json({ error: 'invalid_grant' }, 400));
    await expect(completeSignIn(config, origin, '?code=C&state=S', storage, refused)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('builds the session from the ID token and the user', () => {
    const user = {
      id: 'u1',
      username: 'admin',
      displayName: '管理员',
      role: 'city_admin' as const,
      scope: { kind: 'org', code: '110101' },
    };
    const tokens = { idToken: id1, refreshToken: 'R1', expiresAt: '2026-05-01T01:00:00.000Z' };
    expect(sessionFromTokens(tokens, user)).toEqual({
      tenantId: 'demo-city',
      token: id1,
      expiresAt: '2026-05-01T01:00:00.000Z',
      user,
      refreshToken: 'R1',
    });
    expect(jwtClaims(id1).name).toBe('张三');
    expect(() => sessionFromTokens({ ...tokens, idToken: idToken({ exp }) }, user)).toThrow(SignInError);
  });
});

describe('refreshing', () => {
  it('renews the ID token with the refresh token and keeps the refresh token', async () => {
    const id2 = idToken({ exp: exp + 1800, 'custom:tenant_id': 'demo-city' });
    const fetchMock = vi.fn<typeof fetch>(async () =>
      json({ id_token: id2, access_token: 'a', expires_in: 3600 }),
    );
    const tokens = await refreshTokens(config, 'R1', fetchMock, () => now);
    expect(tokens).toEqual({ idToken: id2, refreshToken: 'R1', expiresAt: '2026-05-01T01:30:00.000Z' });
    expect(formOf(fetchMock).form).toEqual({
      client_id: 'client123',
      grant_type: 'refresh_token',
      refresh_token: 'R1',
    });

    const session = renewable;
    expect(await renewSession(config, session, fetchMock, () => now)).toEqual({
      ...session,
      token: id2,
      expiresAt: '2026-05-01T01:30:00.000Z',
    });
    const { refreshToken: _, ...noRefresh } = session;
    await expect(renewSession(config, noRefresh, fetchMock)).rejects.toThrow(SignInError);
  });

  it('fails when the refresh token is refused', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => json({ error: 'invalid_grant' }, 400));
    await expect(refreshTokens(config, 'R1', fetchMock)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('tells a network or server failure, worth retrying, from a refused refresh token', async () => {
    const offline = vi.fn<typeof fetch>(async () => {
      throw new TypeError('Failed to fetch');
    });
    const down = vi.fn<typeof fetch>(async () => new Response('<html>bad gateway</html>', { status: 502 }));
    const refused = vi.fn<typeof fetch>(async () => json({ error: 'invalid_grant' }, 400));
    const failures = await Promise.all(
      [offline, down, refused].map((f) => refreshTokens(config, 'R1', f).catch((e: unknown) => e)),
    );
    expect(failures.map((e) => (e as SignInError).code)).toEqual([
      'network_error',
      'server_error',
      'invalid_grant',
    ]);
    expect(failures.map(isTransientFailure)).toEqual([true, true, false]);
    expect(isTransientFailure(new Error('other'))).toBe(false);
  });

  it('renews only a session with a refresh token whose ID token runs out within the lead', () => {
    const session = renewable;
    expect(needsRefresh(session, now)).toBe(false);
    expect(needsRefresh(session, new Date('2026-05-01T00:59:00Z'))).toBe(true);
    expect(needsRefresh(session, new Date('2026-05-03T00:00:00Z'))).toBe(true);
    const { refreshToken: _, ...local } = session;
    expect(needsRefresh(local, new Date('2026-05-03T00:00:00Z'))).toBe(false);
  });

  it('sends one refresh request however many callers ask at once, and a new one afterwards', async () => {
    const id2 = idToken({ exp: exp + 1800, 'custom:tenant_id': 'demo-city' });
    let answer!: (r: Response) => void;
    const fetchMock = vi.fn<typeof fetch>(
      () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
    );
    const session: Session = {
      tenantId: 'demo-city',
      token: id1,
      expiresAt: '2026-05-01T00:00:00.000Z',
      user: {
        id: 'u1',
        username: 'a',
        displayName: 'A',
        role: 'city_admin',
        scope: { kind: 'org', code: '1' },
      },
      refreshToken: 'R-once',
    };
    const first = renewSessionOnce(config, session, fetchMock, () => now);
    const second = renewSessionOnce(config, session, fetchMock, () => now);
    expect(second).toBe(first);
    answer(json({ id_token: id2, expires_in: 3600 }));
    expect((await first).token).toBe(id2);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const again = renewSessionOnce(config, session, fetchMock, () => now);
    answer(json({ id_token: id2, expires_in: 3600 }));
    await again;
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('schedules the refresh shortly before expiry, at once when that has passed', () => {
    expect(refreshLead).toBeGreaterThan(0);
    expect(refreshDelay('2026-05-01T01:00:00.000Z', now)).toBe(3600_000 - refreshLead);
    expect(refreshDelay('2026-05-01T00:01:00.000Z', now)).toBe(0);
    expect(refreshDelay('2026-04-30T00:00:00.000Z', now)).toBe(0);
    expect(refreshDelay('2099-01-01T00:00:00.000Z', now)).toBe(2 ** 31 - 1);
  });
});

describe('signing out and the API', () => {
  it('sends the browser to the hosted UI’s logout with the client and the registered logout URL', () => {
    const url = new URL(signOutUrl(config, origin));
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://civicgrid-prod.auth.cn-north-1.amazoncognito.com/logout',
    );
    // The stack registers the bare origins as logout URLs, and Cognito matches them exactly.
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'client123', logout_uri: origin });
  });

  it('revokes the refresh token at Cognito’s revoke endpoint, and shrugs off a failure', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => new Response('', { status: 200 }));
    expect(await revokeRefreshToken(config, 'R1', fetchMock)).toBe(true);
    const { url, init, form } = formOf(fetchMock);
    expect(url).toBe('https://civicgrid-prod.auth.cn-north-1.amazoncognito.com/oauth2/revoke');
    expect(init.method).toBe('POST');
    expect(init.keepalive).toBe(true);
    expect(form).toEqual({ token: 'R1', client_id: 'client123' });
    const offline = vi.fn<typeof fetch>(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await revokeRefreshToken(config, 'R1', offline)).toBe(false);
  });

  it('asks the API under the configured base, same-origin by default', () => {
    expect(apiUrl('/v1/me')).toBe('/v1/me');
    setApiBase('/api/');
    expect(apiUrl('/v1/me')).toBe('/api/v1/me');
    expect(apiUrl('https://bucket.example/upload')).toBe('https://bucket.example/upload');
    setApiBase('');
  });
});
