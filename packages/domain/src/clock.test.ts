import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock';

describe('ManualClock', () => {
  it('moves only when told, and never backwards', () => {
    const clock = new ManualClock('2026-01-05T08:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-01-05T08:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-01-05T08:01:30.000Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
