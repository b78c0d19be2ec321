// @vitest-environment happy-dom
import { allowedWhistleCommands, newId, type WhistleState } from '@civicgrid/domain';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api';
import { AppContext } from '../hooks';
import { I18nContext, translator } from '../i18n';
import type { Session } from '../session';
import { actors, at, lifeOf, run } from '../whistles.fixture';
import { WhistleDetailPage } from './Whistles';

afterEach(cleanup);

const sessionOf = (actor: (typeof actors)[keyof typeof actors]): Session => ({
  tenantId: 'demo-city',
  token: 'tok',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: {
    id: actor.userId,
    username: actor.userId,
    displayName: actor.userId,
    role: actor.role,
    scope: actor.scope as Session['user']['scope'],
  },
});

const departments = {
  items: [
    { id: 'urban-mgmt', name: '城管执法局', kind: 'resident', code: 'CG' },
    { id: 'police', name: '公安分局', kind: 'resident', code: 'GA' },
  ],
};

type Actor = (typeof actors)[keyof typeof actors];

/** The whistle as the API answers it: with what this caller may do, judged by the whistle machine. */
const answer = (whistle: WhistleState, actor: Actor) => ({
  ...whistle,
  allowedCommands: allowedWhistleCommands(whistle, actor, at(11)),
});

const mount = (actor: Actor, whistle: WhistleState, post = vi.fn()) => {
  const api = {
    get: vi.fn(async (path: string) => (path === '/v1/departments' ? departments : answer(whistle, actor))),
    post: vi.fn(async (path: string, body: unknown) => answer(await post(path, body), actor)),
    put: vi.fn(),
  };
  render(
    <I18nContext.Provider value={translator('zh')}>
      <AppContext.Provider
        value={{ session: sessionOf(actor), api: api as unknown as ApiClient, signOut: () => {} }}
      >
        <WhistleDetailPage whistleId={whistle.id} />
      </AppContext.Provider>
    </I18nContext.Provider>,
  );
  return api;
};

const stateOf = (name: string) => lifeOf().find(([n]) => n === name)?.[1] as WhistleState;

describe('a whistle’s follow-up cases', () => {
  it('lets a summoned department link follow-up cases after the joint action, checked before sending', async () => {
    const acting = stateOf('acting');
    const caseId = newId();
    const post = vi.fn(async (_path: string, body: { caseIds: string[]; note?: string }) =>
      run(acting, { type: 'followUp', caseIds: body.caseIds, note: body.note }, actors.urbanMgmt, at(10)),
    );
    mount(actors.urbanMgmt, acting, post);
    const section = await screen.findByTestId('follow-ups');
    expect(within(section).getByText('暂无后续案件')).toBeTruthy();
    fireEvent.click(within(section).getByRole('button', { name: '关联后续案件' }));
    const form = screen.getByRole('form', { name: '关联后续案件' });
    fireEvent.change(within(form).getByLabelText(/案件编号/), { target: { value: 'not-a-case' } });
    fireEvent.click(within(form).getByRole('button', { name: '关联' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/案件编号无效.*not-a-case/i);
    expect(post).not.toHaveBeenCalled();
    fireEvent.change(within(form).getByLabelText(/案件编号/), { target: { value: caseId } });
    fireEvent.change(within(form).getByLabelText('说明'), { target: { value: '继续查处' } });
    fireEvent.click(within(form).getByRole('button', { name: '关联' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: '关联后续案件' })).toBeNull());
    expect(post).toHaveBeenCalledWith(`/v1/whistles/${acting.id}/commands`, {
      type: 'followUp',
      caseIds: [caseId],
      note: '继续查处',
    });
    const link = within(screen.getByTestId('follow-ups')).getByRole('link', { name: caseId });
    expect(link.getAttribute('href')).toBe(`/cases/${caseId}`);
    expect(screen.getByTestId('follow-ups').textContent).toContain('城管执法局');
  });

  it('shows the linked cases to the street, which may not link any, and nothing before the joint action', async () => {
    const caseId = newId();
    const linked = run(stateOf('closed'), { type: 'followUp', caseIds: [caseId] }, actors.police, at(12));
    mount(actors.street, linked);
    const section = await screen.findByTestId('follow-ups');
    expect(within(section).getByRole('link', { name: caseId }).getAttribute('href')).toBe(`/cases/${caseId}`);
    expect(within(section).queryByRole('button', { name: '关联后续案件' })).toBeNull();
    cleanup();
    // Before the joint action a summoned department has nothing to link yet.
    mount(actors.urbanMgmt, stateOf('blown'));
    await screen.findByTestId('whistle-status');
    expect(screen.queryByTestId('follow-ups')).toBeNull();
  });
});
