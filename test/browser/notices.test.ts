import { newId } from '@civicgrid/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiAs, auditPage, desktop, eventually, phone, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('notices');
const { opened } = stack;
const api = apiAs(stack, ['street', 'urbanmgmt', 'gridworker']);
const { call } = api;

/** The page's global the focus check reads (the test code is compiled without the DOM library). */
interface Dom {
  document: { activeElement: unknown };
}

beforeAll(api.signInAll, 180_000);

describe('notices in the console', () => {
  it('tells the department of a dispatched case in the top bar and leads it to the case', async () => {
    // A patrol report, registered by the street and dispatched by the duty catalog to urban enforcement.
    const description = `占道堆放杂物 Clutter on the pavement ${newId().slice(-6)}`;
    const caseId = await api.reportPatrol(description);
    await call('POST', `/v1/cases/${caseId}/commands`, 'street', { type: 'register' });
    // The events worker dispatches the case, then writes the department's notice.
    await eventually(async () => {
      const page = await call<{ items: { caseId: string; type: string }[] }>(
        'GET',
        '/v1/notifications?limit=50',
        'urbanmgmt',
      );
      return page.items.some((notice) => notice.caseId === caseId && notice.type === 'case.dispatched');
    }).toBe(true);

    // The department, on its phone, sees the count in the top bar: in the button's name for screen readers.
    const department = await signIn(stack.browser, stack.platform.url, 'urbanmgmt', phone);
    opened.push(department);
    const { page } = department;
    const button = page.getByRole('button', { name: /^通知 \d+\+? 条新通知$/ });
    await button.waitFor();
    const count = Number(((await page.locator('.notices-count').textContent()) ?? '').match(/\d+/)?.[0]);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await shot(page, 'notices-count-phone');

    // Opening shows the list; Escape closes it and gives focus back to the button.
    await button.click();
    const panel = page.getByRole('region', { name: '待办通知' });
    const link = panel.locator(`a[href="/cases/${caseId}"]`);
    await link.waitFor();
    expect(await link.textContent()).toContain('收到派遣任务');
    await shot(page, 'notices-phone');
    const box = await panel.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    const focused = await page
      .getByTestId('notices-button')
      .evaluate((element) => element === (globalThis as unknown as Dom).document.activeElement);
    expect(focused).toBe(true);
    // Opened once: the count is gone, also after a reload (kept for this user in the browser).
    await page.getByRole('button', { name: '通知', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await eventually(() => page.getByRole('button', { name: '通知', exact: true }).count()).toBe(1);

    // The notice leads to the case's page.
    await page.getByRole('button', { name: '通知', exact: true }).click();
    await panel.locator(`a[href="/cases/${caseId}"]`).click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));
    await eventually(() => page.getByText(description).count()).toBeGreaterThan(0);
    expect(await panel.count()).toBe(0);
    expect(department.errors).toEqual([]);
  }, 180_000);

  // A fresh browser: the first test's notice counts as new again here.
  it('has no serious axe findings with the list open on a desktop', async () => {
    const department = await signIn(stack.browser, stack.platform.url, 'urbanmgmt', desktop);
    opened.push(department);
    const { page } = department;
    await page.getByRole('button', { name: /^通知 \d+\+? 条新通知$/ }).click();
    const panel = page.getByRole('region', { name: '待办通知' });
    await panel.getByRole('link').first().waitFor();
    expect(await auditPage(page)).toEqual([]);
    await shot(page, 'notices-desktop');
    expect(department.errors).toEqual([]);
  }, 60_000);

  it('shows no notices control to the city admin, who has no notice box', async () => {
    const admin = await signIn(stack.browser, stack.platform.url, 'admin', desktop);
    opened.push(admin);
    await admin.page.getByTestId('who').waitFor();
    expect(await admin.page.getByTestId('notices-button').count()).toBe(0);
    expect(admin.errors).toEqual([]);
  }, 60_000);
});
