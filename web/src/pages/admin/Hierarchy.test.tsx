// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, ApiError } from '../../api';
import type { MapViewProps } from '../../components/MapView';
import { demo, square } from '../../hierarchy.fixture';
import { AppContext } from '../../hooks';
import { I18nContext, translator } from '../../i18n';
import type { Session } from '../../session';
import { HierarchyAdmin } from './Hierarchy';

// The map is MapLibre on WebGL; here it only shows what it was given.
vi.mock('../../components/LazyMap', () => ({
  LazyMap: (props: MapViewProps) => (
    <div
      data-testid="map"
      data-units={props.units?.features.length}
      data-highlight={props.highlight}
      data-overlay={props.overlay?.features.length ?? 0}
      data-focus={props.focus?.map((n) => n.toFixed(4)).join(',')}
    />
  ),
}));

afterEach(cleanup);

const session: Session = {
  tenantId: 'demo-city',
  token: 'tok',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 'u1', username: 'admin', displayName: 'Admin', role: 'city_admin', scope: { kind: 'city' } },
};

type Handler = (body: unknown) => unknown;

/** An API answering by "METHOD path"; an Error answer is thrown. */
const mount = (routes: Record<string, Handler>) => {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const answer = (method: string) =>
    vi.fn(async (path: string, body?: unknown) => {
      calls.push({ method, path, body });
      const handler = routes[`${method} ${path}`];
      if (!handler) throw new ApiError(404, 'route_not_found', `${method} ${path}`);
      const result = handler(body);
      if (result instanceof Error) throw result;
      return result;
    });
  const api = {
    get: answer('GET'),
    post: answer('POST'),
    put: answer('PUT'),
    patch: answer('PATCH'),
    delete: answer('DELETE'),
  };
  render(
    <I18nContext.Provider value={translator('zh')}>
      <AppContext.Provider value={{ session, api: api as unknown as ApiClient, signOut: () => {} }}>
        <HierarchyAdmin />
      </AppContext.Provider>
    </I18nContext.Provider>,
  );
  return calls;
};

const unitView = (code: string, version: number, name?: string) => {
  const feature = demo.features.find((f) => f.properties?.code === code);
  return { ...feature?.properties, ...(name ? { name } : {}), status: 'active', version, areaM2: 1000 };
};

describe('the hierarchy admin', () => {
  it('shows the tree beside the map, and renames a unit with its version; a 409 reloads it', async () => {
    let version = 3;
    let conflict = true;
    const calls = mount({
      'GET /v1/org/export': () => demo,
      'GET /v1/org/units/110101001': () => unitView('110101001', version, version > 3 ? '东华门' : undefined),
      'PATCH /v1/org/units/110101001': () => {
        if (conflict) {
          conflict = false;
          version = 4;
          return new ApiError(409, 'version_conflict', 'Item changed since it was read.');
        }
        version = 5;
        return unitView('110101001', 5, '东华门街道办');
      },
    });
    const tree = await screen.findByRole('navigation', { name: '区划树' });
    expect(screen.getByTestId('map').dataset.units).toBe('89');
    fireEvent.click(within(tree).getByRole('button', { name: /东华门街道 110101001/ }));
    expect(screen.getByTestId('map').dataset.highlight).toBe('110101001');
    expect(screen.getByTestId('map').dataset.focus).toBeTruthy();

    const form = await screen.findByRole('form', { name: '修改名称' });
    fireEvent.change(within(form).getByLabelText('名称'), { target: { value: '东华门街道办' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存' }));
    expect(await within(form).findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('该单元已被他人修改，已重新载入最新内容'),
    );
    // The unit was read again: its new version goes with the next try.
    await screen.findByText(/版本 4/);
    fireEvent.click(
      within(screen.getByRole('form', { name: '修改名称' })).getByRole('button', { name: '保存' }),
    );
    expect((await screen.findByTestId('hierarchy-notice')).textContent).toBe('已保存');
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => c.body)).toEqual([
      { version: 3, name: '东华门街道办' },
      { version: 4, name: '东华门街道办' },
    ]);
    // The export is read again after the change.
    await waitFor(() => expect(calls.filter((c) => c.path === '/v1/org/export')).toHaveLength(2));
  });

  it('adds a child with a suggested code, checks a typed one first, and confirms before retiring', async () => {
    const calls = mount({
      'GET /v1/org/export': () => demo,
      'GET /v1/org/units/110101001': () => unitView('110101001', 1),
      'POST /v1/org/units': () => unitView('110101001004', 1),
      'DELETE /v1/org/units/110101001?version=1': () =>
        new ApiError(409, 'has_children', 'Unit 110101001 still has 3 child unit(s).'),
    });
    const tree = await screen.findByRole('navigation', { name: '区划树' });
    fireEvent.click(within(tree).getByRole('button', { name: /东华门街道 110101001/ }));
    const add = await screen.findByRole('form', { name: '新增下级单元（社区/村）' });
    const code = within(add).getByLabelText('下级编码') as HTMLInputElement;
    expect(code.value).toBe('110101001004');
    fireEvent.change(code, { target: { value: '110101001000' } });
    fireEvent.change(within(add).getByLabelText('下级名称'), { target: { value: '新建社区' } });
    fireEvent.click(within(add).getByRole('button', { name: '新增下级' }));
    expect((await within(add).findByRole('alert')).textContent).toContain('000');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.change(code, { target: { value: '110101001004' } });
    fireEvent.click(within(add).getByRole('button', { name: '新增下级' }));
    expect((await screen.findByTestId('hierarchy-notice')).textContent).toBe('已新增：新建社区');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ code: '110101001004', name: '新建社区' });

    // Retiring asks first; the API's refusal is explained.
    fireEvent.click(within(tree).getByRole('button', { name: /东华门街道 110101001/ }));
    fireEvent.click(await screen.findByRole('button', { name: '撤销单元' }));
    const dialog = screen.getByRole('alertdialog', { name: '撤销单元' });
    expect(dialog.textContent).toContain('确认撤销 东华门街道（110101001）');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: '撤销单元' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      '该单元还有下级单元，请先撤销或迁移下级',
    );
  });

  it('uploads a GeoJSON file in pages, lists its report and draws it on the map, then discards or commits', async () => {
    const overlapping = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: square(116.6, 40.1, 0.0003),
          properties: { code: '110101001001901', name: '甲' },
        },
        {
          type: 'Feature',
          geometry: square(116.6004, 40.1, 0.0003),
          properties: { code: '110101001001902', name: '乙' },
        },
      ],
    };
    let checks = 0;
    const calls = mount({
      'GET /v1/org/export': () => demo,
      'POST /v1/org/imports': () => ({ id: `IMPORT${checks}` }),
      'POST /v1/org/imports/IMPORT0/pages': () => ({}),
      'POST /v1/org/imports/IMPORT0/check': () => {
        checks += 1;
        return {
          ok: false,
          created: 2,
          updated: 0,
          unchanged: 0,
          problems: [
            {
              code: 'overlaps_sibling',
              severity: 'error',
              message: '110101001001901 and 110101001001902 overlap by 1530 m²',
              featureCode: '110101001001901',
              otherCode: '110101001001902',
              featureIndex: 0,
              location: [116.6002, 40.1],
              areaM2: 1530,
            },
            { code: 'coverage_gap', severity: 'warning', message: 'gap', location: [116.39, 39.9] },
          ],
        };
      },
      'DELETE /v1/org/imports/IMPORT0': () => ({ status: 'discarded' }),
      'POST /v1/org/imports/IMPORT1/pages': () => ({}),
      'POST /v1/org/imports/IMPORT1/check': () => ({
        ok: true,
        created: 1,
        updated: 0,
        unchanged: 0,
        problems: [],
      }),
      'POST /v1/org/imports/IMPORT1/commit': () => ({ created: 1, updated: 0, unchanged: 0, warnings: [] }),
    });
    const input = await screen.findByLabelText('GeoJSON 文件');
    fireEvent.change(input, {
      target: { files: [new File(['{"type":'], 'broken.geojson', { type: 'application/geo+json' })] },
    });
    expect((await screen.findByRole('alert')).textContent).toBe('文件不是有效的 JSON');

    const file = new File([JSON.stringify(overlapping)], 'grids.geojson', { type: 'application/geo+json' });
    fireEvent.change(input, { target: { files: [file] } });
    await screen.findByText('2 个要素，分 1 页上传');
    fireEvent.click(screen.getByRole('button', { name: '上传并检查' }));
    const report = await screen.findByRole('list', { name: '检查报告' });
    expect(within(report).getAllByRole('listitem')).toHaveLength(2);
    expect(report.textContent).toContain('1. 错误 · 与相邻单元重叠');
    expect(report.textContent).toContain('要素 #1');
    expect(screen.getByTestId('import-verdict').textContent).toContain('1 个错误、1 个提醒');
    expect((screen.getByRole('button', { name: '提交导入' }) as HTMLButtonElement).disabled).toBe(true);
    // Both grids and a pin for the overlap, a pin for the gap.
    const map = screen.getByTestId('map');
    expect(map.dataset.overlay).toBe('4');
    fireEvent.click(within(report).getAllByRole('button', { name: '在地图上查看' })[1] as HTMLElement);
    expect(map.dataset.focus).toBe('116.3890,39.8990,116.3910,39.9010');
    expect(calls.find((c) => c.path === '/v1/org/imports/IMPORT0/pages')?.body).toEqual(overlapping);

    fireEvent.click(screen.getByRole('button', { name: '放弃' }));
    expect((await screen.findByRole('status')).textContent).toBe('已放弃，本次导入未写入任何内容');
    expect(screen.getByTestId('map').dataset.overlay).toBe('0');
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/v1/org/imports/IMPORT0')).toBe(true);

    const clean = { ...overlapping, features: [overlapping.features[0]] };
    fireEvent.change(input, {
      target: {
        files: [new File([JSON.stringify(clean)], 'grid.geojson', { type: 'application/geo+json' })],
      },
    });
    await screen.findByText('1 个要素，分 1 页上传');
    fireEvent.click(screen.getByRole('button', { name: '上传并检查' }));
    expect((await screen.findByTestId('import-verdict')).textContent).toBe('没有发现问题，可以提交');
    fireEvent.click(screen.getByRole('button', { name: '提交导入' }));
    expect((await screen.findByTestId('hierarchy-notice')).textContent).toBe(
      '已导入：新增 1 个、更新 0 个、不变 0 个',
    );
    await waitFor(() => expect(calls.filter((c) => c.path === '/v1/org/export')).toHaveLength(2));
  });
  it('moves a unit only to a valid code of its level, after confirming, and explains a taken code', async () => {
    let taken = true;
    const calls = mount({
      'GET /v1/org/export': () => demo,
      'GET /v1/org/units/110101001001002': () => unitView('110101001001002', 2),
      'GET /v1/org/units/110101001002009': () => unitView('110101001001002', 1),
      'POST /v1/org/units/110101001001002/move': () => {
        if (!taken) return unitView('110101001001002', 1);
        taken = false;
        return new ApiError(409, 'already_exists', 'Unit 110101001002001 already exists.');
      },
    });
    const tree = await screen.findByRole('navigation', { name: '区划树' });
    fireEvent.click(within(tree).getByRole('button', { name: /第2网格 110101001001002/ }));
    const form = await screen.findByRole('form', { name: '迁移' });
    const input = within(form).getByLabelText('新编码');
    fireEvent.change(input, { target: { value: '110101001002' } });
    fireEvent.click(within(form).getByRole('button', { name: '迁移' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('编码不符合规则');
    expect(screen.queryByRole('alertdialog')).toBeNull();

    fireEvent.change(input, { target: { value: '110101001002001' } });
    fireEvent.click(within(form).getByRole('button', { name: '迁移' }));
    const dialog = screen.getByRole('alertdialog', { name: '迁移' });
    expect(dialog.textContent).toContain('确认将 第2网格（110101001001002）迁移为 110101001002001？');
    fireEvent.click(within(dialog).getByRole('button', { name: '迁移' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('该编码已被占用');

    fireEvent.change(input, { target: { value: '110101001002009' } });
    fireEvent.click(within(form).getByRole('button', { name: '迁移' }));
    fireEvent.click(
      within(screen.getByRole('alertdialog', { name: '迁移' })).getByRole('button', { name: '迁移' }),
    );
    expect((await screen.findByTestId('hierarchy-notice')).textContent).toBe('已迁移至 110101001002009');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { version: 2, newCode: '110101001002001' },
      { version: 2, newCode: '110101001002009' },
    ]);
  });
  it('checks how a unit’s children cover it and draws the gaps and overlaps, until another unit is chosen', async () => {
    mount({
      'GET /v1/org/export': () => demo,
      'GET /v1/org/units/110101001001': () => unitView('110101001001', 1),
      'GET /v1/org/units/110101001001002': () => unitView('110101001001002', 1),
      'GET /v1/org/coverage?parentCode=110101001001': () => ({
        coverage: { parentAreaM2: 250_000, childrenAreaM2: 249_000, gapAreaM2: 1_200 },
        problems: [
          {
            code: 'overlaps_sibling',
            severity: 'error',
            message: '110101001001001 and 110101001001002 overlap by 200 m²',
            featureCode: '110101001001001',
            otherCode: '110101001001002',
            location: [116.397, 39.9],
            areaM2: 200,
          },
          {
            code: 'coverage_gap',
            severity: 'warning',
            message: 'gap',
            location: [116.398, 39.901],
            areaM2: 1200,
          },
        ],
      }),
    });
    const tree = await screen.findByRole('navigation', { name: '区划树' });
    fireEvent.click(within(tree).getByRole('button', { name: /针织路东里社区 110101001001/ }));
    fireEvent.click(await screen.findByRole('button', { name: '覆盖检查' }));
    const list = await screen.findByRole('list', { name: '覆盖检查' });
    expect(list.textContent).toContain('1. 错误 · 与相邻单元重叠');
    expect(list.textContent).toContain('2. 提醒 · 覆盖缺口');
    expect(screen.getByTestId('coverage-summary').textContent).toBe(
      '下级面积合计 249,000 m²，本单元 250,000 m²，缺口 1,200 m²',
    );
    // Both grids of the overlap with its pin, and the gap's pin.
    expect(screen.getByTestId('map').dataset.overlay).toBe('4');
    fireEvent.click(within(list).getAllByRole('button', { name: '在地图上查看' })[1] as HTMLElement);
    expect(screen.getByTestId('map').dataset.focus).toBe('116.3970,39.9000,116.3990,39.9020');
    // Grids have no children to check; choosing one takes the report away.
    fireEvent.click(within(tree).getByRole('button', { name: /第2网格 110101001001002/ }));
    await screen.findByRole('form', { name: '修改名称' });
    expect(screen.queryByRole('button', { name: '覆盖检查' })).toBeNull();
    expect(screen.getByTestId('map').dataset.overlay).toBe('0');
  });
});

describe('the roster editor of a grid', () => {
  const grid = '110101001001001';
  const openGrid = async () => {
    const tree = await screen.findByRole('navigation', { name: '区划树' });
    fireEvent.click(within(tree).getByRole('button', { name: /东华门街道 110101001/ }));
    fireEvent.click(await within(tree).findByRole('button', { name: /针织路东里社区 110101001001/ }));
    fireEvent.click(await within(tree).findByRole('button', { name: /第1网格 110101001001001/ }));
    return screen.findByRole('form', { name: '网格人员' });
  };
  const type = (form: HTMLElement, label: string, value: string) =>
    fireEvent.change(within(form).getByLabelText(label), { target: { value } });

  it('fills a 4+X roster, shows the staffing check, refuses a bad phone field by field, then saves with the version', async () => {
    const calls = mount({
      'GET /v1/org/export': () => demo,
      [`GET /v1/org/units/${grid}`]: () => unitView(grid, 2),
      [`PATCH /v1/org/units/${grid}`]: () => unitView(grid, 3),
    });
    const form = await openGrid();
    const staffing = within(form).getByTestId('roster-staffing');
    expect(staffing.textContent).toContain('4+X 尚缺：网格联络员、网格长、专职网格员、兼职网格员');

    type(form, '网格联络员 姓名', '王联络');
    type(form, '网格联络员 电话', '13800000001');
    type(form, '网格长 姓名', '李网格长');
    type(form, '网格长 电话', '010-65123456');
    fireEvent.click(within(form).getByRole('button', { name: '添加专职网格员' }));
    // The new row's name takes the focus, for the keyboard.
    expect(document.activeElement).toBe(within(form).getByLabelText('专职网格员 1 姓名'));
    type(form, '专职网格员 1 姓名', '张专职');
    fireEvent.click(within(form).getByRole('button', { name: '添加兼职网格员' }));
    type(form, '兼职网格员 1 姓名', '赵兼职');
    type(form, '兼职网格员 1 电话', '12345');
    fireEvent.click(within(form).getByRole('button', { name: '添加志愿者' }));
    fireEvent.click(within(form).getByRole('button', { name: '添加志愿者' }));
    type(form, '志愿者 2 姓名', '钱志愿');
    fireEvent.click(within(form).getByRole('button', { name: '删除 志愿者 1' }));
    fireEvent.click(within(form).getByRole('button', { name: '添加网格监督员' }));
    type(form, '网格监督员 1 姓名', '周监督');
    expect(staffing.textContent).toContain('4+X 配置齐全 ✓');

    fireEvent.click(within(form).getByRole('button', { name: '保存人员' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('有 1 处需要修改，见各字段下的提示');
    const phone = within(form).getByLabelText('兼职网格员 1 电话');
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(phone.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
      '电话格式不对',
    );
    expect(document.activeElement).toBe(phone);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);

    type(form, '兼职网格员 1 电话', '13800000004');
    expect(within(form).queryByRole('alert')).toBeNull();
    fireEvent.click(within(form).getByRole('button', { name: '保存人员' }));
    expect((await screen.findByTestId('hierarchy-notice')).textContent).toBe('已保存网格人员');
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      {
        version: 2,
        roster: {
          liaison: { name: '王联络', phone: '13800000001' },
          gridHead: { name: '李网格长', phone: '010-65123456' },
          fullTime: [{ name: '张专职' }],
          partTime: [{ name: '赵兼职', phone: '13800000004' }],
          volunteers: [{ name: '钱志愿' }],
        },
        supervisors: ['周监督'],
      },
    ]);
  });

  it('reloads the grid after a 409 and shows the stored roster, then saves at the new version', async () => {
    let version = 5;
    let conflict = true;
    const stored = (gridHead: string) => ({
      ...unitView(grid, version),
      roster: { gridHead: { name: gridHead }, fullTime: [], partTime: [], volunteers: [] },
      supervisors: ['周监督'],
    });
    const calls = mount({
      'GET /v1/org/export': () => demo,
      [`GET /v1/org/units/${grid}`]: () => stored(version > 5 ? '王五' : '李四'),
      [`PATCH /v1/org/units/${grid}`]: () => {
        if (conflict) {
          conflict = false;
          version = 6;
          return new ApiError(409, 'version_conflict', 'Item changed since it was read.');
        }
        return new ApiError(400, 'validation_failed', 'roster.gridHead.name: too long');
      },
    });
    const form = await openGrid();
    expect((within(form).getByLabelText('网格长 姓名') as HTMLInputElement).value).toBe('李四');
    // The API cannot clear a grid's supervisors: the form says so before sending.
    fireEvent.click(within(form).getByRole('button', { name: '删除 网格监督员 1' }));
    fireEvent.click(within(form).getByRole('button', { name: '保存人员' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('1 处');
    expect(form.textContent).toContain('该网格已有监督员，至少保留 1 名');
    fireEvent.click(within(form).getByRole('button', { name: '添加网格监督员' }));
    type(form, '网格监督员 1 姓名', '周监督');

    type(form, '网格长 姓名', '张三');
    fireEvent.click(within(form).getByRole('button', { name: '保存人员' }));
    expect((await within(form).findByRole('alert')).textContent).toContain(
      '该单元已被他人修改，已重新载入最新内容',
    );
    await screen.findByText(/版本 6/);
    await waitFor(() =>
      expect((within(form).getByLabelText('网格长 姓名') as HTMLInputElement).value).toBe('王五'),
    );
    fireEvent.click(within(form).getByRole('button', { name: '保存人员' }));
    // Any other refusal is shown with the API's code.
    expect((await within(form).findByRole('alert')).textContent).toContain('validation_failed');
    expect(
      calls.filter((c) => c.method === 'PATCH').map((c) => (c.body as { version: number }).version),
    ).toEqual([5, 6]);
  });
});
