import {
  defaultChinaCalendar,
  type TenantCalendar,
  TenantCalendarSchema,
  WorkingCalendar,
} from '@civicgrid/domain';
import type { KeySpec, StoredItem, TenantStore } from '@civicgrid/storage';

export const calendarKey: KeySpec = { pk: ['settings'], sk: ['calendar'] };

export const storedCalendar = (tenant: TenantStore) =>
  tenant.get<TenantCalendar>(calendarKey, { consistentRead: true });

const nationalDefault = new WorkingCalendar(defaultChinaCalendar());
const built = new Map<string, { version: number; calendar: WorkingCalendar }>();

/**
 * The tenant's working calendar: its own when configured, the national one otherwise. Built
 * once per stored version, since parsing a year's holidays on every command is waste.
 */
export const tenantCalendar = async (tenant: TenantStore): Promise<WorkingCalendar> => {
  const stored: StoredItem<TenantCalendar> | undefined = await storedCalendar(tenant);
  if (!stored) return nationalDefault;
  const cached = built.get(tenant.tenantId);
  if (cached?.version === stored.version) return cached.calendar;
  const calendar = new WorkingCalendar(TenantCalendarSchema.parse(stored.data));
  built.set(tenant.tenantId, { version: stored.version, calendar });
  return calendar;
};
