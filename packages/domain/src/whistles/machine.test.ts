import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { Role } from '../identity/roles';
import { newId } from '../ids';
import type { WhistleCommandInput } from './commands';
import type { WhistleEvent } from './events';
import {
  decideWhistle,
  evolveWhistle,
  replayWhistle,
  type WhistleActor,
  whistleTransitions,
} from './machine';
import { defaultWhistleSettings, WhistleSettingsSchema } from './settings';
import { followUpCaseIds, type WhistleKind, type WhistleState } from './whistle';

const tenantId = 'demo-city';
const street = '110101001';
const community = '110101001002';
const grid = '110101001002003';
const point: [number, number] = [116.41, 39.91];
const near: [number, number] = [116.4101, 39.9101];
// About 850 m east of the point at this latitude.
const far: [number, number] = [116.42, 39.91];

const person = (userId: string, role: Role, scope: WhistleActor['scope']): WhistleActor => ({
  tenantId,
  userId,
  role,
  scope,
});
const dept = (id: string) => person(`dp-${id}`, 'department', { kind: 'department', departmentId: id });
const actors = {
  district: person('dc', 'district_center', { kind: 'org', code: '110101' }),
  otherDistrict: person('dc2', 'district_center', { kind: 'org', code: '110102' }),
  street: person('sc', 'street_center', { kind: 'org', code: street }),
  otherStreet: person('sc2', 'street_center', { kind: 'org', code: '110101002' }),
  community: person('cs', 'community_station', { kind: 'org', code: community }),
  gridWorker: person('gw', 'grid_worker', { kind: 'org', code: grid }),
  citizen: person('ct', 'citizen', { kind: 'self' }),
  urbanMgmt: dept('urban-mgmt'),
  police: dept('police'),
  marketReg: dept('market-reg'),
  traffic: dept('traffic'),
};

const start = Date.parse('2026-03-02T01:00:00.000Z');
const at = (minutes: number): Date => new Date(start + minutes * 60_000);

const run = (
  state: WhistleState | undefined,
  command: WhistleCommandInput,
  actor: WhistleActor,
  now: Date,
): WhistleState =>
  decideWhistle(state, command, actor, now, defaultWhistleSettings).events.reduce(
    evolveWhistle,
    state,
  ) as WhistleState;

const refusal = (action: () => unknown): AppError => {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the command to be refused');
};
const codeOf = (error: AppError): unknown => (error.details as { code?: unknown } | undefined)?.code;

const draftCommand = (kind: WhistleKind = 'key', gridCode = grid): WhistleCommandInput => ({
  type: 'draft',
  whistleId: newId(),
  kind,
  source: { kind: 'case', ref: newId() },
  description: '违建占道经营，多部门执法',
  categories: ['E01-01'],
  commonality: 'individual',
  location: { point, gridCode, address: '东城区某胡同 1 号' },
  departments: [
    { departmentId: 'urban-mgmt', kind: 'resident' },
    { departmentId: 'police', kind: 'resident' },
    { departmentId: 'market-reg', kind: 'on_call' },
  ],
});

const filed = (kind: WhistleKind = 'key'): WhistleState =>
  run(run(undefined, draftCommand(kind), actors.street, at(0)), { type: 'file' }, actors.street, at(1));
const blown = (): WhistleState =>
  run(run(filed(), { type: 'approve' }, actors.district, at(2)), { type: 'blow' }, actors.street, at(3));

describe('whistle machine', () => {
  it('runs the demo scenario from filing to archive, then refuses everything', () => {
    const log: WhistleEvent[] = [];
    const step = (
      state: WhistleState | undefined,
      command: WhistleCommandInput,
      actor: WhistleActor,
      now: Date,
    ) => {
      const { events } = decideWhistle(state, command, actor, now, defaultWhistleSettings);
      log.push(...events);
      return events.reduce(evolveWhistle, state) as WhistleState;
    };
    let s = step(undefined, draftCommand('key'), actors.street, at(0));
    expect(s.status).toBe('draft');
    s = step(s, { type: 'file' }, actors.street, at(1));
    expect(s.status).toBe('filed');
    s = step(s, { type: 'approve' }, actors.district, at(5));
    expect(s.status).toBe('approved');
    s = step(s, { type: 'blow' }, actors.street, at(10));
    expect(s.status).toBe('blown');
    // A key whistle gives departments two hours.
    expect(s.reportBy).toBe(at(130).toISOString());
    expect(s.summons.map((x) => x.departmentId)).toEqual(['urban-mgmt', 'police', 'market-reg']);

    s = step(s, { type: 'acknowledge' }, actors.urbanMgmt, at(12));
    s = step(s, { type: 'report', position: near }, actors.urbanMgmt, at(40));
    s = step(s, { type: 'report', position: point }, actors.police, at(60));
    s = step(s, { type: 'report', position: near }, actors.marketReg, at(150));
    const reports = Object.fromEntries(s.summons.map((x) => [x.departmentId, x.report]));
    expect(reports['urban-mgmt']).toMatchObject({ onSite: true, late: false });
    expect(reports.police).toMatchObject({ onSite: true, late: false, distanceM: 0 });
    expect(reports['market-reg']).toMatchObject({ onSite: true, late: true });
    expect(s.summons.every((x) => x.acknowledgedAt !== undefined)).toBe(true);

    s = step(
      s,
      {
        type: 'recordAction',
        description: '拆除违建，暂扣经营工具',
        power: '责令限期拆除',
        competentDepartmentId: 'urban-mgmt',
        officers: [
          { userId: 'u1', departmentId: 'urban-mgmt' },
          { userId: 'u2', departmentId: 'police' },
        ],
        secondInspector: { userId: 'p1', departmentId: 'police' },
        evidenceIds: ['photo-1'],
      },
      actors.street,
      at(160),
    );
    expect(s.status).toBe('acting');
    expect(s.actions[0]).toMatchObject({ id: 1, mode: 'second_inspector' });

    const linked = newId();
    s = step(s, { type: 'followUp', caseIds: [linked], note: '立案查处' }, actors.marketReg, at(200));
    expect(followUpCaseIds(s)).toEqual([linked]);
    s = step(s, { type: 'close', feedback: '已拆除，已告知来源' }, actors.street, at(240));
    expect(s).toMatchObject({ status: 'closed', feedback: '已拆除，已告知来源' });

    for (const departmentId of ['urban-mgmt', 'police', 'market-reg']) {
      s = step(
        s,
        { type: 'evaluate', departmentId, response: 5, attitude: 5, result: 4 },
        actors.street,
        at(250),
      );
    }
    s = step(s, { type: 'rateWhistle', score: 5, withoutCause: false }, actors.police, at(255));
    expect(s.evaluations).toHaveLength(3);
    expect(s.departmentRatings).toEqual([
      expect.objectContaining({ departmentId: 'police', withoutCause: false }),
    ]);

    s = step(s, { type: 'archive', seq: 7 }, actors.street, at(300));
    expect(s).toMatchObject({ status: 'archived', archiveNumber: '110101001-2026-0007' });
    expect(replayWhistle(log)).toEqual(s);
    expect(s.version).toBe(log.length);

    for (const [command, actor] of [
      [{ type: 'rateWhistle', score: 1, withoutCause: true }, actors.urbanMgmt],
      [{ type: 'evaluate', departmentId: 'police', response: 1, attitude: 1, result: 1 }, actors.community],
      [{ type: 'archive', seq: 8 }, actors.street],
      [{ type: 'close', feedback: 'again' }, actors.gridWorker],
    ] as [WhistleCommandInput, WhistleActor][]) {
      const error = refusal(() => run(s, command, actor, at(400)));
      expect(codeOf(error)).toBe('read_only');
    }
  });

  it('lets the district return a whistle for more information, then approve it when filed again', () => {
    let s = run(filed(), { type: 'return', reason: '请补充现场照片' }, actors.district, at(2));
    expect(s.status).toBe('returned');
    expect(codeOf(refusal(() => run(s, { type: 'blow' }, actors.street, at(3))))).toBe('invalid_transition');
    s = run(s, { type: 'file', description: '违建占道经营，附照片' }, actors.street, at(4));
    expect(s).toMatchObject({ status: 'filed', description: '违建占道经营，附照片' });
    s = run(s, { type: 'approve' }, actors.district, at(5));
    expect(s.reviews.map((review) => review.outcome)).toEqual(['returned', 'approved']);
  });

  it('ends a rejected whistle with the reason', () => {
    const s = run(filed(), { type: 'reject', reason: '属单一部门职责，直接派单' }, actors.district, at(2));
    expect(s.status).toBe('rejected');
    expect(s.reviews[0]).toMatchObject({ outcome: 'rejected', afterBlow: false });
    expect(codeOf(refusal(() => run(s, { type: 'blow' }, actors.street, at(3))))).toBe('invalid_transition');
  });

  it('blows an emergency whistle at filing and has it reviewed after', () => {
    let s = filed('emergency');
    expect(s).toMatchObject({ status: 'blown', reviewPending: true, reportBy: at(31).toISOString() });
    s = run(s, { type: 'report', position: near }, actors.police, at(10));
    s = run(s, { type: 'approve' }, actors.district, at(12));
    expect(s).toMatchObject({ status: 'blown', reviewPending: false });
    expect(s.reviews[0]).toMatchObject({ outcome: 'approved', afterBlow: true });
    expect(codeOf(refusal(() => run(s, { type: 'reject', reason: 'x' }, actors.district, at(13))))).toBe(
      'not_pending_review',
    );
  });

  it('follows the tenant’s settings for kinds blown at once and deadlines', () => {
    const settings = WhistleSettingsSchema.parse({
      blownAtOnce: [],
      reportWithinMinutes: { emergency: 15, key: 60, routine: 600 },
    });
    const s = decideWhistle(
      undefined,
      draftCommand('emergency'),
      actors.street,
      at(0),
      settings,
    ).events.reduce(evolveWhistle, undefined) as WhistleState;
    const events = decideWhistle(s, { type: 'file' }, actors.street, at(1), settings).events;
    expect(events.map((e) => e.type)).toEqual(['whistle.filed']);
  });

  it('records a check-in beyond the radius as off-site', () => {
    const s = run(blown(), { type: 'report', position: far }, actors.urbanMgmt, at(20));
    const report = s.summons.find((x) => x.departmentId === 'urban-mgmt')?.report;
    expect(report?.onSite).toBe(false);
    expect(report?.distanceM).toBeGreaterThan(800);
    expect(report?.distanceM).toBeLessThan(900);
  });

  it('flags departments missing once the deadline passes, not before', () => {
    let s = run(blown(), { type: 'report', position: near }, actors.urbanMgmt, at(20));
    expect(codeOf(refusal(() => run(s, { type: 'flagMissing' }, actors.street, at(100))))).toBe(
      'deadline_not_passed',
    );
    s = run(s, { type: 'flagMissing' }, actors.district, at(124));
    expect(s.summons.filter((x) => x.missing).map((x) => x.departmentId)).toEqual(['police', 'market-reg']);
    expect(codeOf(refusal(() => run(s, { type: 'flagMissing' }, actors.street, at(125))))).toBe(
      'nothing_missing',
    );
    // A missing department may still turn up; the report is late and the flag stays.
    s = run(s, { type: 'report', position: near }, actors.police, at(130));
    expect(s.summons.find((x) => x.departmentId === 'police')).toMatchObject({ report: { late: true } });
  });

  it('refuses a report from a department outside the summons', () => {
    const error = refusal(() => run(blown(), { type: 'report', position: near }, actors.traffic, at(20)));
    expect(error.code).toBe('forbidden');
    expect(codeOf(error)).toBe('not_summoned');
    expect(
      codeOf(
        refusal(() =>
          run(blown(), { type: 'rateWhistle', score: 1, withoutCause: true }, actors.traffic, at(20)),
        ),
      ),
    ).toBe('invalid_transition');
  });

  it('refuses a whistle outside the street’s territory', () => {
    const error = refusal(() => run(undefined, draftCommand('key', '110101002001001'), actors.street, at(0)));
    expect(codeOf(error)).toBe('outside_territory');
    expect(codeOf(refusal(() => run(undefined, draftCommand(), actors.otherStreet, at(0))))).toBe(
      'outside_territory',
    );
  });

  it('lets a community whistle to its parent street', () => {
    const s = run(undefined, draftCommand(), actors.community, at(0));
    expect(s).toMatchObject({ streetCode: street, raisedBy: community });
    const f = run(s, { type: 'file' }, actors.community, at(1));
    expect(f.status).toBe('filed');
  });

  it('enforces the second-inspector rule', () => {
    const base = {
      type: 'recordAction' as const,
      description: '现场处置',
      power: '责令改正',
      competentDepartmentId: 'market-reg',
      evidenceIds: ['photo-1'],
    };
    const one = [{ userId: 'm1', departmentId: 'market-reg' }];
    expect(codeOf(refusal(() => run(blown(), { ...base, officers: one }, actors.street, at(20))))).toBe(
      'second_inspector_required',
    );
    const sameDepartment = { userId: 'x', departmentId: 'market-reg' };
    expect(
      codeOf(
        refusal(() =>
          run(blown(), { ...base, officers: one, secondInspector: sameDepartment }, actors.street, at(20)),
        ),
      ),
    ).toBe('second_inspector_not_resident');
    const none = run(
      blown(),
      { ...base, officers: [{ userId: 'p1', departmentId: 'police' }] },
      actors.street,
      at(20),
    );
    expect(none.actions[0]?.mode).toBe('evidence_only');
  });

  it('refuses roles and places that may not act', () => {
    const cases: [WhistleState | undefined, WhistleCommandInput, WhistleActor, string][] = [
      [undefined, draftCommand(), actors.gridWorker, 'role_not_allowed'],
      [undefined, draftCommand(), actors.district, 'role_not_allowed'],
      [filed(), { type: 'approve' }, actors.street, 'role_not_allowed'],
      [filed(), { type: 'approve' }, actors.otherDistrict, 'outside_scope'],
      [filed(), { type: 'file' }, actors.citizen, 'role_not_allowed'],
      [blown(), { type: 'close', feedback: 'x' }, actors.community, 'role_not_allowed'],
      [blown(), { type: 'acknowledge' }, actors.street, 'role_not_allowed'],
      [blown(), { type: 'flagMissing' }, actors.otherStreet, 'outside_scope'],
    ];
    for (const [state, command, actor, code] of cases) {
      const error = refusal(() => run(state, command, actor, at(200)));
      expect(error.code).toBe('forbidden');
      expect(codeOf(error)).toBe(code);
    }
  });

  it('hides whistles of another tenant and declares every command in the transitions table', () => {
    const stranger = { ...actors.district, tenantId: 'other-city' };
    expect(refusal(() => run(filed(), { type: 'approve' }, stranger, at(2))).code).toBe('not_found');
    for (const transition of Object.values(whistleTransitions))
      expect(transition.roles.length).toBeGreaterThan(0);
  });
});
