// Test fixtures; not exported from the package.
import { newId } from '@civicgrid/domain';
import type { DomainEvent } from './contracts';

export const makeEvent = (overrides: Partial<DomainEvent> = {}): DomainEvent => ({
  id: newId(),
  type: 'case.created',
  tenantId: 'demo-city',
  aggregate: { type: 'case', id: 'C-1' },
  occurredAt: '2026-01-05T08:00:00.000Z',
  actor: { userId: 'u-1', role: 'grid_worker' },
  requestId: 'req-1',
  payload: { title: 'manhole cover missing' },
  ...overrides,
});
