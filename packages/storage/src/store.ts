import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '@civicgrid/domain';
import { TenantStore } from './tenant-store';

/** Entry point to the table; hands out stores bound to one tenant. */
export class Store {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  tenant(tenantId: string): TenantStore {
    return new TenantStore(this.client, this.tableName, tenantId, this.clock);
  }
}
