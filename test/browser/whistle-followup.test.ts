import { beforeAll, describe, expect, it } from 'vitest';
import { apiAs, desktop, eventually, POINT, phone, shot, signIn, useConsoleStack } from './support';

const stack = useConsoleStack('whistle-followup');
const { opened } = stack;

const api = apiAs(stack, ['street', 'district', 'urbanmgmt']);
const { call } = api;
beforeAll(api.signInAll, 180_000);

describe('a whistle’s follow-up cases in the console', () => {
  it('lets the summoned department link a follow-up case after the joint action; the street follows the link to the case', async () => {
    // The whistle up to the joint action, through the API (the console test drives these steps by hand).
    const { id } = await call<{ id: string }>('POST', '/v1/whistles', 'street', {
      kind: 'key',
      source: { kind: 'patrol' },
      description: '夜市占道经营，需城管联合整治',
      categories: ['E05-04'],
      commonality: 'individual',
      location: { point: POINT, gridCode: '110101001001001' },
      departments: [{ departmentId: 'urban-enforcement', kind: 'resident' }],
    });
    const command = (who: string, body: Record<string, unknown>) =>
      call('POST', `/v1/whistles/${id}/commands`, who, body);
    await command('street', { type: 'file' });
    await command('district', { type: 'approve' });
    await command('street', { type: 'blow' });
    await command('urbanmgmt', { type: 'report', position: POINT });
    const site = await api.upload('street', {
      mimeType: 'image/jpeg',
      buffer: new Uint8Array(1024).fill(9),
      name: 'site.jpg',
    });
    await command('street', {
      type: 'recordAction',
      description: '现场责令撤摊',
      power: '责令改正',
      competentDepartmentId: 'urban-enforcement',
      officers: [
        { userId: 'officer-1', departmentId: 'urban-enforcement' },
        { userId: 'officer-2', departmentId: 'urban-enforcement' },
      ],
      evidenceIds: [site],
    });
    const followUp = await call<{ caseId: string }>('POST', '/v1/cases', 'street', {
      channel: 'whistle',
      description: '夜市占道经营后续查处',
      location: { point: POINT },
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
