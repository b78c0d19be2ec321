import {
  decideWhistle,
  defaultWhistleSettings,
  evolveWhistle,
  newId,
  type Role,
  type WhistleActor,
  type WhistleCommandInput,
  type WhistleState,
} from '@civicgrid/domain';

// Test support only: whistles made by the whistle machine itself, for the console's tests.

const person = (userId: string, role: Role, scope: WhistleActor['scope']): WhistleActor => ({
  tenantId: 'demo-city',
  userId,
  role,
  scope,
});
const dept = (id: string) => person(`dp-${id}`, 'department', { kind: 'department', departmentId: id });
export const actors = {
  district: person('dc', 'district_center', { kind: 'org', code: '110101' }),
  street: person('sc', 'street_center', { kind: 'org', code: '110101001' }),
  community: person('cs', 'community_station', { kind: 'org', code: '110101001002' }),
  urbanMgmt: dept('urban-mgmt'),
  police: dept('police'),
  traffic: dept('traffic'),
};
const start = Date.parse('2026-03-02T01:00:00.000Z');
export const at = (minutes: number) => new Date(start + minutes * 60_000);
const point: [number, number] = [116.41, 39.91];
export const run = (
  state: WhistleState | undefined,
  command: WhistleCommandInput,
  actor: WhistleActor,
  now: Date,
) =>
  decideWhistle(state, command, actor, now, defaultWhistleSettings).events.reduce(
    evolveWhistle,
    state,
  ) as WhistleState;

/** A key whistle from draft to closed, each state with the time it is looked at. */
export const lifeOf = (): [string, WhistleState, Date][] => {
  const states: [string, WhistleState, Date][] = [];
  let s = run(
    undefined,
    {
      type: 'draft',
      whistleId: newId(),
      kind: 'key',
      source: { kind: 'patrol' },
      description: '占道经营',
      categories: ['E05-04'],
      commonality: 'individual',
      location: { point, gridCode: '110101001002003' },
      departments: [
        { departmentId: 'urban-mgmt', kind: 'resident' },
        { departmentId: 'police', kind: 'resident' },
      ],
    },
    actors.street,
    at(0),
  );
  states.push(['draft', s, at(1)]);
  s = run(s, { type: 'file' }, actors.street, at(1));
  s = run(s, { type: 'approve' }, actors.district, at(2));
  s = run(s, { type: 'blow' }, actors.street, at(3));
  states.push(['blown', s, at(4)]);
  s = run(s, { type: 'report', position: point }, actors.urbanMgmt, at(5));
  s = run(s, { type: 'report', position: point }, actors.police, at(6));
  states.push(['reported', s, at(7)]);
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
    at(8),
  );
  states.push(['acting', s, at(9)]);
  s = run(s, { type: 'close', feedback: '已处理' }, actors.street, at(10));
  states.push(['closed', s, at(11)]);
  return states;
};
