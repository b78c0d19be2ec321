import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;
let admin: string;
let street: string;
let community: string;

const newUser = (username: string, overrides: Record<string, unknown> = {}) => ({
  username,
  displayName: `用户 ${username}`,
  role: 'grid_worker',
  scope: { kind: 'org', code: '110101001001001' },
  password: 'a-good-password',
  ...overrides,
});

const usernames = (body: { items: { username: string }[] }) => body.items.map((u) => u.username).sort();

beforeAll(async () => {
  api = await createTestApi();
  admin = await api.login(DEMO_TENANT, 'admin');
  street = await api.login(DEMO_TENANT, 'street');
  community = await api.login(DEMO_TENANT, 'community');
});

describe('user management', () => {
  it('lets a city admin create a user, audited with who, when and which request', async () => {
    const created = await api.call('POST', '/v1/users', {
      token: admin,
      body: newUser('wang.wei'),
      headers: { 'x-request-id': 'req-create-wang' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: 'wang.wei',
      role: 'grid_worker',
      status: 'active',
      version: 1,
    });
    expect(created.body).not.toHaveProperty('password');

    const audit = await api.call('GET', '/v1/audit', { token: admin });
    expect(audit.status).toBe(200);
    const entry = audit.body.items.find((e: { requestId: string }) => e.requestId === 'req-create-wang');
    expect(entry).toMatchObject({
      action: 'user.create',
      actor: { role: 'city_admin' },
      target: { type: 'user', id: created.body.id },
      at: '2026-05-01T00:00:00.000Z',
    });
    expect(JSON.stringify(entry)).not.toContain('a-good-password');
  });

  it('refuses a taken username and writes nothing', async () => {
    const auditBefore = (await api.call('GET', '/v1/audit?limit=100', { token: admin })).body.items.length;
    const again = await api.call('POST', '/v1/users', {
      token: admin,
      body: newUser('wang.wei', { displayName: 'x' }),
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_exists', details: { field: 'username' } });
    const auditAfter = (await api.call('GET', '/v1/audit?limit=100', { token: admin })).body.items.length;
    expect(auditAfter).toBe(auditBefore);
  });

  it('refuses a scope that does not fit the role, and the platform operator role', async () => {
    const mismatch = await api.call('POST', '/v1/users', {
      token: admin,
      body: newUser('li.na', { role: 'street_center', scope: { kind: 'org', code: '110101001001' } }),
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toMatchObject({
      code: 'validation_failed',
      details: { code: 'scope_mismatch' },
    });
    const operator = await api.call('POST', '/v1/users', {
      token: admin,
      body: newUser('li.na', { role: 'platform_operator', scope: { kind: 'platform' } }),
    });
    expect(operator.status).toBe(400);
    const login = await api.call('POST', '/v1/auth/login', {
      body: { tenantId: DEMO_TENANT, username: 'li.na', password: 'a-good-password' },
    });
    expect(login.status).toBe(401);
  });

  it('shows a street sub-center only the users beneath its street, and a community only its own', async () => {
    await api.call('POST', '/v1/users', {
      token: admin,
      body: newUser('other.street', { role: 'street_center', scope: { kind: 'org', code: '110101002' } }),
    });
    const seenByStreet = await api.call('GET', '/v1/users?limit=100', { token: street });
    expect(seenByStreet.status).toBe(200);
    expect(usernames(seenByStreet.body)).toEqual(['community', 'gridworker', 'street', 'wang.wei']);
    const seenByCommunity = await api.call('GET', '/v1/users?limit=100', { token: community });
    expect(usernames(seenByCommunity.body)).toEqual(['community', 'gridworker', 'wang.wei']);
    const everyone = await api.call('GET', '/v1/users?limit=100', { token: admin });
    expect(usernames(everyone.body)).toContain('other.street');
    expect(usernames(everyone.body)).toContain('urbanmgmt');
  });

  it('refuses a center a user outside its place with 403, and any write', async () => {
    const everyone = (await api.call('GET', '/v1/users?limit=100', { token: admin })).body.items as {
      id: string;
      username: string;
    }[];
    const outside = everyone.find((u) => u.username === 'other.street') as { id: string };
    const inside = everyone.find((u) => u.username === 'gridworker') as { id: string };
    expect((await api.call('GET', `/v1/users/${inside.id}`, { token: street })).status).toBe(200);
    const denied = await api.call('GET', `/v1/users/${outside.id}`, { token: street });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    const write = await api.call('POST', '/v1/users', { token: street, body: newUser('sneaky') });
    expect(write.status).toBe(403);
    expect((await api.call('GET', '/v1/audit', { token: street })).status).toBe(403);
    const gridWorker = await api.login(DEMO_TENANT, 'gridworker');
    expect((await api.call('GET', '/v1/users', { token: gridWorker })).status).toBe(403);
  });

  it('pages through users exactly once each', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call('GET', `/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: admin,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((u: { username: string }) => u.username));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = (await api.call('GET', '/v1/users?limit=100', { token: admin })).body.items.length;
    expect(seen).toHaveLength(all);
    expect(new Set(seen).size).toBe(all);
    const bad = await api.call('GET', '/v1/users?cursor=garbage', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
  });

  it('changes role and scope with optimistic locking, and new tokens carry them', async () => {
    const user = (await api.call('POST', '/v1/users', { token: admin, body: newUser('zhao.lei') })).body;
    const promoted = await api.call('PATCH', `/v1/users/${user.id}`, {
      token: admin,
      body: {
        version: user.version,
        role: 'community_station',
        scope: { kind: 'org', code: '110101001001' },
      },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'community_station', version: 2 });
    const stale = await api.call('PATCH', `/v1/users/${user.id}`, {
      token: admin,
      body: { version: user.version, displayName: 'lost update' },
    });
    expect(stale.status).toBe(409);
    const token = await api.login(DEMO_TENANT, 'zhao.lei', 'a-good-password');
    const me = await api.call('GET', '/v1/me', { token });
    expect(me.body).toMatchObject({
      role: 'community_station',
      scope: { kind: 'org', code: '110101001001' },
    });
    const empty = await api.call('PATCH', `/v1/users/${user.id}`, { token: admin, body: { version: 2 } });
    expect(empty.status).toBe(400);
  });

  it('does not let an admin disable itself', async () => {
    const me = (await api.call('GET', '/v1/me', { token: admin })).body;
    const response = await api.call('POST', `/v1/users/${me.id}/disable`, { token: admin });
    expect(response.status).toBe(400);
    expect((await api.call('GET', '/v1/me', { token: admin })).status).toBe(200);
  });
});
