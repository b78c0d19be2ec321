import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  desktop,
  eventually,
  openFirstGrid,
  PASSWORD,
  POINT,
  phone,
  photo,
  shot,
  signIn,
  useConsoleStack,
} from './support';

const stack = useConsoleStack('console');
const { opened } = stack;

const api = apiAs(stack, ['admin']);
beforeAll(async () => {
  await api.signInAll();
  // A second department user, so that two departments can report to one whistle.
  await api.call('POST', '/v1/users', 'admin', {
    username: 'police1',
    displayName: '派出所民警',
    role: 'department',
    scope: { kind: 'department', departmentId: 'public-security' },
    password: PASSWORD,
  });
}, 180_000);

const as = async (username: string, options = desktop) => {
  const session = await signIn(stack.browser, stack.platform.url, username, options);
  opened.push(session);
  return session;
};

/** The roles' home pages: what each demo user sees first, and the navigation their role gets. */
const roles = [
  { username: 'admin', role: '市/区管理员', nav: ['案件', '地图', '管理', '图表'] },
  { username: 'district', role: '区网格化服务管理中心', nav: ['案件', '上报', '地图', '吹哨报到', '图表'] },
  { username: 'street', role: '街道（乡镇）分中心', nav: ['案件', '上报', '地图', '吹哨报到', '图表'] },
  { username: 'community', role: '社区工作站', nav: ['案件', '地图', '吹哨报到', '图表'] },
  { username: 'gridworker', role: '网格员', nav: ['案件', '上报', '地图', '图表'] },
  { username: 'urbanmgmt', role: '职能部门', nav: ['案件', '地图', '吹哨报到', '图表'] },
  { username: 'citizen', role: '居民', nav: ['案件', '上报'] },
];

describe('the console in a browser', () => {
  it('serves the console at / beside the API, and keeps the API paths the API’s', async () => {
    const page = await fetch(`${stack.platform.url}/cases/anything`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root">');
    expect((await fetch(`${stack.platform.url}/health`)).status).toBe(200);
    expect((await fetch(`${stack.platform.url}/v1/nowhere`)).status).toBe(404);
    expect((await fetch(`${stack.platform.url}/assets/missing.js`)).status).toBe(404);
  });

  it('signs in every role of the demo city, shows its navigation, and signs out', async () => {
    for (const { username, role, nav } of roles) {
      const { page, errors, context } = await signIn(stack.browser, stack.platform.url, username);
      await eventually(() => page.getByTestId('who').textContent()).toContain(role);
      const links = await page
        .getByRole('navigation', { name: '主导航' })
        .getByRole('link')
        .allTextContents();
      expect(links, username).toEqual(nav);
      await page.getByRole('heading', { name: '案件' }).waitFor();
      await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      await shot(page, `home-${username}`);
      // The session survives a reload; signing out forgets it.
      await page.reload();
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('button', { name: '登录' }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: '登录' }).waitFor();
      expect(errors, username).toEqual([]);
      await context.close();
    }
  }, 180_000);

  it('switches between Chinese and English and remembers the choice', async () => {
    const { page } = await as('admin');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin' }).waitFor();
    await page.getByRole('cell', { name: 'gridworker' }).waitFor();
    await shot(page, 'admin-users-en');
    await page.reload();
    await page.getByRole('heading', { name: 'Admin' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '管理' }).waitFor();
  }, 120_000);

  it('lets the city admin create a user scoped to a grid and disable it; the operator lists the cities', async () => {
    const { page, errors } = await as('admin');
    await page.getByRole('link', { name: '管理' }).click();
    const form = page.getByRole('form', { name: '新建用户' });
    await form.getByLabel('用户名').fill('gridworker2');
    await form.getByLabel('姓名').fill('第二网格员');
    await form.getByLabel('角色').selectOption('grid_worker');
    await form.getByLabel('范围').selectOption('110101001001002');
    await form.getByLabel('密码').fill('a-long-password');
    await form.getByRole('button', { name: '新建用户' }).click();
    const row = page.locator('tr[data-username="gridworker2"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('110101001001002');
    await row.getByRole('button', { name: '停用' }).click();
    await eventually(() => row.textContent()).toContain('停用');
    await row.getByRole('button', { name: '启用' }).waitFor();
    await shot(page, 'admin-users');
    expect(errors).toEqual([]);

    const operator = await signIn(stack.browser, stack.platform.url, 'operator', desktop, 'platform');
    opened.push(operator);
    await operator.page.getByRole('heading', { name: '城市租户' }).waitFor();
    await operator.page.getByRole('cell', { name: 'demo-city' }).waitFor();
    expect(operator.errors).toEqual([]);
  }, 120_000);

  it('refuses a wrong password with the API’s message', async () => {
    const context = await stack.browser.newContext({ ...desktop, baseURL: stack.platform.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill('street');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('登录失败');
    expect(await page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    await context.close();
  }, 120_000);

  it('runs a case round the loop: reported on a phone, registered and dispatched, handled, checked, closed', async () => {
    // The grid worker, on a 360 px phone, in their grid.
    const worker = await as('gridworker', {
      ...phone,
      geolocation: { longitude: POINT[0], latitude: POINT[1] },
      permissions: ['geolocation'],
    });
    await worker.page.getByRole('link', { name: '上报' }).click();
    await worker.page.getByLabel('问题描述 (必填)').fill('胡同口有人露天烧烤，油烟很大');
    await worker.page.getByLabel('选择类别（可选）').selectOption('E05-52');
    await worker.page.locator('.map[data-ready="true"]').waitFor();
    await worker.page.getByRole('button', { name: '使用当前位置' }).click();
    await eventually(() => worker.page.getByTestId('picked').textContent()).toContain('110101001001001');
    await worker.page.getByLabel('现场照片').setInputFiles(photo);
    await eventually(() => worker.page.getByTestId('photo-status').textContent()).toContain('已上传 1');
    const width = await worker.page.locator('html').evaluate((html) => html.scrollWidth);
    expect(width, 'the report form fits a 360 px screen').toBeLessThanOrEqual(360);
    await shot(worker.page, 'report-phone');
    await worker.page.getByRole('button', { name: '提交' }).click();
    await worker.page.getByTestId('report-done').waitFor();
    const trackingCode = (await worker.page.getByTestId('report-done').locator('strong').textContent()) ?? '';
    expect(trackingCode).toMatch(/^[0-9A-Z]{10}$/);
    await worker.page.getByRole('button', { name: '案件详情' }).click();
    await worker.page.waitForURL(/\/cases\/[0-9A-Z]+$/);
    const caseUrl = new URL(worker.page.url()).pathname;
    const status = (page: typeof worker.page) => page.getByTestId('case-status').getAttribute('data-status');
    await eventually(() => status(worker.page)).toBe('reported');
    expect(await worker.page.getByTestId('no-actions').isVisible()).toBe(true);
    await shot(worker.page, 'case-reported-phone');

    // The street sub-center finds it in its inbox and registers it; the duty catalog dispatches it.
    const street = await as('street');
    await street.page.getByTestId('case-row').filter({ hasText: '露天烧烤' }).click();
    await street.page.waitForURL(caseUrl);
    await street.page.getByRole('button', { name: '立案', exact: true }).click();
    expect(await street.page.getByLabel('类别 (必填)').inputValue()).toBe('E05-52');
    await street.page.getByRole('form', { name: '立案' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(street.page)).toBe('registered');
    await eventually(
      async () => {
        await street.page.reload();
        return status(street.page);
      },
      { timeout: 15_000 },
    ).toBe('dispatched');
    await street.page.getByText('城管执法').first().waitFor();
    await shot(street.page, 'case-dispatched-center');

    // The department accepts it and reports its result with a photo.
    const department = await as('urbanmgmt');
    await department.page.getByTestId('case-row').filter({ hasText: '露天烧烤' }).click();
    await department.page.getByRole('button', { name: '签收' }).click();
    await department.page.getByRole('form', { name: '签收' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(department.page)).toBe('accepted');
    await department.page.getByRole('button', { name: '处置反馈' }).click();
    const handle = department.page.getByRole('form', { name: '处置反馈' });
    await handle.getByRole('button', { name: '提交' }).click();
    await eventually(() => handle.getByRole('alert').first().textContent()).toContain('处置结果');
    await handle.getByLabel('处置结果 (必填)').fill('已劝离烧烤摊主，清理现场');
    await handle.getByLabel('处置照片 (必填)').setInputFiles(photo);
    await eventually(() => handle.getByTestId('photo-status').textContent()).toContain('已上传 1');
    await handle.getByRole('button', { name: '提交' }).click();
    await eventually(() => status(department.page)).toBe('handled');
    await department.page.getByTestId('no-actions').waitFor();
    await shot(department.page, 'case-handled-department');

    // The grid worker checks on site, from the phone, and the case closes.
    await worker.page.getByRole('link', { name: '案件' }).click();
    await worker.page.getByTestId('case-row').filter({ hasText: '露天烧烤' }).click();
    await worker.page.getByRole('button', { name: '开始核查' }).click();
    await worker.page.getByRole('form', { name: '开始核查' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(worker.page)).toBe('checking');
    await worker.page.getByRole('button', { name: '核查通过' }).click();
    await worker.page.getByRole('form', { name: '核查通过' }).getByLabel('备注').fill('现场已恢复');
    await worker.page.getByRole('form', { name: '核查通过' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(worker.page)).toBe('closed');
    await worker.page.getByRole('listitem').filter({ hasText: '核查通过' }).first().waitFor();
    await shot(worker.page, 'case-closed-phone');

    // The center sees the photos and the whole timeline, and evaluates the closed staff report.
    await street.page.reload();
    await eventually(() => status(street.page)).toBe('closed');
    await eventually(() => street.page.locator('.photos img').count()).toBe(2);
    await street.page.getByRole('button', { name: '评价' }).click();
    await street.page.getByLabel('满意度 (必填)').selectOption('5');
    await street.page.getByRole('form', { name: '评价' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(street.page)).toBe('evaluated');
    await shot(street.page, 'case-evaluated-center');

    // Anyone holding the tracking code follows the case from the sign-in page, without an account.
    const visitor = await stack.browser.newContext({ ...phone, baseURL: stack.platform.url });
    const track = await visitor.newPage();
    await track.goto('/');
    await track.getByPlaceholder('查询码').fill(trackingCode);
    await track
      .getByRole('form', { name: '凭查询码查看办理进度' })
      .getByRole('button', { name: '搜索' })
      .click();
    await eventually(() => track.getByTestId('track-result').textContent()).toContain('已评价');
    await shot(track, 'track-phone');
    await visitor.close();

    for (const session of [worker, street, department]) expect(session.errors).toEqual([]);
  }, 240_000);

  it('draws the grids on the map without tiles and shows a clicked grid’s staff and open cases', async () => {
    const { page, errors } = await as('district');
    await page.getByRole('link', { name: '地图' }).click();
    await page.locator('.map[data-ready="true"]').waitFor();
    // MapLibre's own controls speak the console's language.
    await page.getByRole('button', { name: '放大' }).waitFor();
    const panel = await openFirstGrid(page);
    // The grid's figures this month, counted as the figures page counts them.
    await eventually(() => panel.getByTestId('unit-figures').textContent()).toMatch(/上报\d+立案\d+结案\d+/);
    await shot(page, 'map-district');
    // A click on the map itself selects the grid under the pointer.
    const box = await page.locator('.map canvas').boundingBox();
    if (!box) throw new Error('no map canvas');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await eventually(() => panel.getByRole('heading').first().textContent()).toMatch(/网格/);
    expect(errors).toEqual([]);
  }, 120_000);

  it('runs a whistle: drafted and filed by the street, approved by the district, blown, departments check in on site, joint action, closed, rated, archived', async () => {
    const here = { geolocation: { longitude: POINT[0], latitude: POINT[1] }, permissions: ['geolocation'] };
    const street = await as('street', { ...desktop, ...here });
    const status = (page: typeof street.page) =>
      page.getByTestId('whistle-status').getAttribute('data-status');
    await street.page.getByRole('link', { name: '吹哨报到' }).click();
    await street.page.getByRole('heading', { name: '吹哨看板' }).waitFor();
    await street.page.getByRole('button', { name: '发起吹哨' }).click();
    const form = street.page.getByRole('form', { name: '发起吹哨' });
    await form.getByLabel('哨类').selectOption('key');
    await form.getByLabel('问题描述 (必填)').fill('商户占道经营屡禁不止，需城管、公安联合执法');
    await form.getByLabel('类别 (必填)').selectOption('E05-04');
    await form.getByRole('button', { name: '使用当前位置' }).click();
    await eventually(() => form.getByTestId('whistle-picked').textContent()).toContain('110101001001001');
    await form.getByLabel('街道城管执法队').check();
    await form.getByLabel('公安分局（派出所）').check();
    await form.getByRole('button', { name: '提交' }).click();
    await street.page.waitForURL(/\/whistles\/[0-9A-Z]+$/);
    const whistleUrl = new URL(street.page.url()).pathname;
    await eventually(() => status(street.page)).toBe('draft');
    await street.page.getByRole('button', { name: '报区中心备案' }).click();
    await street.page
      .getByRole('form', { name: '报区中心备案' })
      .getByRole('button', { name: '提交' })
      .click();
    await eventually(() => status(street.page)).toBe('filed');

    const district = await as('district');
    await district.page.getByRole('link', { name: '吹哨报到' }).click();
    await district.page.getByRole('heading', { name: '审核队列' }).waitFor();
    await district.page.getByTestId('whistle-row').filter({ hasText: '占道经营' }).click();
    await district.page.waitForURL(whistleUrl);
    await district.page.getByRole('button', { name: '审核通过' }).click();
    await district.page.getByRole('form', { name: '审核通过' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(district.page)).toBe('approved');

    await street.page.reload();
    await street.page.getByRole('button', { name: '吹哨', exact: true }).click();
    await street.page.getByRole('form', { name: '吹哨' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(street.page)).toBe('blown');
    await eventually(() => street.page.getByTestId('countdown').textContent()).toMatch(
      /剩余时间 1小时 5\d分钟|剩余时间 2小时 0分钟/,
    );
    await shot(street.page, 'whistle-blown-street');

    // The department, on a phone near the spot: acknowledge, then check in with its position.
    const department = await as('urbanmgmt', { ...phone, ...here });
    await department.page.getByRole('link', { name: '吹哨报到' }).click();
    await department.page.getByRole('heading', { name: '报到任务' }).waitFor();
    await department.page.getByTestId('whistle-row').filter({ hasText: '占道经营' }).click();
    await department.page.getByRole('button', { name: '签收' }).click();
    await department.page.getByRole('form', { name: '签收' }).getByRole('button', { name: '提交' }).click();
    // The page reloads the whistle after each command; wait for it to settle before the next one.
    const summons = department.page.getByTestId('summons').locator('li[data-department="urban-enforcement"]');
    await eventually(() => summons.textContent()).toContain('已签收');
    await department.page.getByRole('form', { name: '签收' }).waitFor({ state: 'detached' });
    await department.page.getByRole('button', { name: '到场报到' }).click();
    await department.page
      .getByRole('form', { name: '到场报到' })
      .getByRole('button', { name: '到场报到' })
      .click();
    await eventually(() => summons.textContent()).toContain('在现场');
    expect(await summons.textContent()).toContain('已签收');
    await shot(department.page, 'whistle-checked-in-phone');

    // A police officer checks in too (a user the admin makes for the test through the API).
    const police = await as('police1', { ...phone, ...here });
    await police.page.getByRole('link', { name: '吹哨报到' }).click();
    await police.page.getByTestId('whistle-row').filter({ hasText: '占道经营' }).click();
    await police.page.getByRole('button', { name: '到场报到' }).click();
    await police.page
      .getByRole('form', { name: '到场报到' })
      .getByRole('button', { name: '到场报到' })
      .click();
    await eventually(() =>
      police.page.getByTestId('summons').locator('li[data-department="public-security"]').textContent(),
    ).toContain('在现场');

    // The street records the joint action: the competent officer with a resident second inspector.
    await street.page.reload();
    await eventually(() => street.page.getByTestId('summons').textContent()).not.toContain('未报到');
    await street.page.getByRole('button', { name: '记录联合执法' }).click();
    const action = street.page.getByRole('form', { name: '记录联合执法' });
    await action.getByLabel('问题描述 (必填)').fill('现场责令商户撤回店内经营');
    await action.getByLabel('执法权力（措施） (必填)').fill('责令改正');
    await action.getByLabel('有权部门 (必填)').selectOption('urban-enforcement');
    await action.getByLabel(/街道城管执法队 ·/).check();
    const inspector = action.getByLabel('第二执法人（常驻部门）');
    const officer = await inspector.locator('option', { hasText: '公安' }).getAttribute('value');
    await inspector.selectOption(officer ?? '');
    await action.getByLabel('处置照片 (必填)').setInputFiles(photo);
    await eventually(() => action.getByTestId('photo-status').textContent()).toContain('已上传 1');
    await action.getByRole('button', { name: '提交' }).click();
    await eventually(() => status(street.page)).toBe('acting');
    await eventually(() => street.page.getByTestId('actions').textContent()).toContain('第二执法人');

    // Closed with feedback to the source, a department rated, the record archived with its number.
    await street.page.getByRole('button', { name: '办结' }).click();
    await street.page
      .getByRole('form', { name: '办结' })
      .getByLabel('反馈给哨源 (必填)')
      .fill('已整改，已回复来源');
    await street.page.getByRole('form', { name: '办结' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(street.page)).toBe('closed');
    await street.page.getByRole('button', { name: '评价部门' }).click();
    const rating = street.page.getByRole('form', { name: '评价部门' });
    await rating.getByLabel('部门 (必填)').selectOption('urban-enforcement');
    await rating.getByLabel('响应 (必填)').selectOption('5');
    await rating.getByLabel('态度 (必填)').selectOption('5');
    await rating.getByLabel('效果 (必填)').selectOption('4');
    await rating.getByRole('button', { name: '提交' }).click();
    await eventually(() => street.page.getByTestId('evaluations').textContent()).toContain('街道城管执法队');
    await street.page.getByRole('button', { name: '归档' }).click();
    await street.page.getByRole('form', { name: '归档' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(street.page)).toBe('archived');
    await street.page.getByText(/110101001-\d{4}-\d{4}/).waitFor();
    await shot(street.page, 'whistle-archived-street');
    for (const session of [street, district, department, police]) expect(session.errors).toEqual([]);
  }, 180_000);
});
