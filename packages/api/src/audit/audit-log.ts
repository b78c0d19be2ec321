import { type Clock, newId, type Principal } from '@civicgrid/domain';
import type { NewItem, TransactOp } from '@civicgrid/storage';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { userId: string; role: string };
  requestId: string;
  /** e.g. 'user.create', 'user.disable' */
  action: string;
  target: { type: string; id: string };
  /** What changed, as the fields written (secrets never included). */
  changes?: Record<string, unknown>;
}

/** Entries are kept per month, newest last by id (a ULID), so a month pages in time order. */
export const auditPartition = (month: string) => ['audit', month];

/**
 * The audit entry of a write, as one more operation of the write's own transaction: either
 * both are stored or neither is.
 */
export const auditOp = (
  clock: Clock,
  input: {
    principal: Principal;
    requestId: string;
    action: string;
    target: AuditEntry['target'];
    changes?: Record<string, unknown>;
  },
): TransactOp => {
  const now = clock.now();
  const entry: AuditEntry = {
    id: newId(now.getTime()),
    at: now.toISOString(),
    actor: { userId: input.principal.userId, role: input.principal.role },
    requestId: input.requestId,
    action: input.action,
    target: input.target,
    ...(input.changes ? { changes: input.changes } : {}),
  };
  const item: NewItem<AuditEntry> = {
    key: { pk: auditPartition(entry.at.slice(0, 7)), sk: [entry.id] },
    entity: 'audit',
    data: entry,
  };
  return { kind: 'create', item };
};
