// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, ApiError } from '../api';
import { AppContext } from '../hooks';
import { I18nContext, translator } from '../i18n';
import type { Session } from '../session';
import { Photos } from './CaseDetail';

afterEach(cleanup);

const session: Session = {
  tenantId: 'demo-city',
  token: 'tok',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: {
    id: 'u1',
    username: 'street',
    displayName: 'street',
    role: 'street_center',
    scope: { kind: 'org', code: '110101001' },
  },
};

describe('a case’s photos', () => {
  it('shows the photos it can fetch and names the one it cannot, instead of failing them all', async () => {
    const get = vi.fn(async (path: string) => {
      if (path === '/v1/attachments/A2')
        throw new ApiError(404, 'not_found', 'The attachment has not been uploaded.', {
          code: 'not_uploaded',
        });
      return { attachmentId: 'A1', downloadUrl: 'https://files.example/a1.jpg', contentType: 'image/jpeg' };
    });
    render(
      <I18nContext.Provider value={translator('zh')}>
        <AppContext.Provider value={{ session, api: { get } as unknown as ApiClient, signOut: () => {} }}>
          <Photos ids={['A1', 'A2']} />
        </AppContext.Provider>
      </I18nContext.Provider>,
    );
    expect(((await screen.findByRole('img')) as HTMLImageElement).src).toBe('https://files.example/a1.jpg');
    expect(screen.getByTestId('photo-missing').textContent).toBe(
      '照片无法显示: 附件未上传完成 (not_uploaded)',
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
