import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, newId } from '@civicgrid/domain';
import { ensureTable, localClientConfig } from '@civicgrid/local';
import { createDocumentClient, Store } from '@civicgrid/storage';
import { inject } from 'vitest';

/** A fresh, empty table in the shared DynamoDB Local, so test files never see each other's data. */
export const createTestStore = async (clock?: Clock): Promise<Store> => {
  const config = localClientConfig(inject('dynamoEndpoint'));
  const tableName = `test-${newId().toLowerCase()}`;
  const admin = new DynamoDBClient(config);
  await ensureTable(admin, tableName);
  admin.destroy();
  return new Store(createDocumentClient(config), tableName, clock);
};
