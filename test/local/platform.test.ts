import { newId } from '@civicgrid/domain';
import { DEMO_PASSWORD, type LocalPlatform, startLocalPlatform } from '@civicgrid/local';
import { type DomainEvent, InProcessEventPublisher } from '@civicgrid/queue';
import { timelineKey } from '@civicgrid/workers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

let platform: LocalPlatform;

beforeAll(async () => {
  platform = await startLocalPlatform({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `platform-${newId().toLowerCase()}`,
    pollIntervalMs: 20,
  });
});

afterAll(() => platform?.stop());

const eventually = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('local platform', () => {
  it('serves the API over HTTP with its documentation', async () => {
    const health = await fetch(`${platform.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const docs = await fetch(`${platform.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
  });

  it('feeds published events to the same worker Lambda runs, which records them in DynamoDB', async () => {
    const event: DomainEvent = {
      id: newId(),
      type: 'case.created',
      tenantId: 'demo-city',
      aggregate: { type: 'case', id: newId() },
      occurredAt: new Date().toISOString(),
      payload: { title: 'manhole cover missing' },
    };
    await new InProcessEventPublisher(platform.queues.events.queue).publish([event]);
    const stored = await eventually(() =>
      platform.store.tenant('demo-city').get<DomainEvent>(timelineKey(event)),
    );
    expect(stored.data).toEqual(event);
    await eventually(async () => (platform.queues.events.queue.size() === 0 ? true : undefined));
    expect(platform.queues.events.deadLetterQueue.size()).toBe(0);
  });

  it('staffs every demo grid, the grid worker on its own grid, through the API', async () => {
    const signIn = async (username: string) => {
      const response = await fetch(`${platform.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: 'demo-city', username, password: DEMO_PASSWORD }),
      });
      return (await response.json()) as { token: string; user: { id: string } };
    };
    const worker = await signIn('gridworker');
    const unit = async (code: string) =>
      (await (
        await fetch(`${platform.url}/v1/org/units/${code}`, {
          headers: { authorization: `Bearer ${worker.token}` },
        })
      ).json()) as {
        staffing: { model: string; complete: boolean };
        roster: { fullTime: { userId?: string }[] };
        supervisors: string[];
      };
    const own = await unit('110101001001001');
    expect(own.staffing).toMatchObject({ model: '4+X', complete: true });
    expect(own.roster.fullTime[0]?.userId).toBe(worker.user.id);
    expect(own.supervisors).toHaveLength(1);
  });
});
