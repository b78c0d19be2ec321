// Plain script: `npx tsx packages/local/src/history-demo.ts [cases] [whistles]` starts the embedded
// platform in memory, generates three months of the demo city's work through the API (see
// generate-history.ts), reconciles each month against the event logs and prints, as JSON lines,
// what the analytics API then shows: the city dashboard, department scorecards, hotline rates,
// hot spots and the monthly problem.

import { reconcileMonth } from '@civicgrid/workers';
import { DEMO_TENANT, generateHistory, startLocalPlatform } from './index';
import { DEMO_PASSWORD } from './seed';

process.env.LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL;

const cases = Number(process.argv[2] ?? 2000);
const whistles = Number(process.argv[3] ?? Math.round(cases / 20));
const platform = await startLocalPlatform({ port: 0 });
try {
  // Three whole calendar months, ending where this month begins.
  const now = new Date();
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const started = performance.now();
  const summary = await generateHistory({
    store: platform.store,
    cases,
    whistles,
    end,
    onProgress: (done) => console.error(JSON.stringify({ progress: done, of: cases })),
  });
  console.log(
    JSON.stringify({ history: summary, seconds: Math.round((performance.now() - started) / 1000) }),
  );
  const months = Object.keys(summary.reportedPerMonth).sort();
  for (const month of months) {
    const report = await reconcileMonth({ store: platform.store, tenantId: DEMO_TENANT, month });
    console.log(
      JSON.stringify({
        reconcile: month,
        aggregates: report.aggregates,
        drifts: report.drifts.length,
        behind: report.behind.length,
      }),
    );
  }
  const login = await fetch(`${platform.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: DEMO_TENANT, username: 'admin', password: DEMO_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  // biome-ignore lint/suspicious/noExplicitAny: a script printing its own API's answers
  const get = async (path: string): Promise<any> =>
    (await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const last = months.at(-1);
  const city = await get(`/v1/analytics/places?period=${last}&orgCode=110101`);
  console.log(
    JSON.stringify({
      month: last,
      city: city.place,
      streets: city.children.map((c: { code: string; reported: number; selfClosureRate: number }) => [
        c.code,
        c.reported,
        c.selfClosureRate,
      ]),
    }),
  );
  const cards = await get(`/v1/analytics/scorecards?period=${last}`);
  console.log(
    JSON.stringify({
      month: last,
      scorecards: cards.items.map(
        (c: { departmentId: string; score: number; cases: unknown; whistles: unknown }) => ({
          departmentId: c.departmentId,
          score: c.score,
          cases: c.cases,
          whistles: c.whistles,
        }),
      ),
    }),
  );
  console.log(
    JSON.stringify({
      month: last,
      hotline: await get(`/v1/analytics/hotline?period=${last}&orgCode=110101&by=street`),
    }),
  );
  console.log(JSON.stringify({ hotspots: await get(`/v1/analytics/hotspots?month=${last}&limit=5`) }));
  console.log(JSON.stringify({ monthlyProblem: await get(`/v1/analytics/monthly-problem?month=${last}`) }));
} finally {
  await platform.stop();
}
