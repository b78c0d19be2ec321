import { newId } from '@civicgrid/domain';
import { type LocalPlatform, startLocalPlatform } from '@civicgrid/local';
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
});
