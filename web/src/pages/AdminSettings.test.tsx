// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { ScoreWeightsEditor, TenantsAdmin, WhistleSettingsEditor } from './AdminSettings';
import { mount } from './admin/test-support';

afterEach(cleanup);

const whistles = (version: number, radius = 500) => ({
  version,
  isDefault: version === 0,
  settings: {
    reportWithinMinutes: { emergency: 30, key: 120, routine: 1440 },
    blownAtOnce: ['emergency'],
    offSiteRadiusM: radius,
  },
});

const conflict = () => new ApiError(409, 'version_conflict', 'The item changed since it was read.');

describe('whistle settings', () => {
  it('refuses minutes and radii out of range before sending, then saves with the version read', async () => {
    const api = mount(<WhistleSettingsEditor />, {
      get: () => whistles(3),
      put: () => whistles(4, 800),
    });
    const radius = await screen.findByLabelText('离岗判定半径（米）');
    fireEvent.change(screen.getByLabelText('报到时限（分钟） · 应急哨'), { target: { value: '0' } });
    fireEvent.change(radius, { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('须为 1–10080 之间的整数分钟')).toBeTruthy();
    expect(screen.getByText('须为 10–20000 之间的整数米')).toBeTruthy();
    expect(api.put).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('报到时限（分钟） · 应急哨'), { target: { value: '45' } });
    fireEvent.change(radius, { target: { value: '800' } });
    fireEvent.click(screen.getByRole('checkbox', { name: '重点哨' }));
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('已保存');
    expect(api.put).toHaveBeenCalledWith('/v1/settings/whistles', {
      version: 3,
      settings: {
        reportWithinMinutes: { emergency: 45, key: 120, routine: 1440 },
        blownAtOnce: ['emergency', 'key'],
        offSiteRadiusM: 800,
      },
    });
  });

  it('on a version conflict reloads the latest settings and says so', async () => {
    let version = 1;
    const api = mount(
      <WhistleSettingsEditor />,
      {
        get: () => whistles(version, version === 1 ? 500 : 900),
        put: () => {
          version = 2; // someone else saved meanwhile
          return conflict();
        },
      },
      'en',
    );
    fireEvent.change(await screen.findByLabelText('Off-site radius (m)'), { target: { value: '700' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/Someone else changed these settings/);
    await waitFor(() =>
      expect((screen.getByLabelText('Off-site radius (m)') as HTMLInputElement).value).toBe('900'),
    );
    expect(api.get).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a load error with a retry, and the API code of a refused save', async () => {
    let fail = true;
    mount(<WhistleSettingsEditor />, {
      get: () => (fail ? new ApiError(0, 'network', 'offline') : whistles(0)),
      put: () => new ApiError(400, 'validation_failed', 'Invalid request'),
    });
    // In Chinese the console's words for the code, not the browser's (English) message.
    expect((await screen.findByRole('alert')).textContent).toMatch(/网络不可用.*\(network\)/);
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('当前使用平台默认值，保存后生效为本市设置')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect((await screen.findByRole('alert')).textContent).toBe('提交的内容不符合要求 (validation_failed)');
  });
});

const weights = (version: number, onTime = 25) => ({
  version,
  isDefault: false,
  weights: {
    onTime,
    closure: 15,
    rework: 15,
    returns: 10,
    citizenSatisfaction: 15,
    whistleReporting: 10,
    streetEvaluation: 35 - onTime,
  },
});

describe('score weights', () => {
  it('refuses weights that do not add up to 100, and sends them when they do', async () => {
    const api = mount(<ScoreWeightsEditor />, { get: () => weights(2), put: () => weights(3) });
    const onTime = await screen.findByLabelText('按时处置');
    expect(screen.getByTestId('weight-sum').textContent).toBe('权重合计: 100 / 100');
    fireEvent.change(onTime, { target: { value: '30' } });
    expect(screen.getByTestId('weight-sum').textContent).toBe('权重合计: 105 / 100');
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect((await screen.findByRole('alert')).textContent).toBe('权重合计须为 100');
    fireEvent.change(screen.getByLabelText('返工'), { target: { value: '1.5' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect((await screen.findByRole('alert')).textContent).toBe('每项须为 0–100 的整数');
    expect(api.put).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('返工'), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('已保存');
    expect(api.put).toHaveBeenCalledWith('/v1/analytics/weights', {
      version: 2,
      weights: { ...weights(2).weights, onTime: 30, rework: 10 },
    });
  });

  it('on a version conflict reloads the latest weights and says so', async () => {
    let latest = weights(1);
    mount(<ScoreWeightsEditor />, {
      get: () => latest,
      put: () => {
        latest = weights(2, 20);
        return conflict();
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: '保存' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/已被他人修改/);
    await waitFor(() => expect((screen.getByLabelText('按时处置') as HTMLInputElement).value).toBe('20'));
  });
});

const tenant = (id: string, status = 'active') => ({
  id,
  name: `${id} 市`,
  divisionCode: '110101',
  tier: 'standard',
  status,
  createdAt: '2026-05-01T00:00:00Z',
});

describe('the operator’s tenant list', () => {
  const fill = (label: string, value: string) =>
    fireEvent.change(screen.getByLabelText(label), { target: { value } });

  it('checks the onboarding form before sending and shows the list with the new city', async () => {
    const items = [tenant('demo-city')];
    const api = mount(<TenantsAdmin />, {
      get: () => ({ items }),
      post: (path, body) => {
        if (path !== '/v1/tenants') return tenant('demo-city', 'suspended');
        const b = body as { id: string };
        items.push(tenant(b.id));
        return { tenant: tenant(b.id), admin: {} };
      },
    });
    await screen.findByText('demo-city');
    fill('租户 ID', 'Platform!');
    fill('行政区划代码', '1101');
    fill('用户名', 'a');
    fill('密码', 'short');
    fireEvent.click(screen.getByRole('button', { name: '新城市入驻' }));
    expect(await screen.findByText('2–32 位小写字母、数字或连字符，不可为 platform、public')).toBeTruthy();
    expect(screen.getByText('6 位行政区划代码，如 110101')).toBeTruthy();
    expect(screen.getByText('3–40 位小写字母、数字、点、连字符或下划线')).toBeTruthy();
    expect(screen.getByText('至少 10 个字符')).toBeTruthy();
    fill('租户 ID', 'public');
    fireEvent.click(screen.getByRole('button', { name: '新城市入驻' }));
    expect(screen.getByText('2–32 位小写字母、数字或连字符，不可为 platform、public')).toBeTruthy();
    expect(api.post).not.toHaveBeenCalled();

    fill('租户 ID', 'hz-city');
    fill('城市名称', '杭州');
    fill('行政区划代码', '330100');
    fill('用户名', 'hzadmin');
    fill('密码', 'a-long-password');
    fireEvent.click(screen.getByRole('button', { name: '新城市入驻' }));
    // The admin's name is still missing.
    expect(screen.getByText('必填')).toBeTruthy();
    expect(api.post).not.toHaveBeenCalled();

    fill('姓名', '杭州管理员');
    fireEvent.click(screen.getByRole('button', { name: '新城市入驻' }));
    expect((await screen.findByRole('status')).textContent).toBe('已入驻: hz-city');
    await waitFor(() => expect(document.querySelector('tr[data-tenant="hz-city"]')).toBeTruthy());
    expect(api.post).toHaveBeenCalledWith('/v1/tenants', {
      id: 'hz-city',
      name: '杭州',
      divisionCode: '330100',
      admin: { username: 'hzadmin', displayName: '杭州管理员', password: 'a-long-password' },
    });
  });

  it('shows an id already taken as a readable message with its code', async () => {
    mount(<TenantsAdmin />, {
      get: () => ({ items: [] }),
      post: () => new ApiError(409, 'already_exists', 'Another tenant already has this id.', { field: 'id' }),
    });
    expect(await screen.findByText('暂无内容')).toBeTruthy();
    fill('租户 ID', 'demo-city');
    fill('城市名称', '演示');
    fill('行政区划代码', '110101');
    fill('用户名', 'admin2');
    fill('密码', 'a-long-password');
    fill('姓名', '管理员');
    fireEvent.click(screen.getByRole('button', { name: '新城市入驻' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      '已存在（ID 已被占用） · id (already_exists)',
    );
  });

  it('suspends an active city only after a dialog names it and says its users will be refused; resumes at once', async () => {
    let items = [tenant('demo-city'), tenant('old-city', 'suspended')];
    const api = mount(<TenantsAdmin />, {
      get: () => ({ items }),
      post: (path) => {
        const [, , , id, action] = path.split('/');
        items = items.map((t) =>
          t.id === id ? tenant(t.id, action === 'suspend' ? 'suspended' : 'active') : t,
        );
        return items.find((t) => t.id === id);
      },
    });
    const row = (id: string) => document.querySelector(`tr[data-tenant="${id}"]`) as HTMLElement;
    await screen.findByText('old-city');
    const suspend = row('demo-city').querySelector('button') as HTMLElement;
    suspend.focus();
    fireEvent.click(suspend);
    // Cancelled: nothing is sent and the focus is back on the button.
    let dialog = await screen.findByRole('dialog', { name: '暂停城市' });
    expect(dialog.textContent).toContain('demo-city');
    expect(dialog.textContent).toContain(tenant('demo-city').name);
    expect(dialog.textContent).toMatch(/所有用户都将被拒绝登录和访问/);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: '取消' }));
    fireEvent.click(screen.getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(suspend);
    // Escape cancels too.
    fireEvent.click(suspend);
    dialog = await screen.findByRole('dialog', { name: '暂停城市' });
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.post).not.toHaveBeenCalled();
    // Confirmed: suspended.
    fireEvent.click(suspend);
    fireEvent.click(await screen.findByRole('button', { name: '确认暂停' }));
    await waitFor(() => expect(row('demo-city').textContent).toMatch(/已暂停/));
    expect(api.post).toHaveBeenCalledWith('/v1/tenants/demo-city/suspend', {});
    // Resuming asks nothing.
    fireEvent.click(row('old-city').querySelector('button') as HTMLElement);
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(row('old-city').textContent).toMatch(/正常/));
    expect(api.post).toHaveBeenCalledWith('/v1/tenants/old-city/resume', {});
  });
});
