import { AppError, PLATFORM_TENANT, type TenantProfile } from '@civicgrid/domain';
import type { KeySpec, NewItem, Store, StoredItem } from '@civicgrid/storage';

export type TenantStatus = 'onboarding' | 'active' | 'suspended';
export type TenantRecord = TenantProfile & { status: TenantStatus };

export const tenantKey = (tenantId: string): KeySpec => ({ pk: ['tenant', tenantId], sk: ['profile'] });

export const tenantItem = (tenant: TenantRecord): NewItem<TenantRecord> => ({
  key: tenantKey(tenant.id),
  entity: 'tenant',
  data: tenant,
  indexes: { GSI1: { pk: ['tenants'], sk: [tenant.id] } },
});

/** The tenant registry is the platform's own data, kept under its pseudo-tenant. */
export const platformStore = (store: Store) => store.tenant(PLATFORM_TENANT);

export const findTenant = (store: Store, tenantId: string): Promise<StoredItem<TenantRecord> | undefined> =>
  platformStore(store).get<TenantRecord>(tenantKey(tenantId), { consistentRead: true });

/** Every request of a city tenant's user passes here: only an active tenant may act. */
export const assertTenantActive = async (deps: { store: Store }, tenantId: string) => {
  const record = await findTenant(deps.store, tenantId);
  if (!record || record.data.status === 'onboarding') {
    throw new AppError('invalid_token', 'The token names no active tenant.');
  }
  if (record.data.status === 'suspended') {
    throw new AppError(
      'tenant_suspended',
      'This tenant is suspended; its data is kept. Contact the platform operator.',
    );
  }
};

/** Every city tenant that is active: whom the scheduled jobs work for. */
export const activeTenantIds = async (store: Store): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await platformStore(store).query<TenantRecord>({
      index: 'GSI1',
      pk: ['tenants'],
      limit: 100,
      cursor,
    });
    ids.push(...page.items.filter((i) => i.data.status === 'active').map((i) => i.data.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
};
