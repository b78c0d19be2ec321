import type { CaseState } from '@civicgrid/domain';
import type { KeySpec, TransactOp } from '@civicgrid/storage';

/**
 * Open deadlines, one partition per UTC day they fall due on, so the sweeper reads only the
 * days around now instead of every case.
 */
export interface DeadlineEntry {
  caseId: string;
  step: string;
  dueAt: string;
}

const dayOf = (iso: string) => iso.slice(0, 10);

export const deadlineKey = (entry: Pick<DeadlineEntry, 'caseId' | 'dueAt'>): KeySpec => ({
  pk: ['case-deadlines', dayOf(entry.dueAt)],
  sk: [entry.dueAt, entry.caseId],
});

export const deadlinePartition = (day: string) => ['case-deadlines', day];

/** Keeps the index in step with the case: the old deadline goes, the new one comes. */
export const deadlineIndexOps = (previous: CaseState | undefined, next: CaseState): TransactOp[] => {
  const before = previous?.deadline;
  const after = next.deadline;
  if (before?.dueAt === after?.dueAt && before?.step === after?.step) return [];
  const ops: TransactOp[] = [];
  // Same due time, other step: the put below overwrites it (one transaction may not touch an item twice).
  if (before && before.dueAt !== after?.dueAt) {
    ops.push({ kind: 'delete', key: deadlineKey({ caseId: next.id, dueAt: before.dueAt }) });
  }
  if (after) {
    const entry: DeadlineEntry = { caseId: next.id, step: after.step, dueAt: after.dueAt };
    ops.push({ kind: 'put', item: { key: deadlineKey(entry), entity: 'case-deadline', data: entry } });
  }
  return ops;
};
