import {
  type AnalyticsPeriod,
  type CaseActor,
  type CaseCommandInput,
  type CaseEvent,
  type CaseState,
  type CounterDelta,
  caseLogDeltas,
  compareCounters,
  decide,
  dimensions,
  evolve,
  naturalDeadlines,
  newId,
  toCounterTable,
} from '@civicgrid/domain';
import type { DomainEvent } from '@civicgrid/queue';
import type { Store } from '@civicgrid/storage';
import {
  addToCounters,
  monthToReconcile,
  queryCounters,
  readApplied,
  reconcileMonth,
  updateAggregateCounters,
  updateCounters,
} from '@civicgrid/workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStore } from '../support/store';

const TENANT = 'analytics-t';
const TZ = 'Asia/Shanghai';
const STREET = '110101001';
const GRIDS = ['110101001001001', '110101001001002', '110101001002001'];
const resolve = naturalDeadlines();

const actor = (userId: string, role: CaseActor['role'], scope: CaseActor['scope']): CaseActor => ({
  tenantId: TENANT,
  userId,
  role,
  scope,
});
const streetCenter = actor('sc', 'street_center', { kind: 'org', code: STREET });
const gridWorker = (grid: string) => actor(`gw-${grid}`, 'grid_worker', { kind: 'org', code: grid });
const department = (id: string) => actor(`dp-${id}`, 'department', { kind: 'department', departmentId: id });

/** A deterministic small PRNG (mulberry32) so the fixture is the same on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** Case logs made by the real machine: hotline and patrol reports, some returned, late or reworked. */
const makeLogs = (count: number, seed: number): CaseEvent[][] => {
  const rnd = random(seed);
  const logs: CaseEvent[][] = [];
  for (let i = 0; i < count; i += 1) {
    const grid = GRIDS[Math.floor(rnd() * GRIDS.length)] as string;
    const hotline = rnd() < 0.5;
    const dept = rnd() < 0.5 ? 'urban-mgmt' : 'market-reg';
    let t = Date.parse('2026-04-28T00:00:00Z') + Math.floor(rnd() * 6 * 86_400_000);
    const log: CaseEvent[] = [];
    let state: CaseState | undefined;
    const step = (command: CaseCommandInput, by: CaseActor, hours = rnd() * 5) => {
      t += hours * 3_600_000;
      const { events } = decide(state, command, by, new Date(t), resolve);
      for (const e of events) {
        log.push(e);
        state = evolve(state, e);
      }
    };
    step(
      {
        type: 'report',
        caseId: newId(t),
        channel: hotline ? 'hotline' : 'patrol',
        description: '占道经营',
        location: { point: [116.4, 39.9], gridCode: grid },
      },
      hotline ? streetCenter : gridWorker(grid),
      0,
    );
    if (hotline) step({ type: 'verify', confirmed: true }, gridWorker(grid));
    step({ type: 'register', categoryCode: rnd() < 0.6 ? 'E01-01' : 'E02-03' }, streetCenter);
    step({ type: 'dispatch', departmentIds: [dept] }, streetCenter);
    if (rnd() < 0.2) {
      step({ type: 'return', reason: '非本部门职责' }, department(dept));
      step({ type: 'dispatch', departmentIds: [dept] }, streetCenter);
    }
    step({ type: 'accept' }, department(dept));
    if (rnd() < 0.1) {
      logs.push(log);
      continue;
    }
    step({ type: 'handle', result: '已处理', evidenceIds: ['p'] }, department(dept), rnd() * 100);
    step({ type: 'startCheck' }, gridWorker(grid));
    if (rnd() < 0.2) {
      step({ type: 'checkFail', reason: '未整改到位' }, gridWorker(grid));
      step({ type: 'handle', result: '已返工', evidenceIds: ['p'] }, department(dept));
      step({ type: 'startCheck' }, gridWorker(grid));
    }
    step({ type: 'checkPass' }, gridWorker(grid));
    step({ type: 'evaluate', satisfaction: (1 + Math.floor(rnd() * 5)) as 1 }, streetCenter, rnd() * 48);
    logs.push(log);
  }
  return logs;
};

/** Stores a log as the API does: event n under [case, id] / event#n. */
const storeLog = async (store: Store, log: CaseEvent[], from = 0) => {
  const tenant = store.tenant(TENANT);
  for (let i = from; i < log.length; i += 1) {
    const event = log[i] as CaseEvent;
    await tenant.create({
      key: { pk: ['case', event.caseId], sk: ['event', String(i + 1).padStart(6, '0')] },
      entity: 'case-event',
      data: event,
    });
    // The activity feed the events worker keeps; reconciliation finds aggregates through it.
    const id = newId(Date.parse(event.at));
    await tenant.create({
      key: { pk: ['case', event.caseId], sk: ['activity', id] },
      entity: 'event',
      data: { id, aggregate: { type: 'case', id: event.caseId } },
      indexes: { GSI1: { pk: ['activity', event.at.slice(0, 10)], sk: [id] } },
    });
  }
};

/** What the queue would carry for each logged event. */
const domainEvents = (log: CaseEvent[]): DomainEvent[] =>
  log.map((e) => ({
    id: newId(Date.parse(e.at)),
    type: e.type,
    tenantId: TENANT,
    aggregate: { type: 'case', id: e.caseId },
    occurredAt: e.at,
    payload: {},
  }));

const months = ['2026-04', '2026-05'];
const periodsToRead = (): AnalyticsPeriod[] => [
  ...months.map((key) => ({ kind: 'month' as const, key })),
  ...Array.from({ length: 20 }, (_, i) => {
    const d = new Date(Date.parse('2026-04-27T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10);
    return { kind: 'day' as const, key: d };
  }),
];

const storedTable = async (store: Store) => {
  const deltas: CounterDelta[] = [];
  for (const period of periodsToRead()) {
    for (const dimension of dimensions) {
      for (const c of await queryCounters(store.tenant(TENANT), period, dimension)) {
        deltas.push({ period, dimension, key: c.key, measures: c.measures });
      }
    }
  }
  return toCounterTable(deltas);
};

const expectedTable = (logs: CaseEvent[][]) =>
  toCounterTable(
    logs
      .flatMap((log) => caseLogDeltas(log, TZ).flat())
      .filter((d) => months.some((m) => d.period.key.startsWith(m))),
  );

const shuffle = <T>(items: T[], rnd: () => number) => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

describe('analytics counters from the events queue', () => {
  let inOrder: Store;
  const logs = makeLogs(12, 7);

  beforeAll(async () => {
    inOrder = await createTestStore();
    for (const log of logs) await storeLog(inOrder, log);
    for (const event of logs.flatMap(domainEvents)) await updateCounters(inOrder, event);
  });

  it('counts every logged event once, as the domain computes it from the logs', async () => {
    const stored = await storedTable(inOrder);
    expect(stored.size).toBeGreaterThan(50);
    expect(compareCounters(expectedTable(logs), stored)).toEqual([]);
  });

  it('gives the same counters when events are redelivered, shuffled and handled concurrently', async () => {
    const store = await createTestStore();
    for (const log of logs) await storeLog(store, log);
    const all = logs.flatMap(domainEvents);
    const rnd = random(99);
    const deliveries = shuffle([...all, ...all.slice(0, 20), ...all.slice(5, 15)], rnd);
    // Two consumers at once, as SQS may redeliver while a first attempt is still running.
    const half = Math.ceil(deliveries.length / 2);
    await Promise.all([
      (async () => {
        for (const e of deliveries.slice(0, half)) await updateCounters(store, e);
      })(),
      (async () => {
        for (const e of deliveries.slice(half)) await updateCounters(store, e);
      })(),
    ]);
    expect(compareCounters(await storedTable(inOrder), await storedTable(store))).toEqual([]);
    // A redelivery after everything was counted changes nothing.
    const first = logs[0] as CaseEvent[];
    const again = await updateAggregateCounters(store, TENANT, {
      type: 'case',
      id: (first[0] as CaseEvent).caseId,
    });
    expect(again).toEqual({ counted: 0, appliedThrough: first.length });
  });

  it('counts an event that arrives before the earlier ones: the log, not the delivery, decides', async () => {
    const store = await createTestStore();
    const log = logs[1] as CaseEvent[];
    await storeLog(store, log.slice(0, 3));
    const early = domainEvents(log);
    await updateCounters(store, early[2] as DomainEvent);
    expect(await readApplied(store.tenant(TENANT), 'case', (log[0] as CaseEvent).caseId)).toBe(3);
    await storeLog(store, log, 3);
    await updateCounters(store, early.at(-1) as DomainEvent);
    await updateCounters(store, early[0] as DomainEvent);
    expect(compareCounters(expectedTable([log]), await storedTable(store))).toEqual([]);
  });

  it('reconciliation finds a corrupted counter, reports events not yet counted, and repairs both', async () => {
    const store = await createTestStore();
    for (const log of logs) await storeLog(store, log);
    for (const event of logs.flatMap(domainEvents)) await updateCounters(store, event);
    const clean = await reconcileMonth({ store, tenantId: TENANT, month: '2026-05' });
    expect(clean.drifts).toEqual([]);
    expect(clean.behind).toEqual([]);
    expect(clean.aggregates).toBeGreaterThan(0);

    const corrupted = {
      period: { kind: 'month' as const, key: '2026-05' },
      dimension: 'street' as const,
      key: [STREET],
    };
    await addToCounters(store, store.tenant(TENANT), [{ ...corrupted, measures: { closed: 3 } }]);
    // A new case whose events the queue has not delivered yet: behind, not drift.
    const late = makeLogs(1, 1234)[0] as CaseEvent[];
    await storeLog(store, late);

    const found = await reconcileMonth({ store, tenantId: TENANT, month: '2026-05' });
    const expectedClosed = expectedTable(logs).get('month|2026-05|street|110101001')?.measures.closed ?? 0;
    expect(found.drifts).toEqual([
      { address: corrupted, measure: 'closed', expected: expectedClosed, actual: expectedClosed + 3 },
    ]);
    expect(found.behind).toEqual([
      { type: 'case', id: (late[0] as CaseEvent).caseId, applied: 0, logged: late.length },
    ]);

    const repaired = await reconcileMonth({ store, tenantId: TENANT, month: '2026-05', repair: true });
    expect(repaired.drifts).toHaveLength(1);
    const after = await reconcileMonth({ store, tenantId: TENANT, month: '2026-05' });
    expect(after.drifts).toEqual([]);
    expect(after.behind).toEqual([]);
    expect(compareCounters(expectedTable([...logs, late]), await storedTable(store))).toEqual([]);
  });
});

describe('the nightly reconciliation', () => {
  it("checks the month that holds yesterday on the city's wall clock", () => {
    // 08:30 on 1 May in Beijing: yesterday was 30 April.
    expect(monthToReconcile(new Date('2026-05-01T00:30:00Z'), TZ)).toBe('2026-04');
    // 01:00 on 2 May in Beijing, still 1 May in UTC.
    expect(monthToReconcile(new Date('2026-05-01T17:00:00Z'), TZ)).toBe('2026-05');
    expect(monthToReconcile(new Date('2026-05-01T17:00:00Z'), 'UTC')).toBe('2026-04');
  });
});
