import type { KeySpec, NewItem, TenantStore } from '@civicgrid/storage';

export type ComponentStatus = 'in_service' | 'damaged' | 'removed';

/** A city component (城市部件): a manhole cover, a street light, a sign… */
export interface CityComponent {
  /** The component's own code; key segment, QR content and what a grid worker reads out. */
  code: string;
  /** A component-type category of the tenant's duty catalog, e.g. 'C01-01'. */
  categoryCode: string;
  name?: string;
  /** WGS84 [longitude, latitude]. */
  location: [number, number];
  /** Derived from the location: the grid whose boundary holds it. */
  gridCode: string;
  /** Who maintains it (权属单位). */
  ownerDepartmentId: string;
  status: ComponentStatus;
  /** Derived from tenant and code when created; printed, so it never changes. */
  qrPayload: string;
}

export const componentKey = (code: string): KeySpec => ({ pk: ['component', code], sk: ['profile'] });

/** GSI1 lists a grid's components, for the grid worker's patrol and the grid's inventory. */
export const componentItem = (component: CityComponent): NewItem<CityComponent> => ({
  key: componentKey(component.code),
  entity: 'component',
  data: component,
  indexes: { GSI1: { pk: ['components-by-grid', component.gridCode], sk: [component.code] } },
});

export const findComponent = (tenant: TenantStore, code: string) =>
  tenant.get<CityComponent>(componentKey(code), { consistentRead: true });

export const componentsOfGrid = (
  tenant: TenantStore,
  gridCode: string,
  page: { limit: number; cursor?: string },
) => tenant.query<CityComponent>({ index: 'GSI1', pk: ['components-by-grid', gridCode], ...page });
