import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { type Role, roles } from '../identity/roles';
import { newId } from '../ids';
import { type CaseState, type CaseStatus, caseStatuses } from './case';
import { type CaseCommandInput, type CaseCommandType, caseCommandTypes } from './commands';
import type { CaseEvent } from './events';
import {
  actorFor,
  actors,
  categoryCode,
  decideAt,
  departmentActor,
  district,
  grid,
  report,
  run,
  stateIn,
  street,
  tenantId,
} from './fixtures.test-support';
import { defaultStepLimits, naturalDeadlines } from './limits';
import { type CaseActor, decide, evolve, replay, type Transition, transitions } from './machine';

const far = '2027-01-01T00:00:00.000Z';

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

interface Scenario {
  state: CaseState | undefined;
  command: CaseCommandInput;
  actor: CaseActor;
}

const reportChannel: Partial<Record<Role, 'citizen' | 'patrol' | 'whistle' | 'hotline' | 'api'>> = {
  citizen: 'citizen',
  grid_worker: 'patrol',
  community_station: 'whistle',
  street_center: 'hotline',
  district_center: 'hotline',
  city_admin: 'api',
};

/** A case in `status` with both departments dispatched and only urban-mgmt accepted. */
const halfAccepted = (level: 'street' | 'district' = 'street'): CaseState =>
  run(
    stateIn('dispatched', { level, departments: ['urban-mgmt', 'market-reg'] }),
    { type: 'accept' },
    actors.urbanMgmt,
  );

const inStatus = (status: CaseStatus, level: 'street' | 'district' = 'street'): CaseState =>
  status === 'dispatched' ? halfAccepted() : stateIn(status, { level });

/** A valid way for `role` to send `type` to a case in `status`; undefined where none exists. */
const scenario = (
  type: CaseCommandType,
  status: CaseStatus | undefined,
  role: Role,
): Scenario | undefined => {
  const level = role === 'district_center' ? 'district' : 'street';
  const actor = actorFor(role, level);
  const plain = (command: CaseCommandInput, options = {}): Scenario => ({
    state: stateIn(status as CaseStatus, { level, ...options }),
    command,
    actor,
  });
  switch (type) {
    case 'report': {
      const channel = reportChannel[role];
      if (channel === undefined) return undefined;
      return {
        state: undefined,
        command: {
          type,
          caseId: newId(),
          channel,
          description: 'overflowing bins',
          location: { gridCode: grid },
          ...(role === 'district_center' ? { handlingOrgCode: district } : {}),
        },
        actor,
      };
    }
    case 'verify':
      return plain({ type, confirmed: true });
    case 'register':
      return plain({ type, categoryCode }, { channel: status === 'reported' ? 'patrol' : 'citizen' });
    case 'reject':
      return plain({ type, reason: 'private dispute' });
    case 'dispatch':
      return plain({ type, departmentIds: status === 'registered' ? ['urban-mgmt'] : ['traffic'] });
    case 'accept':
    case 'return':
      return plain(type === 'accept' ? { type } : { type, reason: 'not our duty' });
    case 'handle':
      return {
        state: inStatus(status as CaseStatus),
        command: { type, result: 'done', evidenceIds: ['photo-2'] },
        actor,
      };
    case 'startCheck':
    case 'checkPass':
      return plain({ type });
    case 'checkFail':
      return plain({ type, reason: 'still broken' });
    case 'evaluate':
      return plain({ type, satisfaction: 4 }, { channel: role === 'citizen' ? 'citizen' : 'hotline' });
    case 'escalate':
      return role === 'street_center' ? plain({ type, reason: 'needs several departments' }) : undefined;
    case 'requestExtension':
      return {
        state: inStatus(status as CaseStatus),
        command: { type, reason: 'parts on order', until: far },
        actor,
      };
    case 'approveExtension':
    case 'rejectExtension': {
      const base = status === 'dispatched' ? halfAccepted(level) : stateIn(status as CaseStatus, { level });
      const requested = run(
        base,
        { type: 'requestExtension', reason: 'parts on order', until: far },
        actors.urbanMgmt,
      );
      return {
        state: requested,
        command:
          type === 'approveExtension' ? { type, extensionId: 1 } : { type, extensionId: 1, reason: 'no' },
        actor,
      };
    }
    case 'suspend':
      return plain({ type, reason: 'hard case' });
    case 'resume':
      return plain({ type });
    case 'merge':
      return plain({ type, primary: report({ level }) });
    case 'void':
      return plain({ type, reason: 'test entry' });
    case 'urge':
      return plain({ type, message: 'please hurry' });
    case 'acknowledgeUrging': {
      const s = status as CaseStatus;
      const urgedIn: CaseStatus = s === 'suspended' ? 'registered' : s === 'closed' ? 'checking' : s;
      const channel = role === 'grid_worker' || urgedIn === 'verifying' ? 'citizen' : 'patrol';
      const target: Role =
        urgedIn === 'dispatched' || urgedIn === 'accepted' || urgedIn === 'rework'
          ? 'department'
          : (urgedIn === 'reported' && channel === 'citizen') ||
              urgedIn === 'handled' ||
              urgedIn === 'checking'
            ? 'grid_worker'
            : level === 'district'
              ? 'district_center'
              : 'street_center';
      if (target !== role) return undefined;
      const center = level === 'district' ? actors.district : actors.street;
      let state = run(stateIn(urgedIn, { level, channel }), { type: 'urge', message: 'hurry' }, center);
      if (s === 'suspended') state = run(state, { type: 'suspend', reason: 'hard' }, center);
      if (s === 'closed') state = run(state, { type: 'checkPass' }, actors.gridWorker);
      return { state, command: { type, urgingId: 1 }, actor };
    }
  }
};

const table = Object.entries(transitions) as [CaseCommandType, Transition][];

describe('the transitions table', () => {
  it('covers every command', () => {
    expect(new Set(table.map(([type]) => type))).toEqual(new Set(caseCommandTypes));
  });

  it('names only known steps and statuses', () => {
    for (const [, transition] of table) {
      for (const status of transition.from) expect(caseStatuses).toContain(status);
      for (const step of transition.opens) expect(Object.keys(defaultStepLimits)).toContain(step);
      expect(transition.guard.length).toBeGreaterThan(0);
      expect(transition.roles.length).toBeGreaterThan(0);
    }
  });
});

describe('every allowed transition', () => {
  for (const [type, transition] of table) {
    const froms: (CaseStatus | undefined)[] =
      transition.from.length === 0 ? [undefined] : [...transition.from];
    for (const from of froms) {
      it(`${type} from ${from ?? 'nothing'}`, () => {
        let tried = 0;
        for (const role of transition.roles) {
          const example = scenario(type, from, role);
          if (example === undefined) continue;
          tried += 1;
          const before = example.state;
          const { events } = decideAt(before, example.command, example.actor);
          expect(events.length).toBeGreaterThan(0);
          const after = events
            .filter((event) => event.caseId === (before?.id ?? events[0]?.caseId))
            .reduce<CaseState | undefined>(evolve, before) as CaseState;
          expect(after.version).toBe((before?.version ?? 0) + 1);
          if (transition.to === 'unchanged') expect(after.status).toBe(before?.status);
          else expect(transition.to).toContain(after.status);
          expect(events.every((event) => event.actor.userId === example.actor.userId)).toBe(true);
        }
        expect(tried).toBeGreaterThan(0);
      });
    }
  }
});

describe('every forbidden transition', () => {
  for (const [type, transition] of table) {
    const allowed = transition.from.length === 0 ? undefined : transition.from[0];
    const role = transition.roles.find((candidate) => scenario(type, allowed, candidate)) as Role;

    const refused = caseStatuses.filter(
      (status) => !(transition.from as readonly CaseStatus[]).includes(status),
    );
    for (const status of refused) {
      it(`refuses ${type} on a ${status} case`, () => {
        const example = scenario(type, allowed, role) as Scenario;
        const level = role === 'district_center' ? 'district' : 'street';
        const state = stateIn(status, { level });
        const error = refusal(() => decideAt(state, example.command, example.actor));
        expect(error.status).toBeGreaterThanOrEqual(400);
        expect(error.status).toBeLessThan(500);
        if (type !== 'report') expect(codeOf(error)).toBe('invalid_transition');
      });
    }

    for (const other of roles.filter(
      (candidate) => !(transition.roles as readonly Role[]).includes(candidate),
    )) {
      it(`refuses ${type} by a ${other}`, () => {
        const example = scenario(type, allowed, role) as Scenario;
        const error = refusal(() => decideAt(example.state, example.command, actorFor(other)));
        expect(error.code).toBe('forbidden');
        expect(codeOf(error)).toBe('role_not_allowed');
      });
    }
  }

  it('answers not found for a command to a case that does not exist or is of another tenant', () => {
    expect(refusal(() => decideAt(undefined, { type: 'accept' }, actors.urbanMgmt)).code).toBe('not_found');
    const foreign = { ...actors.street, tenantId: 'other-city' };
    expect(refusal(() => decideAt(stateIn('reported'), { type: 'reject', reason: 'x' }, foreign)).code).toBe(
      'not_found',
    );
  });

  it('rejects a malformed command before anything else', () => {
    const error = refusal(() =>
      decideAt(stateIn('reported'), { type: 'reject', reason: '  ' }, actors.street),
    );
    expect(error.code).toBe('validation_failed');
    expect(codeOf(error)).toBe('invalid_command');
  });
});

describe('place checks', () => {
  const forbiddenCode = (state: CaseState, command: CaseCommandInput, actor: CaseActor) => {
    const error = refusal(() => decideAt(state, command, actor));
    expect(error.code).toBe('forbidden');
    return codeOf(error);
  };

  it('keeps a street center to its own street and its own level', () => {
    expect(forbiddenCode(stateIn('verifying'), { type: 'register' }, actors.otherStreet)).toBe(
      'outside_scope',
    );
    expect(forbiddenCode(stateIn('verifying'), { type: 'register' }, actors.district)).toBe('wrong_level');
    expect(
      forbiddenCode(stateIn('verifying', { level: 'district' }), { type: 'register' }, actors.street),
    ).toBe('wrong_level');
    expect(
      forbiddenCode(
        stateIn('registered', { level: 'district' }),
        { type: 'dispatch', departmentIds: ['x1'] },
        actors.otherDistrict,
      ),
    ).toBe('outside_scope');
  });

  it('lets a department act only on cases dispatched to it', () => {
    const dispatched = stateIn('dispatched');
    expect(forbiddenCode(dispatched, { type: 'accept' }, actors.traffic)).toBe('not_assigned');
    expect(forbiddenCode(dispatched, { type: 'return', reason: 'x' }, actors.traffic)).toBe('not_assigned');
    const accepted = stateIn('accepted');
    expect(forbiddenCode(accepted, { type: 'handle', result: 'x', evidenceIds: ['p'] }, actors.traffic)).toBe(
      'not_assigned',
    );
    const impostor = { ...actors.urbanMgmt, departmentId: 'traffic' };
    expect(forbiddenCode(dispatched, { type: 'accept' }, impostor)).toBe('department_mismatch');
  });

  it('lets a grid worker verify and check only in its grid', () => {
    expect(
      forbiddenCode(stateIn('reported'), { type: 'verify', confirmed: true }, actors.otherGridWorker),
    ).toBe('outside_grid');
    expect(forbiddenCode(stateIn('handled'), { type: 'startCheck' }, actors.otherGridWorker)).toBe(
      'outside_grid',
    );
    expect(forbiddenCode(stateIn('checking'), { type: 'checkPass' }, actors.otherGridWorker)).toBe(
      'outside_grid',
    );
  });

  it('lets only the reporting citizen evaluate a citizen report', () => {
    const closed = stateIn('closed');
    expect(forbiddenCode(closed, { type: 'evaluate', satisfaction: 1 }, actors.otherCitizen)).toBe(
      'not_reporter',
    );
    expect(forbiddenCode(closed, { type: 'evaluate', satisfaction: 1 }, actors.street)).toBe('not_reporter');
    const anonymous = stateIn('closed', { channel: 'hotline' });
    expect(forbiddenCode(anonymous, { type: 'evaluate', satisfaction: 1 }, actors.citizen)).toBe(
      'not_reporter',
    );
  });

  it('checks the reporter’s channel and place', () => {
    const base = {
      type: 'report' as const,
      caseId: newId(),
      description: 'noise',
      location: { gridCode: grid },
    };
    expect(forbiddenCode(undefined as never, { ...base, channel: 'patrol' }, actors.citizen)).toBe(
      'channel_not_allowed',
    );
    expect(forbiddenCode(undefined as never, { ...base, channel: 'patrol' }, actors.otherGridWorker)).toBe(
      'outside_scope',
    );
    expect(forbiddenCode(undefined as never, { ...base, channel: 'hotline' }, actors.otherStreet)).toBe(
      'outside_scope',
    );
  });

  it('lets a district center urge the cases of its streets, but not a street the district’s', () => {
    const dispatched = stateIn('dispatched');
    expect(run(dispatched, { type: 'urge', message: 'hurry' }, actors.district).urgings).toHaveLength(1);
    expect(
      forbiddenCode(
        stateIn('registered', { level: 'district' }),
        { type: 'urge', message: 'x' },
        actors.street,
      ),
    ).toBe('outside_scope');
  });
});

describe('guards', () => {
  const guardCode = (state: CaseState | undefined, command: CaseCommandInput, actor: CaseActor) => {
    const error = refusal(() => decideAt(state, command, actor));
    expect(error.code).toBe('validation_failed');
    return codeOf(error);
  };

  it('verifies only citizen and hotline reports, and registers those only once confirmed', () => {
    expect(
      guardCode(
        stateIn('reported', { channel: 'patrol' }),
        { type: 'verify', confirmed: true },
        actors.gridWorker,
      ),
    ).toBe('verification_not_needed');
    expect(guardCode(stateIn('reported'), { type: 'register', categoryCode }, actors.street)).toBe(
      'verification_required',
    );
    const unconfirmed = run(stateIn('reported'), { type: 'verify', confirmed: false }, actors.gridWorker);
    expect(guardCode(unconfirmed, { type: 'register', categoryCode }, actors.street)).toBe('not_confirmed');
    expect(run(unconfirmed, { type: 'reject', reason: 'nothing found on site' }, actors.street).status).toBe(
      'rejected',
    );
  });

  it('registers under a category and rejects with a reason', () => {
    expect(guardCode(stateIn('verifying'), { type: 'register' }, actors.street)).toBe('category_required');
    expect(guardCode(stateIn('verifying'), { type: 'reject' } as CaseCommandInput, actors.street)).toBe(
      'invalid_command',
    );
    const rejected = run(stateIn('verifying'), { type: 'reject', reason: 'private dispute' }, actors.street);
    expect(rejected.rejection?.reason).toBe('private dispute');
  });

  it('dispatches to at least one department, each once', () => {
    expect(guardCode(stateIn('registered'), { type: 'dispatch', departmentIds: [] }, actors.street)).toBe(
      'invalid_command',
    );
    expect(
      guardCode(stateIn('dispatched'), { type: 'dispatch', departmentIds: ['urban-mgmt'] }, actors.street),
    ).toBe('already_dispatched');
  });

  it('handles with a result and evidence, after accepting', () => {
    expect(
      guardCode(stateIn('accepted'), { type: 'handle', result: 'done', evidenceIds: [] }, actors.urbanMgmt),
    ).toBe('invalid_command');
    const dispatched = stateIn('dispatched', { departments: ['urban-mgmt', 'market-reg'] });
    expect(
      guardCode(dispatched, { type: 'handle', result: 'done', evidenceIds: ['p'] }, actors.urbanMgmt),
    ).toBe('not_accepted');
  });

  it('requires a grid for every report and a handling org over it', () => {
    const base = {
      type: 'report' as const,
      caseId: newId(),
      description: 'noise',
      channel: 'citizen' as const,
    };
    expect(guardCode(undefined, { ...base, location: { address: 'somewhere' } }, actors.citizen)).toBe(
      'grid_required',
    );
    expect(
      guardCode(
        undefined,
        { ...base, location: { gridCode: grid }, handlingOrgCode: '110102001' },
        actors.citizen,
      ),
    ).toBe('handling_org_mismatch');
    expect(
      guardCode(
        undefined,
        { ...base, location: { gridCode: grid }, handlingOrgCode: '110101001002' },
        actors.citizen,
      ),
    ).toBe('invalid_handling_org');
    expect(
      guardCode(undefined, { ...base, location: { gridCode: grid }, callerRef: 'c1' }, actors.citizen),
    ).toBe('caller_without_hotline');
  });

  it('evaluates with a satisfaction of 1 to 5', () => {
    expect(guardCode(stateIn('closed'), { type: 'evaluate', satisfaction: 6 } as never, actors.citizen)).toBe(
      'invalid_command',
    );
  });
});

describe('the happy path', () => {
  it('runs a citizen report round the small loop to its evaluation', () => {
    const { events: reportEvents } = decideAt(
      undefined,
      {
        type: 'report',
        caseId: newId(),
        channel: 'citizen',
        description: 'cover missing',
        location: { gridCode: grid },
      },
      actors.citizen,
    );
    const reported = replay(reportEvents) as CaseState;
    expect(reported).toMatchObject({
      status: 'reported',
      level: 'street',
      handlingOrgCode: street,
      reporter: { kind: 'citizen', userId: actors.citizen.userId },
      deadline: { step: 'verify' },
      version: 1,
    });
    const log: CaseEvent[] = [...reportEvents];
    let state: CaseState = reported;
    const step = (command: CaseCommandInput, actor: CaseActor) => {
      const { events } = decideAt(state, command, actor);
      log.push(...events);
      state = events.reduce<CaseState>((s, e) => evolve(s, e), state);
      return state;
    };
    expect(
      step({ type: 'verify', confirmed: true, attachmentIds: ['site-1'] }, actors.gridWorker),
    ).toMatchObject({
      status: 'verifying',
      deadline: { step: 'register' },
    });
    expect(step({ type: 'register', categoryCode }, actors.street)).toMatchObject({
      status: 'registered',
      categoryCode,
      deadline: { step: 'dispatch' },
    });
    expect(
      step({ type: 'dispatch', departmentIds: ['urban-mgmt'], catalogVersion: '2024.1' }, actors.street),
    ).toMatchObject({
      status: 'dispatched',
      deadline: { step: 'accept' },
    });
    expect(step({ type: 'accept' }, actors.urbanMgmt)).toMatchObject({
      status: 'accepted',
      deadline: { step: 'handle' },
    });
    expect(
      step({ type: 'handle', result: 'cover replaced', evidenceIds: ['after-1'] }, actors.urbanMgmt),
    ).toMatchObject({ status: 'handled', deadline: { step: 'check' } });
    expect(step({ type: 'startCheck' }, actors.gridWorker).status).toBe('checking');
    expect(step({ type: 'checkPass', attachmentIds: ['check-1'] }, actors.gridWorker)).toMatchObject({
      status: 'closed',
      deadline: { step: 'evaluate' },
    });
    const evaluated = step({ type: 'evaluate', satisfaction: 5, comment: '很快' }, actors.citizen);
    expect(evaluated).toMatchObject({
      status: 'evaluated',
      evaluation: { satisfaction: 5, comment: '很快', by: { userId: actors.citizen.userId } },
      version: 9,
      reworkCount: 0,
      returnCount: 0,
    });
    expect(evaluated.deadline).toBeUndefined();
    expect(evaluated.assignments[0]).toMatchObject({ state: 'handled', result: { text: 'cover replaced' } });
    expect(replay(log)).toEqual(evaluated);
  });

  it('registers staff reports directly, and replays a log to the same state', () => {
    const { events: first } = decideAt(
      undefined,
      {
        type: 'report',
        caseId: newId(),
        channel: 'patrol',
        description: 'broken light',
        location: { gridCode: grid },
      },
      actors.gridWorker,
    );
    let state = replay(first) as CaseState;
    expect(state.reporter).toEqual({ kind: 'staff', userId: actors.gridWorker.userId, role: 'grid_worker' });
    expect(state.deadline?.step).toBe('register');
    const { events } = decideAt(state, { type: 'register', categoryCode }, actors.street);
    state = evolve(state, events[0] as never);
    expect(state.status).toBe('registered');
    expect(replay([...first, ...events])).toEqual(state);
  });

  it('takes deadlines from the resolver and records them in the events', () => {
    const now = new Date('2026-03-02T02:00:00.000Z');
    const calls: unknown[] = [];
    const { events } = decide(
      stateIn('registered'),
      { type: 'dispatch', departmentIds: ['urban-mgmt'] },
      actors.street,
      now,
      (step, from, context) => {
        calls.push({ step, from, context });
        return new Date(from.getTime() + 1000);
      },
    );
    expect(calls).toEqual([
      {
        step: 'accept',
        from: now,
        context: {
          tenantId,
          level: 'street',
          handlingOrgCode: street,
          categoryCode,
          departmentId: 'urban-mgmt',
        },
      },
    ]);
    expect(events[0]).toMatchObject({
      payload: {
        departments: [
          { departmentId: 'urban-mgmt', deadline: { step: 'accept', dueAt: '2026-03-02T02:00:01.000Z' } },
        ],
      },
    });
    expect(naturalDeadlines()('handle', now, calls[0] as never).toISOString()).toBe(
      '2026-03-05T02:00:00.000Z',
    );
  });
});

describe('rework', () => {
  it('sends a failed result back to the same department, counted against it', () => {
    const rework = stateIn('rework');
    expect(rework).toMatchObject({ status: 'rework', reworkCount: 1, deadline: { step: 'handle' } });
    expect(rework.assignments[0]).toMatchObject({
      departmentId: 'urban-mgmt',
      state: 'rework',
      reworkCount: 1,
    });
    expect(rework.checks).toMatchObject([
      { passed: false, reason: 'cover loose', departmentIds: ['urban-mgmt'] },
    ]);
    expect(
      refusal(() => decideAt(rework, { type: 'return', reason: 'x' }, actors.urbanMgmt)).details,
    ).toMatchObject({
      code: 'invalid_transition',
    });
    const handled = run(
      rework,
      { type: 'handle', result: 'cover fixed', evidenceIds: ['p2'] },
      actors.urbanMgmt,
    );
    expect(handled).toMatchObject({ status: 'handled', deadline: { step: 'check' } });
    const checking = run(handled, { type: 'startCheck' }, actors.gridWorker);
    const closed = run(checking, { type: 'checkPass' }, actors.gridWorker);
    expect(closed).toMatchObject({
      status: 'closed',
      reworkCount: 1,
      checks: [{ passed: false }, { passed: true }],
    });
  });

  it('reworks only the departments whose results failed', () => {
    const checking = stateIn('checking', { departments: ['urban-mgmt', 'market-reg'] });
    const rework = run(
      checking,
      { type: 'checkFail', reason: 'stall still there', departmentIds: ['market-reg'] },
      actors.gridWorker,
    );
    expect(rework.assignments.map((a) => [a.departmentId, a.state, a.reworkCount])).toEqual([
      ['urban-mgmt', 'handled', 0],
      ['market-reg', 'rework', 1],
    ]);
    expect(
      refusal(() =>
        decideAt(rework, { type: 'handle', result: 'again', evidenceIds: ['p'] }, actors.urbanMgmt),
      ).details,
    ).toMatchObject({ code: 'already_handled' });
    expect(
      refusal(() =>
        decideAt(checking, { type: 'checkFail', reason: 'x', departmentIds: ['traffic'] }, actors.gridWorker),
      ).details,
    ).toMatchObject({ code: 'not_assigned' });
  });
});

describe('return and re-dispatch', () => {
  it('goes back to the center when the only department returns it, and is dispatched again', () => {
    const returned = run(
      stateIn('accepted'),
      { type: 'return', reason: 'this is a traffic matter' },
      actors.urbanMgmt,
    );
    expect(returned).toMatchObject({
      status: 'registered',
      assignments: [],
      returnCount: 1,
      returns: [{ departmentId: 'urban-mgmt', reason: 'this is a traffic matter' }],
      deadline: { step: 'dispatch' },
    });
    const redispatched = run(returned, { type: 'dispatch', departmentIds: ['traffic'] }, actors.street);
    expect(redispatched).toMatchObject({ status: 'dispatched', assignments: [{ departmentId: 'traffic' }] });
    expect(refusal(() => decideAt(redispatched, { type: 'accept' }, actors.urbanMgmt)).code).toBe(
      'forbidden',
    );
  });

  it('keeps the other departments working when one returns', () => {
    const state = run(halfAccepted(), { type: 'return', reason: 'not ours' }, departmentActor('market-reg'));
    expect(state).toMatchObject({
      status: 'accepted',
      returnCount: 1,
      assignments: [{ departmentId: 'urban-mgmt' }],
    });
  });

  it('does not let a department return what it has handled', () => {
    const state = run(
      halfAccepted(),
      { type: 'handle', result: 'done', evidenceIds: ['p'] },
      actors.urbanMgmt,
    );
    expect(state.status).toBe('dispatched');
    expect(
      refusal(() => decideAt(state, { type: 'return', reason: 'x' }, actors.urbanMgmt)).details,
    ).toMatchObject({
      code: 'already_handled',
    });
    const returned = run(state, { type: 'return', reason: 'not ours' }, departmentActor('market-reg'));
    expect(returned).toMatchObject({ status: 'handled', deadline: { step: 'check' } });
  });
});

describe('escalation', () => {
  it('moves a dispatched street case to the district, withdrawing the street’s dispatches', () => {
    const escalated = run(
      stateIn('accepted'),
      { type: 'escalate', reason: 'needs several departments' },
      actors.street,
    );
    expect(escalated).toMatchObject({
      status: 'registered',
      level: 'district',
      handlingOrgCode: district,
      assignments: [],
      deadline: { step: 'dispatch' },
      escalations: [{ fromOrgCode: street, toOrgCode: district }],
    });
    expect(
      refusal(() => decideAt(escalated, { type: 'dispatch', departmentIds: ['traffic'] }, actors.street))
        .details,
    ).toMatchObject({ code: 'wrong_level' });
    expect(run(escalated, { type: 'dispatch', departmentIds: ['traffic'] }, actors.district).status).toBe(
      'dispatched',
    );
    expect(
      refusal(() => decideAt(escalated, { type: 'escalate', reason: 'again' }, actors.street)).details,
    ).toMatchObject({ code: 'already_district' });
  });

  it('keeps an unregistered case in its step', () => {
    const escalated = run(
      stateIn('reported'),
      { type: 'escalate', reason: 'district matter' },
      actors.street,
    );
    expect(escalated).toMatchObject({ status: 'reported', level: 'district', deadline: { step: 'verify' } });
    const verified = run(escalated, { type: 'verify', confirmed: true }, actors.gridWorker);
    expect(run(verified, { type: 'register', categoryCode }, actors.district).status).toBe('registered');
  });

  it('is refused after the result is in', () => {
    expect(
      refusal(() => decideAt(stateIn('handled'), { type: 'escalate', reason: 'x' }, actors.street)).status,
    ).toBe(400);
    expect(
      refusal(() => decideAt(stateIn('closed'), { type: 'escalate', reason: 'x' }, actors.street)).status,
    ).toBe(400);
  });
});

describe('extensions', () => {
  it('extends the department’s deadline when the center approves', () => {
    const accepted = stateIn('accepted');
    const requested = run(
      accepted,
      { type: 'requestExtension', reason: 'parts on order', until: far },
      actors.urbanMgmt,
    );
    expect(requested.extensions).toMatchObject([{ id: 1, status: 'pending', requestedUntil: far }]);
    expect(
      refusal(() =>
        decideAt(requested, { type: 'requestExtension', reason: 'again', until: far }, actors.urbanMgmt),
      ).details,
    ).toMatchObject({ code: 'extension_pending' });
    const granted = '2026-12-01T00:00:00.000Z';
    const approved = run(
      requested,
      { type: 'approveExtension', extensionId: 1, until: granted },
      actors.street,
    );
    expect(approved.extensions[0]).toMatchObject({ status: 'approved', grantedUntil: granted });
    expect(approved.assignments[0]?.deadline).toEqual({ step: 'handle', dueAt: granted });
    expect(approved.deadline).toEqual({ step: 'handle', dueAt: granted });
    expect(approved.status).toBe('accepted');
    expect(
      refusal(() => decideAt(approved, { type: 'approveExtension', extensionId: 1 }, actors.street)).details,
    ).toMatchObject({ code: 'not_pending' });
    expect(
      refusal(() => decideAt(approved, { type: 'approveExtension', extensionId: 9 }, actors.street)).code,
    ).toBe('not_found');
  });

  it('leaves the deadline when the center rejects, and refuses earlier dates', () => {
    const accepted = stateIn('accepted');
    const due = accepted.assignments[0]?.deadline?.dueAt as string;
    expect(
      refusal(() =>
        decideAt(accepted, { type: 'requestExtension', reason: 'x', until: due }, actors.urbanMgmt),
      ).details,
    ).toMatchObject({ code: 'not_later' });
    const requested = run(accepted, { type: 'requestExtension', reason: 'x', until: far }, actors.urbanMgmt);
    const rejected = run(
      requested,
      { type: 'rejectExtension', extensionId: 1, reason: 'do it now' },
      actors.street,
    );
    expect(rejected.extensions[0]).toMatchObject({ status: 'rejected', rejectionReason: 'do it now' });
    expect(rejected.assignments[0]?.deadline?.dueAt).toBe(due);
    expect(
      refusal(() => decideAt(requested, { type: 'approveExtension', extensionId: 1 }, actors.otherStreet))
        .code,
    ).toBe('forbidden');
  });

  it('is asked only by a department handling the case', () => {
    const error = refusal(() =>
      decideAt(
        stateIn('dispatched'),
        { type: 'requestExtension', reason: 'x', until: far },
        actors.urbanMgmt,
      ),
    );
    expect(codeOf(error)).toBe('not_handling');
  });
});

describe('suspension', () => {
  it('stops the clock and restores the previous status with fresh deadlines', () => {
    const accepted = stateIn('accepted');
    const suspended = run(
      accepted,
      { type: 'suspend', reason: 'waits for a demolition plan' },
      actors.street,
    );
    expect(suspended).toMatchObject({ status: 'suspended', suspension: { previousStatus: 'accepted' } });
    expect(suspended.deadline).toBeUndefined();
    expect(suspended.assignments[0]?.deadline).toBeUndefined();
    expect(
      refusal(() =>
        decideAt(suspended, { type: 'handle', result: 'x', evidenceIds: ['p'] }, actors.urbanMgmt),
      ).status,
    ).toBe(400);
    const resumed = run(suspended, { type: 'resume' }, actors.street, new Date('2026-06-01T00:00:00.000Z'));
    expect(resumed.status).toBe('accepted');
    expect(resumed.suspension).toBeUndefined();
    expect(resumed.assignments[0]?.deadline).toEqual({ step: 'handle', dueAt: '2026-06-04T00:00:00.000Z' });
    expect(resumed.deadline).toEqual({ step: 'handle', dueAt: '2026-06-04T00:00:00.000Z' });
  });

  it('resumes a registered case at its dispatch step', () => {
    const resumed = run(stateIn('suspended'), { type: 'resume', note: 'plan approved' }, actors.street);
    expect(resumed).toMatchObject({ status: 'registered', deadline: { step: 'dispatch' } });
  });
});

describe('merge', () => {
  it('merges a duplicate into an open primary and links it there', () => {
    const primary = stateIn('dispatched');
    const duplicate = report();
    const { events } = decideAt(duplicate, { type: 'merge', primary }, actors.street);
    expect(events.map((event) => [event.type, event.caseId])).toEqual([
      ['case.merged', duplicate.id],
      ['case.duplicate_linked', primary.id],
    ]);
    const merged = evolve(duplicate, events[0] as never);
    expect(merged).toMatchObject({ status: 'merged', mergedInto: primary.id });
    expect(evolve(primary, events[1] as never)).toMatchObject({
      status: 'dispatched',
      duplicates: [duplicate.id],
    });
    expect(() => evolve(duplicate, events[1] as never)).toThrow(AppError);
  });

  it('refuses the same case, a closed primary and another tenant’s', () => {
    const duplicate = report();
    const guard = (primary: CaseState) =>
      refusal(() => decideAt(duplicate, { type: 'merge', primary }, actors.street));
    expect(codeOf(guard(duplicate))).toBe('same_case');
    expect(codeOf(guard(stateIn('closed')))).toBe('primary_not_open');
    expect(codeOf(guard(stateIn('merged')))).toBe('primary_not_open');
    expect(guard({ ...report(), tenantId: 'other-city' }).code).toBe('not_found');
    expect(
      refusal(() => decideAt(stateIn('merged'), { type: 'merge', primary: report() }, actors.street)).status,
    ).toBe(400);
  });
});

describe('void', () => {
  it('ends an open case with a reason, and nothing happens after', () => {
    const voided = run(
      stateIn('dispatched'),
      { type: 'void', reason: 'reported twice by phone' },
      actors.street,
    );
    expect(voided).toMatchObject({ status: 'voided', voided: { reason: 'reported twice by phone' } });
    expect(voided.deadline).toBeUndefined();
    for (const status of ['closed', 'evaluated', 'rejected', 'merged', 'voided'] as const) {
      expect(
        refusal(() => decideAt(stateIn(status), { type: 'void', reason: 'x' }, actors.street)).status,
      ).toBe(400);
    }
  });
});

describe('urging', () => {
  it('records an overdue urging to the working departments without changing the status', () => {
    const accepted = stateIn('accepted');
    const late = new Date(Date.parse(accepted.deadline?.dueAt as string) + 1);
    const urged = run(accepted, { type: 'urge', message: '请尽快处理' }, actors.street, late);
    expect(urged.status).toBe('accepted');
    expect(urged.urgings).toMatchObject([
      {
        id: 1,
        overdue: true,
        step: 'handle',
        target: { kind: 'departments', departmentIds: ['urban-mgmt'] },
      },
    ]);
    expect(
      refusal(() => decideAt(urged, { type: 'acknowledgeUrging', urgingId: 1 }, actors.traffic)).code,
    ).toBe('forbidden');
    const acknowledged = run(urged, { type: 'acknowledgeUrging', urgingId: 1 }, actors.urbanMgmt);
    expect(acknowledged.urgings[0]?.acknowledgements).toMatchObject([{ by: { departmentId: 'urban-mgmt' } }]);
    expect(
      refusal(() => decideAt(acknowledged, { type: 'acknowledgeUrging', urgingId: 1 }, actors.urbanMgmt))
        .details,
    ).toMatchObject({ code: 'already_acknowledged' });
    expect(
      refusal(() => decideAt(acknowledged, { type: 'acknowledgeUrging', urgingId: 2 }, actors.urbanMgmt))
        .code,
    ).toBe('not_found');
  });

  it('urges at will, and addresses the grid worker or the center by step', () => {
    const reported = run(stateIn('reported'), { type: 'urge', message: 'verify today' }, actors.street);
    expect(reported.urgings[0]).toMatchObject({
      overdue: false,
      step: 'verify',
      target: { kind: 'grid', gridCode: grid },
    });
    expect(
      refusal(() => decideAt(reported, { type: 'acknowledgeUrging', urgingId: 1 }, actors.otherGridWorker))
        .code,
    ).toBe('forbidden');
    const registered = run(stateIn('registered'), { type: 'urge', message: 'dispatch now' }, actors.district);
    expect(registered.urgings[0]?.target).toEqual({ kind: 'center', orgCode: street });
    expect(
      run(registered, { type: 'acknowledgeUrging', urgingId: 1 }, actors.street).urgings[0]?.acknowledgements,
    ).toHaveLength(1);
    expect(
      refusal(() => decideAt(registered, { type: 'acknowledgeUrging', urgingId: 1 }, actors.district)).code,
    ).toBe('forbidden');
  });

  it('urges only departments still working on the case', () => {
    const state = run(
      halfAccepted(),
      { type: 'handle', result: 'done', evidenceIds: ['p'] },
      actors.urbanMgmt,
    );
    const error = refusal(() =>
      decideAt(state, { type: 'urge', message: 'x', departmentIds: ['urban-mgmt'] }, actors.street),
    );
    expect(codeOf(error)).toBe('department_not_working');
    const urged = run(state, { type: 'urge', message: 'x' }, actors.street);
    expect(urged.urgings[0]?.target).toEqual({ kind: 'departments', departmentIds: ['market-reg'] });
  });
});

describe('evolve', () => {
  it('refuses a log that does not start with a report', () => {
    const { events } = decideAt(
      stateIn('registered'),
      { type: 'dispatch', departmentIds: ['traffic'] },
      actors.street,
    );
    expect(() => replay(events)).toThrow(AppError);
  });

  it('reports a hotline call from a citizen with an account so that they rate it themselves', () => {
    const state = run(
      undefined,
      {
        type: 'report',
        caseId: newId(),
        channel: 'hotline',
        description: 'noise at night',
        location: { gridCode: grid },
        reporterUserId: actors.citizen.userId,
      },
      actors.street,
    );
    expect(state.reporter).toEqual({ kind: 'citizen', userId: actors.citizen.userId });
  });
});

describe('on-site position', () => {
  // The fixtures' case lies at [116.41, 39.91]; about 85 m east of it:
  const nearby: [number, number] = [116.411, 39.91];

  it('records where the grid worker verified and checked, with the distance from the case', () => {
    const verified = run(
      stateIn('reported'),
      { type: 'verify', confirmed: true, position: nearby },
      actors.gridWorker,
    );
    expect(verified.verification).toMatchObject({ position: nearby, distanceM: 85 });
    const passed = run(stateIn('checking'), { type: 'checkPass', position: nearby }, actors.gridWorker);
    expect(passed.checks.at(-1)).toMatchObject({ passed: true, position: nearby, distanceM: 85 });
    const failed = run(
      stateIn('checking'),
      { type: 'checkFail', reason: 'loose', position: nearby },
      actors.gridWorker,
    );
    expect(failed.checks.at(-1)).toMatchObject({ passed: false, position: nearby, distanceM: 85 });
  });

  it('leaves the record without a position when the device sent none', () => {
    const passed = run(stateIn('checking'), { type: 'checkPass' }, actors.gridWorker);
    expect(passed.checks.at(-1)).not.toHaveProperty('position');
    expect(passed.checks.at(-1)).not.toHaveProperty('distanceM');
  });
});
