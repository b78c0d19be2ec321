import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { auditPage, desktop, phone, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('roster');
const { opened } = stack;

/** Empties a list of the roster (the seed may already name some people), one remove button at a time. */
const clearList = async (form: Locator, role: string) => {
  const remove = form.getByRole('button', { name: new RegExp(`^删除 ${role} `) });
  while ((await remove.count()) > 0) await remove.first().click();
};

/** The page's globals these checks read (the test code is compiled without the DOM library). */
interface Dom {
  document: {
    activeElement: { id: string; getAttribute(name: string): string | null } | null;
    documentElement: { scrollWidth: number };
  };
}

describe('a grid’s roster in the console', () => {
  it('lets the city admin staff a grid 4+X on a phone, by keyboard, and the map shows its people complete', async () => {
    const admin = await signIn(stack.browser, stack.platform.url, 'admin', phone);
    opened.push(admin);
    const { page } = admin;
    await page.getByRole('link', { name: '管理' }).click();
    await page.getByRole('tab', { name: '区划网格' }).click();
    const tree = page.getByRole('navigation', { name: '区划树' });
    await tree.locator('button[data-code="110101001"]').click();
    await tree.locator('button[data-code="110101001001"]').click();
    await tree.locator('button[data-code="110101001001002"]').click();
    const form = page.getByRole('form', { name: '网格人员' });
    await form.waitFor();
    for (const role of ['专职网格员', '兼职网格员', '志愿者', '网格监督员']) await clearList(form, role);

    // By keyboard: each name, Tab to its phone; an add button by Enter puts the focus on the new row.
    const typeMember = async (nameLabel: string, name: string, phoneNumber?: string) => {
      await form.getByLabel(nameLabel, { exact: true }).focus();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type(name);
      await page.keyboard.press('Tab');
      await page.keyboard.press('ControlOrMeta+a');
      if (phoneNumber) await page.keyboard.type(phoneNumber);
      else await page.keyboard.press('Delete');
    };
    const add = async (role: string) => {
      await form.getByRole('button', { name: `添加${role}` }).focus();
      await page.keyboard.press('Enter');
    };
    await typeMember('网格联络员 姓名', '王联络', '13800000001');
    await typeMember('网格长 姓名', '李网格长', '010-65123456');
    await add('专职网格员');
    expect(await page.evaluate(() => (globalThis as unknown as Dom).document.activeElement?.id)).toBe(
      await form.getByLabel('专职网格员 1 姓名', { exact: true }).getAttribute('id'),
    );
    await typeMember('专职网格员 1 姓名', '张专职', '13800000002');
    await add('兼职网格员');
    await typeMember('兼职网格员 1 姓名', '赵兼职', '1380000');
    await add('志愿者');
    await typeMember('志愿者 1 姓名', '钱志愿');
    await add('网格监督员');
    await form.getByLabel('网格监督员 1 姓名', { exact: true }).fill('周监督');
    const staffing = form.getByTestId('roster-staffing');
    expect(await staffing.textContent()).toContain('4+X 配置齐全 ✓');

    // A short phone is caught before sending, beside its field, which takes the focus.
    await form.getByRole('button', { name: '保存人员' }).click();
    await form.getByRole('alert').filter({ hasText: '有 1 处需要修改' }).waitFor();
    const badPhone = form.getByLabel('兼职网格员 1 电话', { exact: true });
    expect(await badPhone.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as Dom).document.activeElement?.getAttribute('aria-invalid'),
      ),
    ).toBe('true');
    await form.getByText(/电话格式不对/).waitFor();
    await shot(page, 'roster-phone-error');
    expect(await auditPage(page, 'form.roster')).toEqual([]);
    await badPhone.fill('13800000004');
    await page.keyboard.press('Enter');
    await page.getByTestId('hierarchy-notice').filter({ hasText: '已保存网格人员' }).waitFor();
    // The form shows the grid as stored, at its new version.
    await page
      .getByTestId('unit-editor')
      .getByText(/版本 \d+/)
      .waitFor();
    expect(await form.getByLabel('兼职网格员 1 电话', { exact: true }).inputValue()).toBe('13800000004');
    // Nothing of the form is wider than the phone.
    expect(
      await page.evaluate(() => (globalThis as unknown as Dom).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(360);
    await form.scrollIntoViewIfNeeded();
    await shot(page, 'roster-phone');
    expect(admin.errors).toEqual([]);

    // The district center's map: the grid's panel names its people, staffed 4+X ✓.
    const district = await signIn(stack.browser, stack.platform.url, 'district', desktop);
    opened.push(district);
    await district.page.getByRole('link', { name: '地图' }).click();
    await district.page.locator('.map[data-ready="true"]').waitFor();
    await district.page.getByRole('button', { name: /东华门街道/ }).click();
    await district.page.getByRole('button', { name: /针织路东里社区/ }).click();
    await district.page.getByRole('button', { name: /第2网格 110101001001002/ }).click();
    const panel = district.page.getByTestId('unit-panel');
    await panel.getByRole('heading', { name: /第2网格/ }).waitFor();
    await panel.getByText('4+X ✓').waitFor();
    const text = await panel.textContent();
    for (const expected of [
      '网格联络员: 王联络 13800000001',
      '网格长: 李网格长 010-65123456',
      '专职网格员: 张专职',
      '兼职网格员: 赵兼职 13800000004',
      '志愿者: 钱志愿',
      '网格监督员: 周监督',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('无登记人员');
    await shot(district.page, 'roster-map');
    expect(district.errors).toEqual([]);
  }, 180_000);
});
