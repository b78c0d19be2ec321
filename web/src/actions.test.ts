import { describe, expect, it } from 'vitest';
import { stateIn } from '../../packages/domain/src/cases/fixtures.test-support';
import { bucketOf, type CaseView, pointOf } from './actions';

// Which commands a case offers is the API's answer (`allowedCommands`), judged by the case
// machine: see packages/domain/src/cases/allowed.test.ts and test/api/cases-actions.test.ts.

describe('bucketOf', () => {
  it('sorts by the API’s deadline status', () => {
    const base = stateIn('reported') as CaseView;
    expect(bucketOf({ ...base, deadlineStatus: 'overdue' })).toBe('overdue');
    expect(bucketOf({ ...base, deadlineStatus: 'due_soon' })).toBe('due_soon');
    expect(bucketOf({ ...base, deadlineStatus: 'on_time' })).toBe('waiting');
    expect(bucketOf(base)).toBe('waiting');
  });
});

describe('pointOf', () => {
  it('reads a search summary’s point and an inbox case’s location alike', () => {
    const row = {
      id: 'x',
      status: 'reported',
      channel: 'citizen',
      reportedAt: '2026-05-01T00:00:00Z',
    } as const;
    expect(pointOf({ ...row, point: [116.4, 39.9] })).toEqual([116.4, 39.9]);
    expect(pointOf({ ...row, location: { point: [116.3, 39.8] } })).toEqual([116.3, 39.8]);
    expect(pointOf(row)).toBeUndefined();
  });
});
