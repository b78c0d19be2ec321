import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createLogger, findUserIdByUsername } from '@civicgrid/api';
import { LocalAttachmentStore } from '@civicgrid/attachments';
import { createTokenVerifier, LocalIssuer, LocalUserDirectory } from '@civicgrid/auth';
import {
  defaultDutyCatalog,
  ManualClock,
  type Principal,
  type Role,
  routeCase,
  type Scope,
} from '@civicgrid/domain';
import { mulberry32 } from '@civicgrid/geo';
import { InProcessEventPublisher, InProcessQueue, QueuePoller } from '@civicgrid/queue';
import { RateLimiter, type Store } from '@civicgrid/storage';
import { createEventsWorker } from '@civicgrid/workers';
import { CONSOLE_AUDIENCE, LOCAL_ISSUER } from './platform';
import { DEMO_PASSWORD, DEMO_TENANT } from './seed';

/**
 * Months of a city's work, made the way it really happens: every report, verification,
 * dispatch, result, check and rating goes through the API (the real case and whistle
 * machines, at a simulated clock), and the events through the real events worker, so the
 * analytics counters are exactly what production would have counted. Deterministic per seed.
 */
export interface HistoryOptions {
  store: Store;
  tenantId?: string;
  /** Cases to report, spread over the months. */
  cases: number;
  whistles?: number;
  /** The history ends here; it starts `months` calendar months earlier. */
  end: Date;
  months?: number;
  seed?: number;
  /** Called every 100 cases. */
  onProgress?: (done: number) => void;
  /**
   * Where photos go: the platform's own store, so that the console can show them later. Absent: a
   * temporary one (a benchmark or a test that never looks at them).
   */
  attachments?: LocalAttachmentStore;
  /** Called with each step the API refused (the simulation skips it and goes on). */
  onRefused?: (step: { path: string; body: unknown; status: number; answer: unknown }) => void;
}

export interface HistorySummary {
  cases: number;
  whistles: number;
  commands: number;
  failedCommands: number;
  from: string;
  to: string;
  /** Cases reported per month (UTC months of the report), for checks. */
  reportedPerMonth: Record<string, number>;
}

const HOUR = 3_600_000;

interface Actor {
  principal: Principal;
}

type Call = (
  actor: Actor | undefined,
  method: string,
  path: string,
  body?: unknown,
) => // biome-ignore lint/suspicious/noExplicitAny: API answers of many shapes, read field by field
Promise<{ status: number; body: any }>;

/** How often each of the city's ten most common categories comes up; the last month one of them surges. */
const CATEGORY_WEIGHTS = [10, 6, 8, 5, 7, 3, 4, 6, 3, 4];

export const generateHistory = async (options: HistoryOptions): Promise<HistorySummary> => {
  const { store } = options;
  const tenantId = options.tenantId ?? DEMO_TENANT;
  const months = options.months ?? 3;
  const rnd = mulberry32(options.seed ?? 20260501);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);

  const endMs = options.end.getTime();
  const start = new Date(options.end);
  start.setUTCMonth(start.getUTCMonth() - months);
  const startMs = start.getTime();

  // The platform's API, on a clock the simulation moves, publishing to a queue of its own
  // that the real events worker drains.
  const clock = new ManualClock(startMs);
  const logger = createLogger('civicgrid-history');
  logger.setLogLevel('ERROR');
  const issuer = await LocalIssuer.create({ issuer: LOCAL_ISSUER, audience: CONSOLE_AUDIENCE, clock });
  const directory = new LocalUserDirectory(store);
  const attachments =
    options.attachments ??
    new LocalAttachmentStore({
      directory: mkdtempSync(join(tmpdir(), 'civicgrid-history-')),
      baseUrl: '',
      secret: 'history-generator-attachment-secret',
      clock,
    });
  const queue = new InProcessQueue({ name: 'events', fifo: true, visibilityTimeoutMs: 60_000 });
  const app = createApp({
    store,
    events: new InProcessEventPublisher(queue),
    clock,
    logger,
    auth: {
      verify: createTokenVerifier({
        issuer: LOCAL_ISSUER,
        audience: CONSOLE_AUDIENCE,
        keys: issuer.keys(),
        clock,
      }),
      directory,
      local: { issuer, directory },
    },
    rateLimiter: new RateLimiter(store.client, store.tableName, clock),
    attachments: { store: attachments, local: attachments },
    clientIp: () => 'history-generator',
  });
  const poller = new QueuePoller(queue, createEventsWorker({ store, logger, fifo: true }), { batchSize: 10 });

  let commands = 0;
  let failedCommands = 0;
  const call: Call = async (actor, method, path, body) => {
    const headers: Record<string, string> = {};
    // A token minted at the simulated now, so it is valid whatever the clock says.
    if (actor) headers.authorization = `Bearer ${(await issuer.sign(actor.principal)).token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text?.startsWith('{') ? JSON.parse(text) : text };
  };
  /** A step of the simulation; one that the machine refuses is counted and skipped. */
  const act = async (at: number, actor: Actor, method: string, path: string, body?: unknown) => {
    clock.set(Math.min(at, endMs));
    commands += 1;
    const response = await call(actor, method, path, body);
    if (response.status >= 300) {
      failedCommands += 1;
      options.onRefused?.({ path, body, status: response.status, answer: response.body });
    }
    return response;
  };

  // Users: the seeded admin, district and citizen, and one user per street, grid and department.
  const tenant = store.tenant(tenantId);
  const known = async (username: string, role: Role, scope: Scope): Promise<Actor> => {
    const userId = await findUserIdByUsername(tenant, username);
    if (!userId) throw new Error(`user ${username} of ${tenantId} not found; seed the demo first`);
    return { principal: { tenantId, userId, role, scope } };
  };
  const admin = await known('admin', 'city_admin', { kind: 'city' });
  const citizen = await known('citizen', 'citizen', { kind: 'self' });
  const userFor = async (username: string, role: Role, scope: Scope): Promise<Actor> => {
    const existing = await findUserIdByUsername(tenant, username);
    if (existing) return { principal: { tenantId, userId: existing, role, scope } };
    clock.set(startMs);
    const created = await call(admin, 'POST', '/v1/users', {
      username,
      displayName: username,
      role,
      scope,
      password: DEMO_PASSWORD,
    });
    if (created.status !== 201) throw new Error(`create ${username}: ${JSON.stringify(created.body)}`);
    return { principal: { tenantId, userId: created.body.id, role, scope } };
  };

  clock.set(startMs);
  const exported = await call(admin, 'GET', '/v1/org/export?level=grid');
  if (exported.status !== 200)
    throw new Error(`grid export: ${exported.status} ${JSON.stringify(exported.body).slice(0, 300)}`);
  const grids = (exported.body.features as { properties: { code: string } }[]).map((f) => f.properties.code);
  const districtCode = (grids[0] as string).slice(0, 6);
  const district = await userFor('gen-district', 'district_center', { kind: 'org', code: districtCode });
  const streets = new Map<string, Actor>();
  const gridWorkers = new Map<string, Actor>();
  const departments = new Map<string, Actor>();
  const points = new Map<string, [number, number]>();
  for (const feature of exported.body.features as {
    properties: { code: string };
    geometry: { coordinates: [number, number][][] | [number, number][][][] };
  }[]) {
    const code = feature.properties.code;
    const numbers = feature.geometry.coordinates.flat(Number.POSITIVE_INFINITY) as number[];
    const flat: [number, number][] = [];
    for (let k = 0; k + 1 < numbers.length; k += 2)
      flat.push([numbers[k] as number, numbers[k + 1] as number]);

    const [x0, x1] = [Math.min(...flat.map((p) => p[0])), Math.max(...flat.map((p) => p[0]))];
    const [y0, y1] = [Math.min(...flat.map((p) => p[1])), Math.max(...flat.map((p) => p[1]))];
    for (let i = 1; i < 8 && !points.has(code); i += 1) {
      for (let j = 1; j < 8 && !points.has(code); j += 1) {
        const p: [number, number] = [x0 + ((x1 - x0) * i) / 8, y0 + ((y1 - y0) * j) / 8];
        const located = await call(admin, 'GET', `/v1/org/locate?lon=${p[0]}&lat=${p[1]}`);
        if (located.body?.grid?.code === code) points.set(code, p);
      }
    }
  }
  const usable = grids.filter((g) => points.has(g));
  // Some grids are busier than others: a few hot grids take a large share.
  const gridWeights = usable.map((_, i) => (i % 9 === 0 ? 6 : 1 + (i % 3)));
  const weighted = <T>(items: readonly T[], weights: readonly number[]): T => {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = rnd() * total;
    for (let i = 0; i < items.length; i += 1) {
      r -= weights[i] as number;
      if (r < 0) return items[i] as T;
    }
    return items.at(-1) as T;
  };
  for (const grid of usable) {
    const street = grid.slice(0, 9);
    if (!streets.has(street)) {
      streets.set(
        street,
        await userFor(`gen-street-${street}`, 'street_center', { kind: 'org', code: street }),
      );
    }
    gridWorkers.set(grid, await userFor(`gen-grid-${grid}`, 'grid_worker', { kind: 'org', code: grid }));
  }
  const departmentFor = async (id: string) => {
    let actor = departments.get(id);
    if (!actor) {
      actor = await userFor(`gen-dept-${id}`, 'department', { kind: 'department', departmentId: id });
      departments.set(id, actor);
    }
    return actor;
  };
  // Categories that the catalog routes to a department everywhere in the city, events first.
  const categories: [string, number][] = defaultDutyCatalog.categories
    .map((c) => c.code)
    .filter((code) => usable.every((g) => routeCase(defaultDutyCatalog, code, g).kind === 'routed'))
    .sort((a, b) => (a[0] === b[0] ? a.localeCompare(b) : a[0] === 'E' ? -1 : 1))
    .slice(0, CATEGORY_WEIGHTS.length)
    .map((code, i) => [code, CATEGORY_WEIGHTS[i] as number]);
  // The surging category of the last month: the monthly problem the analytics should propose.
  const surging = (categories[2] ?? categories[0]) as [string, number];
  const evidence = new Map<string, string>();
  const evidenceOf = async (actor: Actor) => {
    const found = evidence.get(actor.principal.userId);
    if (found) return found;
    const bytes = new Uint8Array(512).fill(3);
    const ticket = await call(actor, 'POST', '/v1/attachments', {
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      fileName: 'result.jpg',
    });
    await app.request(ticket.body.uploadUrl, { method: 'PUT', headers: ticket.body.headers, body: bytes });
    evidence.set(actor.principal.userId, ticket.body.attachmentId);
    return ticket.body.attachmentId as string;
  };

  const reportedPerMonth: Record<string, number> = {};
  const lastMonthStart = new Date(options.end);
  lastMonthStart.setUTCMonth(lastMonthStart.getUTCMonth() - 1);

  const runCase = async (index: number) => {
    // Office hours in Beijing mostly: 08:00–20:00 (00:00–12:00 UTC).
    const day = Math.floor(between(0, (endMs - startMs) / (24 * HOUR)));
    let t = startMs + day * 24 * HOUR + between(0, 12) * HOUR;
    if (t >= endMs) return;
    const grid = weighted(usable, gridWeights);
    const point = points.get(grid) as [number, number];
    const street = streets.get(grid.slice(0, 9)) as Actor;
    const worker = gridWorkers.get(grid) as Actor;
    const late = t >= lastMonthStart.getTime();
    const category = weighted(
      categories.map(([c]) => c),
      categories.map(([c, w]) => (late && c === surging[0] ? w * 3 : w)),
    );
    const channel = pick(['patrol', 'patrol', 'hotline', 'hotline', 'citizen'] as const);
    const reporter = channel === 'patrol' ? worker : channel === 'hotline' ? street : citizen;
    const reported = await act(t, reporter, 'POST', '/v1/cases', {
      channel,
      description: `模拟案件 ${index} Simulated case`,
      ...(channel === 'patrol' ? { categoryCode: category } : {}),
      location: { point },
      ...(channel === 'hotline' ? { callerRef: `caller-${index}` } : {}),
    });
    if (reported.status !== 201) return;
    const month = new Date(t).toISOString().slice(0, 7);
    reportedPerMonth[month] = (reportedPerMonth[month] ?? 0) + 1;
    const id = reported.body.caseId as string;
    const cmd = (who: Actor, body: Record<string, unknown>) =>
      act(t, who, 'POST', `/v1/cases/${id}/commands`, body);
    const next = (lo: number, hi: number) => {
      t += between(lo, hi) * HOUR;
      return t < endMs;
    };
    if (channel !== 'patrol') {
      if (!next(0.3, 3)) return;
      const confirmed = rnd() > 0.05;
      await cmd(worker, { type: 'verify', confirmed });
      if (!confirmed) {
        if (next(0.2, 1)) await cmd(street, { type: 'reject', reason: '核实不属实 Not confirmed on site' });
        return;
      }
    }
    if (!next(0.1, 1.5)) return;
    await cmd(street, { type: 'register', categoryCode: category });
    let center = street;
    if (rnd() < 0.06) {
      if (!next(0.2, 2)) return;
      await cmd(street, { type: 'escalate', reason: '需区级统筹 Needs the district' });
      center = district;
    }
    const route = routeCase(defaultDutyCatalog, category, grid);
    if (route.kind !== 'routed') return;
    const department = await departmentFor(route.departmentId);
    if (!next(0.1, 2)) return;
    await cmd(center, { type: 'dispatch', departmentIds: [route.departmentId] });
    if (rnd() < 0.08) {
      if (!next(0.2, 3)) return;
      await cmd(department, { type: 'return', reason: '非本部门职责 Not our duty' });
      if (!next(0.2, 2)) return;
      // The center finds the catalog right: the return was wrong.
      await cmd(center, { type: 'dispatch', departmentIds: [route.departmentId] });
    }
    if (!next(0.2, rnd() < 0.8 ? 1.5 : 6)) return;
    await cmd(department, { type: 'accept' });
    const handle = async () => {
      if (!next(2, rnd() < 0.75 ? 40 : 120)) return false;
      await cmd(department, {
        type: 'handle',
        result: '已处理 Done',
        evidenceIds: [await evidenceOf(department)],
      });
      if (!next(0.5, rnd() < 0.85 ? 20 : 60)) return false;
      await cmd(worker, { type: 'startCheck' });
      return true;
    };
    if (!(await handle())) return;
    if (rnd() < 0.1) {
      await cmd(worker, { type: 'checkFail', reason: '整改不到位 Not fixed' });
      if (!(await handle())) return;
    }
    await cmd(worker, { type: 'checkPass' });
    if (rnd() < 0.25 || !next(1, 72)) return;
    const score = weighted([1, 2, 3, 4, 5], [1, 1, 2, 5, 8]);
    await cmd(channel === 'citizen' ? citizen : center, { type: 'evaluate', satisfaction: score });
  };

  const runWhistle = async (index: number) => {
    const day = Math.floor(between(0, (endMs - startMs) / (24 * HOUR)));
    let t = startMs + day * 24 * HOUR + between(1, 10) * HOUR;
    const grid = weighted(usable, gridWeights);
    const point = points.get(grid) as [number, number];
    const street = streets.get(grid.slice(0, 9)) as Actor;
    const summoned = [
      ...new Set([
        'urban-enforcement',
        pick(['public-security', 'market-regulation', 'traffic-police', 'fire-rescue']),
      ]),
    ];
    const drafted = await act(t, street, 'POST', '/v1/whistles', {
      kind: 'key',
      source: { kind: 'patrol' },
      description: `模拟吹哨 ${index} Simulated whistle`,
      categories: [pick(categories)[0]],
      commonality: pick(['common', 'individual']),
      location: { point, gridCode: grid },
      departments: summoned.map((departmentId) => ({ departmentId, kind: 'resident' })),
    });
    if (drafted.status !== 201) return false;
    const id = drafted.body.id as string;
    const cmd = (who: Actor, body: Record<string, unknown>) =>
      act(t, who, 'POST', `/v1/whistles/${id}/commands`, body);
    await cmd(street, { type: 'file' });
    t += between(0.1, 1) * HOUR;
    await cmd(district, { type: 'approve' });
    t += between(0.1, 1) * HOUR;
    await cmd(street, { type: 'blow' });
    const blownAt = t;
    for (const departmentId of summoned) {
      t = blownAt + between(0.2, rnd() < 0.8 ? 1.8 : 4) * HOUR;
      const offSite = rnd() < 0.1;
      await cmd(await departmentFor(departmentId), {
        type: 'report',
        position: offSite ? [point[0] + 0.02, point[1]] : point,
      });
    }
    t += between(0.2, 2) * HOUR;
    // Two competent officers on site act jointly (前端统一执法).
    await cmd(street, {
      type: 'recordAction',
      description: '现场联合执法 Joint enforcement on site',
      power: '城市管理综合执法',
      competentDepartmentId: 'urban-enforcement',
      officers: [
        { userId: 'officer-1', departmentId: 'urban-enforcement' },
        { userId: 'officer-2', departmentId: 'urban-enforcement' },
      ],
      evidenceIds: [await evidenceOf(street)],
    });
    t = blownAt + between(5, 30) * HOUR;
    await cmd(street, { type: 'close', feedback: '已处置 Handled; source informed' });
    for (const departmentId of summoned) {
      t += 0.1 * HOUR;
      await cmd(street, {
        type: 'evaluate',
        departmentId,
        response: weighted([3, 4, 5], [1, 2, 3]),
        attitude: weighted([3, 4, 5], [1, 2, 3]),
        result: weighted([2, 3, 4, 5], [1, 1, 2, 3]),
      });
    }
    return true;
  };

  let whistles = 0;
  for (let i = 0; i < options.cases; i += 1) {
    await runCase(i);
    await poller.drain();
    if (options.onProgress && (i + 1) % 100 === 0) options.onProgress(i + 1);
  }
  for (let i = 0; i < (options.whistles ?? 0); i += 1) {
    if (await runWhistle(i)) whistles += 1;
    await poller.drain();
  }
  await poller.drain();
  return {
    cases: Object.values(reportedPerMonth).reduce((a, b) => a + b, 0),
    whistles,
    commands,
    failedCommands,
    from: new Date(startMs).toISOString(),
    to: new Date(endMs).toISOString(),
    reportedPerMonth,
  };
};
