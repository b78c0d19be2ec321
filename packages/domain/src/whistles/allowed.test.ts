import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { Role } from '../identity/roles';
import { newId } from '../ids';
import { allowedWhistleCommands, type WhistleActionType } from './allowed';
import type { WhistleCommandInput } from './commands';
import { decideWhistle, evolveWhistle, type WhistleActor } from './machine';
import { defaultWhistleSettings } from './settings';
import type { WhistleState } from './whistle';

// Moved here from the console (web/src/whistles.test.ts), which now shows the API's list.
const person = (userId: string, role: Role, scope: WhistleActor['scope']): WhistleActor => ({
  tenantId: 'demo-city',
  userId,
  role,
  scope,
});
const dept = (id: string) => person(`dp-${id}`, 'department', { kind: 'department', departmentId: id });
const actors = {
  district: person('dc', 'district_center', { kind: 'org', code: '110101' }),
  otherDistrict: person('dc2', 'district_center', { kind: 'org', code: '110102' }),
  street: person('sc', 'street_center', { kind: 'org', code: '110101001' }),
  otherStreet: person('sc2', 'street_center', { kind: 'org', code: '110101002' }),
  community: person('cs', 'community_station', { kind: 'org', code: '110101001002' }),
  gridWorker: person('gw', 'grid_worker', { kind: 'org', code: '110101001002003' }),
  urbanMgmt: dept('urban-mgmt'),
  police: dept('police'),
  traffic: dept('traffic'),
};
const start = Date.parse('2026-03-02T01:00:00.000Z');
const at = (minutes: number) => new Date(start + minutes * 60_000);
const point: [number, number] = [116.41, 39.91];

const run = (state: WhistleState | undefined, command: WhistleCommandInput, actor: WhistleActor, now: Date) =>
  decideWhistle(state, command, actor, now, defaultWhistleSettings).events.reduce(
    evolveWhistle,
    state,
  ) as WhistleState;

const draft = (kind: 'key' | 'emergency'): WhistleCommandInput => ({
  type: 'draft',
  whistleId: newId(),
  kind,
  source: { kind: 'patrol' },
  description: '占道经营',
  categories: ['E05-04'],
  commonality: 'individual',
  location: { point, gridCode: '110101001002003' },
  departments: [
    { departmentId: 'urban-mgmt', kind: 'resident' },
    { departmentId: 'police', kind: 'resident' },
  ],
});

/** A whistle through its life, each state paired with the time it is looked at. */
const lifeOf = (): [string, WhistleState, Date][] => {
  const states: [string, WhistleState, Date][] = [];
  let s = run(undefined, draft('key'), actors.street, at(0));
  states.push(['draft', s, at(1)]);
  s = run(s, { type: 'file' }, actors.street, at(1));
  states.push(['filed', s, at(2)]);
  const returned = run(s, { type: 'return', reason: 'more detail' }, actors.district, at(2));
  states.push(['returned', returned, at(3)]);
  s = run(s, { type: 'approve' }, actors.district, at(2));
  states.push(['approved', s, at(3)]);
  s = run(s, { type: 'blow' }, actors.street, at(3));
  states.push(['blown', s, at(4)]);
  s = run(s, { type: 'acknowledge' }, actors.urbanMgmt, at(4));
  states.push(['acknowledged', s, at(5)]);
  s = run(s, { type: 'report', position: point }, actors.urbanMgmt, at(5));
  states.push(['one reported', s, at(6)]);
  states.push(['one reported, past report-by', s, at(200)]);
  s = run(s, { type: 'flagMissing' }, actors.street, at(200));
  states.push(['flagged', s, at(201)]);
  s = run(
    s,
    {
      type: 'recordAction',
      description: '暂扣经营工具',
      power: '责令改正',
      competentDepartmentId: 'urban-mgmt',
      officers: [
        { userId: 'u1', departmentId: 'urban-mgmt' },
        { userId: 'u2', departmentId: 'urban-mgmt' },
      ],
      evidenceIds: ['photo-1'],
    },
    actors.street,
    at(201),
  );
  states.push(['acting', s, at(202)]);
  s = run(s, { type: 'close', feedback: '已处理' }, actors.street, at(240));
  states.push(['closed', s, at(241)]);
  let community = run(undefined, draft('key'), actors.community, at(0));
  states.push(['community draft', community, at(1)]);
  community = run(community, { type: 'file' }, actors.community, at(1));
  states.push(['community filed', community, at(2)]);
  const emergency = run(
    run(undefined, draft('emergency'), actors.street, at(0)),
    { type: 'file' },
    actors.street,
    at(1),
  );
  states.push(['emergency blown at filing', emergency, at(2)]);
  return states;
};

/** What a caller could send; every summoned department where the choice matters. */
const samples: Record<WhistleActionType, WhistleCommandInput[]> = {
  file: [{ type: 'file' }],
  approve: [{ type: 'approve' }],
  return: [{ type: 'return', reason: 'why' }],
  reject: [{ type: 'reject', reason: 'no' }],
  blow: [{ type: 'blow' }],
  acknowledge: [{ type: 'acknowledge' }],
  report: [{ type: 'report', position: point }],
  flagMissing: [{ type: 'flagMissing' }],
  recordAction: (['urban-mgmt', 'police'] as const).map((departmentId) => ({
    type: 'recordAction',
    description: '联合执法',
    power: '责令改正',
    competentDepartmentId: departmentId,
    officers: [
      { userId: 'u1', departmentId },
      { userId: 'u2', departmentId },
    ],
    evidenceIds: ['photo-2'],
  })),
  followUp: [{ type: 'followUp', caseIds: [newId()] }],
  close: [{ type: 'close', feedback: 'done' }],
  evaluate: (['urban-mgmt', 'police'] as const).map((departmentId) => ({
    type: 'evaluate',
    departmentId,
    response: 5,
    attitude: 4,
    result: 4,
  })),
  rateWhistle: [{ type: 'rateWhistle', score: 4, withoutCause: false }],
  archive: [{ type: 'archive', seq: 1 }],
};

const accepts = (state: WhistleState, command: WhistleCommandInput, actor: WhistleActor, now: Date) => {
  try {
    decideWhistle(state, command, actor, now, defaultWhistleSettings);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
};

describe('allowedWhistleCommands', () => {
  it('lists a command exactly when the whistle machine accepts some way of sending it, for every state × actor', () => {
    const mismatches: string[] = [];
    let accepted = 0;
    const evaluated = (() => {
      const [, closed, now] = lifeOf().find(([name]) => name === 'closed') as [string, WhistleState, Date];
      const once = run(
        closed,
        { type: 'evaluate', departmentId: 'urban-mgmt', response: 5, attitude: 5, result: 5 },
        actors.street,
        now,
      );
      return ['closed, one department evaluated', once, now] as [string, WhistleState, Date];
    })();
    for (const [name, state, now] of [...lifeOf(), evaluated]) {
      for (const [actorName, actor] of Object.entries(actors)) {
        const listed = allowedWhistleCommands(state, actor, now);
        for (const type of Object.keys(samples) as WhistleActionType[]) {
          const ok = samples[type].some((command) => accepts(state, command, actor, now));
          if (ok) accepted += 1;
          if (listed.includes(type) !== ok) mismatches.push(`${name} ${actorName} ${type}: listed ${!ok}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(25);
  });

  it('waits for the report-by time before offering to flag missing departments', () => {
    const life = lifeOf();
    const [, reported, before] = life.find(([name]) => name === 'one reported') as [
      string,
      WhistleState,
      Date,
    ];
    expect(allowedWhistleCommands(reported, actors.street, before)).not.toContain('flagMissing');
    expect(allowedWhistleCommands(reported, actors.street, at(200))).toContain('flagMissing');
  });
});
