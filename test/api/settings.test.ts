import { WorkingCalendar } from '@civicgrid/domain';
import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

let api: TestApi;
let admin: string;
let street: string;

beforeAll(async () => {
  api = await createTestApi();
  admin = await api.login(DEMO_TENANT, 'admin');
  street = await api.login(DEMO_TENANT, 'street');
});

/** A city that works mornings only and takes 4 and 5 May 2026 off. */
const mornings = {
  timeZone: 'Asia/Shanghai',
  workingHours: [{ start: '08:00', end: '12:00' }],
  weekendDays: [6, 0],
  years: { '2026': { holidays: ['2026-05-04', '2026-05-05'], workdays: [] } },
};

describe('the working calendar', () => {
  it('is the national one until the city sets its own', async () => {
    const current = await api.call('GET', '/v1/settings/calendar', { token: street });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ version: 0, isDefault: true });
    expect(current.body.calendar.years['2026'].holidays).toContain('2026-10-01');
  });

  it('is set by the city admin only, with optimistic locking and validation', async () => {
    expect(
      (
        await api.call('PUT', '/v1/settings/calendar', {
          token: street,
          body: { version: 0, calendar: mornings },
        })
      ).status,
    ).toBe(403);
    const bad = await api.call('PUT', '/v1/settings/calendar', {
      token: admin,
      body: { version: 0, calendar: { ...mornings, workingHours: [{ start: '25:00', end: '26:00' }] } },
    });
    expect(bad.status).toBe(400);
    const set = await api.call('PUT', '/v1/settings/calendar', {
      token: admin,
      body: { version: 0, calendar: mornings },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ version: 1, isDefault: false });
    const stale = await api.call('PUT', '/v1/settings/calendar', {
      token: admin,
      body: { version: 0, calendar: mornings },
    });
    expect(stale.status).toBe(409);
  });

  it('is what case deadlines count in', async () => {
    // Saturday 2 May 2026, 10:00 in Beijing: the next working morning is Wednesday 6 May.
    api.clock.set('2026-05-02T02:00:00Z');
    const token = await api.login(DEMO_TENANT, 'gridworker');
    const unit = (await api.call('GET', '/v1/org/units/110101001001001', { token })).body;
    const ring = unit.geometry.coordinates[0] as [number, number][];
    let point: [number, number] | undefined;
    for (const [lon, lat] of ring.slice(0, -1)) {
      const centroidish: [number, number] = [
        (lon + ring.reduce((s, p) => s + p[0], 0) / ring.length) / 2,
        (lat + ring.reduce((s, p) => s + p[1], 0) / ring.length) / 2,
      ];
      const located = await api.call('GET', `/v1/org/locate?lon=${centroidish[0]}&lat=${centroidish[1]}`, {
        token,
      });
      if (located.body?.grid?.code === '110101001001001') {
        point = centroidish;
        break;
      }
    }
    expect(point).toBeDefined();
    const reported = await api.call('POST', '/v1/cases', {
      token,
      body: { channel: 'patrol', description: '井盖破损', location: { point } },
    });
    expect(reported.status).toBe(201);
    const detail = await api.call('GET', `/v1/cases/${reported.body.caseId}`, { token });
    const expected = new WorkingCalendar(mornings).addTime(new Date('2026-05-02T02:00:00Z'), {
      amount: 1,
      unit: 'hours',
      basis: 'working',
    });
    expect(detail.body.deadline.step).toBe('register');
    expect(detail.body.deadline.dueAt).toBe(expected.toISOString());
    expect(detail.body.deadline.dueAt.startsWith('2026-05-06')).toBe(true);
  });
});
