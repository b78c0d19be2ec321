// Plain script: `npx tsx packages/local/src/bench/api-import.bench.ts` prints one JSON line.
// The whole import path as a city meets it: HTTP, validation, topology, DynamoDB (Local) writes.

import { syntheticCity } from '@civicgrid/geo';
import { BENCH_CITY } from '@civicgrid/geo/bench-city';
import { startLocalPlatform } from '../platform';
import { DEMO_PASSWORD, demoOperator } from '../seed';

const MB = 1024 * 1024;
const PAGE_FEATURES = 1500;

const platform = await startLocalPlatform({ port: 0 });
const call = async (method: string, path: string, body?: unknown, token?: string) => {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: a script reading its own API's answers
  const json: any = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
};

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

try {
  const operator = (
    await call('POST', '/v1/auth/login', {
      tenantId: 'platform',
      username: demoOperator.username,
      password: DEMO_PASSWORD,
    })
  ).token;
  await call(
    'POST',
    '/v1/tenants',
    {
      id: 'bench-city',
      name: '基准城市 Bench city',
      divisionCode: '110000',
      admin: { username: 'admin', displayName: 'Bench admin', password: 'bench-password' },
    },
    operator,
  );
  const admin = (
    await call('POST', '/v1/auth/login', {
      tenantId: 'bench-city',
      username: 'admin',
      password: 'bench-password',
    })
  ).token;

  const city = syntheticCity(BENCH_CITY);
  const grids = city.features.filter((f) => f.properties.level === 'grid').length;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const session = await call('POST', '/v1/org/imports', undefined, admin);
  for (let i = 0; i < city.features.length; i += PAGE_FEATURES) {
    await call(
      'POST',
      `/v1/org/imports/${session.id}/pages`,
      { type: 'FeatureCollection', features: city.features.slice(i, i + PAGE_FEATURES) },
      admin,
    );
  }
  const staged = performance.now();
  const result = await call('POST', `/v1/org/imports/${session.id}/commit`, undefined, admin);
  const done = performance.now();

  const lookups = 300;
  const lookStart = performance.now();
  for (let i = 0; i < lookups; i += 1) {
    const lon = 116.1 + 0.6 * ((i * 0.618) % 1);
    const lat = 39.6 + 0.6 * ((i * 0.382) % 1);
    await fetch(`${platform.url}/v1/org/locate?lon=${lon}&lat=${lat}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
  }
  const lookMs = performance.now() - lookStart;

  console.log(
    JSON.stringify({
      bench: 'api-import',
      units: city.features.length,
      grids,
      pages: Math.ceil(city.features.length / PAGE_FEATURES),
      stagingMs: Math.round(staged - started),
      commitMs: Math.round(done - staged),
      totalMs: Math.round(done - started),
      created: result.created,
      peakRssMB: Math.round(peakRss / MB),
      rssBeforeImportMB: Math.round(rssBefore / MB),
      locateOverHttpPerSecond: Math.round((lookups / lookMs) * 1000),
    }),
  );
} finally {
  clearInterval(sampler);
  await platform.stop();
}
