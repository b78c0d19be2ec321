import { beforeAll, describe, expect, it } from 'vitest';
import { apiAs, artifacts, phone, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('admin-catalog');
const { opened } = stack;

const api = apiAs(stack, ['admin']);
const { call } = api;
beforeAll(api.signInAll, 180_000);

/** Posts to the city's Open311 endpoint with only a key: a valid key gets past the key check. */
const open311Status = async (apiKey: string) =>
  (
    await fetch(`${stack.platform.url}/open311/v2/demo-city/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: apiKey }).toString(),
    })
  ).status;

interface CatalogView {
  catalog: { categories: { code: string; minor: { name: { zh: string } } }[] };
}

describe('departments, duty catalog and Open311 keys in the console', () => {
  it('lets the city admin add a department, route a category to it, and issue and revoke a key', async () => {
    const catalog = await call<CatalogView>('GET', '/v1/catalog', 'admin');
    const ads = catalog.catalog.categories.find((c) => c.minor.name.zh === '非法小广告');
    if (!ads) throw new Error('the demo catalog has no 非法小广告');

    const session = await signIn(stack.browser, stack.platform.url, 'admin');
    opened.push(session);
    const { page, errors } = session;
    await page.getByRole('link', { name: '管理' }).click();

    // A new department, checked before sending, then created.
    await page.getByRole('tab', { name: '部门' }).click();
    await page.locator('tr[data-department="urban-enforcement"]').waitFor();
    const form = page.getByRole('form', { name: '新增部门' });
    await form.getByLabel('部门 ID').fill('Ad Cleanup');
    await form.getByLabel('部门编码').fill('XGG');
    await form.getByLabel('中文名称').fill('小广告治理专班');
    await form.getByRole('button', { name: '创建部门' }).click();
    await form.getByText('须为 2–40 位小写字母、数字或连字符，以字母或数字开头').waitFor();
    await form.getByLabel('部门 ID').fill('ad-cleanup');
    await form.getByLabel('英文名称').fill('Small-ads clean-up team');
    await form.getByLabel('类型').selectOption('resident');
    await form.getByLabel('联系人').fill('张队, 13912345678, 队长');
    await form.getByRole('button', { name: '创建部门' }).click();
    await page.getByRole('status').filter({ hasText: '已创建部门: 小广告治理专班' }).waitFor();
    const row = page.locator('tr[data-department="ad-cleanup"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('张队 13912345678');
    await shot(page, 'admin-catalog-departments');

    // The duty catalog: try routing, hand the category to the new department, and routing follows.
    await page.getByRole('tab', { name: '职责清单' }).click();
    const tryForm = page.getByRole('form', { name: '试派遣' });
    await tryForm.getByLabel('类别').selectOption(ads.code);
    await tryForm.getByRole('button', { name: '试一试' }).click();
    await expect.poll(() => tryForm.getByTestId('route-answer').textContent()).toContain('街道城管执法队');

    await page.getByLabel('筛选类别').fill('广告');
    await page.getByLabel(`责任部门 ${ads.code}`).selectOption('ad-cleanup');
    await page.getByLabel(`时限数值 ${ads.code}`).fill('1');
    await page.getByRole('button', { name: '保存职责清单' }).click();
    await page.getByRole('status').filter({ hasText: '职责清单已保存' }).waitFor();
    await page.locator(`tr[data-category="${ads.code}"]`).getByText('本市已调整').waitFor();

    await tryForm.getByLabel('类别').selectOption(ads.code);
    await tryForm.getByLabel('区划代码').fill('110101001');
    await tryForm.getByRole('button', { name: '试一试' }).click();
    await expect.poll(() => tryForm.getByTestId('route-answer').textContent()).toContain('小广告治理专班');
    const routed = await call<{ departmentId: string; handlingLimit: { amount: number } }>(
      'GET',
      `/v1/catalog/route?categoryCode=${ads.code}`,
      'admin',
    );
    expect(routed).toMatchObject({ departmentId: 'ad-cleanup', handlingLimit: { amount: 1 } });
    await shot(page, 'admin-catalog-duty-catalog');

    // Open311: a key for a client application, shown once; revoked after a confirmation.
    await page.getByRole('tab', { name: '设置' }).click();
    const keyForm = page.getByRole('form', { name: '签发密钥' });
    await keyForm.getByLabel('应用名称').fill('市民通 App');
    await keyForm.getByLabel('每小时提交上限').fill('120');
    await keyForm.getByRole('button', { name: '签发密钥' }).click();
    const apiKey = await page.getByTestId('issued-key').inputValue();
    expect(apiKey).toMatch(/^o311\./);
    expect(await open311Status(apiKey)).not.toBe(403);
    const keyRow = page.locator('tr[data-key-name="市民通 App"]');
    await keyRow.getByText('有效').waitFor();
    await shot(page, 'admin-catalog-open311-key-issued');

    await keyRow.getByRole('button', { name: '撤销 市民通 App' }).click();
    await keyRow.getByText('撤销后该应用将无法再提交诉求').waitFor();
    await keyRow.getByRole('button', { name: '确认撤销' }).click();
    await page.getByRole('status').filter({ hasText: '已撤销密钥: 市民通 App' }).waitFor();
    await keyRow.getByText('已撤销', { exact: true }).waitFor();
    expect(await page.getByTestId('issued-key').count()).toBe(0);
    expect(await open311Status(apiKey)).toBe(403);
    await shot(page, 'admin-catalog-open311-key-revoked');
    expect(errors).toEqual([]);
  });

  it('fits the duty catalog and the departments on a 360 px phone', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'admin', phone);
    opened.push(session);
    const { page, errors } = session;
    await page.getByRole('link', { name: '管理' }).click();
    for (const [tab, ready] of [
      ['部门', page.getByRole('form', { name: '新增部门' })],
      ['职责清单', page.getByRole('form', { name: '试派遣' })],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await ready.waitFor();
      // Wide tables scroll inside their wrapper; the page itself does not scroll sideways.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    }
    await page.screenshot({ path: `${artifacts}/admin-catalog-phone.png` });
    expect(errors).toEqual([]);
  });
});
