import { demoTenant } from '@civicgrid/local';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, openFirstGrid, phone, shot, signIn, useConsoleStack, watchErrors } from './support';

/**
 * The public report page knows its city before anything is sent: its name, the map framed to its
 * grids, taps outside them refused, addresses found in it. And a department's map draws the grids
 * it serves.
 */
const stack = useConsoleStack('public-city');
let visitor: BrowserContext | undefined;

afterAll(async () => {
  await visitor?.close();
});

interface City {
  name: string;
  extent: { bbox: [number, number, number, number]; center: [number, number] };
}

describe('the public report page in its city', () => {
  it('names the city, frames its grids, refuses a tap outside them and finds an address', async () => {
    const city = (await (await fetch(`${stack.platform.url}/v1/public/demo-city`)).json()) as City;
    const [west, south, east, north] = city.extent.bbox;
    visitor = await stack.browser.newContext({ ...phone, baseURL: stack.platform.url });
    const page = await visitor.newPage();
    const errors = watchErrors(page);
    // Every place check the page asks the city for.
    const checks: [number, number][] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/v1/public/demo-city/locate') {
        checks.push([Number(url.searchParams.get('lon')), Number(url.searchParams.get('lat'))]);
      }
    });

    await page.goto('/report/demo-city');
    await page.getByRole('heading', { name: '我要上报' }).waitFor();
    expect(await page.getByTestId('city-name').textContent()).toBe(demoTenant.name);
    const map = page.getByRole('application', { name: `${demoTenant.name} 地图` });
    await page.locator('.map[data-ready="true"]').waitFor();
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');

    // The middle of the map is the middle of the city's box: the map was fitted to the grids.
    await map.tap({ position: { x: box.width / 2, y: box.height / 2 } });
    await eventually(() => checks.length).toBe(1);
    const [lon, lat] = checks[0] as [number, number];
    expect(Math.abs(lon - (west + east) / 2)).toBeLessThan((east - west) * 0.05);
    expect(Math.abs(lat - (south + north) / 2)).toBeLessThan((north - south) * 0.05);
    await eventually(() => page.getByTestId('picked').textContent()).toContain('位于');

    // A corner lies outside the box (the fit leaves a margin): refused at once, the city not asked.
    await map.tap({ position: { x: 4, y: 4 } });
    await page.getByTestId('place-refused').waitFor();
    expect(await page.getByTestId('place-refused').textContent()).toContain('不在本市网格范围内');
    expect(checks).toHaveLength(1);
    // The pin stays where it was.
    expect(await page.getByTestId('picked').textContent()).toContain(`${lon}, ${lat}`);
    await shot(page, 'public-city-refused');

    // The address search finds the place in the city's gazetteer and pins it.
    await page.getByLabel('地址或地点描述').fill('故宫');
    await page.getByRole('button', { name: '在地图上查找' }).click();
    await page.getByRole('button', { name: '故宫博物院' }).click();
    await eventually(() => page.getByTestId('picked').textContent()).toContain('位于');
    expect(await page.getByLabel('地址或地点描述').inputValue()).toBe('故宫博物院');
    expect(await page.getByTestId('place-refused').count()).toBe(0);
    await shot(page, 'public-city-address');

    // A place the city does not have is said so before anything is sent.
    await page.getByLabel('地址或地点描述').fill('外滩观景台');
    await page.getByRole('button', { name: '在地图上查找' }).click();
    await page.getByTestId('no-matches').waitFor();

    // And the report goes out with the found place.
    await page.getByRole('button', { name: '故宫博物院' }).waitFor({ state: 'detached' });
    await page.getByLabel('地址或地点描述').fill('故宫博物院');
    await page.getByLabel('问题类别 (必填)').selectOption('E05-52');
    await page.getByLabel('问题描述 (必填)').fill('午门外有人露天烧烤');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('public-report-done').waitFor();
    expect(await page.getByTestId('tracking-code').textContent()).toMatch(/^[0-9A-Z]{10}$/);
    expect(errors).toEqual([]);
  }, 120_000);
});

describe('a department’s map', () => {
  it('draws the grids the department serves and opens one', async () => {
    const session = await signIn(stack.browser, stack.platform.url, 'urbanmgmt');
    stack.opened.push(session);
    const { page, errors } = session;
    await page.getByRole('link', { name: '地图' }).click();
    await page.locator('.map[data-ready="true"]').waitFor();
    const panel = await openFirstGrid(page);
    await panel.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
    await shot(page, 'map-department');
    expect(errors).toEqual([]);
  }, 120_000);
});
