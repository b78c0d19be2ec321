import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from './api';
import { departmentsOf, forgetDepartments } from './data';
import type { Session } from './session';

const session: Session = {
  tenantId: 'demo-city',
  token: 'data-test',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  user: { id: 'u1', username: 'admin', displayName: 'Admin', role: 'city_admin', scope: { kind: 'tenant' } },
};

const department = (id: string) => ({ id, name: id, kind: 'resident', code: id });

describe('reference data', () => {
  it('reads every page of departments once, and again after the admin changed them', async () => {
    const get = vi.fn(async (path: string) =>
      path.includes('cursor=')
        ? { items: [department('b')] }
        : { items: [department('a')], nextCursor: 'next page' },
    );
    const api = { get } as unknown as ApiClient;
    expect((await departmentsOf(api, session)).map((d) => d.id)).toEqual(['a', 'b']);
    expect(get.mock.calls.map(([path]) => path)).toEqual([
      '/v1/departments',
      '/v1/departments?cursor=next%20page',
    ]);
    await departmentsOf(api, session);
    expect(get).toHaveBeenCalledTimes(2);
    forgetDepartments(session);
    await departmentsOf(api, session);
    expect(get).toHaveBeenCalledTimes(4);
  });
});
