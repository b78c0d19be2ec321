import { type CaseEvent, type CaseState, newId } from '@civicgrid/domain';
import type { DomainEvent } from '@civicgrid/queue';

/**
 * What the asynchronous side (notifications, read models) learns of a case event: the event
 * itself plus where the case stands after it, so handlers need not read the case back.
 */
export const toDomainEvents = (
  state: CaseState,
  events: readonly CaseEvent[],
  requestId: string,
): DomainEvent[] =>
  events.map((event) => ({
    id: newId(new Date(event.at).getTime()),
    type: event.type,
    tenantId: state.tenantId,
    aggregate: { type: 'case', id: event.caseId },
    occurredAt: event.at,
    actor: { userId: event.actor.userId, role: event.actor.role },
    requestId,
    payload: {
      status: state.status,
      handlingOrgCode: state.handlingOrgCode,
      ...(state.location.gridCode ? { gridCode: state.location.gridCode } : {}),
      departmentIds: state.assignments.map((a) => a.departmentId),
      ...(state.reporter.kind === 'citizen' ? { reporterUserId: state.reporter.userId } : {}),
    },
  }));
