// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Open311Keys } from './Open311Keys';
import type { Open311KeyView } from './open311-key-form';
import { mount } from './test-support';

afterEach(cleanup);

const KEY = `o311.01HZY3Q5N1VDS2TCHRJ8W4K7PE.${'a'.repeat(43)}`;

describe('open311 keys', () => {
  it('checks the form, issues a key shown once, and revokes it after a confirmation', async () => {
    let items: Open311KeyView[] = [];
    const api = mount(<Open311Keys />, {
      get: () => ({ items }),
      post: (path, body) => {
        if (path.endsWith('/revoke')) {
          items = items.map((k) => ({ ...k, status: 'revoked', revokedAt: '2026-05-01T01:00:00Z' }));
          return items[0];
        }
        const created: Open311KeyView = {
          id: '01HZY3Q5N1VDS2TCHRJ8W4K7PE',
          name: (body as { name: string }).name,
          status: 'active',
          postsPerHour: 300,
          createdAt: '2026-05-01T00:00:00Z',
          createdBy: 'u1',
        };
        items = [created];
        return { ...created, apiKey: KEY };
      },
    });
    const form = await screen.findByRole('form', { name: '签发密钥' });
    fireEvent.change(within(form).getByLabelText('每小时提交上限'), { target: { value: '0' } });
    fireEvent.click(within(form).getByRole('button', { name: '签发密钥' }));
    expect(await within(form).findByText('须为 1–80 个字符')).toBeTruthy();
    expect(within(form).getByText('须为 1–10000 之间的整数')).toBeTruthy();
    expect(api.post).not.toHaveBeenCalled();

    fireEvent.change(within(form).getByLabelText('应用名称'), { target: { value: ' 市民通 ' } });
    fireEvent.change(within(form).getByLabelText('每小时提交上限'), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: '签发密钥' }));
    expect(((await screen.findByTestId('issued-key')) as HTMLInputElement).value).toBe(KEY);
    expect(api.post).toHaveBeenCalledWith('/v1/settings/open311-keys', { name: '市民通' });
    expect(screen.getByText(/密钥只显示这一次/)).toBeTruthy();
    const row = (await screen.findByText('有效')).closest('tr') as HTMLElement;

    fireEvent.click(within(row).getByRole('button', { name: '撤销 市民通' }));
    fireEvent.click(within(row).getByRole('button', { name: '取消' }));
    expect(api.post).toHaveBeenCalledTimes(1);
    fireEvent.click(within(row).getByRole('button', { name: '撤销 市民通' }));
    expect(within(row).getByText(/撤销后该应用将无法再提交诉求/)).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: '确认撤销' }));
    await screen.findByText('已撤销密钥: 市民通');
    expect(api.post).toHaveBeenLastCalledWith(
      '/v1/settings/open311-keys/01HZY3Q5N1VDS2TCHRJ8W4K7PE/revoke',
      {},
    );
    expect(await screen.findByText('已撤销')).toBeTruthy();
    // The secret of a revoked key is of no use any more and is no longer shown.
    expect(screen.queryByTestId('issued-key')).toBeNull();
  });
});
