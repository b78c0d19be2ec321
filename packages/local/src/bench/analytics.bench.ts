// Plain script: `npx tsx packages/local/src/bench/analytics.bench.ts` prints JSON lines
// `analytics-read`: the DynamoDB capacity of reading a department's monthly scorecard, a street's
// dashboard and the city's hot spots, for a month of 1,000 cases and a month of 100,000.
//
// The months' case logs are made by the real case machine in memory; their counters are the
// domain's contributions of every logged event, written with ADD as the events worker writes
// them (test/workers/analytics.test.ts shows the worker ends at exactly these counters).
// Going through the API and the queue for 100,000 cases would take hours on DynamoDB Local.

import {
  type CaseActor,
  type CaseCommandInput,
  type CaseEvent,
  type CaseState,
  type CounterDelta,
  caseLogDeltas,
  decide,
  defaultDutyCatalog,
  evolve,
  mergeDeltas,
  naturalDeadlines,
  newId,
  routeCase,
} from '@civicgrid/domain';
import { mulberry32 } from '@civicgrid/geo';
import { addToCounters } from '@civicgrid/workers';
import { startLocalPlatform } from '../platform';
import { DEMO_PASSWORD, DEMO_TENANT } from '../seed';
import { CapacityMeter, source } from './capacity-meter';

process.env.LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL;

const TZ = 'Asia/Shanghai';
const STREET = '110101001';
const SIZES: [string, number][] = [
  ['2026-01', 1_000],
  ['2026-03', 100_000],
];

const platform = await startLocalPlatform({ port: 0 });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void platform.stop().finally(() => process.exit(130));
  });
}
const meter = new CapacityMeter(platform.store.client);
const call = async (path: string, token?: string, body?: unknown) => {
  const response = await fetch(`${platform.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
};

try {
  const login = async (username: string) =>
    (await call('/v1/auth/login', undefined, { tenantId: DEMO_TENANT, username, password: DEMO_PASSWORD }))
      .token;
  const admin = await login('admin');
  const street = await login('street');
  const grids = (await call('/v1/org/export?level=grid', admin)).features.map(
    (f: { properties: { code: string } }) => f.properties.code as string,
  ) as string[];
  const categories = defaultDutyCatalog.categories
    .map((c) => c.code)
    .filter((code) => grids.every((g) => routeCase(defaultDutyCatalog, code, g).kind === 'routed'))
    .slice(0, 20);

  const resolve = naturalDeadlines();
  const actor = (userId: string, role: CaseActor['role'], scope: CaseActor['scope']): CaseActor => ({
    tenantId: DEMO_TENANT,
    userId,
    role,
    scope,
  });
  const rnd = mulberry32(42);

  /** One case through the machine: report, verify (hotline), register, dispatch, accept, handle, check, rate. */
  const caseLog = (month: string): CaseEvent[] => {
    const grid = grids[Math.floor(rnd() * grids.length)] as string;
    const category = categories[Math.floor(rnd() * categories.length)] as string;
    const route = routeCase(defaultDutyCatalog, category, grid);
    const departmentId = route.kind === 'routed' ? route.departmentId : 'urban-enforcement';
    const center = actor('sc', 'street_center', { kind: 'org', code: grid.slice(0, 9) });
    const worker = actor('gw', 'grid_worker', { kind: 'org', code: grid });
    const dept = actor('dp', 'department', { kind: 'department', departmentId });
    const hotline = rnd() < 0.4;
    let t =
      Date.parse(`${month}-01T01:00:00Z`) + Math.floor(rnd() * 26) * 86_400_000 + rnd() * 10 * 3_600_000;
    const log: CaseEvent[] = [];
    let state: CaseState | undefined;
    const step = (command: CaseCommandInput, by: CaseActor, hours: number) => {
      t += hours * 3_600_000;
      for (const event of decide(state, command, by, new Date(t), resolve).events) {
        log.push(event);
        state = evolve(state, event);
      }
    };
    step(
      {
        type: 'report',
        caseId: newId(t),
        channel: hotline ? 'hotline' : 'patrol',
        description: '基准案件',
        location: { point: [116.4, 39.9], gridCode: grid },
      },
      hotline ? center : worker,
      0,
    );
    if (hotline) step({ type: 'verify', confirmed: true }, worker, rnd() * 3);
    step({ type: 'register', categoryCode: category }, center, rnd());
    step({ type: 'dispatch', departmentIds: [departmentId] }, center, rnd());
    step({ type: 'accept' }, dept, rnd() * 3);
    step({ type: 'handle', result: '已处理', evidenceIds: ['p'] }, dept, rnd() * 80);
    step({ type: 'startCheck' }, worker, rnd() * 10);
    step(rnd() < 0.9 ? { type: 'checkPass' } : { type: 'checkFail', reason: '未整改' }, worker, rnd() * 10);
    if (state?.status === 'closed' && rnd() < 0.7) {
      step({ type: 'evaluate', satisfaction: (1 + Math.floor(rnd() * 5)) as 5 }, center, rnd() * 24);
    }
    return log;
  };

  for (const [month, cases] of SIZES) {
    const started = performance.now();
    let pending: CounterDelta[] = [];
    let merged: CounterDelta[] = [];
    for (let i = 0; i < cases; i += 1) {
      pending.push(...caseLogDeltas(caseLog(month), TZ).flat());
      if (pending.length > 50_000) {
        merged = mergeDeltas([...merged, ...pending]);
        pending = [];
      }
    }
    merged = mergeDeltas([...merged, ...pending]);
    const generatedMs = performance.now() - started;
    await source.run('worker', () =>
      addToCounters(platform.store, platform.store.tenant(DEMO_TENANT), merged),
    );

    const reads: Record<string, unknown> = {};
    const measure = async (name: string, path: string, token: string) => {
      await call(path, token); // warm the API's caches (catalog), as a busy city has them
      meter.reset('api');
      const begun = performance.now();
      const body = await call(path, token);
      const ms = performance.now() - begun;
      const units = meter.take('api');
      reads[name] = {
        calls: units.calls,
        ops: units.ops,
        reportedRead: Math.round(units.reportedRead * 100) / 100,
        modelRead: Math.round(units.modelRead * 100) / 100,
        ms: Math.round(ms),
      };
      return body;
    };
    // The department with the most cases in the month, read by the city admin.
    const busiest = merged
      .filter((d) => d.period.kind === 'month' && d.dimension === 'department')
      .sort((a, b) => (b.measures.received ?? 0) - (a.measures.received ?? 0))[0]?.key[0] as string;
    const card = await measure(
      'departmentScorecard',
      `/v1/analytics/scorecards/${busiest}?period=${month}`,
      admin,
    );
    const dashboard = await measure(
      'streetDashboard',
      `/v1/analytics/places?orgCode=${STREET}&period=${month}`,
      street,
    );
    await measure('streetHotSpots', `/v1/analytics/hotspots?orgCode=${STREET}&month=${month}`, street);
    await measure('cityMonthlyProblem', `/v1/analytics/monthly-problem?month=${month}`, admin);
    const city = await call(`/v1/analytics/places?period=${month}`, admin);
    console.log(
      JSON.stringify({
        bench: 'analytics-read',
        month,
        casesInMonth: cases,
        counted: {
          cityReported: city.place.reported,
          streetRegistered: dashboard.place.registered,
          departmentReceived: card.cases.received,
        },
        counterItemsWritten: merged.length,
        generateSeconds: Math.round(generatedMs / 100) / 10,
        reads,
      }),
    );
  }
} finally {
  await platform.stop();
}
