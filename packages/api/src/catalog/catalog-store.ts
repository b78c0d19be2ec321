import {
  type DutyCatalog,
  defaultDutyCatalog,
  mergeCatalog,
  type TenantCatalogOverrides,
} from '@civicgrid/domain';
import type { KeySpec, NewItem, StoredItem, TenantStore } from '@civicgrid/storage';

/** One item per tenant: the overrides are small and always read and written whole. */
export const overridesKey: KeySpec = { pk: ['catalog'], sk: ['overrides'] };

export const overridesItem = (overrides: TenantCatalogOverrides): NewItem<TenantCatalogOverrides> => ({
  key: overridesKey,
  entity: 'catalog-overrides',
  data: overrides,
});

export const findOverrides = (tenant: TenantStore) =>
  tenant.get<TenantCatalogOverrides>(overridesKey, { consistentRead: true });

export interface TenantCatalog {
  /** The defaults with the tenant's overrides applied: what routes cases. */
  catalog: DutyCatalog;
  overrides?: StoredItem<TenantCatalogOverrides>;
}

/**
 * The tenant's working catalog. Merged on every read rather than stored merged, so that a new
 * release of the defaults reaches every tenant that did not override the changed entries.
 */
export const tenantCatalog = async (tenant: TenantStore): Promise<TenantCatalog> => {
  const overrides = await findOverrides(tenant);
  return overrides
    ? { catalog: mergeCatalog(defaultDutyCatalog, overrides.data), overrides }
    : { catalog: defaultDutyCatalog };
};
