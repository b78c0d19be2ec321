import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiAs, eventually, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('figures');
const { opened } = stack;
const api = apiAs(stack, ['street', 'urbanmgmt', 'gridworker']);
const { call } = api;

beforeAll(api.signInAll, 180_000);

/** A case round the loop through the API: reported on patrol, registered, dispatched by the catalog, handled, checked, closed. */
const closeOneCase = async () => {
  const caseId = await api.reportPatrol();
  const command = (who: string, body: Record<string, unknown>) =>
    call<{ status: string }>('POST', `/v1/cases/${caseId}/commands`, who, body);
  await command('street', { type: 'register' });
  // The events worker dispatches a registered case by the duty catalog.
  await eventually(
    async () => (await call<{ status: string }>('GET', `/v1/cases/${caseId}`, 'street')).status,
  ).toBe('dispatched');
  await command('urbanmgmt', { type: 'accept' });
  const after = await api.upload('urbanmgmt', {
    mimeType: 'image/jpeg',
    buffer: new Uint8Array(1024).fill(7),
    name: 'after.jpg',
  });
  await command('urbanmgmt', { type: 'handle', result: '已清运', evidenceIds: [after] });
  await command('gridworker', { type: 'startCheck' });
  const closed = await command('gridworker', { type: 'checkPass', note: '现场已恢复' });
  expect(closed.status).toBe('closed');
};

describe('figures in the console', () => {
  it('shows the district the scorecards, and the scorecard moves when a case closes', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'district');
    opened.push(session);
    const { page, errors } = session;
    await page.getByRole('link', { name: '图表' }).click();
    await page.getByRole('heading', { name: '图表' }).waitFor();
    await page.getByRole('heading', { name: '部门考核' }).waitFor();
    await page.getByRole('heading', { name: '街道与网格对比' }).waitFor();
    await page.getByRole('heading', { name: '每月一题' }).waitFor();
    await eventually(() => page.locator('[aria-busy="true"]').count()).toBe(0);

    const row = page.locator('[data-testid="scorecard-row"][data-department="urban-enforcement"]');
    const figure = async (testId: string) => Number(await row.getByTestId(testId).textContent());
    // The demo city may already hold figures for this month; the test reads them first.
    const emptyBefore = (await row.count()) === 0;
    const closedBefore = emptyBefore ? 0 : await figure('closed');
    const receivedBefore = emptyBefore ? 0 : await figure('received');
    await shot(page, 'figures-district-before');

    await closeOneCase();

    // The events worker counts the dispatch and the closure; the page shows them after a refresh.
    await eventually(async () => {
      await page.getByRole('button', { name: '刷新' }).click();
      await page.locator('[data-testid="scorecards"]').waitFor();
      return (await row.count()) > 0 ? [await figure('received'), await figure('closed')] : [];
    }).toEqual([receivedBefore + 1, closedBefore + 1]);
    expect(await row.getByTestId('score').textContent()).toMatch(/^\d+(\.\d)?$/);
    await page.getByRole('img', { name: '各部门综合得分' }).waitFor();
    // The hot-spot map shades the grids; a click on one names its figures.
    await page.locator('.map[data-ready="true"]').waitFor();
    await page.locator('.map canvas').scrollIntoViewIfNeeded();
    const box = await page.locator('.map canvas').boundingBox();
    if (!box) throw new Error('no map canvas');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await eventually(() => page.getByTestId('hotspot-grid').textContent()).toContain('立案');
    await shot(page, 'figures-district-after');

    // The CSV comes down with the session's token, under the API's file name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 CSV: 部门考核' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^scorecards-\d{4}-\d{2}\.csv$/);
    const file = await download.path();
    expect(readFileSync(file, 'utf8')).toContain('urban-enforcement');

    // English works too.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Department scorecards' }).waitFor();
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows a department its own scorecard only, and no place figures', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'urbanmgmt');
    opened.push(session);
    const { page, errors } = session;
    await page.getByRole('link', { name: '图表' }).click();
    await page.getByRole('heading', { name: '部门考核' }).waitFor();
    await eventually(() => page.getByTestId('scorecard-row').count()).toBe(1);
    expect(await page.getByTestId('scorecard-row').getAttribute('data-department')).toBe('urban-enforcement');
    expect(await page.getByRole('heading', { name: '街道与网格对比' }).count()).toBe(0);
    await shot(page, 'figures-department');
    expect(errors).toEqual([]);
  }, 120_000);
});
