import { AppError, type Clock, type Principal, routeCase } from '@civicgrid/domain';
import type { DomainEvent, EventPublisher } from '@civicgrid/queue';
import type { Store } from '@civicgrid/storage';
import { tenantCatalog } from '../catalog/catalog-store';
import { findCase } from './case-store';
import { commandCase } from './service';

export interface AutomationDeps {
  store: Store;
  clock: Clock;
  events: EventPublisher;
}

/** Acting for the center that runs the case, and saying so in the log and the audit. */
const centerOf = (tenantId: string, level: 'street' | 'district', orgCode: string): Principal => ({
  tenantId,
  userId: 'system:auto-dispatch',
  role: level === 'street' ? 'street_center' : 'district_center',
  scope: { kind: 'org', code: orgCode },
});

/**
 * After registration, dispatch by the duty catalog (派遣 without a human in the loop) when the
 * category routes to one department; otherwise the center routes it by hand. Safe to run twice:
 * a case already dispatched is left alone.
 */
export const autoDispatch = (deps: AutomationDeps) => async (event: DomainEvent) => {
  if (event.type !== 'case.registered') return;
  const tenant = deps.store.tenant(event.tenantId);
  const current = await findCase(tenant, event.aggregate.id);
  if (current?.data.status !== 'registered' || !current.data.categoryCode) return;
  const { catalog } = await tenantCatalog(tenant);
  const route = routeCase(
    catalog,
    current.data.categoryCode,
    current.data.location.gridCode ?? current.data.handlingOrgCode,
  );
  if (route.kind !== 'routed') return;
  try {
    await commandCase(
      {
        tenant,
        principal: centerOf(event.tenantId, current.data.level, current.data.handlingOrgCode),
        requestId: event.requestId ?? event.id,
        clock: deps.clock,
        events: deps.events,
        // Automation cites no attachments.
        assertUploaded: async (ids) => {
          if (ids.length > 0) throw new AppError('validation_failed', 'automation cites no attachments');
        },
      },
      current.data.id,
      { type: 'dispatch', departmentIds: [route.departmentId], catalogVersion: route.catalogVersion },
    );
  } catch (error) {
    // Someone dispatched in the meantime: nothing left to do.
    if (error instanceof AppError && error.status === 409) return;
    throw error;
  }
};

/** The case loop's reactions to its own events, run by the events worker. */
export const caseReactions = (deps: AutomationDeps) => [autoDispatch(deps)];
