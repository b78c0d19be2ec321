import { deadlineSweepOptions } from '@civicgrid/api';
import { DEMO_TENANT } from '@civicgrid/local';
import { InProcessEventPublisher } from '@civicgrid/queue';
import { sweepTenant } from '@civicgrid/workers';
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
  for (const who of [
    'admin',
    'street',
    'district',
    'community',
    'gridworker',
    'urbanmgmt',
    'police',
    'market',
  ])
    tokens[who] = '';
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

const drain = () => api.drainEvents();

const notices = async (who: string, whistleId: string) =>
  (
    (await api.call('GET', '/v1/notifications?limit=100', { token: tokens[who] })).body.items as {
      caseId: string;
      type: string;
    }[]
  )
    .filter((n) => n.caseId === whistleId)
    .map((n) => n.type);

const upload = async (who: string) => {
  const bytes = new Uint8Array(1024).fill(9);
  const ticket = await api.call('POST', '/v1/attachments', {
    token: tokens[who],
    body: { contentType: 'image/jpeg', sizeBytes: bytes.length, fileName: 'site.jpg' },
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

const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((w) => w.id);

describe('whistle-and-report through the API', () => {
  it('runs a key whistle about a case from filing to archive, through the queue', async () => {
    const source = await api.call('POST', '/v1/cases', {
      token: tokens.street,
      body: {
        channel: 'hotline',
        description: '占道经营反复出现 Repeated street vending',
        location: { point },
      },
    });
    expect(source.status).toBe(201);

    // The duty catalog proposes the competent departments; the street adds the police.
    const proposal = await api.call(
      'GET',
      `/v1/whistles/proposal?gridCode=${GRID}&categories=E03-01,E51-01`,
      {
        token: tokens.community,
      },
    );
    expect(proposal.status).toBe(200);
    expect(proposal.body.departments).toEqual([
      { departmentId: 'market-regulation', kind: 'resident', categories: ['E51-01'] },
      { departmentId: 'urban-enforcement', kind: 'resident', categories: ['E03-01'] },
    ]);
    const departments = [
      ...proposal.body.departments.map((d: { departmentId: string; kind: string }) => ({
        departmentId: d.departmentId,
        kind: d.kind,
      })),
      { departmentId: 'public-security', kind: 'resident' },
    ];

    // The community raises it to its street; the street files it with the district.
    const drafted = await api.call('POST', '/v1/whistles', {
      token: tokens.community,
      body: {
        kind: 'key',
        source: { kind: 'case', ref: source.body.caseId },
        description: '联合整治占道经营 Joint action on street vending',
        categories: ['E03-01', 'E51-01'],
        commonality: 'common',
        location: { point, gridCode: GRID },
        departments,
      },
    });
    expect(drafted.status).toBe(201);
    const id = drafted.body.id;
    expect(drafted.body.raisedBy).toBe('110101001001');
    expect((await command('street', id, { type: 'file' })).body.status).toBe('filed');
    await drain();
    expect(await notices('district', id)).toContain('whistle.filed');
    expect(ids(await api.call('GET', '/v1/whistles', { token: tokens.district }))).toContain(id);
    expect((await command('district', id, { type: 'approve' })).body.status).toBe('approved');
    // Once decided, it leaves the district's review queue.
    expect(ids(await api.call('GET', '/v1/whistles', { token: tokens.district }))).not.toContain(id);
    const blown = await command('street', id, { type: 'blow' });
    expect(blown.body.status).toBe('blown');
    await drain();
    expect(await notices('street', id)).toContain('whistle.approved');
    for (const who of ['urbanmgmt', 'police', 'market'])
      expect(await notices(who, id)).toContain('whistle.blown');
    const summons = await api.call('GET', '/v1/whistles', { token: tokens.police });
    expect(summons.body.view).toBe('summons');
    const called = summons.body.items.find((w: { id: string }) => w.id === id);
    // A key whistle gives two hours to report.
    expect(called.countdown).toMatchObject({ secondsLeft: 7200 });
    expect(called.countdown.waitingFor).toHaveLength(3);

    // Two report on site within the key whistle's two hours; the third comes late.
    api.clock.advance(30 * 60_000);
    await login();
    const onTime = await command('urbanmgmt', id, { type: 'report', position: point });
    expect(onTime.status).toBe(200);
    await command('police', id, { type: 'report', position: point });
    expect((await api.call('GET', '/v1/whistles', { token: tokens.market })).body.items[0].countdown).toEqual(
      {
        reportBy: blown.body.reportBy,
        secondsLeft: 5400,
        waitingFor: ['market-regulation'],
      },
    );
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

    const action = {
      type: 'recordAction',
      description: '现场联合执法，清理占道摊位 Stalls cleared on site',
      power: '城市管理综合执法',
      competentDepartmentId: 'urban-enforcement',
      officers: [{ userId: 'officer-1', departmentId: 'urban-enforcement' }],
      secondInspector: { userId: 'officer-2', departmentId: 'public-security' },
    };
    // Evidence must be an upload of this city that arrived.
    const unproven = await command('street', id, { ...action, evidenceIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] });
    expect(unproven.status).toBe(400);
    expect(unproven.body.error.details.code).toBe('attachment_missing');
    expect((await api.call('GET', `/v1/whistles/${id}`, { token: tokens.street })).body.actions).toEqual([]);
    const acted = await command('street', id, { ...action, evidenceIds: [await upload('street')] });
    expect(acted.status).toBe(200);
    expect(acted.body.actions[0].mode).toBe('second_inspector');

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
    // The outcome goes back to the community that raised the whistle.
    await drain();
    expect(await notices('community', id)).toContain('whistle.closed');
    // …and, the source being a case, to the grid it was reported in.
    expect(await notices('gridworker', id)).toContain('whistle.closed');
    const seen = (await api.call('GET', `/v1/whistles/${id}`, { token: tokens.community })).body;
    expect(seen.feedback).toBe('已整治，反馈来源 Cleared; source informed');
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
    const byCommunity = await command('community', id, {
      type: 'evaluate',
      departmentId: 'urban-enforcement',
      response: 5,
      attitude: 5,
      result: 4,
      comment: '处置及时 Quick',
    });
    expect(byCommunity.status).toBe(200);
    const archived = await command('street', id, { type: 'archive' });
    expect(archived.body.status).toBe('archived');
    expect(archived.body.archiveNumber).toMatch(/^110101001-2026-0001$/);
    expect(archived.body.countdown).toBeUndefined();
    expect(archived.body.timeline.length).toBeGreaterThan(10);
    // Read-only once archived.
    const after = await command('street', id, { type: 'close', feedback: 'again' });
    expect(after.status).toBeGreaterThanOrEqual(400);
    expect(after.body.error.details.code).toBe('read_only');

    // The archive, searched by the street, the district and the city.
    const search = (who: string, query: string) =>
      api.call('GET', `/v1/whistles?view=archive&${query}`, { token: tokens[who] });
    expect(ids(await search('street', 'q=110101001-2026-0001'))).toEqual([id]);
    expect(ids(await search('street', `q=${encodeURIComponent('占道经营')}&kind=key&year=2026`))).toEqual([
      id,
    ]);
    expect(ids(await search('street', 'kind=routine'))).toEqual([]);
    expect(ids(await search('street', 'category=E51-01&commonality=common&sourceKind=case'))).toEqual([id]);
    expect(ids(await search('district', 'category=E03-01'))).toEqual([id]);
    expect(ids(await search('admin', 'q=2026-0001'))).toEqual([id]);
    expect(ids(await search('community', ''))).toEqual([id]);
    expect(ids(await api.call('GET', '/v1/whistles', { token: tokens.street }))).not.toContain(id);
  });

  it('flags departments that miss the report-by deadline when the sweeper runs', async () => {
    const drafted = await api.call('POST', '/v1/whistles', {
      token: tokens.street,
      body: {
        kind: 'emergency',
        source: { kind: 'hotline', ref: '12345-0001' },
        description: '井盖缺失 Missing manhole cover',
        categories: ['C05-01'],
        commonality: 'individual',
        location: { point, gridCode: GRID },
        departments: [
          { departmentId: 'urban-enforcement', kind: 'resident' },
          { departmentId: 'municipal', kind: 'on_call' },
        ],
      },
    });
    const id = drafted.body.id;
    expect((await command('street', id, { type: 'file' })).body.status).toBe('blown');
    const sweep = () =>
      sweepTenant(
        deadlineSweepOptions({
          store: api.store,
          clock: api.clock,
          events: new InProcessEventPublisher(api.queue),
        }),
        DEMO_TENANT,
      );
    api.clock.advance(10 * 60_000);
    await login();
    await command('urbanmgmt', id, { type: 'report', position: point });
    // Before the emergency whistle's 30 minutes are up, nobody is flagged.
    expect((await sweep()).flagged).toBe(0);
    api.clock.advance(25 * 60_000);
    expect((await sweep()).flagged).toBe(1);
    // A second sweep flags nobody twice.
    expect((await sweep()).flagged).toBe(0);
    await login();
    const state = (await api.call('GET', `/v1/whistles/${id}`, { token: tokens.street })).body;
    const missing = Object.fromEntries(
      state.summons.map((s: { departmentId: string; missing?: unknown }) => [
        s.departmentId,
        Boolean(s.missing),
      ]),
    );
    expect(missing).toEqual({ 'urban-enforcement': false, municipal: true });
    expect(state.timeline.at(-1)).toMatchObject({
      type: 'whistle.missing_flagged',
      actor: { userId: 'system:report-watch' },
    });
    await drain();
    expect(await notices('street', id)).toContain('whistle.missing_flagged');
    expect(await notices('urbanmgmt', id)).not.toContain('whistle.missing_flagged');
  });

  it('shows the city admin every district’s whistles', async () => {
    const board = await api.call('GET', '/v1/whistles', { token: tokens.admin });
    expect(board.status).toBe(200);
    expect(board.body.view).toBe('board');
    expect(board.body.items.length).toBeGreaterThan(0);
    expect(board.body.items.every((w: { streetCode: string }) => w.streetCode.startsWith('110101'))).toBe(
      true,
    );
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
