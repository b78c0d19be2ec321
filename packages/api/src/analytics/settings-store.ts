import { defaultScoreWeights, type ScoreWeights, ScoreWeightsSchema } from '@civicgrid/domain';
import type { KeySpec, TenantStore } from '@civicgrid/storage';

export const weightsKey: KeySpec = { pk: ['settings'], sk: ['analytics-weights'] };

export const storedWeights = (tenant: TenantStore) =>
  tenant.get<ScoreWeights>(weightsKey, { consistentRead: true });

/** The tenant's composite-score weights, the defaults until its admin sets them. */
export const tenantWeights = async (tenant: TenantStore): Promise<ScoreWeights> => {
  const stored = await storedWeights(tenant);
  const parsed = stored ? ScoreWeightsSchema.safeParse(stored.data) : undefined;
  return parsed?.success ? parsed.data : defaultScoreWeights;
};
