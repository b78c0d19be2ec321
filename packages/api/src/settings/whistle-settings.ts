import { defaultWhistleSettings, type WhistleSettings } from '@civicgrid/domain';
import type { KeySpec, TenantStore } from '@civicgrid/storage';

export const whistleSettingsKey: KeySpec = { pk: ['settings'], sk: ['whistles'] };

export const storedWhistleSettings = (tenant: TenantStore) =>
  tenant.get<WhistleSettings>(whistleSettingsKey, { consistentRead: true });

/** The city's report-by deadlines, blown-at-once kinds and off-site radius, or the defaults. */
export const tenantWhistleSettings = async (tenant: TenantStore): Promise<WhistleSettings> =>
  (await storedWhistleSettings(tenant))?.data ?? defaultWhistleSettings;
