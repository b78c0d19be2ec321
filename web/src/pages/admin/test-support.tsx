import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import type { ApiClient } from '../../api';
import { AppContext } from '../../hooks';
import { I18nContext, type Lang, translator } from '../../i18n';
import type { Session } from '../../session';

export const session: Session = {
  tenantId: 'demo-city',
  token: 'tok',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 'u1', username: 'admin', displayName: 'Admin', role: 'city_admin', scope: { kind: 'tenant' } },
};

export type Handler = (path: string, body?: unknown) => unknown;

const answer = async (handler: Handler | undefined, path: string, body?: unknown) => {
  const value = handler?.(path, body) ?? {};
  if (value instanceof Error) throw value;
  return value;
};

/** Renders a page with a fake API whose answers the handlers give (an Error is thrown). */
export const mount = (
  ui: ReactNode,
  handlers: { get: Handler; put?: Handler; post?: Handler; patch?: Handler },
  lang: Lang = 'zh',
) => {
  const api = {
    get: vi.fn((path: string) => answer(handlers.get, path)),
    put: vi.fn((path: string, body: unknown) => answer(handlers.put, path, body)),
    post: vi.fn((path: string, body: unknown) => answer(handlers.post, path, body)),
    patch: vi.fn((path: string, body: unknown) => answer(handlers.patch, path, body)),
  };
  render(
    <I18nContext.Provider value={translator(lang)}>
      <AppContext.Provider value={{ session, api: api as unknown as ApiClient, signOut: () => {} }}>
        {ui}
      </AppContext.Provider>
    </I18nContext.Provider>,
  );
  return api;
};
