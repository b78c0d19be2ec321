import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock, TenantIdSchema } from '@civicgrid/domain';
import { Store } from './store';
import { TenantStore } from './tenant-store';

/** Hands out a DynamoDB client whose credentials reach only the given tenant's items. */
export type TenantClientFactory = (tenantId: string) => DynamoDBDocumentClient;

/**
 * A Store whose tenant stores each use a client with credentials scoped to their tenant (on AWS:
 * an assumed role whose session tag names the tenant, and a `dynamodb:LeadingKeys` policy on it).
 * Application code keeps calling `store.tenant(id)`; if it ever built a key for another tenant,
 * DynamoDB itself would refuse the call.
 *
 * `client` (the base client) stays for the few callers that are not a tenant, such as the rate
 * limiter's counters under the `public` pseudo-tenant; its own credentials are meant to be narrow.
 */
export class TenantScopedStore extends Store {
  private readonly tenantClock: Clock;

  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    private readonly clientFor: TenantClientFactory,
    clock: Clock = systemClock,
  ) {
    super(client, tableName, clock);
    this.tenantClock = clock;
  }

  override tenant(tenantId: string): TenantStore {
    const id = TenantIdSchema.parse(tenantId);
    return new TenantStore(this.clientFor(id), this.tableName, id, this.tenantClock);
  }
}
