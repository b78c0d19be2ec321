import type { Role } from '@civicgrid/domain';
import type { Viewer } from './actions';

export interface SessionUser extends Viewer {
  username: string;
  displayName: string;
  role: Role;
}

export interface Session {
  tenantId: string;
  token: string;
  /** ISO time the token stops being accepted. */
  expiresAt: string;
  user: SessionUser;
  /** Cognito mode: renews the ID token (`token`) before it runs out. */
  refreshToken?: string;
}

/**
 * The session lives in localStorage, refresh token included, on purpose:
 * - sessionStorage is per tab and dies with it, so every new tab or reopened tab would have to go
 *   through the hosted UI again — the very thing the refresh token is for; a command center opens the
 *   console in several tabs and screens.
 * - Script injected into the page reads sessionStorage as easily as localStorage, so it would buy no
 *   protection against XSS; what protects the token is the strict CSP the distribution sends
 *   (`script-src 'self'`, `infra/lib/console-hosting.ts`), the refresh token's bounded life (30 days, the
 *   stack's client) and revocation (the client has token revocation on; an admin can sign a user out
 *   globally). An in-memory token would survive neither a reload nor a new tab.
 * - Signing out clears it and revokes the refresh token at Cognito (`revokeRefreshToken`).
 */
const KEY = 'civicgrid.session';

/**
 * The stored session, unless it is missing, malformed or expired (then it is cleared). An expired
 * session that carries a refresh token (Cognito) is kept: the console renews its ID token first.
 */
export const loadSession = (storage: Storage = localStorage, now: Date = new Date()): Session | undefined => {
  const raw = storage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token !== 'string' || !session.user?.role || !session.expiresAt) throw new Error();
    if (Number.isNaN(new Date(session.expiresAt).getTime())) throw new Error();
    const expired = new Date(session.expiresAt).getTime() <= now.getTime();
    if (expired && !(typeof session.refreshToken === 'string' && session.refreshToken)) throw new Error();
    return session;
  } catch {
    storage.removeItem(KEY);
    return undefined;
  }
};

export const saveSession = (session: Session, storage: Storage = localStorage) =>
  storage.setItem(KEY, JSON.stringify(session));

export const clearSession = (storage: Storage = localStorage) => storage.removeItem(KEY);

/** What each role finds in the navigation, in order; the first entry is its home. */
export type NavKey = 'cases' | 'report' | 'map' | 'whistles' | 'admin' | 'figures';

export const navFor = (role: Role): NavKey[] => {
  switch (role) {
    case 'grid_worker':
      return ['cases', 'report', 'map', 'figures'];
    case 'citizen':
      return ['cases', 'report'];
    case 'department':
      return ['cases', 'map', 'whistles', 'figures'];
    case 'street_center':
    case 'district_center':
      return ['cases', 'report', 'map', 'whistles', 'figures'];
    case 'community_station':
      return ['cases', 'map', 'whistles', 'figures'];
    case 'city_admin':
      return ['cases', 'map', 'admin', 'figures'];
    default:
      // The platform operator keeps the list of cities.
      return ['admin'];
  }
};

/** The channel a role reports through from the console's report form. */
export const reportChannelFor = (role: Role): 'patrol' | 'citizen' | 'hotline' | undefined =>
  role === 'grid_worker'
    ? 'patrol'
    : role === 'citizen'
      ? 'citizen'
      : role === 'street_center' || role === 'district_center'
        ? 'hotline'
        : undefined;
