import type { MessageKey } from '../../i18n';

export interface Open311KeyView {
  id: string;
  name: string;
  status: 'active' | 'revoked';
  postsPerHour: number;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface IssuedKey extends Open311KeyView {
  /** The whole key, shown only in the answer that issued it. */
  apiKey: string;
}

export type KeyFormResult =
  | { ok: true; body: { name: string; postsPerHour?: number } }
  | { ok: false; problems: { name?: MessageKey; postsPerHour?: MessageKey } };

/** The body of POST /v1/settings/open311-keys; an empty rate leaves the API's default (300). */
export const keyBody = (name: string, postsPerHour: string): KeyFormResult => {
  const problems: { name?: MessageKey; postsPerHour?: MessageKey } = {};
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 80) problems.name = 'o311ErrName';
  const rate = postsPerHour.trim();
  const n = Number(rate);
  if (rate !== '' && !(/^\d+$/.test(rate) && n >= 1 && n <= 10_000)) problems.postsPerHour = 'o311ErrPosts';
  if (problems.name || problems.postsPerHour) return { ok: false, problems };
  return { ok: true, body: { name: trimmed, ...(rate === '' ? {} : { postsPerHour: n }) } };
};

/** Active keys first, each group newest first: the list an admin revokes from. */
export const sortKeys = (keys: Open311KeyView[]): Open311KeyView[] =>
  [...keys].sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1) || b.createdAt.localeCompare(a.createdAt),
  );
