// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stateIn } from '../../../packages/domain/src/cases/fixtures.test-support';
import type { CaseView } from '../actions';
import type { ApiClient } from '../api';
import { I18nContext, translator } from '../i18n';
import { CommandForm } from './CommandForm';

afterEach(cleanup);

const departments = [
  { id: 'urban-mgmt', name: '城管执法局', nameEn: 'Urban management', kind: 'resident', code: 'CG' },
  { id: 'traffic', name: '交通委', nameEn: 'Traffic', kind: 'resident', code: 'JT' },
];

const renderForm = (
  type: 'dispatch' | 'reject' | 'merge' | 'acknowledgeUrging',
  post: ApiClient['post'],
  get: ApiClient['get'] = vi.fn() as unknown as ApiClient['get'],
  view = stateIn('dispatched', { channel: 'patrol' }) as CaseView,
) => {
  const api = { get, put: vi.fn(), post } as unknown as ApiClient;
  const onDone = vi.fn();
  render(
    <I18nContext.Provider value={translator('en')}>
      <CommandForm
        type={type}
        view={view}
        api={api}
        departments={departments}
        categories={[]}
        onDone={onDone}
        onCancel={() => {}}
      />
    </I18nContext.Provider>,
  );
  return { view, onDone };
};

describe('CommandForm', () => {
  it('offers only departments not yet dispatched and sends the chosen ones', async () => {
    const post = vi.fn(async () => ({ id: 'x' })) as unknown as ApiClient['post'];
    const { view, onDone } = renderForm('dispatch', post);
    expect(screen.queryByLabelText('Urban management')).toBeNull();
    fireEvent.click(screen.getByLabelText('Traffic'));
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ id: 'x' }));
    expect(post).toHaveBeenCalledWith(`/v1/cases/${view.id}/commands`, {
      type: 'dispatch',
      departmentIds: ['traffic'],
    });
  });

  it('names missing required fields without calling the API, and shows the API’s refusal', async () => {
    const post = vi.fn(async () => {
      const { ApiError } = await import('../api');
      throw new ApiError(403, 'forbidden', 'a street-level case is run by the street_center', {
        code: 'wrong_level',
      });
    }) as unknown as ApiClient['post'];
    renderForm('reject', post);
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Reason');
    expect(post).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Reason (required)'), { target: { value: 'duplicate' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect((await screen.findByRole('alert')).textContent).toContain('wrong_level');
  });

  it('offers the API’s merge candidates to pick from and sends the picked one', async () => {
    const post = vi.fn(async () => ({ id: 'x' })) as unknown as ApiClient['post'];
    const get = vi.fn(async () => ({
      items: [
        {
          id: '01PRIMARY0000000000000000A',
          status: 'dispatched',
          channel: 'citizen',
          reportedAt: '2026-05-01T01:00:00Z',
          description: 'Garbage at the gate',
          distanceM: 35,
        },
      ],
    })) as unknown as ApiClient['get'];
    const { view } = renderForm('merge', post, get);
    expect(get).toHaveBeenCalledWith(`/v1/cases/${view.id}/merge-candidates`);
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Primary');
    fireEvent.click(await screen.findByLabelText(/Garbage at the gate/));
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() =>
      expect(post).toHaveBeenCalledWith(`/v1/cases/${view.id}/commands`, {
        type: 'merge',
        primaryId: '01PRIMARY0000000000000000A',
      }),
    );
  });

  it('says so when no case nearby can be merged into', async () => {
    const get = vi.fn(async () => ({ items: [] })) as unknown as ApiClient['get'];
    renderForm('merge', vi.fn() as unknown as ApiClient['post'], get);
    expect(await screen.findByText(/No open case of the same category nearby/)).toBeTruthy();
  });

  it('lists only the urgings the API says are the caller’s to acknowledge', () => {
    const base = stateIn('dispatched', { channel: 'patrol' }) as CaseView;
    const urging = (id: number, message: string) => ({
      id,
      at: base.reportedAt,
      by: { userId: 'sc', role: 'street_center' as const },
      message,
      overdue: false,
      target: { kind: 'departments' as const, departmentIds: ['urban-mgmt'] },
      acknowledgements: [],
    });
    const view = { ...base, urgings: [urging(1, 'hurry'), urging(2, 'faster')], urgingsToAcknowledge: [2] };
    renderForm('acknowledgeUrging', vi.fn() as unknown as ApiClient['post'], undefined, view);
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['—', '#2 faster']);
  });
});
