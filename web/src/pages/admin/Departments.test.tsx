// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { DepartmentsAdmin } from './Departments';
import type { DepartmentView } from './department-form';
import { mount } from './test-support';

afterEach(cleanup);

const urban: DepartmentView = {
  id: 'urban-enforcement',
  code: 'CGZF',
  name: '街道城管执法队',
  nameEn: 'Street urban management enforcement team',
  kind: 'resident',
  contacts: [],
  servesOrgCodes: [],
  version: 1,
  createdAt: '2026-05-01T00:00:00Z',
  updatedAt: '2026-05-01T00:00:00Z',
};

describe('departments editor', () => {
  it('checks a new department before sending, then creates it and lists it', async () => {
    let items = [urban];
    const api = mount(<DepartmentsAdmin />, {
      get: () => ({ items }),
      post: (_path, body) => {
        items = [...items, { ...(body as DepartmentView), version: 1, createdAt: '', updatedAt: '' }];
        return body;
      },
    });
    await screen.findByText('街道城管执法队');
    const form = screen.getByRole('form', { name: '新增部门' });
    fireEvent.change(within(form).getByLabelText('部门 ID'), { target: { value: 'Water' } });
    fireEvent.change(within(form).getByLabelText('中文名称'), { target: { value: 'Water' } });
    fireEvent.change(within(form).getByLabelText('联系人'), { target: { value: '王工, 123' } });
    fireEvent.click(within(form).getByRole('button', { name: '创建部门' }));
    expect(
      await within(form).findByText('须为 2–40 位小写字母、数字或连字符，以字母或数字开头'),
    ).toBeTruthy();
    expect(within(form).getByText('须为 1–40 字的中文名称')).toBeTruthy();
    expect(within(form).getByText('联系人格式有误（第 1 行）；最多 10 位')).toBeTruthy();
    expect(within(form).getByLabelText('部门 ID').getAttribute('aria-invalid')).toBe('true');
    expect(api.post).not.toHaveBeenCalled();

    fireEvent.change(within(form).getByLabelText('部门 ID'), { target: { value: 'water-affairs' } });
    fireEvent.change(within(form).getByLabelText('部门编码'), { target: { value: 'SW' } });
    fireEvent.change(within(form).getByLabelText('中文名称'), { target: { value: '水务局' } });
    fireEvent.change(within(form).getByLabelText('联系人'), { target: { value: '王工, 13812345678, 值班' } });
    fireEvent.click(within(form).getByRole('button', { name: '创建部门' }));
    await screen.findByText('已创建部门: 水务局');
    expect(api.post).toHaveBeenCalledWith('/v1/departments', {
      id: 'water-affairs',
      code: 'SW',
      name: '水务局',
      kind: 'on_call',
      contacts: [{ name: '王工', phone: '13812345678', role: '值班' }],
      servesOrgCodes: [],
    });
    expect(await screen.findByText('水务局')).toBeTruthy();
  });

  it('shows a taken id at the field', async () => {
    mount(<DepartmentsAdmin />, {
      get: () => ({ items: [urban] }),
      post: () => new ApiError(409, 'already_exists', 'Department exists.', { field: 'id' }),
    });
    const form = await screen.findByRole('form', { name: '新增部门' });
    fireEvent.change(within(form).getByLabelText('部门 ID'), { target: { value: 'urban-enforcement' } });
    fireEvent.change(within(form).getByLabelText('部门编码'), { target: { value: 'X' } });
    fireEvent.change(within(form).getByLabelText('中文名称'), { target: { value: '城管' } });
    fireEvent.click(within(form).getByRole('button', { name: '创建部门' }));
    expect(await within(form).findByRole('alert')).toBeTruthy();
    expect(within(form).getAllByText(/部门 ID 已被占用/)).toHaveLength(2);
  });

  it('patches only the changes with the version read, and reloads the latest on a 409', async () => {
    let current = urban;
    let conflict = true;
    const api = mount(<DepartmentsAdmin />, {
      get: () => ({ items: [current] }),
      patch: () => {
        if (conflict) {
          conflict = false;
          current = { ...current, version: 2, code: 'CG' };
          return new ApiError(409, 'version_conflict', 'changed', { currentVersion: 2 });
        }
        current = { ...current, version: 3, kind: 'on_call' };
        return current;
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: '编辑部门 街道城管执法队' }));
    let form = screen.getByRole('form', { name: '编辑部门' });
    fireEvent.click(within(form).getByRole('button', { name: '保存修改' }));
    expect(await within(form).findByText('没有修改任何内容')).toBeTruthy();
    expect(api.patch).not.toHaveBeenCalled();

    fireEvent.change(within(form).getByLabelText('类型'), { target: { value: 'on_call' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存修改' }));
    await screen.findByText('该部门已被他人修改，已重新加载最新内容，请再次修改');
    expect(api.patch).toHaveBeenLastCalledWith('/v1/departments/urban-enforcement', {
      version: 1,
      kind: 'on_call',
    });
    // The form restarted from the latest version, with the other admin's code.
    await waitFor(() => {
      form = screen.getByRole('form', { name: '编辑部门' });
      expect((within(form).getByLabelText('部门编码') as HTMLInputElement).value).toBe('CG');
    });
    fireEvent.change(within(form).getByLabelText('类型'), { target: { value: 'on_call' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存修改' }));
    await screen.findByText('已保存: 街道城管执法队');
    expect(api.patch).toHaveBeenLastCalledWith('/v1/departments/urban-enforcement', {
      version: 2,
      kind: 'on_call',
    });
    expect(screen.queryByRole('form', { name: '编辑部门' })).toBeNull();
  });

  it('installs the standard departments and says which', async () => {
    const api = mount(<DepartmentsAdmin />, {
      get: () => ({ items: [] }),
      post: () => ({ created: 2, departmentIds: ['urban-enforcement', 'public-security'] }),
    });
    fireEvent.click(await screen.findByRole('button', { name: '创建标准部门（“1+5+N”）' }));
    await screen.findByText('已创建标准部门: urban-enforcement, public-security');
    expect(api.post).toHaveBeenCalledWith('/v1/departments/defaults', {});
  });
});
