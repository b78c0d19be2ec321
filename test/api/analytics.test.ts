import { departmentScorecard, ScoreWeightsSchema } from '@civicgrid/domain';
import { DEMO_TENANT, generateHistory, type HistorySummary } from '@civicgrid/local';
import { readCounter, reconcileMonth } from '@civicgrid/workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;
let history: HistorySummary;
const tokens: Record<string, string> = {};
const STREET = '110101001';
const MONTHS = ['2026-02', '2026-03', '2026-04'];

const get = async (who: string, path: string) => {
  const response = await api.app.request(path, { headers: { authorization: `Bearer ${tokens[who]}` } });
  // Keep the byte order mark: fetch's text() drops it.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text,
    body: text.startsWith('{') ? JSON.parse(text) : undefined,
  };
};

beforeAll(async () => {
  api = await createTestApi();
  // Three months of a small city's work, through the API and the events worker.
  history = await generateHistory({
    store: api.store,
    cases: 45,
    whistles: 3,
    end: new Date('2026-05-01T00:00:00Z'),
    seed: 7,
    attachments: api.attachments,
  });
  for (const who of ['admin', 'district', 'street', 'urbanmgmt', 'citizen', 'gridworker']) {
    tokens[who] = await api.login(DEMO_TENANT, who);
  }
}, 600_000);

describe('analytics of a generated history', () => {
  it('leaves its photos where the API serves them, so the console can show a case’s evidence', async () => {
    const search = await get(
      'street',
      `/v1/cases/search?from=2026-02-01&to=2026-04-30&orgCode=${STREET}&status=closed&limit=5`,
    );
    const closed = search.body.items as { id: string }[];
    expect(closed.length).toBeGreaterThan(0);
    const detail = (await get('street', `/v1/cases/${closed[0]?.id}`)).body as {
      assignments: { result?: { evidenceIds: string[] } }[];
    };
    const photo = detail.assignments.flatMap((a) => a.result?.evidenceIds ?? [])[0];
    expect(photo).toBeDefined();
    expect((await get('street', `/v1/attachments/${photo}`)).status).toBe(200);
  });

  it('made its history through the machines, with few refused steps', () => {
    expect(history.cases).toBeGreaterThan(40);
    expect(history.whistles).toBe(3);
    expect(history.failedCommands).toBe(0);
  });

  it('keeps counters that match the event logs exactly, month by month', async () => {
    for (const month of MONTHS) {
      const report = await reconcileMonth({ store: api.store, tenantId: DEMO_TENANT, month });
      expect(report.aggregates).toBeGreaterThan(0);
      expect(report.drifts).toEqual([]);
      expect(report.behind).toEqual([]);
    }
  });

  it('shows the city dashboard: reports per month as generated, districts and streets compared', async () => {
    for (const month of MONTHS) {
      const city = await get('admin', `/v1/analytics/places?period=${month}`);
      expect(city.status).toBe(200);
      expect(city.body.place.reported).toBe(history.reportedPerMonth[month] ?? 0);
      expect(city.body.by).toBe('district');
    }
    const streets = await get('admin', '/v1/analytics/places?period=2026-03&orgCode=110101');
    expect(streets.body.children).toHaveLength(4);
    const sum = streets.body.children.reduce((s: number, c: { reported: number }) => s + c.reported, 0);
    expect(sum).toBe(streets.body.place.reported);
    expect(streets.body.place.selfClosureRate).not.toBeNull();
  });

  it('gives each department a scorecard computed from its counters with the city weights', async () => {
    const cards = await get('admin', '/v1/analytics/scorecards?period=2026-03');
    expect(cards.status).toBe(200);
    expect(cards.body.items.length).toBeGreaterThan(0);
    const scores = cards.body.items.map((c: { score: number | null }) => c.score ?? -1);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const first = cards.body.items[0];
    const measures = await readCounter(api.store.tenant(DEMO_TENANT), {
      period: { kind: 'month', key: '2026-03' },
      dimension: 'department',
      key: [first.departmentId],
    });
    const { hotline: _hotline, name, ...card } = first;
    expect(name).toMatch(/\p{Script=Han}/u);
    expect(card).toEqual(departmentScorecard(first.departmentId, '2026-03', measures));
    const one = await get('admin', `/v1/analytics/scorecards/${first.departmentId}?period=2026-03`);
    expect(one.body).toEqual(first);
    // Whistle figures reach the scorecard of the department summoned to every whistle.
    const months = await Promise.all(
      MONTHS.map((m) => get('admin', `/v1/analytics/scorecards/urban-enforcement?period=${m}`)),
    );
    expect(months.reduce((s, m) => s + m.body.whistles.summoned, 0)).toBe(3);
    // Each closed whistle's street evaluation counts in the scorecard too.
    expect(months.reduce((s, m) => s + m.body.ratings.street.count, 0)).toBe(3);
  });

  it('lists every department in a quiet month, with zeros, in JSON and CSV alike', async () => {
    const departments = await api.call('GET', '/v1/departments?limit=100', { token: tokens.admin });
    const ids = departments.body.items.map((d: { id: string }) => d.id).sort();
    expect(ids.length).toBeGreaterThan(1);
    const quiet = await get('admin', '/v1/analytics/scorecards?period=2025-01');
    expect(quiet.status).toBe(200);
    const rows = quiet.body.items as {
      departmentId: string;
      name: string;
      score: null;
      cases: { received: number };
    }[];
    expect(rows.map((r) => r.departmentId).sort()).toEqual(ids);
    expect(rows.every((r) => r.score === null && r.cases.received === 0 && r.name)).toBe(true);
    const csv = await get('admin', '/v1/analytics/scorecards?period=2025-01&format=csv');
    expect(csv.text.replace(/\r\n$/, '').split('\r\n')).toHaveLength(ids.length + 1);
    // A department's own row is there even when it had nothing to do.
    const mine = await get('urbanmgmt', '/v1/analytics/scorecards?period=2025-01');
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ departmentId: 'urban-enforcement', cases: { received: 0 } });
  });

  it('computes hotline rates per street and per department', async () => {
    const byStreet = await get('district', '/v1/analytics/hotline?period=2026-03&orgCode=110101&by=street');
    expect(byStreet.status).toBe(200);
    const received = byStreet.body.rows.reduce((s: number, r: { received: number }) => s + r.received, 0);
    expect(received).toBe(byStreet.body.total.received);
    expect(byStreet.body.total.received).toBeGreaterThan(0);
    expect(byStreet.body.total.responseRate).toBeGreaterThan(0);
    const byDepartment = await get('admin', '/v1/analytics/hotline?period=2026-03&by=department');
    expect(byDepartment.body.by).toBe('department');
  });

  it('finds hot spots, a map of counts per grid and the monthly problem', async () => {
    const spots = await get('admin', '/v1/analytics/hotspots?month=2026-04');
    expect(spots.status).toBe(200);
    expect(spots.body.topCategories.length).toBeGreaterThan(0);
    expect(spots.body.topCategories[0].name.zh).toBeTruthy();
    const city = await get('admin', '/v1/analytics/places?period=2026-04');
    const map = await get('admin', '/v1/analytics/hotspots/grids?month=2026-04');
    expect(map.type).toContain('application/geo+json');
    const features = JSON.parse(map.text).features as { properties: { registered: number } }[];
    expect(features).toHaveLength(72);
    expect(features.reduce((s, f) => s + f.properties.registered, 0)).toBe(city.body.place.registered);
    const problem = await get('admin', '/v1/analytics/monthly-problem?month=2026-04');
    expect(problem.body.proposal).not.toBeNull();
    const { proposal } = problem.body;
    // Grids come with their names from the hierarchy, not codes alone.
    const gridNames = new Map(
      (features as unknown as { properties: { code: string; name: string } }[]).map((f) => [
        f.properties.code,
        f.properties.name,
      ]),
    );
    expect(spots.body.topGrids.length).toBeGreaterThan(0);
    for (const grid of [...spots.body.topGrids, ...proposal.grids]) {
      expect(grid.name).toBe(gridNames.get(grid.code));
      expect(grid.name).toMatch(/\p{Script=Han}/u);
    }
    const problemCsv = await get('admin', '/v1/analytics/monthly-problem?month=2026-04&format=csv');
    expect(problemCsv.text.split('\r\n')[0]).toBe('\uFEFFmonth,categoryCode,name,grid,gridName,count');
    expect(proposal.grids.reduce((s: number, g: { count: number }) => s + g.count, 0)).toBe(proposal.count);
    expect(
      spots.body.topCategories.slice(0, 5).map((c: { categoryCode: string }) => c.categoryCode),
    ).toContain(proposal.categoryCode);
  });

  it('exports CSV with a BOM, and the case list as CSV and GeoJSON', async () => {
    const csv = await get('admin', '/v1/analytics/scorecards?period=2026-03&format=csv');
    expect(csv.type).toContain('text/csv');
    expect(csv.text.startsWith('\uFEFFdepartmentId,name,period,cases.received')).toBe(true);
    const cases = await get('street', `/v1/analytics/cases/export?from=2026-03-01&to=2026-03-31&format=csv`);
    expect(cases.status).toBe(200);
    const lines = cases.text.replace(/\r\n$/, '').split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFid,reportedAt,status,channel,categoryCode,gridCode,handlingOrgCode,departmentIds,dueAt,closedAt',
    );
    expect(lines.slice(1).every((line) => line.split(',')[5]?.startsWith(STREET))).toBe(true);
    const geo = await get(
      'street',
      '/v1/analytics/cases/export?from=2026-03-01&to=2026-03-31&format=geojson',
    );
    const collection = JSON.parse(geo.text);
    expect(collection.features).toHaveLength(lines.length - 1);
    expect(collection.features[0]?.geometry.type).toBe('Point');
  });

  it('scopes figures by role and place', async () => {
    const own = await get('street', '/v1/analytics/places?period=2026-03');
    expect(own.status).toBe(200);
    expect(own.body.place.code).toBe(STREET);
    expect(own.body.place.name).toMatch(/\p{Script=Han}/u);
    const district = await get('admin', '/v1/analytics/places?period=2026-03&orgCode=110101');
    expect(district.body.place.name).toMatch(/\p{Script=Han}/u);
    // The whole city is named by the tenant's name.
    const city = await get('admin', '/v1/analytics/places?period=2026-03');
    expect(city.body.place).toMatchObject({ code: 'all', name: expect.stringMatching(/\p{Script=Han}/u) });
    expect(own.body.by).toBe('grid');
    expect((await get('street', '/v1/analytics/places?orgCode=110101002')).status).toBe(403);
    expect((await get('street', '/v1/analytics/hotspots?orgCode=110101')).status).toBe(403);
    expect((await get('street', '/v1/analytics/scorecards')).status).toBe(403);
    // A department sees its own scorecard, and no other.
    const mine = await get('urbanmgmt', '/v1/analytics/scorecards?period=2026-03');
    expect(mine.body.items.map((c: { departmentId: string }) => c.departmentId)).toEqual([
      'urban-enforcement',
    ]);
    expect((await get('urbanmgmt', '/v1/analytics/scorecards/public-security')).status).toBe(403);
    expect((await get('urbanmgmt', '/v1/analytics/places')).status).toBe(403);
    expect((await get('citizen', '/v1/analytics/places')).status).toBe(403);
    expect((await get('admin', '/v1/analytics/places?period=2026-13')).status).toBe(400);
    // Without a period: the current month on the city's clock (08:00 on 1 May in Beijing).
    expect((await get('admin', '/v1/analytics/places')).body.period).toBe('2026-05');
  });

  it('lets the city admin set the weights, audited, and refuses weights that do not add up', async () => {
    const before = await get('admin', '/v1/analytics/scorecards/urban-enforcement?period=2026-03');
    const weights = {
      onTime: 0,
      closure: 0,
      rework: 0,
      returns: 0,
      citizenSatisfaction: 0,
      whistleReporting: 0,
      streetEvaluation: 100,
    };
    expect(ScoreWeightsSchema.parse(weights)).toEqual(weights);
    const put = (who: string, body: unknown) =>
      api.call('PUT', '/v1/analytics/weights', { token: tokens[who], body });
    expect((await put('street', { version: 0, weights })).status).toBe(403);
    expect((await put('admin', { version: 0, weights: { ...weights, onTime: 10 } })).status).toBe(400);
    const stored = await put('admin', { version: 0, weights });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ version: 1, isDefault: false });
    const after = await get('admin', '/v1/analytics/scorecards/urban-enforcement?period=2026-03');
    expect(after.body.score).toBe(before.body.components.streetEvaluation);
    const audit = await api.call('GET', '/v1/audit?limit=100', { token: tokens.admin });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('settings.analytics_weights');
  });
});
