import { DEMO_TENANT } from '@civicgrid/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/** What a whistle offers each caller (`allowedCommands`) against what the command route accepts. */

let api: TestApi;
const users = ['admin', 'district', 'street', 'community', 'gridworker', 'urbanmgmt', 'citizen'] as const;
type User = (typeof users)[number];
const tokens = {} as Record<User, string>;
let point: [number, number];
let evidenceId: string;
const GRID = '110101001001001';

type Body = Record<string, unknown>;
const command = (who: User, id: string, body: Body) =>
  api.call('POST', `/v1/whistles/${id}/commands`, { token: tokens[who], body });

const officers = [
  { userId: 'officer-1', departmentId: 'urban-enforcement' },
  { userId: 'officer-2', departmentId: 'urban-enforcement' },
];
const samples = (): Body[] => [
  { type: 'file' },
  { type: 'approve' },
  { type: 'return', reason: '补充材料 more' },
  { type: 'reject', reason: '不需吹哨 no' },
  { type: 'blow' },
  { type: 'acknowledge' },
  { type: 'report', position: point },
  { type: 'flagMissing' },
  {
    type: 'recordAction',
    description: '联合执法 joint action',
    power: '责令改正',
    competentDepartmentId: 'urban-enforcement',
    officers,
    evidenceIds: [evidenceId],
  },
  { type: 'close', feedback: '已办结 done' },
  { type: 'evaluate', departmentId: 'urban-enforcement', response: 5, attitude: 5, result: 4 },
  { type: 'rateWhistle', score: 4, withoutCause: false },
  { type: 'archive' },
];

/** The whistle's life: each step taken by whom, after checking what everyone is offered. */
const life: { who: User; body: () => Body; to: string }[] = [
  { who: 'street', body: () => ({ type: 'file' }), to: 'filed' },
  { who: 'district', body: () => ({ type: 'approve' }), to: 'approved' },
  { who: 'street', body: () => ({ type: 'blow' }), to: 'blown' },
  { who: 'urbanmgmt', body: () => ({ type: 'acknowledge' }), to: 'blown' },
  { who: 'urbanmgmt', body: () => ({ type: 'report', position: point }), to: 'blown' },
  {
    who: 'street',
    body: () => ({
      type: 'recordAction',
      description: '联合执法 joint action',
      power: '责令改正',
      competentDepartmentId: 'urban-enforcement',
      officers,
      evidenceIds: [evidenceId],
    }),
    to: 'acting',
  },
  { who: 'street', body: () => ({ type: 'close', feedback: '已办结 done' }), to: 'closed' },
  {
    who: 'street',
    body: () => ({
      type: 'evaluate',
      departmentId: 'urban-enforcement',
      response: 5,
      attitude: 5,
      result: 4,
    }),
    to: 'closed',
  },
  { who: 'street', body: () => ({ type: 'archive' }), to: 'archived' },
];

beforeAll(async () => {
  api = await createTestApi();
  for (const who of users) tokens[who] = await api.login(DEMO_TENANT, who);
  point = await api.pointInGrid(GRID, tokens.admin);
  const bytes = new Uint8Array(512).fill(3);
  const ticket = await api.call('POST', '/v1/attachments', {
    token: tokens.street,
    body: { contentType: 'image/jpeg', sizeBytes: bytes.length, fileName: 'site.jpg' },
  });
  await api.app.request(ticket.body.uploadUrl, { method: 'PUT', headers: ticket.body.headers, body: bytes });
  evidenceId = ticket.body.attachmentId;
});

describe('the commands a whistle offers its caller', () => {
  it('lists the step each role takes, and the API refuses every command it does not list', async () => {
    const drafted = await api.call('POST', '/v1/whistles', {
      token: tokens.street,
      body: {
        kind: 'key',
        source: { kind: 'patrol' },
        description: '占道经营需联合执法 Street vending needs a joint action',
        categories: ['E03-01'],
        commonality: 'individual',
        location: { point, gridCode: GRID },
        departments: [{ departmentId: 'urban-enforcement', kind: 'resident' }],
      },
    });
    expect(drafted.status).toBe(201);
    const id = drafted.body.id as string;
    const mismatches: string[] = [];
    for (const step of [...life, undefined]) {
      for (const who of users) {
        const shown = await api.call('GET', `/v1/whistles/${id}`, { token: tokens[who] });
        const listed: string[] = shown.status === 200 ? shown.body.allowedCommands : [];
        for (const body of samples()) {
          if (listed.includes(body.type as string)) continue;
          const refused = await command(who, id, body);
          if (refused.status === 200)
            mismatches.push(`${step?.to ?? 'archived'} ${who} ${body.type}: accepted`);
        }
      }
      if (!step) break;
      const before = (await api.call('GET', `/v1/whistles/${id}`, { token: tokens[step.who] })).body;
      const body = step.body();
      if (!before.allowedCommands.includes(body.type))
        mismatches.push(`${step.who} ${body.type}: not listed`);
      const moved = await command(step.who, id, body);
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body.status).toBe(step.to);
    }
    expect(mismatches).toEqual([]);
    // The archive is read-only: nothing is offered to anyone.
    const archived = await api.call('GET', `/v1/whistles/${id}`, { token: tokens.street });
    expect(archived.body.allowedCommands).toEqual([]);
  }, 300_000);
});
