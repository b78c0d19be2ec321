import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;
const tokens: Record<string, string> = {};
let point: [number, number];
const GRID = '110101001001001';

const login = async () => {
  for (const who of Object.keys(tokens)) {
    tokens[who] = await api.login(
      DEMO_TENANT,
      who,
      who === 'police' || who === 'market' ? 'department-pw-1' : undefined,
    );
  }
};

const command = (who: string, id: string, body: Record<string, unknown>) =>
  api.call('POST', `/v1/whistles/${id}/commands`, { token: tokens[who], body });

beforeAll(async () => {
  api = await createTestApi();
  for (const who of ['admin', 'street', 'district', 'urbanmgmt', 'police', 'market']) tokens[who] = '';
  tokens.admin = await api.login(DEMO_TENANT, 'admin');
  for (const [username, departmentId] of [
    ['police', 'public-security'],
    ['market', 'market-regulation'],
  ]) {
    const created = await api.call('POST', '/v1/users', {
      token: tokens.admin,
      body: {
        username,
        displayName: departmentId,
        role: 'department',
        scope: { kind: 'department', departmentId },
        password: 'department-pw-1',
      },
    });
    expect(created.status).toBe(201);
  }
  await login();
  const unit = (await api.call('GET', `/v1/org/units/${GRID}`, { token: tokens.admin })).body;
  const ring = unit.geometry.coordinates[0] as [number, number][];
  const [x0, x1] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
  for (let i = 1; i < 20 && !point; i += 1) {
    const candidate: [number, number] = [x0 + ((x1 - x0) * i) / 20, y0 + ((y1 - y0) * i) / 20];
    const located = await api.call('GET', `/v1/org/locate?lon=${candidate[0]}&lat=${candidate[1]}`, {
      token: tokens.admin,
    });
    if (located.body?.grid?.code === GRID) point = candidate;
  }
});

describe('whistle-and-report through the API', () => {
  it('runs a key whistle about a case from filing to archive', async () => {
    const source = await api.call('POST', '/v1/cases', {
      token: tokens.street,
      body: {
        channel: 'hotline',
        description: '占道经营反复出现 Repeated street vending',
        location: { point },
      },
    });
    expect(source.status).toBe(201);

    const drafted = await api.call('POST', '/v1/whistles', {
      token: tokens.street,
      body: {
        kind: 'key',
        source: { kind: 'case', ref: source.body.caseId },
        description: '联合整治占道经营 Joint action on street vending',
        categories: ['E03-01'],
        commonality: 'common',
        location: { point, gridCode: GRID },
        departments: [
          { departmentId: 'urban-enforcement', kind: 'resident' },
          { departmentId: 'public-security', kind: 'resident' },
          { departmentId: 'market-regulation', kind: 'resident' },
        ],
      },
    });
    expect(drafted.status).toBe(201);
    const id = drafted.body.id;
    expect((await command('street', id, { type: 'file' })).body.status).toBe('filed');
    const queue = await api.call('GET', '/v1/whistles', { token: tokens.district });
    expect(queue.body.items.map((w: { id: string }) => w.id)).toContain(id);
    expect((await command('district', id, { type: 'approve' })).body.status).toBe('approved');
    const blown = await command('street', id, { type: 'blow' });
    expect(blown.body.status).toBe('blown');
    const summons = await api.call('GET', '/v1/whistles', { token: tokens.police });
    expect(summons.body.items.map((w: { id: string }) => w.id)).toContain(id);

    // Two report on site within the key whistle's two hours; the third comes late.
    api.clock.advance(30 * 60_000);
    await login();
    const onTime = await command('urbanmgmt', id, { type: 'report', position: point });
    expect(onTime.status).toBe(200);
    await command('police', id, { type: 'report', position: point });
    api.clock.advance(3 * 60 * 60_000);
    await login();
    await command('market', id, { type: 'report', position: point });
    const reported = (await api.call('GET', `/v1/whistles/${id}`, { token: tokens.street })).body;
    const byDept = Object.fromEntries(
      reported.summons.map((s: { departmentId: string; report: { late: boolean; onSite: boolean } }) => [
        s.departmentId,
        s.report,
      ]),
    );
    expect(byDept['urban-enforcement']).toMatchObject({ late: false, onSite: true });
    expect(byDept['public-security']).toMatchObject({ late: false, onSite: true });
    expect(byDept['market-regulation']).toMatchObject({ late: true, onSite: true });

    const action = await command('street', id, {
      type: 'recordAction',
      description: '现场联合执法，清理占道摊位 Stalls cleared on site',
      power: '城市管理综合执法',
      competentDepartmentId: 'urban-enforcement',
      officers: [{ userId: 'officer-1', departmentId: 'urban-enforcement' }],
      secondInspector: { userId: 'officer-2', departmentId: 'public-security' },
      evidenceIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect(action.status).toBe(200);

    const followUpCase = await api.call('POST', '/v1/cases', {
      token: tokens.street,
      body: {
        channel: 'whistle',
        description: '无照经营后续查处 Follow-up on unlicensed trading',
        location: { point },
      },
    });
    expect(followUpCase.status).toBe(201);
    expect(
      (await command('market', id, { type: 'followUp', caseIds: [followUpCase.body.caseId] })).status,
    ).toBe(200);

    const closed = await command('street', id, {
      type: 'close',
      feedback: '已整治，反馈来源 Cleared; source informed',
    });
    expect(closed.body.status).toBe('closed');
    for (const departmentId of ['urban-enforcement', 'public-security', 'market-regulation']) {
      const rated = await command('street', id, {
        type: 'evaluate',
        departmentId,
        response: departmentId === 'market-regulation' ? 2 : 5,
        attitude: 4,
        result: 5,
      });
      expect(rated.status).toBe(200);
    }
    const archived = await command('street', id, { type: 'archive' });
    expect(archived.body.status).toBe('archived');
    expect(archived.body.archiveNumber).toMatch(/^110101001-2026-0001$/);
    expect(archived.body.timeline.length).toBeGreaterThan(10);
    // Read-only once archived.
    const after = await command('street', id, { type: 'close', feedback: 'again' });
    expect(after.status).toBeGreaterThanOrEqual(400);
    expect(after.body.error.details.code).toBe('read_only');
  });

  it('refuses a department outside the summons and a street outside its territory', async () => {
    const drafted = await api.call('POST', '/v1/whistles', {
      token: tokens.street,
      body: {
        kind: 'emergency',
        source: { kind: 'patrol' },
        description: '燃气泄漏 Gas leak',
        categories: ['E04-01'],
        commonality: 'individual',
        location: { point, gridCode: GRID },
        departments: [{ departmentId: 'fire-rescue', kind: 'resident' }],
      },
    });
    const id = drafted.body.id;
    // Emergency whistles are blown at filing and reviewed after.
    expect((await command('street', id, { type: 'file' })).body.status).toBe('blown');
    const outsider = await command('police', id, { type: 'report', position: point });
    expect(outsider.status).toBe(403);

    const elsewhere = await api.call('POST', '/v1/whistles', {
      token: tokens.street,
      body: {
        kind: 'routine',
        source: { kind: 'patrol' },
        description: 'x',
        categories: ['E01-01'],
        commonality: 'individual',
        location: { point, gridCode: '110101002001001' },
        departments: [{ departmentId: 'urban-enforcement', kind: 'resident' }],
      },
    });
    expect(elsewhere.status).toBe(403);
  });

  it('runs by the city’s whistle settings', async () => {
    const current = await api.call('GET', '/v1/settings/whistles', { token: tokens.street });
    expect(current.body).toMatchObject({ version: 0, isDefault: true });
    const put = await api.call('PUT', '/v1/settings/whistles', {
      token: tokens.admin,
      body: { version: 0, settings: { ...current.body.settings, blownAtOnce: ['emergency', 'routine'] } },
    });
    expect(put.status).toBe(200);
    expect(
      (await api.call('PUT', '/v1/settings/whistles', { token: tokens.street, body: put.body })).status,
    ).toBe(403);
    const drafted = await api.call('POST', '/v1/whistles', {
      token: tokens.street,
      body: {
        kind: 'routine',
        source: { kind: 'community', ref: '110101001001' },
        description: '楼道堆物 Clutter in stairwells',
        categories: ['E01-01'],
        commonality: 'common',
        location: { point, gridCode: GRID },
        departments: [{ departmentId: 'fire-rescue', kind: 'resident' }],
      },
    });
    expect((await command('street', drafted.body.id, { type: 'file' })).body.status).toBe('blown');
  });
});
