import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/**
 * What the case detail offers each caller (`allowedCommands`) against what the command route
 * accepts from them, for every state of the loop and every demo role.
 */

let api: TestApi;
const users = ['admin', 'district', 'street', 'community', 'gridworker', 'urbanmgmt', 'citizen'] as const;
type User = (typeof users)[number];
const tokens = {} as Record<User, string>;
let point: [number, number];
let categoryCode: string;
let evidenceId: string;
let departmentIds: string[];

const GRID = '110101001001001';

type Body = Record<string, unknown>;
const command = (who: User, caseId: string, body: Body) =>
  api.call('POST', `/v1/cases/${caseId}/commands`, { token: tokens[who], body });
const detail = (who: User, caseId: string) => api.call('GET', `/v1/cases/${caseId}`, { token: tokens[who] });

const upload = async (who: User) => {
  const bytes = new Uint8Array(1024).fill(7);
  const ticket = await api.call('POST', '/v1/attachments', {
    token: tokens[who],
    body: { contentType: 'image/jpeg', sizeBytes: bytes.length, fileName: 'photo.jpg' },
  });
  await api.app.request(ticket.body.uploadUrl, { method: 'PUT', headers: ticket.body.headers, body: bytes });
  return ticket.body.attachmentId as string;
};

const report = async (channel: 'citizen' | 'patrol' = 'citizen', at = point, category = categoryCode) => {
  const reported = await api.call('POST', '/v1/cases', {
    token: tokens[channel === 'citizen' ? 'citizen' : 'gridworker'],
    body: {
      channel,
      description: '井盖缺失 A manhole cover is missing',
      categoryCode: category,
      location: { point: at },
    },
  });
  expect(reported.status).toBe(201);
  return reported.body.caseId as string;
};

/** How each state of the loop is reached: from which state, by whom, with what. */
const steps: Record<string, { from: string; who: User; body: () => Body }> = {
  verifying: { from: 'reported', who: 'gridworker', body: () => ({ type: 'verify', confirmed: true }) },
  registered: { from: 'verifying', who: 'street', body: () => ({ type: 'register', categoryCode }) },
  dispatched: {
    from: 'registered',
    who: 'street',
    body: () => ({ type: 'dispatch', departmentIds: ['urban-enforcement'] }),
  },
  accepted: { from: 'dispatched', who: 'urbanmgmt', body: () => ({ type: 'accept' }) },
  extensionPending: {
    from: 'accepted',
    who: 'urbanmgmt',
    body: () => ({ type: 'requestExtension', reason: '雨天 rain', until: '2027-01-01T00:00:00Z' }),
  },
  handled: {
    from: 'accepted',
    who: 'urbanmgmt',
    body: () => ({ type: 'handle', result: '已更换 replaced', evidenceIds: [evidenceId] }),
  },
  urgedCheck: { from: 'handled', who: 'street', body: () => ({ type: 'urge', message: '请尽快核查' }) },
  checking: { from: 'handled', who: 'gridworker', body: () => ({ type: 'startCheck' }) },
  rework: {
    from: 'checking',
    who: 'gridworker',
    body: () => ({ type: 'checkFail', reason: '仍松动 loose' }),
  },
  closed: { from: 'checking', who: 'gridworker', body: () => ({ type: 'checkPass' }) },
  evaluated: { from: 'closed', who: 'citizen', body: () => ({ type: 'evaluate', satisfaction: 4 }) },
  suspended: { from: 'registered', who: 'street', body: () => ({ type: 'suspend', reason: '待规划 plan' }) },
  escalated: {
    from: 'registered',
    who: 'street',
    body: () => ({ type: 'escalate', reason: '跨街道 wider' }),
  },
  voided: { from: 'reported', who: 'street', body: () => ({ type: 'void', reason: '重复录入 twice' }) },
};

/** A fresh case brought to `state` through the API. */
const caseIn = async (state: string): Promise<string> => {
  if (state === 'reported') return report();
  if (state === 'patrol') return report('patrol');
  const step = steps[state];
  if (!step) throw new Error(`no way to ${state}`);
  const caseId = await caseIn(step.from);
  const moved = await command(step.who, caseId, step.body());
  expect(moved.status, `${state}: ${JSON.stringify(moved.body)}`).toBe(200);
  return caseId;
};

/** A well-formed body for every command, so that a refusal is the machine's, not the schema's. */
const samples = (view: { assignments?: { departmentId: string }[] }, primaryId: string): Body[] => {
  const taken = new Set((view.assignments ?? []).map((a) => a.departmentId));
  const free = departmentIds.find((id) => !taken.has(id)) ?? 'urban-enforcement';
  return [
    { type: 'verify', confirmed: true },
    { type: 'register', categoryCode },
    { type: 'reject', reason: '不属实 not real' },
    { type: 'dispatch', departmentIds: [free] },
    { type: 'accept' },
    { type: 'return', reason: '非本部门 not ours' },
    { type: 'handle', result: '已处理 done', evidenceIds: [evidenceId] },
    { type: 'startCheck' },
    { type: 'checkPass', attachmentIds: [evidenceId] },
    { type: 'checkFail', reason: '未修好 not fixed' },
    { type: 'evaluate', satisfaction: 3 },
    { type: 'escalate', reason: '需区级协调 district' },
    { type: 'requestExtension', reason: '雨天 rain', until: '2027-06-01T00:00:00Z' },
    { type: 'approveExtension', extensionId: 1 },
    { type: 'rejectExtension', extensionId: 1, reason: '理由不足 no' },
    { type: 'suspend', reason: '待规划 plan' },
    { type: 'resume' },
    { type: 'merge', primaryId },
    { type: 'void', reason: '录错 wrong' },
    { type: 'urge', message: '请加快 hurry' },
    { type: 'acknowledgeUrging', urgingId: 1 },
  ];
};

beforeAll(async () => {
  api = await createTestApi();
  for (const who of users) tokens[who] = await api.login(DEMO_TENANT, who);
  point = await api.pointInGrid(GRID, tokens.admin);
  const catalog = (await api.call('GET', '/v1/catalog', { token: tokens.admin })).body.catalog;
  categoryCode = catalog.entries.find(
    (e: { departmentId: string; level: string; categoryCode: string }) =>
      e.departmentId === 'urban-enforcement' && e.level === 'street' && e.categoryCode.startsWith('E'),
  ).categoryCode;
  const departments = (await api.call('GET', '/v1/departments', { token: tokens.admin })).body;
  departmentIds = (departments.items ?? departments).map((d: { id: string }) => d.id);
  evidenceId = await upload('urbanmgmt');
});

describe('the commands a case offers its caller', () => {
  it('lists exactly the commands the API accepts, for every state of the loop and every role', async () => {
    const primaryId = await report();
    const mismatches: string[] = [];
    let offered = 0;
    const states = ['reported', 'patrol', ...Object.keys(steps)];
    for (const state of states) {
      const caseId = await caseIn(state);
      for (const who of users) {
        const shown = await detail(who, caseId);
        // A caller who may not read the case is offered nothing.
        const listed: string[] = shown.status === 200 ? shown.body.allowedCommands : [];
        const view = shown.status === 200 ? shown.body : (await detail('street', caseId)).body;
        for (const body of samples(view, primaryId)) {
          const type = body.type as string;
          if (listed.includes(type)) {
            offered += 1;
            // Listed: accepted — on a twin of the case, so that this one stays as it is.
            const twin = await caseIn(state);
            const done = await command(who, twin, body);
            if (done.status !== 200)
              mismatches.push(`${state} ${who} ${type}: listed, refused ${done.status}`);
          } else {
            const refused = await command(who, caseId, body);
            if (refused.status === 200) mismatches.push(`${state} ${who} ${type}: not listed, accepted`);
            else expect(refused.status).toBeGreaterThanOrEqual(400);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(offered).toBeGreaterThan(25);
  }, 600_000);

  it('answers the caller’s commands after a command too, so the console needs no second read', async () => {
    const caseId = await caseIn('handled');
    const started = await command('gridworker', caseId, { type: 'startCheck' });
    expect(started.body.allowedCommands).toEqual(['checkPass', 'checkFail']);
    expect((await detail('urbanmgmt', caseId)).body.allowedCommands).toEqual([]);
  });
});

describe('the grid worker’s inbox', () => {
  it('holds the reports to verify and the handled cases to check, not what waits for others', async () => {
    const toVerify = await caseIn('reported');
    const toCheck = await caseIn('handled');
    const checking = await caseIn('checking');
    const ownPatrol = await caseIn('patrol');
    const withDepartment = await caseIn('accepted');
    const inbox = await api.call('GET', '/v1/cases/inbox', { token: tokens.gridworker });
    expect(inbox.status).toBe(200);
    const byId = new Map(
      inbox.body.items.map((c: { id: string; allowedCommands: string[] }) => [c.id, c.allowedCommands]),
    );
    expect(byId.get(toVerify)).toEqual(['verify']);
    expect(byId.get(toCheck)).toEqual(['startCheck']);
    expect(byId.get(checking)).toEqual(['checkPass', 'checkFail']);
    expect(byId.has(ownPatrol)).toBe(false);
    expect(byId.has(withDepartment)).toBe(false);
  });
});

describe('search summaries and merge candidates', () => {
  it('carries the description, cut to a list line, and the point', async () => {
    const long = `${'路灯不亮'.repeat(40)}😀`;
    const reported = await api.call('POST', '/v1/cases', {
      token: tokens.citizen,
      body: { channel: 'citizen', description: long, categoryCode, location: { point } },
    });
    const day = api.clock.now().toISOString().slice(0, 10);
    const found = await api.call('GET', `/v1/cases/search?from=${day}&to=${day}&limit=200`, {
      token: tokens.street,
    });
    const item = found.body.items.find((c: { id: string }) => c.id === reported.body.caseId);
    expect(item.point).toEqual(point);
    expect(Array.from(item.description as string)).toHaveLength(80);
    expect(item.description.endsWith('…')).toBe(true);
    expect(long.startsWith(item.description.slice(0, -1))).toBe(true);
  });

  it('offers the open cases of the same category nearby that the center may merge into, nearest first', async () => {
    // A category of its own, so that the cases of the other tests do not crowd the list.
    const catalog = (await api.call('GET', '/v1/catalog', { token: tokens.admin })).body.catalog;
    const other = catalog.entries
      .map((e: { categoryCode: string }) => e.categoryCode)
      .find((code: string) => code !== categoryCode);
    const duplicate = await report('citizen', point, other);
    const near = await report('citizen', point, other);
    const otherCategory = await report('citizen', point, categoryCode);
    const voided = await report('citizen', point, other);
    expect((await command('street', voided, { type: 'void', reason: '录错 wrong' })).status).toBe(200);

    const candidates = await api.call('GET', `/v1/cases/${duplicate}/merge-candidates`, {
      token: tokens.street,
    });
    expect(candidates.status).toBe(200);
    const ids = candidates.body.items.map((c: { id: string }) => c.id);
    expect(ids).toEqual([near]);
    expect(ids).not.toContain(otherCategory);
    expect(candidates.body.items[0]).toMatchObject({
      description: expect.any(String),
      point,
      distanceM: 0,
      status: 'reported',
    });
    // Who may not merge the case is offered none.
    const forGridWorker = await api.call('GET', `/v1/cases/${duplicate}/merge-candidates`, {
      token: tokens.gridworker,
    });
    expect(forGridWorker.body.items).toEqual([]);
    // Picking one merges.
    const merged = await command('street', duplicate, { type: 'merge', primaryId: near });
    expect(merged.body.status).toBe('merged');
    expect((await detail('street', near)).body.duplicates).toContain(duplicate);
  });
});
