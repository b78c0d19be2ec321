import { describe, expect, it } from 'vitest';
import { buildCommand, commandFields } from './commands';

describe('buildCommand', () => {
  it('names the required fields still missing', () => {
    expect(buildCommand('handle', { result: '  ' })).toEqual({ missing: ['result', 'evidenceIds'] });
    expect(buildCommand('dispatch', { departmentIds: [] })).toEqual({ missing: ['departmentIds'] });
  });

  it('omits empty optional fields and converts numbers and times', () => {
    expect(buildCommand('dispatch', { departmentIds: ['urban-enforcement'], note: '' })).toEqual({
      body: { type: 'dispatch', departmentIds: ['urban-enforcement'] },
    });
    expect(buildCommand('evaluate', { satisfaction: '4', comment: ' good ' })).toEqual({
      body: { type: 'evaluate', satisfaction: 4, comment: 'good' },
    });
    const built = buildCommand('requestExtension', { reason: 'rain', until: '2026-12-01T10:00' });
    expect(built).toMatchObject({ body: { type: 'requestExtension', reason: 'rain' } });
    expect((built as { body: { until: string } }).body.until).toMatch(/^2026-12-0[12]T\d\d:00:00\.000Z$/);
  });

  it('sends an unticked confirmation as false, so verifying can say "not confirmed"', () => {
    expect(buildCommand('verify', {})).toEqual({ body: { type: 'verify', confirmed: false } });
    expect(buildCommand('verify', { confirmed: true })).toEqual({
      body: { type: 'verify', confirmed: true },
    });
  });

  it('asks nothing for commands without fields', () => {
    expect(commandFields.accept).toEqual([]);
    expect(buildCommand('accept', {})).toEqual({ body: { type: 'accept' } });
  });

  it('sends the device position as [lon, lat] when the phone gave one', () => {
    expect(buildCommand('checkPass', { position: '116.395,39.899' })).toEqual({
      body: { type: 'checkPass', position: [116.395, 39.899] },
    });
    expect(buildCommand('checkPass', {})).toEqual({ body: { type: 'checkPass' } });
  });
});
