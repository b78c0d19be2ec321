import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { allowedCaseCommands, type CaseActionType, urgingsToAcknowledge } from './allowed';
import { type CaseState, caseStatuses } from './case';
import type { CaseCommandInput } from './commands';
import { actors, categoryCode, decideAt, report, run, stateIn } from './fixtures.test-support';
import type { CaseActor } from './machine';

/**
 * What a caller could really send, several ways where the choice matters (which departments,
 * which extension or urging, which primary), independent of the probes `allowedCaseCommands` uses.
 */
const candidates = (state: CaseState): Record<CaseActionType, CaseCommandInput[]> => {
  const primary = report();
  return {
    verify: [
      { type: 'verify', confirmed: true },
      { type: 'verify', confirmed: false },
    ],
    register: [{ type: 'register', categoryCode }],
    reject: [{ type: 'reject', reason: 'not public' }],
    dispatch: ['traffic', 'market-reg', 'urban-mgmt'].map((id) => ({
      type: 'dispatch',
      departmentIds: [id],
    })),
    accept: [{ type: 'accept' }],
    return: [{ type: 'return', reason: 'not ours' }],
    handle: [{ type: 'handle', result: 'fixed', evidenceIds: ['photo-2'] }],
    startCheck: [{ type: 'startCheck' }],
    checkPass: [{ type: 'checkPass' }],
    checkFail: [{ type: 'checkFail', reason: 'still broken' }],
    evaluate: [{ type: 'evaluate', satisfaction: 4 }],
    escalate: [{ type: 'escalate', reason: 'beyond the street' }],
    requestExtension: [{ type: 'requestExtension', reason: 'rain', until: '2027-06-01T00:00:00Z' }],
    approveExtension: [1, 2, 3].map((id) => ({ type: 'approveExtension', extensionId: id })),
    rejectExtension: [1, 2, 3].map((id) => ({ type: 'rejectExtension', extensionId: id, reason: 'no' })),
    suspend: [{ type: 'suspend', reason: 'needs a plan' }],
    resume: [{ type: 'resume' }],
    merge: [
      {
        type: 'merge',
        primary: {
          id: primary.id,
          tenantId: primary.tenantId,
          status: primary.status,
          handlingOrgCode: state.handlingOrgCode,
        },
      },
    ],
    void: [{ type: 'void', reason: 'entered twice' }],
    urge: [{ type: 'urge', message: 'please hurry' }],
    acknowledgeUrging: [1, 2, 3].map((id) => ({ type: 'acknowledgeUrging', urgingId: id })),
  };
};

const accepts = (state: CaseState, command: CaseCommandInput, actor: CaseActor) => {
  try {
    decideAt(state, command, actor);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
};

const extended = (): CaseState => {
  const accepted = stateIn('accepted', { channel: 'patrol' });
  return run(
    accepted,
    { type: 'requestExtension', reason: 'rain', until: '2027-01-01T00:00:00Z' },
    actors.urbanMgmt,
  );
};

const urged = (status: 'reported' | 'dispatched' | 'handled'): CaseState =>
  run(
    stateIn(status, { channel: status === 'reported' ? 'citizen' : 'patrol' }),
    { type: 'urge', message: 'hurry' },
    actors.street,
  );

// Every status on both loops, for staff and citizen reports, and the records that open actions.
const states: { name: string; state: CaseState }[] = [
  ...caseStatuses.flatMap((status) =>
    (['citizen', 'patrol'] as const).flatMap((channel) =>
      (['street', 'district'] as const).flatMap((level) =>
        status === 'verifying' && channel === 'patrol'
          ? []
          : [{ name: `${status}/${channel}/${level}`, state: stateIn(status, { channel, level }) }],
      ),
    ),
  ),
  {
    name: 'two departments, one handled',
    state: (() => {
      const both = stateIn('accepted', { channel: 'patrol', departments: ['urban-mgmt', 'traffic'] });
      return run(both, { type: 'handle', result: 'done', evidenceIds: ['p'] }, actors.urbanMgmt);
    })(),
  },
  { name: 'extension pending', state: extended() },
  { name: 'urged at the grid', state: urged('reported') },
  { name: 'urged departments', state: urged('dispatched') },
  { name: 'urged check', state: urged('handled') },
];

describe('allowedCaseCommands', () => {
  it('lists a command exactly when the machine accepts some way of sending it, for every state × actor', () => {
    const mismatches: string[] = [];
    let accepted = 0;
    for (const { name, state } of states) {
      const tries = candidates(state);
      for (const [actorName, actor] of Object.entries(actors)) {
        const listed = allowedCaseCommands(state, actor);
        for (const type of Object.keys(tries) as CaseActionType[]) {
          const ok = tries[type].some((command) => accepts(state, command, actor));
          if (ok) accepted += 1;
          if (listed.includes(type) !== ok) mismatches.push(`${name} ${actorName} ${type}: listed ${!ok}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // The comparison means something only if the machine accepts a good many of them.
    expect(accepted).toBeGreaterThan(150);
  });

  it('leaves a department nothing once its result is in, and gives the grid worker the check', () => {
    const handled = stateIn('handled', { channel: 'patrol' });
    expect(allowedCaseCommands(handled, actors.urbanMgmt)).toEqual([]);
    expect(allowedCaseCommands(handled, actors.gridWorker)).toEqual(['startCheck']);
    expect(allowedCaseCommands(handled, actors.otherGridWorker)).toEqual([]);
    expect(allowedCaseCommands(stateIn('checking'), actors.gridWorker)).toEqual(['checkPass', 'checkFail']);
  });

  it('offers a pending extension to the center and acknowledging an urging only to whom it is addressed', () => {
    expect(allowedCaseCommands(extended(), actors.street)).toEqual(
      expect.arrayContaining(['approveExtension', 'rejectExtension']),
    );
    expect(allowedCaseCommands(extended(), actors.urbanMgmt)).not.toContain('requestExtension');
    const state = urged('dispatched');
    expect(allowedCaseCommands(state, actors.urbanMgmt)).toContain('acknowledgeUrging');
    expect(allowedCaseCommands(state, actors.marketReg)).not.toContain('acknowledgeUrging');
    expect(urgingsToAcknowledge(state, actors.urbanMgmt)).toEqual([1]);
    expect(urgingsToAcknowledge(state, actors.marketReg)).toEqual([]);
    const acknowledged = run(state, { type: 'acknowledgeUrging', urgingId: 1 }, actors.urbanMgmt);
    expect(allowedCaseCommands(acknowledged, actors.urbanMgmt)).not.toContain('acknowledgeUrging');
    expect(urgingsToAcknowledge(acknowledged, actors.urbanMgmt)).toEqual([]);
  });
});
