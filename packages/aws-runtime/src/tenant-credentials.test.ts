import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { TenantScopedStore } from '@civicgrid/storage';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsDependencies } from './index';
import {
  assumeTenantRole,
  TenantCredentialCache,
  type TenantCredentials,
  tenantScopedClients,
} from './tenant-credentials';

const roleArn = 'arn:aws:iam::123456789012:role/civicgrid-dev-tenant-access';
const start = Date.parse('2026-05-01T00:00:00Z');
const hour = 60 * 60_000;

const sts = mockClient(STSClient);
let issued = 0;
let expiresAt = start + hour;
beforeEach(() => {
  sts.reset();
  issued = 0;
  expiresAt = start + hour;
  sts.on(AssumeRoleCommand).callsFake(async (input: { Tags: { Value: string }[] }) => {
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `AKIA-${input.Tags[0]?.Value}-${issued}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(expiresAt),
      },
    };
  });
});

const assumeCalls = () => sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);

describe('assumeTenantRole', () => {
  it('assumes the tenant role tagged with the tenant, named after it', async () => {
    const credentials = await assumeTenantRole({ sts: new STSClient({}), roleArn })('demo-city');
    expect(credentials).toEqual({
      accessKeyId: 'AKIA-demo-city-1',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(start + hour),
    });
    expect(assumeCalls()).toEqual([
      {
        RoleArn: roleArn,
        RoleSessionName: 'tenant-demo-city',
        Tags: [{ Key: 'tenant', Value: 'demo-city' }],
        DurationSeconds: 3600,
      },
    ]);
  });

  it('fails when STS answers without credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    await expect(assumeTenantRole({ sts: new STSClient({}), roleArn })('demo-city')).rejects.toThrow(
      /returned no credentials/,
    );
  });
});

describe('TenantCredentialCache', () => {
  const cacheAt = (clock: { now: number }, options = {}) =>
    new TenantCredentialCache(assumeTenantRole({ sts: new STSClient({}), roleArn }), {
      now: () => clock.now,
      ...options,
    });

  it('assumes the role once per tenant while the credentials are fresh', async () => {
    const clock = { now: start };
    const cache = cacheAt(clock);
    const first = await cache.get('demo-city');
    clock.now = start + 50 * 60_000;
    expect(await cache.get('demo-city')).toBe(first);
    const other = await cache.get('other-city');
    expect(other.accessKeyId).toBe('AKIA-other-city-2');
    expect(assumeCalls().map((input) => input.Tags?.[0]?.Value)).toEqual(['demo-city', 'other-city']);
  });

  it('never hands one tenant the credentials of another', async () => {
    const cache = cacheAt({ now: start });
    const [a, b, a2] = await Promise.all([cache.get('city-a'), cache.get('city-b'), cache.get('city-a')]);
    expect(a.accessKeyId).toContain('city-a');
    expect(b.accessKeyId).toContain('city-b');
    expect(a2).toBe(a);
  });

  it('shares one AssumeRole between concurrent requests of a tenant', async () => {
    const cache = cacheAt({ now: start });
    const all = await Promise.all(Array.from({ length: 10 }, () => cache.get('demo-city')));
    expect(new Set(all).size).toBe(1);
    expect(assumeCalls()).toHaveLength(1);
  });

  it('refreshes credentials five minutes before they expire', async () => {
    const clock = { now: start + hour - 5 * 60_000 - 1 };
    const cache = cacheAt(clock);
    const first = await cache.get('demo-city');
    expect(await cache.get('demo-city')).toBe(first);
    clock.now += 1;
    const refreshed = await cache.get('demo-city');
    expect(refreshed).not.toBe(first);
    expect(assumeCalls()).toHaveLength(2);
  });

  it('does not keep a failed fetch: the next request tries again', async () => {
    const cache = cacheAt({ now: start });
    sts.on(AssumeRoleCommand).rejectsOnce(new Error('throttled'));
    await expect(cache.get('demo-city')).rejects.toThrow('throttled');
    expect(cache.size).toBe(0);
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'AKIA-again',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(start + hour),
      },
    });
    expect((await cache.get('demo-city')).accessKeyId).toBe('AKIA-again');
  });

  it('keeps at most maxTenants, dropping the least recently fetched', async () => {
    const cache = cacheAt({ now: start }, { maxTenants: 2 });
    await cache.get('city-a');
    await cache.get('city-b');
    await cache.get('city-c');
    expect(cache.size).toBe(2);
    await cache.get('city-b');
    await cache.get('city-a');
    expect(assumeCalls().map((input) => input.Tags?.[0]?.Value)).toEqual([
      'city-a',
      'city-b',
      'city-c',
      'city-a',
    ]);
  });
});

describe('tenantScopedClients', () => {
  it('signs each tenant client with that tenant’s cached credentials, and reuses the client', async () => {
    const credentials: Record<string, TenantCredentials> = {};
    const cache = new TenantCredentialCache(async (tenantId) => {
      credentials[tenantId] = {
        accessKeyId: `key-${tenantId}`,
        secretAccessKey: 's',
        sessionToken: 't',
        expiration: new Date(Date.now() + hour),
      };
      return credentials[tenantId];
    });
    const clientFor = tenantScopedClients(cache);
    const client = clientFor('city-a');
    expect(clientFor('city-a')).toBe(client);
    const resolved = await client.config.credentials({});
    expect(resolved.accessKeyId).toBe('key-city-a');
    expect((await clientFor('city-b').config.credentials({})).accessKeyId).toBe('key-city-b');
  });
});

describe('awsDependencies', () => {
  const env = {
    AWS_REGION: 'cn-north-1',
    TABLE_NAME: 'civicgrid',
    EVENTS_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/events.fifo',
    TENANT_ROLE_ARN: roleArn,
  };

  it('gives every tenant store a client of its own tenant, and the rate limiter the function’s own', async () => {
    // The SDK checks expiry against the real clock.
    expiresAt = Date.now() + hour;
    const { store } = awsDependencies(env);
    expect(store).toBeInstanceOf(TenantScopedStore);
    const clientOf = (tenantId: string) =>
      (store.tenant(tenantId) as unknown as { client: typeof store.client }).client;
    expect(clientOf('demo-city')).not.toBe(store.client);
    expect(clientOf('demo-city')).toBe(clientOf('demo-city'));
    expect(clientOf('platform')).not.toBe(clientOf('demo-city'));
    expect((await clientOf('platform').config.credentials({})).accessKeyId).toBe('AKIA-platform-1');
    expect(assumeCalls()[0]?.RoleArn).toBe(roleArn);
  });

  it('refuses to start without the tenant role', () => {
    expect(() => awsDependencies({ ...env, TENANT_ROLE_ARN: undefined })).toThrow(/TENANT_ROLE_ARN/);
  });
});
