import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AxeFinding,
  apiAs,
  auditPage,
  phone,
  shot,
  signIn,
  useConsoleStack,
  watchErrors,
} from './support';

const stack = useConsoleStack('a11y');
const { opened } = stack;

/** A case a grid worker reported in the demo city's first grid: in the street's inbox, with a detail page. */
let caseId: string;
const api = apiAs(stack, ['gridworker']);
beforeAll(async () => {
  await api.signInAll();
  caseId = await api.reportPatrol();
}, 180_000);

/** A command center's wall screen: 2560 px wide, read from a distance. */
const wall: BrowserContextOptions = { viewport: { width: 2560, height: 1440 }, locale: 'zh-CN' };

/** The page's globals these checks read (the test code is compiled without the DOM library). */
interface Dom {
  document: { querySelectorAll(selector: string): { length: number }; activeElement: { id: string } | null };
  getComputedStyle(element: unknown): { outlineStyle: string };
}

/** Waits until the page shows no loading state, then lets axe judge it (WCAG 2.x A and AA rules). */
const audit = async (page: Page): Promise<AxeFinding[]> => {
  await page.waitForFunction(
    () => (globalThis as unknown as Dom).document.querySelectorAll('[aria-busy="true"]').length === 0,
    null,
    {
      timeout: 15_000,
    },
  );
  return auditPage(page);
};

const viewports = [
  ['phone-360', phone],
  ['wall-2560', wall],
] as const;

describe.each(viewports)('accessibility of the main pages at %s', (name, viewport) => {
  it('has no serious or critical axe findings on the sign-in page', async () => {
    const context = await stack.browser.newContext({ ...viewport, baseURL: stack.platform.url });
    const page = await context.newPage();
    const errors = watchErrors(page);
    opened.push({ context, page, errors });
    await page.goto('/');
    await page.getByLabel('密码').waitFor();
    expect(await audit(page)).toEqual([]);
    // The page says which language it is in, and follows the switch.
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Password').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await audit(page)).toEqual([]);
    await shot(page, `a11y-${name}-sign-in`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('has none on the city admin’s inbox, map, administration and figures', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'admin', viewport);
    opened.push(session);
    const { page, errors } = session;
    const findings: Record<string, AxeFinding[]> = {};
    for (const path of ['/cases', '/map', '/admin', '/figures']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      findings[path] = await audit(page);
      await shot(page, `a11y-${name}-${path.slice(1)}`);
    }
    expect(findings).toEqual({ '/cases': [], '/map': [], '/admin': [], '/figures': [] });
    expect(errors).toEqual([]);
  }, 90_000);

  it('keeps the city admin’s pages and admin tabs within the screen’s width in English', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'admin', viewport);
    opened.push(session);
    const { page, errors } = session;
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const settled = () =>
      page.waitForFunction(
        () => (globalThis as unknown as Dom).document.querySelectorAll('[aria-busy="true"]').length === 0,
        null,
        { timeout: 15_000 },
      );
    /** How far the page reaches past the screen's right edge (0 when nothing makes it scroll sideways). */
    const overflow = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as {
          innerWidth: number;
          document: { documentElement: { scrollWidth: number } };
        };
        return Math.max(0, g.document.documentElement.scrollWidth - g.innerWidth);
      });
    const wider: Record<string, number> = {};
    for (const path of ['/cases', '/figures', '/admin']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await settled();
      wider[path] = await overflow();
    }
    for (const tab of ['Departments', 'Duty catalog', 'Hierarchy & grids', 'Settings']) {
      await page.getByRole('tab', { name: tab }).click();
      await settled();
      wider[tab] = await overflow();
    }
    await shot(page, `a11y-${name}-admin-settings-en`);
    expect(wider).toEqual({
      '/cases': 0,
      '/figures': 0,
      '/admin': 0,
      Departments: 0,
      'Duty catalog': 0,
      'Hierarchy & grids': 0,
      Settings: 0,
    });
    // Every navigation item, the last one too, is on the screen (the phone's navigation wraps).
    const last = await page.locator('.topbar nav a').last().boundingBox();
    const width = viewport.viewport?.width ?? 0;
    expect(last && last.x >= 0 && last.x + last.width <= width).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);

  it('has none on the street’s whistles, inbox and a case’s detail, and offers a skip link first', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'street', viewport);
    opened.push(session);
    const { page, errors } = session;
    const findings: Record<string, AxeFinding[]> = {};
    await page.goto('/whistles');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    findings.whistles = await audit(page);
    await shot(page, `a11y-${name}-whistles`);

    await page.goto('/cases');
    await page.locator('.cases a').first().waitFor();
    findings.inbox = await audit(page);
    await shot(page, `a11y-${name}-street-inbox`);

    await page.goto(`/cases/${caseId}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.getByText('人行道上堆放建筑垃圾').first().waitFor();
    findings.caseDetail = await audit(page);
    await shot(page, `a11y-${name}-case-detail`);
    expect(findings).toEqual({ whistles: [], inbox: [], caseDetail: [] });

    // The first Tab reaches the skip link, visibly; following it lands in the content.
    await page.reload();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: '跳到正文' });
    expect(await skip.evaluate((el) => el === (globalThis as unknown as Dom).document.activeElement)).toBe(
      true,
    );
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 0).toBe(true);
    expect(
      await skip.evaluate((el) => (globalThis as unknown as Dom).getComputedStyle(el).outlineStyle),
    ).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as unknown as Dom).document.activeElement?.id)).toBe('main');
    expect(errors).toEqual([]);
  }, 90_000);
});
