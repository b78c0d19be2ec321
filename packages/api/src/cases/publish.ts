import type { CaseEvent, CaseState } from '@civicgrid/domain';
import { toDomainEvents } from '../events/aggregate-log';

/** Case events for the queue, with the case's position after them (who acts next). */
export const caseDomainEvents = (state: CaseState, events: readonly CaseEvent[], requestId: string) =>
  toDomainEvents({ type: 'case', id: state.id, tenantId: state.tenantId }, events, requestId, {
    status: state.status,
    handlingOrgCode: state.handlingOrgCode,
    ...(state.location.gridCode ? { gridCode: state.location.gridCode } : {}),
    departmentIds: state.assignments.map((a) => a.departmentId),
    ...(state.reporter.kind === 'citizen' ? { reporterUserId: state.reporter.userId } : {}),
  });
