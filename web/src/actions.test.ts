import { AppError, type CaseCommandInput, type CaseCommandType, caseStatuses } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import {
  actors,
  categoryCode,
  decideAt,
  stateIn,
} from '../../packages/domain/src/cases/fixtures.test-support';
import { allowedCommands, bucketOf, type CaseView, pendingUrgings, type Viewer } from './actions';

const viewerOf = (actor: (typeof actors)[keyof typeof actors]): Viewer => ({
  id: actor.userId,
  role: actor.role,
  scope: actor.scope as Viewer['scope'],
});

/** A valid body for each command the console offers without first picking a record. */
const samples: Partial<Record<CaseCommandType, CaseCommandInput>> = {
  verify: { type: 'verify', confirmed: true },
  register: { type: 'register', categoryCode },
  reject: { type: 'reject', reason: 'not public' },
  dispatch: { type: 'dispatch', departmentIds: ['traffic'] },
  accept: { type: 'accept' },
  return: { type: 'return', reason: 'not ours' },
  handle: { type: 'handle', result: 'fixed', evidenceIds: ['photo-2'] },
  startCheck: { type: 'startCheck' },
  checkPass: { type: 'checkPass' },
  checkFail: { type: 'checkFail', reason: 'still broken' },
  evaluate: { type: 'evaluate', satisfaction: 4 },
  escalate: { type: 'escalate', reason: 'beyond the street' },
  suspend: { type: 'suspend', reason: 'needs a plan' },
  resume: { type: 'resume' },
  void: { type: 'void', reason: 'entered twice' },
  urge: { type: 'urge', message: 'please hurry' },
};

const accepts = (state: CaseView, command: CaseCommandInput, actor: (typeof actors)[keyof typeof actors]) => {
  try {
    decideAt(state, command, actor);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
};

describe('allowedCommands', () => {
  // Every status the fixtures reach, on both loops and for staff and citizen reports.
  const states = caseStatuses.flatMap((status) =>
    (['citizen', 'patrol'] as const).flatMap((channel) =>
      (['street', 'district'] as const).flatMap((level) =>
        // Patrol reports skip verification: there is no such state to build.
        status === 'verifying' && channel === 'patrol'
          ? []
          : [
              {
                name: `${status}/${channel}/${level}`,
                state: stateIn(status, { channel, level }) as CaseView,
              },
            ],
      ),
    ),
  );

  it('offers a command exactly when the case machine would accept it from that actor', () => {
    const mismatches: string[] = [];
    let accepted = 0;
    for (const { name, state } of states) {
      for (const [actorName, actor] of Object.entries(actors)) {
        const offered = allowedCommands(state, viewerOf(actor));
        for (const [type, command] of Object.entries(samples)) {
          const ok = accepts(state, command as CaseCommandInput, actor);
          if (ok) accepted += 1;
          if (offered.includes(type as never) !== ok) {
            mismatches.push(`${name} ${actorName} ${type}: offered ${!ok}, accepted ${ok}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    // The comparison means something only if the machine accepts a good many of them.
    expect(accepted).toBeGreaterThan(100);
  });

  it('leaves a department nothing to do once its result is in', () => {
    const handled = stateIn('handled', { channel: 'patrol' }) as CaseView;
    expect(allowedCommands(handled, viewerOf(actors.urbanMgmt))).toEqual([]);
    expect(allowedCommands(handled, viewerOf(actors.gridWorker))).toEqual(['startCheck']);
  });

  it('offers acknowledging an urging only to whom it is addressed, once', () => {
    const state = stateIn('dispatched', { channel: 'patrol' }) as CaseView;
    const urged = {
      ...state,
      urgings: [
        {
          id: 1,
          at: state.reportedAt,
          by: { userId: 'sc', role: 'street_center' as const },
          message: 'hurry',
          overdue: false,
          target: { kind: 'departments' as const, departmentIds: ['urban-mgmt'] },
          acknowledgements: [],
        },
      ],
    };
    expect(pendingUrgings(urged, viewerOf(actors.urbanMgmt))).toHaveLength(1);
    expect(allowedCommands(urged, viewerOf(actors.urbanMgmt))).toContain('acknowledgeUrging');
    expect(pendingUrgings(urged, viewerOf(actors.marketReg))).toHaveLength(0);
    const acknowledged = {
      ...urged,
      urgings: urged.urgings.map((u) => ({
        ...u,
        acknowledgements: [{ at: u.at, by: { userId: 'dp-urban-mgmt', role: 'department' as const } }],
      })),
    };
    expect(allowedCommands(acknowledged, viewerOf(actors.urbanMgmt))).not.toContain('acknowledgeUrging');
  });
});

describe('bucketOf', () => {
  it('sorts by the API’s deadline status', () => {
    const base = stateIn('reported') as CaseView;
    expect(bucketOf({ ...base, deadlineStatus: 'overdue' })).toBe('overdue');
    expect(bucketOf({ ...base, deadlineStatus: 'due_soon' })).toBe('due_soon');
    expect(bucketOf({ ...base, deadlineStatus: 'on_time' })).toBe('waiting');
    expect(bucketOf(base)).toBe('waiting');
  });
});
