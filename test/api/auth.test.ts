import { LocalIssuer } from '@civicgrid/auth';
import { CONSOLE_AUDIENCE, DEMO_TENANT, demoUsers, LOCAL_ISSUER } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi();
});

describe('local login', () => {
  it('issues working tokens for the seeded demo user of every role', async () => {
    for (const user of demoUsers) {
      const token = await api.login(user.tenantId, user.username);
      const me = await api.call('GET', '/v1/me', { token });
      expect(me.status, user.username).toBe(200);
      expect(me.body).toMatchObject({
        username: user.username,
        role: user.role,
        scope: user.scope,
        status: 'active',
      });
    }
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await api.call('POST', '/v1/auth/login', {
      body: { tenantId: DEMO_TENANT, username: 'admin', password: 'not-the-password' },
      headers: { 'x-test-ip': '10.0.0.1' },
    });
    const unknown = await api.call('POST', '/v1/auth/login', {
      body: { tenantId: DEMO_TENANT, username: 'nobody', password: 'whatever-it-is' },
      headers: { 'x-test-ip': '10.0.0.1' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('does not let a user of one tenant sign in to another', async () => {
    const response = await api.call('POST', '/v1/auth/login', {
      body: { tenantId: 'other-city', username: 'admin', password: 'civicgrid-demo' },
    });
    expect(response.status).toBe(401);
  });
});

describe('rate limits', () => {
  it('stop guessing one account’s password, with Retry-After', async () => {
    const attempt = (ip: string) =>
      api.call('POST', '/v1/auth/login', {
        body: { tenantId: DEMO_TENANT, username: 'community', password: 'guess-guess-guess' },
        headers: { 'x-test-ip': ip },
      });
    api.clock.advance(5 * 60 * 1000); // a fresh window: the first test signed this account in already
    // From many addresses: the per-account limit still holds.
    for (let i = 0; i < 5; i += 1) expect((await attempt(`10.1.0.${i}`)).status).toBe(401);
    const blocked = await attempt('10.1.0.99');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    api.clock.advance(5 * 60 * 1000);
    expect((await attempt('10.1.0.100')).status).toBe(401);
  });

  it('stop one address from spraying many accounts', async () => {
    const attempt = (n: number) =>
      api.call('POST', '/v1/auth/login', {
        body: { tenantId: DEMO_TENANT, username: `sprayed-${n}`, password: 'guess-guess-guess' },
        headers: { 'x-test-ip': '10.2.0.1' },
      });
    for (let n = 0; n < 30; n += 1) expect((await attempt(n)).status).toBe(401);
    expect((await attempt(30)).status).toBe(429);
    const other = await api.call('POST', '/v1/auth/login', {
      body: { tenantId: DEMO_TENANT, username: 'sprayed-x', password: 'guess-guess-guess' },
      headers: { 'x-test-ip': '10.2.0.2' },
    });
    expect(other.status).toBe(401);
  });
});

describe('token checks', () => {
  it('require a bearer token on every non-public route', async () => {
    const response = await api.call('GET', '/v1/me');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
    expect((await api.call('GET', '/v1/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('refuse expired tokens', async () => {
    const token = await api.login(DEMO_TENANT, 'street');
    api.clock.advance(2 * 60 * 60 * 1000);
    const response = await api.call('GET', '/v1/me', { token });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('token_expired');
  });

  it('refuse tokens signed by another key or for another audience', async () => {
    const me = (await api.call('GET', '/v1/me', { token: await api.login(DEMO_TENANT, 'street') })).body;
    const principal = { tenantId: DEMO_TENANT, userId: me.id, role: me.role, scope: me.scope };
    const impostor = await LocalIssuer.create({
      issuer: LOCAL_ISSUER,
      audience: CONSOLE_AUDIENCE,
      clock: api.clock,
    });
    const forged = await api.call('GET', '/v1/me', { token: (await impostor.sign(principal)).token });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('invalid_token');
    const sameKeyOtherAudience = await LocalIssuer.create({
      issuer: LOCAL_ISSUER,
      audience: 'another-client',
      keyFile: api.keyFile,
      clock: api.clock,
    });
    const wrongAudience = await api.call('GET', '/v1/me', {
      token: (await sameKeyOtherAudience.sign(principal)).token,
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body.error.code).toBe('invalid_token');
    // The control: the same key and the right audience pass.
    const sameKey = await LocalIssuer.create({
      issuer: LOCAL_ISSUER,
      audience: CONSOLE_AUDIENCE,
      keyFile: api.keyFile,
      clock: api.clock,
    });
    expect((await api.call('GET', '/v1/me', { token: (await sameKey.sign(principal)).token })).status).toBe(
      200,
    );
  });

  it('refuse a disabled user’s token at once, and its next login', async () => {
    const admin = await api.login(DEMO_TENANT, 'admin');
    const created = await api.call('POST', '/v1/users', {
      token: admin,
      body: {
        username: 'soon-disabled',
        displayName: '临时 Temp',
        role: 'grid_worker',
        scope: { kind: 'org', code: '110101001001002' },
        password: 'temporary-password',
      },
    });
    expect(created.status).toBe(201);
    const token = await api.login(DEMO_TENANT, 'soon-disabled', 'temporary-password');
    expect((await api.call('GET', '/v1/me', { token })).status).toBe(200);

    const disabled = await api.call('POST', `/v1/users/${created.body.id}/disable`, { token: admin });
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('disabled');
    const refused = await api.call('GET', '/v1/me', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('user_disabled');
    const relogin = await api.call('POST', '/v1/auth/login', {
      body: { tenantId: DEMO_TENANT, username: 'soon-disabled', password: 'temporary-password' },
      headers: { 'x-test-ip': '10.9.9.9' },
    });
    expect(relogin.status).toBe(401);

    expect((await api.call('POST', `/v1/users/${created.body.id}/enable`, { token: admin })).status).toBe(
      200,
    );
    expect((await api.call('GET', '/v1/me', { token })).status).toBe(200);
  });

  it('publish the issuer’s public keys only', async () => {
    const jwks = await api.call('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });
});
