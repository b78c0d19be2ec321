// @vitest-environment happy-dom
import type { DutyEntry } from '@civicgrid/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { category, entry } from './catalog.fixture';
import type { CatalogView, PutOverrides } from './catalog-overrides';
import { DutyCatalogAdmin } from './DutyCatalog';
import type { DepartmentView } from './department-form';
import { mount } from './test-support';

afterEach(cleanup);

const department = (id: string, name: string): DepartmentView => ({
  id,
  code: id.slice(0, 4).toUpperCase(),
  name,
  kind: 'resident',
  contacts: [],
  servesOrgCodes: [],
  version: 1,
  createdAt: '',
  updatedAt: '',
});

const departments = [department('urban-enforcement', '街道城管执法队'), department('sanitation', '环卫所')];

const catalogOf = (
  version: number,
  entries: DutyEntry[],
  overrides?: CatalogView['overrides'],
): CatalogView => ({
  version,
  catalog: {
    version: `gbt30428-demo.1${overrides ? `+${overrides.version}` : ''}`,
    categories: [category('E01-01', '暴露垃圾'), category('E01-02', '积存垃圾')],
    entries,
  },
  ...(overrides ? { overrides } : {}),
  problems: entries.some((e) => e.categoryCode === 'E01-02')
    ? []
    : [
        {
          code: 'unrouted_category',
          severity: 'warning',
          message: 'category E01-02 has no entry',
          categoryCode: 'E01-02',
        },
      ],
});

const handlers = (state: { view: CatalogView }, put?: (body: PutOverrides) => unknown) => ({
  get: (path: string) => {
    if (path === '/v1/catalog') return state.view;
    if (path.startsWith('/v1/departments')) return { items: departments };
    if (path.startsWith('/v1/catalog/route')) {
      const code = new URLSearchParams(path.split('?')[1]).get('categoryCode');
      const found = state.view.catalog.entries.find((e) => e.categoryCode === code);
      return found
        ? {
            kind: 'routed',
            categoryCode: code,
            departmentId: found.departmentId,
            level: found.level,
            handlingLimit: found.handlingLimit,
            catalogVersion: state.view.catalog.version,
          }
        : { kind: 'unrouted', categoryCode: code, reason: 'no_entry', candidates: [] };
    }
    throw new Error(`unexpected ${path}`);
  },
  put: (_path: string, body?: unknown) => put?.(body as PutOverrides),
});

describe('duty catalog editor', () => {
  it('changes which department handles a category, saves the overrides and routing follows', async () => {
    const state = { view: catalogOf(0, [entry('E01-01', 'urban-enforcement')]) };
    const api = mount(
      <DutyCatalogAdmin />,
      handlers(state, (body) => {
        state.view = catalogOf(1, body.overrides.entries as DutyEntry[], body.overrides);
        return state.view;
      }),
    );
    const department = (await screen.findByLabelText('责任部门 E01-01')) as HTMLSelectElement;
    expect(department.value).toBe('urban-enforcement');
    expect(screen.getByText(/清单检查 \(1\)/)).toBeTruthy();

    const tryForm = screen.getByRole('form', { name: '试派遣' });
    fireEvent.click(within(tryForm).getByRole('button', { name: '试一试' }));
    expect((await within(tryForm).findByTestId('route-answer')).textContent).toContain('街道城管执法队');

    fireEvent.change(department, { target: { value: 'sanitation' } });
    fireEvent.change(screen.getByLabelText('时限数值 E01-01'), { target: { value: '24' } });
    fireEvent.change(screen.getByLabelText('单位 E01-01'), { target: { value: 'hours' } });
    fireEvent.change(screen.getByLabelText('责任部门 E01-02'), { target: { value: 'urban-enforcement' } });
    expect(screen.getByText('2 项待保存')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('筛选类别'), { target: { value: 'E01' } });
    fireEvent.click(screen.getByRole('button', { name: '保存职责清单' }));
    await screen.findByText('职责清单已保存');
    expect(api.put).toHaveBeenCalledWith('/v1/catalog/overrides', {
      version: 0,
      overrides: {
        version: '1',
        categories: [],
        entries: [
          {
            ...entry('E01-01', 'sanitation'),
            handlingLimit: { amount: 24, unit: 'hours', basis: 'working' },
          },
          {
            ...entry('E01-02', 'urban-enforcement'),
            handlingLimit: { amount: 5, unit: 'days', basis: 'working' },
          },
        ],
      },
    });
    await waitFor(() => expect(screen.getAllByText('本市已调整')).toHaveLength(2));
    expect((screen.getByLabelText('责任部门 E01-01') as HTMLSelectElement).value).toBe('sanitation');
    expect((screen.getByLabelText('筛选类别') as HTMLInputElement).value).toBe('E01');

    const again = screen.getByRole('form', { name: '试派遣' });
    fireEvent.click(within(again).getByRole('button', { name: '试一试' }));
    expect((await within(again).findByTestId('route-answer')).textContent).toContain('环卫所');
  });

  it('refuses a bad limit or unit code before sending, and shows the catalog problems of a refusal', async () => {
    const state = { view: catalogOf(4, [entry('E01-01', 'urban-enforcement')]) };
    const api = mount(
      <DutyCatalogAdmin />,
      handlers(
        state,
        () =>
          new ApiError(400, 'validation_failed', 'The duty catalog would have 1 error(s).', {
            code: 'invalid_catalog',
            problems: [
              {
                code: 'department_outside_area',
                categoryCode: 'E01-01',
                message: 'sanitation does not serve every place',
              },
            ],
          }),
      ),
    );
    fireEvent.change(await screen.findByLabelText('时限数值 E01-01'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: '保存职责清单' }));
    expect(await screen.findByText('须为 1–999 之间的整数')).toBeTruthy();
    expect(api.put).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('时限数值 E01-01'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('责任部门 E01-01'), { target: { value: 'sanitation' } });
    fireEvent.click(screen.getByRole('button', { name: '保存职责清单' }));
    expect(await screen.findByText('职责清单有错误，未保存 (invalid_catalog)')).toBeTruthy();
    expect(screen.getByText('E01-01 · sanitation does not serve every place')).toBeTruthy();

    const tryForm = screen.getByRole('form', { name: '试派遣' });
    fireEvent.change(within(tryForm).getByLabelText('区划代码'), { target: { value: '1101' } });
    fireEvent.click(within(tryForm).getByRole('button', { name: '试一试' }));
    expect(await within(tryForm).findByText('区划代码须为 6、9、12 或 15 位数字')).toBeTruthy();
    expect(api.get).not.toHaveBeenCalledWith(expect.stringContaining('/v1/catalog/route'));
  });

  it('reloads the latest catalog on a 409 and restores a category to the defaults', async () => {
    const overridden = catalogOf(2, [entry('E01-01', 'sanitation')], {
      version: '2',
      categories: [],
      entries: [entry('E01-01', 'sanitation')],
    });
    const state = { view: catalogOf(1, [entry('E01-01', 'urban-enforcement')]) };
    let first = true;
    const api = mount(
      <DutyCatalogAdmin />,
      handlers(state, (body) => {
        if (first) {
          first = false;
          state.view = overridden;
          return new ApiError(409, 'version_conflict', 'changed', { currentVersion: 2 });
        }
        state.view = catalogOf(3, [entry('E01-01', 'urban-enforcement')], {
          version: '3',
          categories: [],
          entries: [],
        });
        return body;
      }),
    );
    fireEvent.change(await screen.findByLabelText('责任部门 E01-02'), { target: { value: 'sanitation' } });
    fireEvent.click(screen.getByRole('button', { name: '保存职责清单' }));
    await screen.findByText('职责清单已被他人修改，已重新加载最新内容，请再次修改');
    // The editor restarts from the other admin's catalog once it has been read again.
    await waitFor(() =>
      expect((screen.getByLabelText('责任部门 E01-01') as HTMLSelectElement).value).toBe('sanitation'),
    );
    expect((screen.getByLabelText('责任部门 E01-02') as HTMLSelectElement).value).toBe('');

    fireEvent.click(screen.getByRole('button', { name: '恢复默认 E01-01' }));
    await screen.findByText('职责清单已保存');
    expect(api.put).toHaveBeenLastCalledWith('/v1/catalog/overrides', {
      version: 2,
      overrides: { version: '3', categories: [], entries: [] },
    });
  });
});
