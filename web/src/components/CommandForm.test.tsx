// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actors, stateIn } from '../../../packages/domain/src/cases/fixtures.test-support';
import type { CaseView } from '../actions';
import type { ApiClient } from '../api';
import { I18nContext, translator } from '../i18n';
import { CommandForm } from './CommandForm';

afterEach(cleanup);

const departments = [
  { id: 'urban-mgmt', name: '城管执法局', nameEn: 'Urban management', kind: 'resident', code: 'CG' },
  { id: 'traffic', name: '交通委', nameEn: 'Traffic', kind: 'resident', code: 'JT' },
];

const renderForm = (type: 'dispatch' | 'reject', post: ApiClient['post']) => {
  const view = stateIn('dispatched', { channel: 'patrol' }) as CaseView;
  const api = { get: vi.fn(), put: vi.fn(), post } as unknown as ApiClient;
  const onDone = vi.fn();
  render(
    <I18nContext.Provider value={translator('en')}>
      <CommandForm
        type={type}
        view={view}
        viewer={{ id: actors.street.userId, role: 'street_center', scope: actors.street.scope }}
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
});
