import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/** The API behind the public, mobile-first reporting page: no login, limited per address. */
let api: TestApi;
const tokens: Record<string, string> = {};
let point: [number, number];
let eventCode: string;
let componentCode: string;
const GRID = '110101001001001';
const BASE = `/v1/public/${DEMO_TENANT}`;
let ip = 0;
const nextIp = () => {
  ip += 1;
  return `10.7.${Math.floor(ip / 250)}.${ip % 250}`;
};

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api.call(method, path, { body, headers: { 'x-test-ip': nextIp(), ...headers } });

const pointInGrid = (grid: string) => api.pointInGrid(grid, tokens.admin);

/** A photo uploaded the way the page does it: a ticket, then the bytes to its URL. */
const uploadPhoto = async () => {
  const bytes = new Uint8Array(4096).fill(9);
  const ticket = await call('POST', `${BASE}/attachments`, {
    contentType: 'image/jpeg',
    sizeBytes: bytes.length,
    fileName: '现场.jpg',
  });
  expect(ticket.status).toBe(201);
  const put = await api.app.request(ticket.body.uploadUrl, {
    method: 'PUT',
    headers: ticket.body.headers,
    body: bytes,
  });
  expect(put.status).toBe(204);
  return ticket.body.attachmentId as string;
};

const report = (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  call(
    'POST',
    `${BASE}/reports`,
    {
      categoryCode: eventCode,
      description: '楼下有人乱扔垃圾 Litter below the building',
      location: { point },
      contact: { name: '李四', phone: '13900001111' },
      ...extra,
    },
    headers,
  );

const command = async (who: string, caseId: string, body: Record<string, unknown>) => {
  const response = await api.call('POST', `/v1/cases/${caseId}/commands`, { token: tokens[who], body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

/** The case behind a tracking code; staff would find it in their inbox. */
const caseOf = async (trackingCode: string) => {
  const ref = await api.store
    .tenant(DEMO_TENANT)
    .get<{ caseId: string }>({ pk: ['case-tracking', trackingCode], sk: ['case'] });
  if (!ref) throw new Error('no case for the tracking code');
  const inbox = (await api.call('GET', '/v1/cases/inbox', { token: tokens.gridworker })).body.items as {
    id: string;
  }[];
  expect(inbox.map((c) => c.id)).toContain(ref.data.caseId);
  return ref.data.caseId;
};

beforeAll(async () => {
  api = await createTestApi();
  for (const who of ['admin', 'street', 'gridworker', 'urbanmgmt', 'citizen']) {
    tokens[who] = await api.login(DEMO_TENANT, who);
  }
  point = await pointInGrid(GRID);
  const catalog = (await api.call('GET', '/v1/catalog', { token: tokens.admin })).body.catalog;
  eventCode = catalog.entries.find(
    (e: { departmentId: string; level: string; categoryCode: string }) =>
      e.departmentId === 'urban-enforcement' && e.level === 'street' && e.categoryCode.startsWith('E'),
  ).categoryCode;
  componentCode = catalog.entries.find((e: { categoryCode: string }) =>
    e.categoryCode.startsWith('C'),
  ).categoryCode;
});

describe('public categories', () => {
  it('lists the categories that route to a department, Chinese first, with the extra fields they ask for', async () => {
    const listed = await call('GET', `${BASE}/categories`);
    expect(listed.status).toBe(200);
    const event = listed.body.items.find((c: { code: string }) => c.code === eventCode);
    expect(event.name.zh).toMatch(/\p{Script=Han}/u);
    expect(event.attributes).toEqual([]);
    const component = listed.body.items.find((c: { code: string }) => c.code === componentCode);
    expect(component.attributes.map((a: { code: string }) => a.code)).toEqual([
      'component_code',
      'condition',
    ]);
  });

  it('answers 404 for an unknown city and 403 for a suspended one', async () => {
    expect((await call('GET', '/v1/public/no-such-city/categories')).body.error.code).toBe('not_found');
    const operator = await api.login('platform', 'operator');
    await api.call('POST', '/v1/tenants', {
      token: operator,
      body: {
        id: 'paused-town',
        name: '暂停城市',
        divisionCode: '310000',
        admin: { username: 'admin', displayName: 'P admin', password: 'p-admin-password' },
      },
    });
    await api.call('POST', '/v1/tenants/paused-town/suspend', { token: operator });
    const suspended = await call('POST', '/v1/public/paused-town/reports', {
      categoryCode: eventCode,
      description: 'x',
      location: { point },
    });
    expect(suspended.status).toBe(403);
    expect(suspended.body.error.code).toBe('tenant_suspended');
  });
});

describe('an anonymous report', () => {
  it('becomes a web case with its photos, answers only a tracking code, and replays by idempotency key', async () => {
    const photo = await uploadPhoto();
    const key = 'public-report-key-0001';
    const first = await report({ attachmentIds: [photo] }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body)).toEqual(['trackingCode']);
    const again = await report({ attachmentIds: [photo] }, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.trackingCode).toBe(first.body.trackingCode);

    const caseId = await caseOf(first.body.trackingCode);
    const staff = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.street });
    expect(staff.body).toMatchObject({
      channel: 'web',
      status: 'reported',
      attachmentIds: [photo],
      location: { gridCode: GRID },
      contact: { name: '李四', phone: '13900001111' },
      deadline: { step: 'verify' },
    });
    expect(staff.body.reporter.kind).toBe('anonymous');
  });

  it('cites only photos uploaded through the public page, only images', async () => {
    const ticket = await api.call('POST', '/v1/attachments', {
      token: tokens.citizen,
      body: { contentType: 'image/jpeg', sizeBytes: 10 },
    });
    await api.app.request(ticket.body.uploadUrl, {
      method: 'PUT',
      headers: ticket.body.headers,
      body: new Uint8Array(10),
    });
    const refused = await report({ attachmentIds: [ticket.body.attachmentId] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toMatchObject({ code: 'attachment_missing' });
    const pdf = await call('POST', `${BASE}/attachments`, { contentType: 'application/pdf', sizeBytes: 10 });
    expect(pdf.status).toBe(400);
  });

  it('refuses categories the city does not take and wrong attribute answers', async () => {
    const unknown = await report({ categoryCode: 'E99-99' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.code).toBe('unknown_category');
    const wrong = await report({ categoryCode: componentCode, attributes: { condition: 'melted' } });
    expect(wrong.body.error.details).toMatchObject({ code: 'attribute_invalid', attribute: 'condition' });
    const ok = await report({ categoryCode: componentCode, attributes: { condition: 'missing' } });
    expect(ok.status).toBe(201);
  });

  it('is limited per address', async () => {
    const from = { 'x-test-ip': '10.99.0.1' };
    const body = { categoryCode: 'E99-99', description: 'x', location: { point } };
    for (let i = 0; i < 10; i += 1) {
      expect((await api.call('POST', `${BASE}/reports`, { body, headers: from })).status).toBe(400);
    }
    const limited = await api.call('POST', `${BASE}/reports`, { body, headers: from });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });
});

describe('following and rating a report', () => {
  it('shows the public steps, and lets the reporter rate once when the case is closed', async () => {
    const { trackingCode } = (await report()).body;
    const progress = () => call('GET', `${BASE}/reports/${trackingCode}`);
    const early = await progress();
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ status: 'reported', open: true, canRate: false });
    expect(early.body.steps[0].label.zh).toContain('已受理');
    expect(JSON.stringify(early.body)).not.toContain('13900001111');
    expect(JSON.stringify(early.body)).not.toContain('李四');

    const tooSoon = await call('POST', `${BASE}/reports/${trackingCode}/rating`, { satisfaction: 5 });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.error.details.code).toBe('invalid_transition');

    const caseId = await caseOf(trackingCode);
    await command('gridworker', caseId, { type: 'verify', confirmed: true });
    await command('street', caseId, { type: 'register' });
    await command('street', caseId, { type: 'dispatch', departmentIds: ['urban-enforcement'] });
    await command('urbanmgmt', caseId, { type: 'accept' });
    const evidence = await api.call('POST', '/v1/attachments', {
      token: tokens.urbanmgmt,
      body: { contentType: 'image/jpeg', sizeBytes: 8 },
    });
    await api.app.request(evidence.body.uploadUrl, {
      method: 'PUT',
      headers: evidence.body.headers,
      body: new Uint8Array(8),
    });
    await command('urbanmgmt', caseId, {
      type: 'handle',
      result: '已清理，联系人李四已告知',
      evidenceIds: [evidence.body.attachmentId],
    });
    await command('gridworker', caseId, { type: 'startCheck' });
    await command('gridworker', caseId, { type: 'checkPass' });

    const closed = await progress();
    expect(closed.body).toMatchObject({ status: 'closed', open: false, canRate: true });
    expect(closed.body.steps.map((s: { type: string }) => s.type)).toContain('case.check_passed');
    // Results and notes are the administration's: the public sees the steps, not their text.
    expect(JSON.stringify(closed.body)).not.toContain('李四');

    const rated = await call('POST', `${BASE}/reports/${trackingCode}/rating`, {
      satisfaction: 4,
      comment: '处理及时',
    });
    expect(rated.status).toBe(200);
    expect(rated.body).toEqual({ status: 'evaluated', satisfaction: 4 });
    const twice = await call('POST', `${BASE}/reports/${trackingCode}/rating`, { satisfaction: 1 });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details.code).toBe('invalid_transition');
    const after = await progress();
    expect(after.body).toMatchObject({ status: 'evaluated', canRate: false, rating: { satisfaction: 4 } });
    const staff = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.street });
    expect(staff.body.evaluation).toMatchObject({ satisfaction: 4, comment: '处理及时' });
  });

  it('knows only public reports, and no code of another city', async () => {
    const staffReport = await api.call('POST', '/v1/cases', {
      token: tokens.citizen,
      body: { channel: 'citizen', description: '噪音', categoryCode: eventCode, location: { point } },
    });
    expect(staffReport.status).toBe(201);
    const code = staffReport.body.trackingCode;
    expect((await call('GET', `${BASE}/reports/${code}`)).status).toBe(404);
    expect((await call('POST', `${BASE}/reports/${code}/rating`, { satisfaction: 1 })).status).toBe(404);
    const { trackingCode } = (await report()).body;
    const operator = await api.login('platform', 'operator');
    await api.call('POST', '/v1/tenants', {
      token: operator,
      body: {
        id: 'other-town',
        name: '另一城市',
        divisionCode: '310000',
        admin: { username: 'admin', displayName: 'O admin', password: 'o-admin-password' },
      },
    });
    expect((await call('GET', `/v1/public/other-town/reports/${trackingCode}`)).status).toBe(404);
  });
});
