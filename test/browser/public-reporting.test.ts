import { newId } from '@civicgrid/domain';
import type { BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, eventually, POINT, phone, photo, shot, useConsoleStack, watchErrors } from './support';

/**
 * The city's public reporting page on a phone, without an account: report with a photo, get a
 * tracking code, follow the case while staff work it (through the API here: the console's staff
 * pages have their own browser test), and rate the result once it is closed.
 */
const stack = useConsoleStack('public');
let visitor: BrowserContext | undefined;

afterAll(async () => {
  await visitor?.close();
});

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail' || !visitor) return;
  for (const [index, page] of visitor.pages().entries()) {
    await shot(page, `public-failure-${index}`).catch(() => {});
  }
});

const api = apiAs(stack, ['gridworker', 'street', 'urbanmgmt']);
beforeAll(api.signInAll, 180_000);

/** Staff work the case through the API, as their own consoles would. */
const staff = (username: string) => {
  const call = <T>(method: string, path: string, body?: unknown) => api.call<T>(method, path, username, body);
  return {
    call,
    command: (caseId: string, body: Record<string, unknown>) =>
      call<{ status: string }>('POST', `/v1/cases/${caseId}/commands`, body),
    status: async (caseId: string) => (await call<{ status: string }>('GET', `/v1/cases/${caseId}`)).status,
  };
};

describe('public reporting on a phone', () => {
  it('reports with a photo and no account, follows the case to closed, and rates it', async () => {
    const description = `小区门口有人露天烧烤，油烟很大 ${newId().slice(-6)}`;
    visitor = await stack.browser.newContext({
      ...phone,
      baseURL: stack.platform.url,
      geolocation: { longitude: POINT[0], latitude: POINT[1] },
      permissions: ['geolocation'],
    });
    const page = await visitor.newPage();
    const errors = watchErrors(page);

    // From the sign-in page, without signing in.
    await page.goto('/');
    await page.getByRole('link', { name: '市民上报问题（无需登录）' }).click();
    await page.waitForURL(/\/report\/demo-city$/);
    await page.getByRole('heading', { name: '我要上报' }).waitFor();
    expect(await page.getByRole('button', { name: '退出登录' }).count()).toBe(0);

    // Nothing filled in: the page names what is missing and sends nothing.
    await page.getByRole('button', { name: '提交' }).click();
    await eventually(() => page.getByTestId('problems').textContent()).toContain('问题类别');

    await page.getByLabel('问题类别 (必填)').selectOption('E05-52');
    await page.getByLabel('问题描述 (必填)').fill(description);
    await page.locator('.map[data-ready="true"]').waitFor();
    await page.getByRole('button', { name: '使用当前位置' }).click();
    await eventually(() => page.getByTestId('picked').textContent()).toContain('116.395, 39.899');
    await page.getByLabel('地址或地点描述').fill('北池子大街东侧');
    await page.getByLabel('现场照片').setInputFiles(photo);
    await eventually(() => page.getByTestId('photo-status').textContent()).toContain('已上传 1');
    const width = await page.locator('html').evaluate((html) => html.scrollWidth);
    expect(width, 'the public report form fits a 360 px screen').toBeLessThanOrEqual(360);
    await shot(page, 'public-report-phone');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('public-report-done').waitFor();
    const trackingCode = (await page.getByTestId('tracking-code').textContent()) ?? '';
    expect(trackingCode).toMatch(/^[0-9A-Z]{10}$/);
    await shot(page, 'public-report-done-phone');

    // Following it at once: received, open, nothing to rate yet.
    await page.getByRole('button', { name: '查看进度' }).click();
    await page.waitForURL(new RegExp(`/follow/demo-city/${trackingCode}$`));
    await eventually(() => page.getByTestId('follow-status').getAttribute('data-status')).toBe('reported');
    expect(await page.getByTestId('follow-result').textContent()).toContain('已受理');
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);

    // Staff take it round the loop: verified, registered, dispatched by the catalog, handled, checked.
    const gridworker = staff('gridworker');
    const street = staff('street');
    const department = staff('urbanmgmt');
    let caseId = '';
    await eventually(async () => {
      const inbox = await gridworker.call<{ items: { id: string; description: string }[] }>(
        'GET',
        '/v1/cases/inbox',
      );
      caseId = inbox.items.find((c) => c.description.includes(description))?.id ?? '';
      return caseId;
    }).not.toBe('');
    const detail = await street.call<{ channel: string; attachmentIds: string[] }>(
      'GET',
      `/v1/cases/${caseId}`,
    );
    expect(detail.channel).toBe('web');
    expect(detail.attachmentIds).toHaveLength(1);
    await gridworker.command(caseId, { type: 'verify', confirmed: true });
    await street.command(caseId, { type: 'register' });
    await eventually(() => street.status(caseId), { timeout: 30_000 }).toBe('dispatched');
    await department.command(caseId, { type: 'accept' });
    const after = await api.upload('urbanmgmt', { mimeType: photo.mimeType, buffer: photo.buffer });
    await department.command(caseId, {
      type: 'handle',
      result: '已劝离烧烤摊主，清理现场',
      evidenceIds: [after],
    });
    await gridworker.command(caseId, { type: 'startCheck' });
    await gridworker.command(caseId, { type: 'checkPass' });
    expect(await street.status(caseId)).toBe('closed');

    // Later, from the sign-in page: the device remembers the report; closed, it can be rated.
    await page.goto('/');
    await page.getByRole('link', { name: '查看上报进度并评价' }).click();
    await page.waitForURL(/\/follow\/demo-city$/);
    await page.getByRole('link', { name: trackingCode }).click();
    await eventually(() => page.getByTestId('follow-status').getAttribute('data-status')).toBe('closed');
    const steps = (await page.getByTestId('follow-result').textContent()) ?? '';
    expect(steps).toContain('已派遣至责任部门');
    expect(steps).toContain('现场核查通过，已结案');
    // The department's result text is the administration's, never shown to the public.
    expect(steps).not.toContain('已劝离烧烤摊主');
    await page.getByRole('button', { name: '提交评价' }).click();
    await eventually(() => page.getByRole('alert').first().textContent()).toContain('满意度');
    await page.getByLabel('满意', { exact: true }).check();
    await page.getByLabel('意见建议（可选）').fill('处理及时，谢谢');
    await page.getByRole('button', { name: '提交评价' }).click();
    await eventually(() => page.getByTestId('follow-status').getAttribute('data-status')).toBe('evaluated');
    expect(await page.getByTestId('follow-rating').textContent()).toContain('满意');
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, 'public-follow-rated-phone');

    // The switch to English holds on the public pages too.
    await page.getByRole('button', { name: 'English' }).click();
    await eventually(() => page.getByTestId('follow-rating').textContent()).toContain(
      'Your rating: Satisfied',
    );
    expect(await page.getByTestId('follow-result').textContent()).toContain('Checked on site and closed');

    const staffView = await street.call<{ status: string; evaluation?: { satisfaction: number } }>(
      'GET',
      `/v1/cases/${caseId}`,
    );
    expect(staffView.status).toBe('evaluated');
    expect(staffView.evaluation?.satisfaction).toBe(4);
    expect(errors).toEqual([]);
  }, 240_000);
});
