import { describe, expect, it } from 'vitest';
import { desktop, PASSWORD, phone, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('whistle-followup');
const { opened } = stack;

/** Waits on what the page shows; generous, since CI runs the other test files beside this one. */
const eventually = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 20_000, interval: 100 });

const tokenOf = async (username: string) => {
  const response = await fetch(`${stack.platform.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 'demo-city', username, password: PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
};

const call = async <T = Record<string, unknown>>(
  token: string,
  method: string,
  path: string,
  body?: unknown,
) => {
  const response = await fetch(new URL(path, stack.platform.url), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
};

// A point in grid 110101001001001 (the console test's phone position there).
const point: [number, number] = [116.395, 39.899];

describe('a whistle’s follow-up cases in the console', () => {
  it('lets the summoned department link a follow-up case after the joint action; the street follows the link to the case', async () => {
    // The whistle up to the joint action, through the API (the console test drives these steps by hand).
    const street = await tokenOf('street');
    const district = await tokenOf('district');
    const urbanmgmt = await tokenOf('urbanmgmt');
    const { id } = await call<{ id: string }>(street, 'POST', '/v1/whistles', {
      kind: 'key',
      source: { kind: 'patrol' },
      description: '夜市占道经营，需城管联合整治',
      categories: ['E05-04'],
      commonality: 'individual',
      location: { point, gridCode: '110101001001001' },
      departments: [{ departmentId: 'urban-enforcement', kind: 'resident' }],
    });
    const command = (token: string, body: Record<string, unknown>) =>
      call(token, 'POST', `/v1/whistles/${id}/commands`, body);
    await command(street, { type: 'file' });
    await command(district, { type: 'approve' });
    await command(street, { type: 'blow' });
    await command(urbanmgmt, { type: 'report', position: point });
    const bytes = new Uint8Array(1024).fill(9);
    const ticket = await call<{ attachmentId: string; uploadUrl: string; headers: Record<string, string> }>(
      street,
      'POST',
      '/v1/attachments',
      { contentType: 'image/jpeg', sizeBytes: bytes.length, fileName: 'site.jpg' },
    );
    const put = await fetch(new URL(ticket.uploadUrl, stack.platform.url), {
      method: 'PUT',
      headers: ticket.headers,
      body: bytes,
    });
    expect(put.status).toBe(204);
    await command(street, {
      type: 'recordAction',
      description: '现场责令撤摊',
      power: '责令改正',
      competentDepartmentId: 'urban-enforcement',
      officers: [
        { userId: 'officer-1', departmentId: 'urban-enforcement' },
        { userId: 'officer-2', departmentId: 'urban-enforcement' },
      ],
      evidenceIds: [ticket.attachmentId],
    });
    const followUp = await call<{ caseId: string }>(street, 'POST', '/v1/cases', {
      channel: 'whistle',
      description: '夜市占道经营后续查处',
      location: { point },
    });

    // The department, on its phone, links the case to the whistle.
    const department = await signIn(stack.browser, stack.platform.url, 'urbanmgmt', phone);
    opened.push(department);
    await department.page.goto(`${stack.platform.url}/whistles/${id}`);
    const section = department.page.getByTestId('follow-ups');
    await section.getByText('暂无后续案件').waitFor();
    await section.getByRole('button', { name: '关联后续案件' }).click();
    const form = department.page.getByRole('form', { name: '关联后续案件' });
    await form.getByLabel(/案件编号/).fill('not-a-case');
    await form.getByRole('button', { name: '关联' }).click();
    await form.getByRole('alert').filter({ hasText: '案件编号无效' }).waitFor();
    await form.getByLabel(/案件编号/).fill(followUp.caseId);
    await form.getByLabel('说明').fill('转入案件继续查处');
    await form.getByRole('button', { name: '关联' }).click();
    await section.getByRole('link', { name: followUp.caseId }).waitFor();
    await shot(department.page, 'whistle-follow-up-phone');

    // The street sees the link on the whistle and follows it to the case.
    const streetSession = await signIn(stack.browser, stack.platform.url, 'street', desktop);
    opened.push(streetSession);
    await streetSession.page.goto(`${stack.platform.url}/whistles/${id}`);
    const link = streetSession.page.getByTestId('follow-ups').getByRole('link', { name: followUp.caseId });
    expect(await link.getAttribute('href')).toBe(`/cases/${followUp.caseId}`);
    expect(
      await streetSession.page
        .getByTestId('follow-ups')
        .getByRole('button', { name: '关联后续案件' })
        .count(),
    ).toBe(0);
    await link.click();
    await streetSession.page.waitForURL(new RegExp(`/cases/${followUp.caseId}$`));
    await eventually(() => streetSession.page.getByText('夜市占道经营后续查处').count()).toBeGreaterThan(0);
    for (const session of [department, streetSession]) expect(session.errors).toEqual([]);
  }, 180_000);
});
