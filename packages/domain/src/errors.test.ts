import { describe, expect, it } from 'vitest';
import { AppError, ConflictError, errorStatus, NotFoundError } from './errors';

describe('errors', () => {
  it('carry a machine-readable code and the status that goes with it', () => {
    const conflict = new ConflictError('version_conflict', 'stale', { currentVersion: 3 });
    expect(conflict.status).toBe(409);
    expect(conflict.toBody()).toEqual({
      error: { code: 'version_conflict', message: 'stale', details: { currentVersion: 3 } },
    });
    expect(new NotFoundError('gone').toBody()).toEqual({ error: { code: 'not_found', message: 'gone' } });
    expect(new AppError('rate_limited', 'slow down').status).toBe(429);
  });

  it('map every code to a 4xx, except the one for bugs', () => {
    for (const [code, status] of Object.entries(errorStatus)) {
      if (code === 'internal_error') expect(status).toBe(500);
      else {
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
      }
    }
  });
});
