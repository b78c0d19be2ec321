import { beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desktop, eventually, POINT, phone, photo, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('cases-phone');
const { opened } = stack;

const as = async (username: string, options = desktop) => {
  const session = await signIn(stack.browser, stack.platform.url, username, options);
  opened.push(session);
  return session;
};

const api = apiAs(stack, ['gridworker', 'citizen', 'street', 'urbanmgmt']);
beforeAll(api.signInAll, 180_000);

/** The API as a client calls it, for setting the scene the browser then acts on. */
const client = (username: string) => {
  const call = (method: string, path: string, body?: unknown) => api.call(method, path, username, body);
  const upload = () => api.upload(username, { ...photo, name: 'after.png' });
  return { call, upload };
};

const report = async (username: string, channel: 'citizen' | 'patrol', description: string) => {
  const reporter = client(username);
  const { caseId } = (await reporter.call('POST', '/v1/cases', {
    channel,
    description,
    categoryCode: 'E05-52',
    location: { point: POINT },
  })) as { caseId: string };
  return caseId;
};

const status = (page: import('playwright-core').Page) =>
  page.getByTestId('case-status').getAttribute('data-status');

describe('cases on a grid worker’s phone', () => {
  it('shows the handled case in the grid worker’s inbox, and he passes the check with a photo', async () => {
    // A patrol report, registered by the street, dispatched by the catalog, handled by the department.
    const caseId = await report('gridworker', 'patrol', '人行道井盖破损，行人易绊倒');
    const street = client('street');
    await street.call('POST', `/v1/cases/${caseId}/commands`, { type: 'register' });
    const department = client('urbanmgmt');
    await eventually(async () => (await department.call('GET', `/v1/cases/${caseId}`)).status, {
      timeout: 15_000,
    }).toBe('dispatched');
    await department.call('POST', `/v1/cases/${caseId}/commands`, { type: 'accept' });
    await department.call('POST', `/v1/cases/${caseId}/commands`, {
      type: 'handle',
      result: '已更换井盖',
      evidenceIds: [await department.upload()],
    });

    // On site: the phone gives its position, about 10 m from the reported point.
    const worker = await as('gridworker', {
      ...phone,
      geolocation: { longitude: POINT[0] + 0.0001, latitude: POINT[1] },
      permissions: ['geolocation'],
    });
    const row = worker.page.getByTestId('case-row').filter({ hasText: '井盖破损' });
    await eventually(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('handled');
    expect(await row.getByTestId('your-turn').textContent()).toContain('开始核查');
    await shot(worker.page, 'cases-inbox-check-phone');
    await row.click();
    await eventually(() => status(worker.page)).toBe('handled');
    await worker.page.getByRole('button', { name: '开始核查' }).click();
    await worker.page.getByRole('form', { name: '开始核查' }).getByRole('button', { name: '提交' }).click();
    await eventually(() => status(worker.page)).toBe('checking');
    // Exactly the API's list: pass or fail, nothing else.
    const offered = await worker.page
      .locator('[data-command]')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-command')));
    expect(offered).toEqual(['checkPass', 'checkFail']);
    await worker.page.getByRole('button', { name: '核查通过' }).click();
    const form = worker.page.getByRole('form', { name: '核查通过' });
    await form.getByLabel('备注').fill('井盖已更换，现场平整');
    await form.getByLabel('现场照片').setInputFiles(photo);
    await eventually(() => form.getByTestId('photo-status').textContent()).toContain('已上传 1');
    await eventually(() => form.getByTestId('device-position').getAttribute('data-state')).toBe('done');
    const width = await worker.page.locator('html').evaluate((html) => html.scrollWidth);
    expect(width, 'the check form fits a 360 px screen').toBeLessThanOrEqual(360);
    await shot(worker.page, 'case-check-phone');
    await form.getByRole('button', { name: '提交' }).click();
    await eventually(() => status(worker.page)).toBe('closed');
    await worker.page.getByTestId('no-actions').waitFor();
    expect(await worker.page.getByTestId('checkedFrom-distance').textContent()).toMatch(/距上报点 \d+ 米/);
    // The check's photo is among the case's photos: the department's and the grid worker's.
    await eventually(() => worker.page.locator('.photos img').count()).toBe(2);
    const closed = await department.call('GET', `/v1/cases/${caseId}`);
    const check = (closed.checks as { attachmentIds: string[]; position: number[]; distanceM: number }[])[0];
    expect(check?.attachmentIds).toHaveLength(1);
    expect(check?.position).toEqual([POINT[0] + 0.0001, POINT[1]]);
    expect(check?.distanceM).toBeLessThan(20);

    // Gone from the inbox: nothing waits for him on it any more.
    await worker.page.getByRole('link', { name: '案件' }).click();
    await worker.page.getByRole('heading', { name: '案件' }).waitFor();
    await worker.page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
    expect(await worker.page.getByTestId('case-row').filter({ hasText: '井盖破损' }).count()).toBe(0);
    expect(worker.errors).toEqual([]);
  }, 180_000);

  it('lets the grid worker verify a citizen’s report on site with a photo', async () => {
    await report('citizen', 'citizen', '小区门口路灯不亮，夜间很黑');
    const worker = await as('gridworker', phone);
    const row = worker.page.getByTestId('case-row').filter({ hasText: '路灯不亮' });
    await eventually(() => row.count()).toBe(1);
    await row.click();
    await worker.page.getByRole('button', { name: '核实', exact: true }).click();
    const form = worker.page.getByRole('form', { name: '核实' });
    await form.getByLabel('情况属实').check();
    // This phone shares no position: the verification goes without one.
    await eventually(() => form.getByTestId('device-position').getAttribute('data-state')).toBe('failed');
    await form.getByLabel('现场照片').setInputFiles(photo);
    await eventually(() => form.getByTestId('photo-status').textContent()).toContain('已上传 1');
    const width = await worker.page.locator('html').evaluate((html) => html.scrollWidth);
    expect(width, 'the verification form fits a 360 px screen').toBeLessThanOrEqual(360);
    await form.getByRole('button', { name: '提交' }).click();
    await eventually(() => status(worker.page)).toBe('verifying');
    await worker.page.getByTestId('no-actions').waitFor();
    await shot(worker.page, 'case-verified-phone');
    expect(worker.errors).toEqual([]);
  }, 120_000);

  it('merges a duplicate by picking the primary among the open cases nearby', async () => {
    const primary = await report('citizen', 'citizen', '街角垃圾桶满溢，异味明显（先报）');
    const duplicate = await report('citizen', 'citizen', '街角垃圾桶满溢（重复上报）');
    const street = await as('street');
    await street.page.goto(`/cases/${duplicate}`);
    await eventually(() => status(street.page)).toBe('reported');
    await street.page.getByRole('button', { name: '合并', exact: true }).click();
    const form = street.page.getByRole('form', { name: '合并' });
    const candidates = form.getByTestId('merge-candidates');
    await candidates.getByText('先报').waitFor();
    expect(await candidates.textContent()).not.toContain('重复上报');
    await shot(street.page, 'case-merge-candidates');
    await candidates.getByLabel(/先报/).check();
    await form.getByRole('button', { name: '提交' }).click();
    await eventually(() => status(street.page)).toBe('merged');
    const primaryCase = await client('street').call('GET', `/v1/cases/${primary}`);
    expect(primaryCase.duplicates).toContain(duplicate);

    // The search list shows what each case is about, and lays the results on a map.
    await street.page.getByRole('link', { name: '案件' }).click();
    await street.page.getByRole('tab', { name: '近30天' }).click();
    await street.page.getByTestId('case-row').filter({ hasText: '异味明显（先报）' }).waitFor();
    await street.page.locator('.map[data-ready="true"]').waitFor();
    await shot(street.page, 'cases-search-map');
    expect(street.errors).toEqual([]);
  }, 120_000);
});
