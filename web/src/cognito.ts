import type { Session, SessionUser } from './session';

/**
 * Sign-in through Cognito's hosted UI when the console is deployed: the authorization code flow with
 * PKCE (RFC 7636), as a browser app without a client secret does it. The stack serves `/config.json`
 * naming the pool, its client and domain; without that file the console is local and keeps its
 * password login.
 */

export interface CognitoConfig {
  stage: string;
  region: string;
  apiBaseUrl: string;
  userPoolId: string;
  userPoolClientId: string;
  /** The hosted UI's domain: the stack writes its base URL (`https://….amazoncognito.com`). */
  authDomain: string;
  redirectPath: string;
  /** The base map's style URL (Amazon Location), when the stack made one. */
  mapStyleUrl?: string;
}

export type AuthMode = { kind: 'local' } | { kind: 'cognito'; config: CognitoConfig };

/** The scopes the stack's console client allows (`infra/lib/civicgrid-stack.ts`). */
export const scopes = ['openid', 'email', 'profile'] as const;

/** Refresh this long before the ID token runs out. */
export const refreshLead = 2 * 60_000;

const required = ['userPoolClientId', 'authDomain'] as const;

/**
 * Reads `/config.json`. Anything but a JSON object naming the client and domain — a 404, the local
 * server's index.html, a network failure — means the console runs locally.
 */
export const loadAuthMode = async (
  fetchFn: typeof fetch = (...args) => fetch(...args),
): Promise<AuthMode> => {
  try {
    const response = await fetchFn('/config.json', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (!response.ok) return { kind: 'local' };
    const raw = (await response.json()) as Partial<CognitoConfig> | null;
    if (!raw || typeof raw !== 'object') return { kind: 'local' };
    if (required.some((key) => typeof raw[key] !== 'string' || !raw[key])) return { kind: 'local' };
    return {
      kind: 'cognito',
      config: {
        stage: raw.stage ?? '',
        region: raw.region ?? '',
        apiBaseUrl: raw.apiBaseUrl ?? '',
        userPoolId: raw.userPoolId ?? '',
        userPoolClientId: raw.userPoolClientId as string,
        authDomain: raw.authDomain as string,
        redirectPath: raw.redirectPath || '/auth/callback',
        ...(typeof raw.mapStyleUrl === 'string' && raw.mapStyleUrl ? { mapStyleUrl: raw.mapStyleUrl } : {}),
      },
    };
  } catch {
    return { kind: 'local' };
  }
};

/** The hosted UI's base URL, whether the config names a bare domain or a URL. */
export const authBase = (authDomain: string): string =>
  (/^https?:\/\//.test(authDomain) ? authDomain : `https://${authDomain}`).replace(/\/+$/, '');

export const redirectUri = (config: CognitoConfig, origin: string) => `${origin}${config.redirectPath}`;

const base64url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** A random URL-safe string of `bytes` random bytes (32 bytes → 43 characters, as RFC 7636 suggests). */
export const randomString = (bytes = 32, crypto: Crypto = globalThis.crypto): string =>
  base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** BASE64URL(SHA-256(verifier)): the S256 code challenge. */
export const pkceChallenge = async (verifier: string, crypto: Crypto = globalThis.crypto): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

export const authorizeUrl = (
  config: CognitoConfig,
  origin: string,
  challenge: string,
  state: string,
): string => {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.userPoolClientId,
    redirect_uri: redirectUri(config, origin),
    scope: scopes.join(' '),
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  return `${authBase(config.authDomain)}/oauth2/authorize?${params}`;
};

const PENDING_KEY = 'civicgrid.pkce';

interface Pending {
  verifier: string;
  state: string;
}

/** Keeps a fresh verifier and state for this tab and answers where to send the browser. */
export const beginSignIn = async (
  config: CognitoConfig,
  origin: string,
  storage: Storage = sessionStorage,
  crypto: Crypto = globalThis.crypto,
): Promise<string> => {
  const pending: Pending = { verifier: randomString(32, crypto), state: randomString(16, crypto) };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  return authorizeUrl(config, origin, await pkceChallenge(pending.verifier, crypto), pending.state);
};

export class SignInError extends Error {
  constructor(
    readonly code:
      | 'state_mismatch'
      | 'no_pending_sign_in'
      | 'missing_code'
      | 'token_error'
      /** The token endpoint could not be reached (offline, DNS, CORS): worth trying again. */
      | 'network_error'
      /** The token endpoint failed without an OAuth answer (5xx): worth trying again. */
      | 'server_error'
      | string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether a failed refresh may succeed if tried again: the network or Cognito failed, the refresh
 * token was not judged. Anything else — `invalid_grant` (revoked, expired), `invalid_client`… — ends
 * the session.
 */
export const isTransientFailure = (error: unknown): boolean =>
  error instanceof SignInError && (error.code === 'network_error' || error.code === 'server_error');

export interface Tokens {
  idToken: string;
  refreshToken?: string;
  /** ISO time the ID token stops being accepted. */
  expiresAt: string;
}

/** The payload of a JWT, unverified: the API verifies; the console only reads its own user's claims. */
export const jwtClaims = (token: string): Record<string, unknown> => {
  const part = token.split('.')[1];
  if (!part) throw new SignInError('token_error', 'The ID token is malformed.');
  const padded = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

const tokenRequest = async (
  config: CognitoConfig,
  body: Record<string, string>,
  fetchFn: typeof fetch,
  now: () => Date,
  previousRefresh?: string,
): Promise<Tokens> => {
  let response: Response;
  try {
    response = await fetchFn(`${authBase(config.authDomain)}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: config.userPoolClientId, ...body }).toString(),
    });
  } catch (cause) {
    throw new SignInError('network_error', (cause as Error).message);
  }
  const answer = (await response.json().catch(() => ({}))) as {
    id_token?: string;
    refresh_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (response.status >= 500 && !answer.error) {
    throw new SignInError('server_error', response.statusText || String(response.status));
  }
  if (!response.ok || !answer.id_token) {
    throw new SignInError(answer.error ?? 'token_error', answer.error_description ?? response.statusText);
  }
  const exp = jwtClaims(answer.id_token).exp;
  const expiresAt =
    typeof exp === 'number'
      ? new Date(exp * 1000)
      : new Date(now().getTime() + (answer.expires_in ?? 3600) * 1000);
  const refreshToken = answer.refresh_token ?? previousRefresh;
  return {
    idToken: answer.id_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: expiresAt.toISOString(),
  };
};

/**
 * Finishes the sign-in on `/auth/callback`: the state must be the one this tab sent (else the answer
 * was not asked for here), then the code is exchanged with the verifier. The pending pair is used once.
 */
export const completeSignIn = async (
  config: CognitoConfig,
  origin: string,
  search: string,
  storage: Storage = sessionStorage,
  fetchFn: typeof fetch = (...args) => fetch(...args),
  now: () => Date = () => new Date(),
): Promise<Tokens> => {
  const params = new URLSearchParams(search);
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  const error = params.get('error');
  if (error) throw new SignInError(error, params.get('error_description') ?? error);
  if (!raw) throw new SignInError('no_pending_sign_in', 'No sign-in was started in this tab.');
  let pending: Pending;
  try {
    pending = JSON.parse(raw) as Pending;
  } catch {
    throw new SignInError('no_pending_sign_in', 'No sign-in was started in this tab.');
  }
  if (!pending.state || params.get('state') !== pending.state) {
    throw new SignInError('state_mismatch', 'The sign-in answer does not match the request.');
  }
  const code = params.get('code');
  if (!code) throw new SignInError('missing_code', 'The sign-in answer carries no code.');
  return tokenRequest(
    config,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(config, origin),
      code_verifier: pending.verifier,
    },
    fetchFn,
    now,
  );
};

/** New tokens for a refresh token; Cognito answers no new refresh token, so the old one is kept. */
export const refreshTokens = (
  config: CognitoConfig,
  refreshToken: string,
  fetchFn: typeof fetch = (...args) => fetch(...args),
  now: () => Date = () => new Date(),
): Promise<Tokens> =>
  tokenRequest(
    config,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    fetchFn,
    now,
    refreshToken,
  );

/**
 * Whether the session's ID token must be renewed before it is used: it has run out or runs out
 * within the refresh lead. Only a session with a refresh token can be renewed.
 */
export const needsRefresh = (session: Session, now: Date = new Date(), lead = refreshLead): boolean =>
  Boolean(session.refreshToken) && refreshDelay(session.expiresAt, now, lead) === 0;

/** How long to wait before refreshing a token that runs out at `expiresAt` (0: now). */
export const refreshDelay = (expiresAt: string, now: Date = new Date(), lead = refreshLead): number =>
  Math.min(Math.max(0, new Date(expiresAt).getTime() - now.getTime() - lead), 2 ** 31 - 1);

/**
 * Where to send the browser so that the hosted UI forgets the user too, then back to the console.
 * Cognito accepts only a registered logout URL, matched exactly; the stack registers the bare origins.
 */
export const signOutUrl = (config: CognitoConfig, origin: string): string =>
  `${authBase(config.authDomain)}/logout?${new URLSearchParams({
    client_id: config.userPoolClientId,
    logout_uri: origin.replace(/\/+$/, ''),
  })}`;

/**
 * Revokes a refresh token (and the tokens issued with it) at Cognito's revoke endpoint; the stack's
 * client has token revocation on. Sent with `keepalive`, as the browser leaves for the hosted UI's logout
 * right after. Best effort: signing out goes on whatever Cognito answers.
 */
export const revokeRefreshToken = async (
  config: CognitoConfig,
  refreshToken: string,
  fetchFn: typeof fetch = (...args) => fetch(...args),
): Promise<boolean> => {
  try {
    const response = await fetchFn(`${authBase(config.authDomain)}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, client_id: config.userPoolClientId }).toString(),
      keepalive: true,
    });
    return response.ok;
  } catch {
    return false;
  }
};

/** The console's session for Cognito tokens: the tenant from the ID token, the user as `/v1/me` answers. */
export const sessionFromTokens = (tokens: Tokens, user: SessionUser): Session => {
  const tenantId = jwtClaims(tokens.idToken)['custom:tenant_id'];
  if (typeof tenantId !== 'string' || !tenantId) {
    throw new SignInError('token_error', 'The ID token names no tenant.');
  }
  return {
    tenantId,
    token: tokens.idToken,
    expiresAt: tokens.expiresAt,
    user,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
  };
};

/** The same session with a renewed ID token; fails when the session has no refresh token. */
export const renewSession = async (
  config: CognitoConfig,
  session: Session,
  fetchFn: typeof fetch = (...args) => fetch(...args),
  now: () => Date = () => new Date(),
): Promise<Session> => {
  if (!session.refreshToken) throw new SignInError('token_error', 'The session cannot be renewed.');
  const tokens = await refreshTokens(config, session.refreshToken, fetchFn, now);
  return {
    ...session,
    token: tokens.idToken,
    expiresAt: tokens.expiresAt,
    refreshToken: tokens.refreshToken,
  };
};

const inflight = new Map<string, Promise<Session>>();

/**
 * `renewSession`, single-flight: while a refresh with this refresh token is under way, every caller
 * (React's StrictMode running the start-up effect twice, the timer, a retry) gets the same answer,
 * and Cognito sees one request.
 */
export const renewSessionOnce = (
  config: CognitoConfig,
  session: Session,
  fetchFn: typeof fetch = (...args) => fetch(...args),
  now: () => Date = () => new Date(),
): Promise<Session> => {
  const key = session.refreshToken ?? '';
  const running = inflight.get(key);
  if (running) return running;
  const started = renewSession(config, session, fetchFn, now).finally(() => inflight.delete(key));
  inflight.set(key, started);
  return started;
};
