import { describe, expect, it } from 'vitest';
import { shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('hierarchy');
const { opened } = stack;

/** A square around a point, in degrees (about 50 m a side at Beijing's latitude for 0.0003). */
const square = (lon: number, lat: number, half = 0.0003) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - half, lat - half],
      [lon + half, lat - half],
      [lon + half, lat + half],
      [lon - half, lat + half],
      [lon - half, lat - half],
    ],
  ],
});

const collection = (grids: { code: string; name: string; at: [number, number] }[]) => ({
  type: 'FeatureCollection',
  features: grids.map(({ code, name, at }) => ({
    type: 'Feature',
    geometry: square(at[0], at[1]),
    properties: { code, name, level: 'grid', kind: 'basic', parentCode: code.slice(0, 12) },
  })),
});

const geojsonFile = (name: string, body: unknown) => ({
  name,
  mimeType: 'application/geo+json',
  buffer: Buffer.from(JSON.stringify(body)),
});

describe('the hierarchy in the console', () => {
  it('lets the city admin add a community and a grid, rename it, and import grids after seeing the report on the map', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'admin');
    opened.push(session);
    const { page, errors } = session;
    await page.getByRole('link', { name: '管理' }).click();
    await page.getByRole('tab', { name: '区划网格' }).click();
    const tree = page.getByRole('navigation', { name: '区划树' });
    const map = page.getByRole('application', { name: '区划地图' });
    await map.and(page.locator('[data-ready="true"]')).waitFor();
    const notice = page.getByTestId('hierarchy-notice');

    // A new community under 东华门街道: its code is suggested after the street's last community.
    await tree.locator('button[data-code="110101001"]').click();
    const addCommunity = page.getByRole('form', { name: '新增下级单元（社区/村）' });
    expect(await addCommunity.getByLabel('下级编码').inputValue()).toBe('110101001004');
    await addCommunity.getByLabel('下级名称').fill('测试社区');
    await addCommunity.getByRole('button', { name: '新增下级' }).click();
    await notice.filter({ hasText: '已新增：测试社区' }).waitFor();
    await tree.locator('button[data-code="110101001004"]').waitFor();

    // A grid in it, then renamed.
    const addGrid = page.getByRole('form', { name: '新增下级单元（网格）' });
    expect(await addGrid.getByLabel('下级编码').inputValue()).toBe('110101001004001');
    await addGrid.getByLabel('下级名称').fill('测试网格');
    await addGrid.getByLabel('网格类型').selectOption('exclusive');
    await addGrid.getByRole('button', { name: '新增下级' }).click();
    await notice.filter({ hasText: '已新增：测试网格' }).waitFor();
    const rename = page.getByRole('form', { name: '修改名称' });
    await page
      .getByTestId('unit-editor')
      .getByRole('heading', { name: /测试网格 110101001004001/ })
      .waitFor();
    await rename.getByLabel('名称').fill('测试网格（学校）');
    await rename.getByRole('button', { name: '保存' }).click();
    await notice.filter({ hasText: '已保存' }).waitFor();
    await tree
      .locator('button[data-code="110101001004001"]')
      .filter({ hasText: '测试网格（学校）' })
      .waitFor();
    await shot(page, 'hierarchy-tree');

    // An import whose two grids overlap: the report lists it and the map draws it.
    const input = page.getByLabel('GeoJSON 文件');
    await input.setInputFiles(
      geojsonFile(
        'overlap.geojson',
        collection([
          { code: '110101001004002', name: '导入网格二', at: [116.45, 39.95] },
          { code: '110101001004003', name: '导入网格三', at: [116.4503, 39.95] },
        ]),
      ),
    );
    await page.getByText('2 个要素，分 1 页上传').waitFor();
    await page.getByRole('button', { name: '上传并检查' }).click();
    const report = page.getByRole('list', { name: '检查报告' });
    const overlap = report.locator('li[data-problem="overlaps_sibling"]');
    await overlap.waitFor();
    expect(await overlap.textContent()).toContain('110101001004002');
    expect(await page.getByTestId('import-verdict').textContent()).toContain('1 个错误');
    expect(await page.getByRole('button', { name: '提交导入' }).isDisabled()).toBe(true);
    expect(Number(await map.getAttribute('data-overlay'))).toBeGreaterThanOrEqual(3);
    await overlap.getByRole('button', { name: '在地图上查看' }).click();
    await expect.poll(() => map.getAttribute('data-focus')).toMatch(/^116\.449/);
    await page.waitForTimeout(600);
    await shot(page, 'hierarchy-import-report');

    // The fixed file: the grids now stand apart. Nothing of the first one was written.
    await input.setInputFiles(
      geojsonFile(
        'fixed.geojson',
        collection([
          { code: '110101001004002', name: '导入网格二', at: [116.45, 39.95] },
          { code: '110101001004003', name: '导入网格三', at: [116.4507, 39.95] },
        ]),
      ),
    );
    await page.getByRole('button', { name: '上传并检查' }).click();
    await page.getByTestId('import-verdict').filter({ hasText: '没有发现问题，可以提交' }).waitFor();
    expect(await page.getByText('将新增 2 个、更新 0 个、不变 0 个').count()).toBe(1);
    await page.getByRole('button', { name: '提交导入' }).click();
    await notice.filter({ hasText: '已导入：新增 2 个' }).waitFor();
    await tree.locator('button[data-code="110101001004003"]').filter({ hasText: '导入网格三' }).waitFor();
    await tree.locator('button[data-code="110101001004003"]').click();
    await page
      .getByTestId('unit-editor')
      .getByRole('heading', { name: /导入网格三/ })
      .waitFor();
    await page.waitForTimeout(600);
    await shot(page, 'hierarchy-imported');

    // How the street's communities cover it, drawn on the map.
    await tree.locator('button[data-code="110101001"]').click();
    await page.getByTestId('unit-editor').getByRole('button', { name: '覆盖检查' }).click();
    await page.getByTestId('coverage-summary').waitFor();
    await page.waitForTimeout(600);
    await shot(page, 'hierarchy-coverage');
    // On a phone the tree, the map and the editor stack.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('tab', { name: '区划网格' }).scrollIntoViewIfNeeded();
    await shot(page, 'hierarchy-phone');
    expect(errors).toEqual([]);
  }, 120_000);
});
