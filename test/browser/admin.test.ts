import { beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desktop, login, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('admin');
const { opened } = stack;

const api = apiAs(stack, ['admin']);
const { call } = api;
beforeAll(api.signInAll, 180_000);

interface WhistleSettingsView {
  version: number;
  settings: { reportWithinMinutes: Record<string, number>; blownAtOnce: string[]; offSiteRadiusM: number };
}

describe('administration in the console', () => {
  it('lets the city admin change the whistle settings, and reloads them when someone else saved first', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'admin');
    opened.push(session);
    const { page, errors } = session;
    await page.getByRole('link', { name: '管理' }).click();
    await page.getByRole('tab', { name: '设置' }).click();
    const form = page.getByRole('form', { name: '吹哨设置' });
    const radius = form.getByLabel('离岗判定半径（米）');
    await radius.waitFor();

    // Checked before sending: nothing goes to the API.
    await radius.fill('5');
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByText('须为 10–20000 之间的整数米').waitFor();

    await radius.fill('800');
    await form.getByLabel('报到时限（分钟） · 重点哨').fill('90');
    await form.getByRole('checkbox', { name: '重点哨' }).check();
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();

    const stored = await call<WhistleSettingsView>('GET', '/v1/settings/whistles', 'admin');
    expect(stored.settings).toEqual({
      reportWithinMinutes: { emergency: 30, key: 90, routine: 1440 },
      blownAtOnce: ['emergency', 'key'],
      offSiteRadiusM: 800,
    });
    await expect
      .poll(() => page.getByRole('form', { name: '吹哨设置' }).getByLabel('离岗判定半径（米）').inputValue())
      .toBe('800');

    // Another admin saves meanwhile: the console's save is refused with 409, and it reloads theirs.
    await call('PUT', '/v1/settings/whistles', 'admin', {
      version: stored.version,
      settings: { ...stored.settings, offSiteRadiusM: 1200 },
    });
    const again = page.getByRole('form', { name: '吹哨设置' });
    await again.getByLabel('离岗判定半径（米）').fill('300');
    await again.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '设置已被他人修改' }).waitFor();
    await expect
      .poll(() => page.getByRole('form', { name: '吹哨设置' }).getByLabel('离岗判定半径（米）').inputValue())
      .toBe('1200');
    expect(
      (await call<WhistleSettingsView>('GET', '/v1/settings/whistles', 'admin')).settings.offSiteRadiusM,
    ).toBe(1200);

    // The working calendar: one make-up working day more this year, read back through the API.
    const calendar = page.getByRole('form', { name: '工作日历' });
    const year = String(new Date().getFullYear());
    await calendar.getByLabel('年份').selectOption(year);
    // Picked with the date input, added with Enter from the keyboard.
    const workdays = calendar.getByRole('group', { name: '调休上班日' });
    const pick = workdays.getByLabel('选择日期');
    await pick.fill(`${year}-12-26`);
    await pick.press('Enter');
    await workdays.locator('time', { hasText: `${year}-12-26` }).waitFor();
    await calendar.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    const stored2 = await call<{ calendar: { years: Record<string, { workdays: string[] }> } }>(
      'GET',
      '/v1/settings/calendar',
      'admin',
    );
    expect(stored2.calendar.years[year]?.workdays).toContain(`${year}-12-26`);
    await shot(page, 'admin-whistle-settings');
    expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
  });

  it('lets the operator onboard a city whose admin can then sign in, and suspend it', async () => {
    const operator = await signIn(stack.browser, stack.platform.url, 'operator', desktop, 'platform');
    opened.push(operator);
    const { page, errors } = operator;
    await page.getByRole('heading', { name: '城市租户' }).waitFor();
    await page.locator('tr[data-tenant="demo-city"]').waitFor();

    const form = page.getByRole('form', { name: '新城市入驻' });
    await form.getByLabel('租户 ID').fill('hz-city');
    await form.getByLabel('城市名称').fill('杭州市');
    await form.getByLabel('行政区划代码').fill('330100');
    await form.getByLabel('用户名').fill('hzadmin');
    await form.getByLabel('姓名').fill('杭州管理员');
    await form.getByLabel('密码').fill('hz-city-password');
    await form.getByRole('button', { name: '新城市入驻' }).click();
    await page.getByRole('status').filter({ hasText: '已入驻: hz-city' }).waitFor();
    const row = page.locator('tr[data-tenant="hz-city"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('杭州市');
    expect((await login(stack, 'hzadmin', 'hz-city', 'hz-city-password')).status).toBe(200);

    // The same id again is refused, shown as a readable message with the API's code.
    await form.getByLabel('租户 ID').fill('hz-city');
    await form.getByLabel('城市名称').fill('另一个');
    await form.getByLabel('行政区划代码').fill('330100');
    await form.getByLabel('用户名').fill('other');
    await form.getByLabel('姓名').fill('其他');
    await form.getByLabel('密码').fill('another-password');
    await form.getByRole('button', { name: '新城市入驻' }).click();
    await form.getByRole('alert').filter({ hasText: 'already_exists' }).waitFor();

    // Suspending asks first, naming the city; Escape cancels and nothing changes.
    await row.getByRole('button', { name: '暂停' }).click();
    const dialog = page.getByRole('dialog', { name: '暂停城市' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('杭州市（hz-city）');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row.getByTestId('tenant-status').textContent()).toBe('正常');
    await row.getByRole('button', { name: '暂停' }).click();
    await shot(page, 'operator-suspend-confirm');
    await dialog.getByRole('button', { name: '确认暂停' }).click();
    await row.getByTestId('tenant-status').filter({ hasText: '已暂停' }).waitFor();
    expect((await login(stack, 'hzadmin', 'hz-city', 'hz-city-password')).status).not.toBe(200);
    await row.getByRole('button', { name: '恢复' }).click();
    await row.getByTestId('tenant-status').filter({ hasText: '正常' }).waitFor();
    await shot(page, 'operator-onboarded');
    expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
  });
});
