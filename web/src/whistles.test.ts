import { describe, expect, it } from 'vitest';
import { allowedWhistleCommands, countdown, type WhistleView } from './whistles';

const start = Date.parse('2026-03-02T01:00:00.000Z');
const at = (minutes: number) => new Date(start + minutes * 60_000);

// Which commands a whistle offers is the API's answer, judged by the whistle machine: see
// packages/domain/src/whistles/allowed.test.ts and test/api/whistles-actions.test.ts.
describe('allowedWhistleCommands', () => {
  it('offers the API’s list, less what the console has no form for', () => {
    const view = { allowedCommands: ['report', 'followUp', 'rateWhistle'] } as unknown as WhistleView;
    expect(allowedWhistleCommands(view)).toEqual(['report', 'rateWhistle']);
    expect(allowedWhistleCommands({} as WhistleView)).toEqual([]);
  });
});

describe('countdown', () => {
  it('counts down to report-by and then up, in days, hours and minutes', () => {
    expect(countdown('2026-03-02T03:30:00.000Z', at(0))).toEqual({
      overdue: false,
      days: 0,
      hours: 2,
      minutes: 30,
    });
    expect(countdown('2026-03-02T01:00:00.000Z', at(60 * 26 + 5))).toEqual({
      overdue: true,
      days: 1,
      hours: 2,
      minutes: 5,
    });
  });
});
