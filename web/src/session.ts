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

const KEY = 'civicgrid.session';

/** The stored session, unless it is missing, malformed or expired (then it is cleared). */
export const loadSession = (storage: Storage = localStorage, now: Date = new Date()): Session | undefined => {
  const raw = storage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token !== 'string' || !session.user?.role || !session.expiresAt) throw new Error();
    if (new Date(session.expiresAt).getTime() <= now.getTime()) throw new Error();
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
