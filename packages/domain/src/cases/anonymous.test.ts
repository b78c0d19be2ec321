import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { newId } from '../ids';
import { actors, anonymousReporter, decideAt, grid, run, stateIn } from './fixtures.test-support';

const forbiddenCode = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return (error.details as { code?: string } | undefined)?.code;
    throw error;
  }
  return undefined;
};

describe('anonymous reports (public page, Open311)', () => {
  it('records the minted reporter and sends the report to the grid worker to verify', () => {
    for (const channel of ['web', 'open311'] as const) {
      const state = run(
        undefined,
        {
          type: 'report',
          caseId: newId(),
          channel,
          description: '路灯不亮',
          location: { point: [116.41, 39.91], gridCode: grid },
          attachmentIds: [],
        },
        anonymousReporter,
      );
      expect(state.reporter).toEqual({ kind: 'anonymous', reporterId: anonymousReporter.userId });
      expect(state.deadline?.step).toBe('verify');
    }
  });

  it('refuses staff reporting through the anonymous channels', () => {
    const code = forbiddenCode(() =>
      decideAt(
        undefined,
        {
          type: 'report',
          caseId: newId(),
          channel: 'open311',
          description: 'x',
          location: { gridCode: grid },
          attachmentIds: [],
        },
        actors.street,
      ),
    );
    expect(code).toBe('channel_not_allowed');
  });

  it('lets the anonymous reporter or the center rate the closed case, nobody else', () => {
    const closed = stateIn('closed', { channel: 'web' });
    expect(forbiddenCode(() => decideAt(closed, { type: 'evaluate', satisfaction: 1 }, actors.citizen))).toBe(
      'not_reporter',
    );
    expect(run(closed, { type: 'evaluate', satisfaction: 4 }, anonymousReporter).status).toBe('evaluated');
    expect(run(closed, { type: 'evaluate', satisfaction: 3 }, actors.street).status).toBe('evaluated');
    expect(
      forbiddenCode(() => decideAt(closed, { type: 'evaluate', satisfaction: 3 }, actors.district)),
    ).toBe('wrong_level');
  });
});
