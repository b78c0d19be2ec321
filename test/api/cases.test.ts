import { tenantCalendar } from '@civicgrid/api';
import { defaultChinaCalendar, WorkingCalendar } from '@civicgrid/domain';
import { DEMO_TENANT } from '@civicgrid/local';
import { sweepTenant } from '@civicgrid/workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;
const tokens: Record<string, string> = {};
let point: [number, number];
let categoryCode: string;

const GRID = '110101001001001';

const pointInGrid = (grid: string) => api.pointInGrid(grid, tokens.admin);

/** Uploads a small photo the way a client does: a ticket, then the bytes to its URL. */
const upload = async (who: string) => {
  const bytes = new Uint8Array(2048).fill(7);
  const ticket = await api.call('POST', '/v1/attachments', {
    token: tokens[who],
    body: { contentType: 'image/jpeg', sizeBytes: bytes.length, fileName: 'after.jpg' },
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

const command = (who: string, caseId: string, body: Record<string, unknown>) =>
  api.call('POST', `/v1/cases/${caseId}/commands`, { token: tokens[who], body });

const inbox = async (who: string) =>
  ((await api.call('GET', '/v1/cases/inbox', { token: tokens[who] })).body.items as { id: string }[]).map(
    (c) => c.id,
  );

const report = (key?: string) =>
  api.call('POST', '/v1/cases', {
    token: tokens.citizen,
    headers: key ? { 'idempotency-key': key } : {},
    body: {
      channel: 'citizen',
      description: '小区门口垃圾堆积 Garbage piling up at the gate',
      categoryCode,
      location: { point },
      contact: { name: '王小明', phone: '13812345678' },
    },
  });

beforeAll(async () => {
  api = await createTestApi();
  for (const who of ['admin', 'street', 'district', 'gridworker', 'urbanmgmt', 'citizen']) {
    tokens[who] = await api.login(DEMO_TENANT, who);
  }
  point = await pointInGrid(GRID);
  // An event category the catalog sends to the demo department at the street level.
  const catalog = (await api.call('GET', '/v1/catalog', { token: tokens.admin })).body.catalog;
  const entry = catalog.entries.find(
    (e: { departmentId: string; level: string; categoryCode: string }) =>
      e.departmentId === 'urban-enforcement' && e.level === 'street' && e.categoryCode.startsWith('E'),
  );
  categoryCode = entry.categoryCode;
});

describe('the case loop through the API', () => {
  it('runs a citizen report from discovery to evaluation, visible in timeline, inboxes and tracking', async () => {
    const reported = await report('citizen-report-0001');
    expect(reported.status).toBe(201);
    const { caseId, trackingCode } = reported.body;
    expect(await inbox('gridworker')).toContain(caseId);
    expect(await inbox('citizen')).toContain(caseId);

    expect(
      (await command('gridworker', caseId, { type: 'verify', confirmed: true, note: '现场属实' })).status,
    ).toBe(200);
    expect(await inbox('street')).toContain(caseId);
    expect((await command('street', caseId, { type: 'register' })).status).toBe(200);

    const route = await api.call('GET', `/v1/catalog/route?categoryCode=${categoryCode}&orgCode=${GRID}`, {
      token: tokens.street,
    });
    expect(route.body).toMatchObject({ kind: 'routed', departmentId: 'urban-enforcement' });
    const dispatched = await command('street', caseId, {
      type: 'dispatch',
      departmentIds: [route.body.departmentId],
      catalogVersion: route.body.catalogVersion,
    });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.status).toBe('dispatched');
    expect(await inbox('urbanmgmt')).toContain(caseId);

    const accepted = await command('urbanmgmt', caseId, { type: 'accept' });
    expect(accepted.body.status).toBe('accepted');
    // The handling limit is the catalog's for this category, counted in the city's working time.
    const due = new WorkingCalendar(defaultChinaCalendar()).addTime(
      api.clock.now(),
      route.body.handlingLimit,
    );
    expect(accepted.body.deadline).toEqual({ step: 'handle', dueAt: due.toISOString() });
    const notUploaded = await command('urbanmgmt', caseId, {
      type: 'handle',
      result: '已清运 Cleared',
      evidenceIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect(notUploaded.body.error.details.code).toBe('attachment_missing');
    const handled = await command('urbanmgmt', caseId, {
      type: 'handle',
      result: '已清运 Cleared',
      evidenceIds: [await upload('urbanmgmt')],
    });
    expect(handled.body.status).toBe('handled');
    expect((await command('gridworker', caseId, { type: 'startCheck' })).body.status).toBe('checking');
    expect((await command('gridworker', caseId, { type: 'checkPass', note: '核查通过' })).body.status).toBe(
      'closed',
    );
    const evaluated = await command('citizen', caseId, {
      type: 'evaluate',
      satisfaction: 5,
      comment: '很快',
    });
    expect(evaluated.status).toBe(200);
    expect(evaluated.body.status).toBe('evaluated');

    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.street });
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'case.reported',
      'case.verified',
      'case.registered',
      'case.dispatched',
      'case.accepted',
      'case.handled',
      'case.check_started',
      'case.check_passed',
      'case.evaluated',
    ]);
    expect(detail.body.contact).toEqual({ name: '王小明', phone: '13812345678' });

    const tracked = await api.call('GET', `/v1/track/${DEMO_TENANT}/${trackingCode}`);
    expect(tracked.status).toBe(200);
    expect(tracked.body.status).toBe('evaluated');
    expect(JSON.stringify(tracked.body)).not.toContain('13812345678');
  });

  it('flags a nearby open report of the same category as a likely duplicate, and merges it', async () => {
    const first = await report();
    const second = await report();
    expect(second.body.possibleDuplicates).toContain(first.body.caseId);
    const detail = await api.call('GET', `/v1/cases/${second.body.caseId}`, { token: tokens.street });
    expect(detail.body.possibleDuplicates).toContain(first.body.caseId);
    const merged = await command('street', second.body.caseId, {
      type: 'merge',
      primaryId: first.body.caseId,
    });
    expect(merged.status).toBe(200);
    expect(merged.body.status).toBe('merged');
    const primary = await api.call('GET', `/v1/cases/${first.body.caseId}`, { token: tokens.street });
    expect(primary.body.duplicates).toContain(second.body.caseId);
  });

  it('flags a step as due soon and then overdue by working time', async () => {
    const { caseId } = (await report()).body;
    const fresh = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.gridworker });
    expect(fresh.body.deadline.step).toBe('verify');
    expect(fresh.body.deadlineStatus).not.toBe('overdue');
    api.clock.set(new Date(new Date(fresh.body.deadline.dueAt).getTime() + 60_000));
    // Tokens expire with the moved clock: every later call signs in again.
    for (const who of Object.keys(tokens)) tokens[who] = await api.login(DEMO_TENANT, who);
    const late = await api.call('GET', '/v1/cases/inbox', { token: tokens.gridworker });
    const item = late.body.items.find((c: { id: string }) => c.id === caseId);
    expect(item.deadlineStatus).toBe('overdue');
  });

  it('searches a period within the caller’s place, with filters', async () => {
    const { caseId } = (await report()).body;
    const day = api.clock.now().toISOString().slice(0, 10);
    const search = (who: string, query: string) =>
      api.call('GET', `/v1/cases/search?from=${day}&to=${day}${query}`, { token: tokens[who] });
    const street = await search('street', '');
    expect(street.status).toBe(200);
    expect(street.body.items.map((c: { id: string }) => c.id)).toContain(caseId);
    const reported = await search('street', '&status=reported&channel=citizen');
    expect(reported.body.items.every((c: { status: string }) => c.status === 'reported')).toBe(true);
    expect(
      (await search('street', '&status=closed')).body.items.map((c: { id: string }) => c.id),
    ).not.toContain(caseId);
    expect((await search('admin', `&orgCode=${GRID}`)).body.items.map((c: { id: string }) => c.id)).toContain(
      caseId,
    );
    expect((await search('street', '&orgCode=110101002')).status).toBe(403);
    // A department finds the cases dispatched to it, and only those, with no place to give.
    await command('gridworker', caseId, { type: 'verify', confirmed: true });
    await command('street', caseId, { type: 'register' });
    expect((await search('urbanmgmt', '')).body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    await command('street', caseId, { type: 'dispatch', departmentIds: ['urban-enforcement'] });
    const department = await search('urbanmgmt', '');
    expect(department.status).toBe(200);
    expect(department.body.items.map((c: { id: string }) => c.id)).toContain(caseId);
    expect(
      department.body.items.every((c: { departmentIds: string[] }) =>
        c.departmentIds.includes('urban-enforcement'),
      ),
    ).toBe(true);
    expect(
      (await search('urbanmgmt', `&orgCode=${GRID}`)).body.items.map((c: { id: string }) => c.id),
    ).toContain(caseId);
    expect((await search('urbanmgmt', '&departmentId=public-security')).status).toBe(403);
    // The citizen who reported it, who cannot list departments, reads the department's name.
    const seen = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.citizen });
    expect(seen.body.departmentNames['urban-enforcement']).toEqual({
      zh: expect.stringMatching(/城管/),
      en: expect.any(String),
    });
    const tooLong = await api.call('GET', '/v1/cases/search?from=2025-01-01&to=2026-06-30', {
      token: tokens.street,
    });
    expect(tooLong.status).toBe(400);
  });

  it('never makes two cases from one idempotency key', async () => {
    const first = await report('citizen-report-0002');
    const again = await report('citizen-report-0002');
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('masks the reporter’s contact from those who do not call back', async () => {
    const { caseId } = (await report()).body;
    const seenByCitizen = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.citizen });
    expect(seenByCitizen.body.contact).toEqual({ name: '王**', phone: '138****5678' });
    const seenByAdmin = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.admin });
    expect(seenByAdmin.body.contact.phone).toBe('138****5678');
  });

  it('refuses forbidden transitions and roles with 4xx, and places outside the city', async () => {
    const { caseId } = (await report()).body;
    const early = await command('street', caseId, { type: 'dispatch', departmentIds: ['urban-enforcement'] });
    expect(early.status).toBe(400);
    const wrongRole = await command('urbanmgmt', caseId, { type: 'verify', confirmed: true });
    expect(wrongRole.status).toBe(403);
    const outside = await api.call('POST', '/v1/cases', {
      token: tokens.citizen,
      body: { channel: 'citizen', description: 'x', location: { point: [121.47, 31.23] } },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.code).toBe('outside_territory');
    expect(
      (await api.call('GET', '/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: tokens.street })).status,
    ).toBe(404);
  });

  it('lets exactly one of 20 concurrent conflicting commands win, with a consistent log', async () => {
    const { caseId } = (await report()).body;
    await command('gridworker', caseId, { type: 'verify', confirmed: true });
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? command('street', caseId, { type: 'register' })
          : command('street', caseId, { type: 'reject', reason: `重复 ${i}` }),
      ),
    );
    const winners = attempts.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of attempts.filter((r) => r.status !== 200)) expect([400, 409]).toContain(loser.status);
    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.street });
    expect(detail.body.timeline).toHaveLength(3);
    expect(detail.body.version).toBe(3);
    expect(['registered', 'rejected']).toContain(detail.body.status);
  });
});

describe('asynchronous work', () => {
  const notices = async (who: string) =>
    (await api.call('GET', '/v1/notifications?limit=100', { token: tokens[who] })).body.items as {
      caseId: string;
      type: string;
    }[];

  it('tells whoever must act next, and a second delivery of every message changes nothing', async () => {
    await api.drainEvents();
    const { caseId } = (await report('citizen-report-async')).body;
    await command('gridworker', caseId, { type: 'verify', confirmed: true });
    await command('street', caseId, { type: 'register' });
    await command('street', caseId, { type: 'dispatch', departmentIds: ['urban-enforcement'] });
    const published = api.queue.peek().map((m) => m.body);
    await api.drainEvents();

    expect((await notices('gridworker')).filter((n) => n.caseId === caseId).map((n) => n.type)).toEqual([
      'case.reported',
    ]);
    expect(
      (await notices('street'))
        .filter((n) => n.caseId === caseId)
        .map((n) => n.type)
        .sort(),
    ).toEqual(['case.registered', 'case.verified']);
    expect((await notices('urbanmgmt')).filter((n) => n.caseId === caseId).map((n) => n.type)).toEqual([
      'case.dispatched',
    ]);

    const before = await Promise.all(['gridworker', 'street', 'urbanmgmt'].map(notices));
    for (const [i, body] of published.entries()) {
      const event = JSON.parse(body);
      api.queue.send(body, {
        groupId: `${event.tenantId}#case#${event.aggregate.id}`,
        deduplicationId: `replay-${i}`,
      });
    }
    const replay = await api.drainEvents();
    expect(replay.delivered).toBe(published.length);
    expect(replay.failed).toBe(0);
    expect(await Promise.all(['gridworker', 'street', 'urbanmgmt'].map(notices))).toEqual(before);
  });

  it('dispatches a registered case by the catalog without a human, once', async () => {
    const { caseId } = (await report()).body;
    await command('gridworker', caseId, { type: 'verify', confirmed: true });
    await command('street', caseId, { type: 'register' });
    await api.drainEvents();
    await api.drainEvents();
    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.street });
    expect(detail.body.status).toBe('dispatched');
    expect(detail.body.assignments.map((a: { departmentId: string }) => a.departmentId)).toEqual([
      'urban-enforcement',
    ]);
    const dispatches = detail.body.timeline.filter((e: { type: string }) => e.type === 'case.dispatched');
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0].actor).toMatchObject({ userId: 'system:auto-dispatch', role: 'street_center' });
    expect((await notices('urbanmgmt')).map((n) => n.caseId)).toContain(caseId);
  });

  it('sweeps deadlines: warns before, flags overdue to the assignee and the center, once each', async () => {
    const { caseId } = (await report()).body;
    await api.drainEvents();
    const state = (await api.call('GET', `/v1/cases/${caseId}`, { token: tokens.gridworker })).body;
    const dueAt = new Date(state.deadline.dueAt).getTime();
    const sweep = () =>
      sweepTenant(
        { store: api.store, clock: api.clock, calendarFor: (id) => tenantCalendar(api.store.tenant(id)) },
        DEMO_TENANT,
      );
    const mine = (items: { caseId: string; type: string }[]) =>
      items
        .filter((n) => n.caseId === caseId)
        .map((n) => n.type)
        .sort();

    api.clock.set(new Date(dueAt - 30 * 60_000));
    expect((await sweep()).warned).toBeGreaterThanOrEqual(1);
    api.clock.set(new Date(dueAt + 60_000));
    expect((await sweep()).overdue).toBeGreaterThanOrEqual(1);
    const again = await sweep();
    expect(again.overdue).toBe(0);
    expect(again.warned).toBe(0);

    for (const who of Object.keys(tokens)) tokens[who] = await api.login(DEMO_TENANT, who);
    expect(mine(await notices('gridworker'))).toEqual([
      'case.reported',
      'case.step_due_soon',
      'case.step_overdue',
    ]);
    expect(mine(await notices('street'))).toEqual(['case.step_overdue']);
    // A deadline notice names its step, so that the console can say which one in its language.
    const overdue = (await notices('street')).find((n) => n.caseId === caseId) as { step?: string };
    expect(overdue.step).toBe('verify');
  });
});
