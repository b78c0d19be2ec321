import type { LoginIdentity, UserDirectory } from '@civicgrid/auth';
import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/** A directory that can be told to fail the next login it creates, as Cognito might. */
class FlakyDirectory implements UserDirectory {
  failNext = false;
  constructor(private readonly inner: UserDirectory) {}
  async createLogin(identity: LoginIdentity, password?: string) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('directory unavailable');
    }
    return this.inner.createLogin(identity, password);
  }
  updateClaims(identity: LoginIdentity) {
    return this.inner.updateClaims(identity);
  }
  disable(tenantId: string, userId: string) {
    return this.inner.disable(tenantId, userId);
  }
  enable(tenantId: string, userId: string) {
    return this.inner.enable(tenantId, userId);
  }
}

let api: TestApi;
let flaky: FlakyDirectory;
let operator: string;

const onboarding = (overrides: Record<string, unknown> = {}) => ({
  id: 'hangzhou',
  name: '杭州市 Hangzhou',
  divisionCode: '330100',
  timeZone: 'Asia/Shanghai',
  locale: 'zh-CN',
  tier: 'enterprise',
  admin: { username: 'admin', displayName: '管理员', password: 'hangzhou-admin-pw' },
  ...overrides,
});

beforeAll(async () => {
  api = await createTestApi({
    wrapDirectory: (local) => {
      flaky = new FlakyDirectory(local);
      return flaky;
    },
  });
  operator = await api.login('platform', 'operator');
});

describe('tenant onboarding', () => {
  it('leaves nothing behind when a step fails, so a retry starts clean', async () => {
    flaky.failNext = true;
    const failed = await api.call('POST', '/v1/tenants', { token: operator, body: onboarding() });
    expect(failed.status).toBe(500);
    const tenants = await api.call('GET', '/v1/tenants', { token: operator });
    expect(tenants.body.items.map((t: { id: string }) => t.id)).not.toContain('hangzhou');
    expect(
      await api.store.tenant('hangzhou').get({ pk: ['username', 'admin'], sk: ['username'] }),
    ).toBeUndefined();

    const retried = await api.call('POST', '/v1/tenants', { token: operator, body: onboarding() });
    expect(retried.status).toBe(201);
    expect(retried.body.tenant).toMatchObject({ id: 'hangzhou', status: 'active', divisionCode: '330100' });
    expect(retried.body.admin).toMatchObject({
      username: 'admin',
      role: 'city_admin',
      scope: { kind: 'city' },
    });
  });

  it('is idempotent for the same request and refuses another tenant under a taken id', async () => {
    const replay = await api.call('POST', '/v1/tenants', { token: operator, body: onboarding() });
    expect(replay.status).toBe(200);
    expect(replay.body.tenant.id).toBe('hangzhou');
    const clash = await api.call('POST', '/v1/tenants', {
      token: operator,
      body: onboarding({ name: '别的城市' }),
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('already_exists');
  });

  it('validates the tenant', async () => {
    for (const bad of [
      { id: 'platform' },
      { id: 'Has Spaces' },
      { divisionCode: '33010' },
      { timeZone: 'Mars/Olympus' },
      { tier: 'gold' },
    ]) {
      const response = await api.call('POST', '/v1/tenants', {
        token: operator,
        body: onboarding({ id: 'x-city', ...bad }),
      });
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
  });

  it('is for the platform operator only', async () => {
    const admin = await api.login(DEMO_TENANT, 'admin');
    const response = await api.call('POST', '/v1/tenants', {
      token: admin,
      body: onboarding({ id: 'sneaky' }),
    });
    expect(response.status).toBe(403);
  });
});

describe('suspension', () => {
  it('refuses a suspended tenant’s users with a clear code, keeps its data, and resumes', async () => {
    const admin = await api.login('hangzhou', 'admin', 'hangzhou-admin-pw');
    expect((await api.call('GET', '/v1/me', { token: admin })).status).toBe(200);
    const usersBefore = (await api.call('GET', '/v1/users', { token: admin })).body;

    const suspended = await api.call('POST', '/v1/tenants/hangzhou/suspend', { token: operator });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    const refused = await api.call('GET', '/v1/me', { token: admin });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('tenant_suspended');
    const login = await api.call('POST', '/v1/auth/login', {
      body: { tenantId: 'hangzhou', username: 'admin', password: 'hangzhou-admin-pw' },
    });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('tenant_suspended');
    // Other tenants are untouched.
    expect((await api.call('GET', '/v1/me', { token: await api.login(DEMO_TENANT, 'street') })).status).toBe(
      200,
    );

    expect((await api.call('POST', '/v1/tenants/hangzhou/resume', { token: operator })).body.status).toBe(
      'active',
    );
    expect((await api.call('GET', '/v1/users', { token: admin })).body).toEqual(usersBefore);
  });

  it('answers an unknown tenant with 404', async () => {
    const response = await api.call('POST', '/v1/tenants/nowhere/suspend', { token: operator });
    expect(response.status).toBe(404);
  });
});
