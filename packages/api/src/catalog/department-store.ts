import type { Department } from '@civicgrid/domain';
import type { KeySpec, NewItem, StoredItem, TenantStore } from '@civicgrid/storage';

export const departmentKey = (id: string): KeySpec => ({ pk: ['department', id], sk: ['profile'] });

/** GSI1 lists a tenant's departments by id, for the console and for catalog validation. */
export const departmentItem = (department: Department): NewItem<Department> => ({
  key: departmentKey(department.id),
  entity: 'department',
  data: department,
  indexes: { GSI1: { pk: ['departments'], sk: [department.id] } },
});

export const findDepartment = (tenant: TenantStore, id: string) =>
  tenant.get<Department>(departmentKey(id), { consistentRead: true });

export const listDepartments = (tenant: TenantStore, page: { limit: number; cursor?: string }) =>
  tenant.query<Department>({ index: 'GSI1', pk: ['departments'], ...page });

/** Every department of the tenant; a city has tens of them, so a few pages at most. */
export const allDepartments = async (tenant: TenantStore): Promise<StoredItem<Department>[]> => {
  const all: StoredItem<Department>[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDepartments(tenant, { limit: 500, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
};
