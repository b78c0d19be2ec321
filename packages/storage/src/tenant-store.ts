import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type Clock,
  ConflictError,
  NotFoundError,
  type Page,
  systemClock,
  TenantIdSchema,
} from '@civicgrid/domain';
import { decodeCursor, encodeCursor } from './cursor';
import { type ItemKey, itemKey, type KeyParts, type KeySpec, partitionKey, sortKey } from './keys';
import { type IndexName, tableDefinition } from './table';

export type IndexKeys = Partial<Record<IndexName, KeySpec>>;

export interface NewItem<T> {
  key: KeySpec;
  /** The kind of record, e.g. 'case'; lets a partition hold several kinds. */
  entity: string;
  data: T;
  indexes?: IndexKeys;
  /** Epoch seconds after which DynamoDB's TTL may delete the item. */
  expiresAt?: number;
}

export interface StoredItem<T> {
  PK: string;
  SK: string;
  entity: string;
  tenantId: string;
  data: T;
  /** Starts at 1 and grows by one on every write; the optimistic lock. */
  version: number;
  createdAt: string;
  updatedAt: string;
  expiresAt?: number;
}

/** An item as clients see it: its data, the version they send back to change it, and its times. */
export type Versioned<T> = T & { version: number; createdAt: string; updatedAt: string };

export const versioned = <T>(item: StoredItem<T>): Versioned<T> => ({
  ...item.data,
  version: item.version,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

export type TransactOp<T = unknown> =
  | { kind: 'create'; item: NewItem<T> }
  | { kind: 'replace'; item: NewItem<T>; previous: Previous }
  /** Unconditional: for derived items (inbox entries, indexes) that only their owner writes. */
  | { kind: 'put'; item: NewItem<T> }
  | { kind: 'delete'; key: KeySpec; expectedVersion?: number }
  | { kind: 'check'; key: KeySpec; expectedVersion: number };

export interface QueryOptions {
  index?: IndexName;
  pk: KeyParts;
  skBeginsWith?: KeyParts;
  /** Inclusive range on the sort key. */
  skBetween?: [KeyParts, KeyParts];
  limit?: number;
  cursor?: string;
  descending?: boolean;
  consistentRead?: boolean;
}

/** What a writer read before changing an item: the version it expects to overwrite. */
export type Previous = Pick<StoredItem<unknown>, 'version' | 'createdAt'>;

const MAX_TRANSACTION_ITEMS = 100;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * All reads and writes of one tenant. It is built from a tenant id taken from a verified
 * identity and builds every key itself, so no caller can address another tenant's items.
 */
export class TenantStore {
  readonly tenantId: string;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    tenantId: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.tenantId = TenantIdSchema.parse(tenantId);
  }

  key(spec: KeySpec): ItemKey {
    return itemKey(this.tenantId, spec);
  }

  async get<T>(
    spec: KeySpec,
    options: { consistentRead?: boolean } = {},
  ): Promise<StoredItem<T> | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: this.key(spec),
        ConsistentRead: options.consistentRead,
      }),
    );
    return result.Item as StoredItem<T> | undefined;
  }

  async getOrThrow<T>(spec: KeySpec, what = 'Item'): Promise<StoredItem<T>> {
    const item = await this.get<T>(spec, { consistentRead: true });
    if (!item) throw new NotFoundError(`${what} not found.`);
    return item;
  }

  async create<T>(item: NewItem<T>): Promise<StoredItem<T>> {
    const record = this.record(item, 1);
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, ...this.createWrite(record) }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError('already_exists', `${item.entity} already exists.`);
      }
      throw error;
    }
    return record;
  }

  /** Overwrites an item only if nobody wrote it since it was read as `previous`. */
  async replace<T>(item: NewItem<T>, previous: Previous): Promise<StoredItem<T>> {
    const record = this.record(item, previous.version + 1, previous.createdAt);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          ...this.versionedWrite(record, previous.version),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw this.lostRace(item.entity, error.Item);
      throw error;
    }
    return record;
  }

  async delete(spec: KeySpec, expectedVersion?: number): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: this.key(spec),
          ...(expectedVersion === undefined
            ? {}
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw this.lostRace('Item', error.Item);
      throw error;
    }
  }

  /** All or nothing: if one condition fails, none of the writes happen. */
  async transact(ops: readonly TransactOp[]): Promise<void> {
    if (ops.length === 0) return;
    if (ops.length > MAX_TRANSACTION_ITEMS) {
      throw new Error(`a transaction holds at most ${MAX_TRANSACTION_ITEMS} items, got ${ops.length}`);
    }
    const items = ops.map((op) => this.transactItem(op));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = (error.CancellationReasons ?? []).map((reason, index) => ({
          index,
          code: reason.Code ?? 'None',
        }));
        throw new ConflictError('transaction_conflict', 'The change conflicts with a concurrent change.', {
          failed: reasons.filter((r) => r.code !== 'None'),
        });
      }
      throw error;
    }
  }

  async query<T>(options: QueryOptions): Promise<Page<StoredItem<T>>> {
    const index = options.index ? tableDefinition.indexes.find((i) => i.name === options.index) : undefined;
    const pkName = index?.partitionKey ?? tableDefinition.partitionKey;
    const skName = index?.sortKey ?? tableDefinition.sortKey;
    const pkValue = partitionKey(this.tenantId, options.pk);
    const names: Record<string, string> = { '#pk': pkName };
    const values: Record<string, unknown> = { ':pk': pkValue };
    let condition = '#pk = :pk';
    if (options.skBeginsWith) {
      names['#sk'] = skName;
      values[':sk'] = sortKey(options.skBeginsWith);
      condition += ' AND begins_with(#sk, :sk)';
    } else if (options.skBetween) {
      names['#sk'] = skName;
      values[':from'] = sortKey(options.skBetween[0]);
      values[':to'] = sortKey(options.skBetween[1]);
      condition += ' AND #sk BETWEEN :from AND :to';
    }
    const keyAttributes = [
      tableDefinition.partitionKey,
      tableDefinition.sortKey,
      ...(index ? [index.partitionKey, index.sortKey] : []),
    ];
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index?.name,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: options.limit ?? 20,
      ScanIndexForward: !options.descending,
      ConsistentRead: index ? undefined : options.consistentRead,
      ExclusiveStartKey: options.cursor
        ? decodeCursor(options.cursor, {
            partitionAttribute: pkName,
            partitionValue: pkValue,
            attributes: keyAttributes,
          })
        : undefined,
    };
    const result = await this.client.send(new QueryCommand(input));
    const items = (result.Items ?? []) as StoredItem<T>[];
    return result.LastEvaluatedKey ? { items, nextCursor: encodeCursor(result.LastEvaluatedKey) } : { items };
  }

  private transactItem(op: TransactOp): TransactItem {
    switch (op.kind) {
      case 'create':
        return { Put: { TableName: this.tableName, ...this.createWrite(this.record(op.item, 1)) } };
      case 'put':
        return { Put: { TableName: this.tableName, Item: this.record(op.item, 1) } };
      case 'replace': {
        const record = this.record(op.item, op.previous.version + 1, op.previous.createdAt);
        return { Put: { TableName: this.tableName, ...this.versionedWrite(record, op.previous.version) } };
      }
      case 'delete':
        return {
          Delete: {
            TableName: this.tableName,
            Key: this.key(op.key),
            ...(op.expectedVersion === undefined ? {} : this.versionCondition(op.expectedVersion)),
          },
        };
      case 'check':
        return {
          ConditionCheck: {
            TableName: this.tableName,
            Key: this.key(op.key),
            ...this.versionCondition(op.expectedVersion),
          },
        };
      default:
        return op satisfies never;
    }
  }

  private record<T>(item: NewItem<T>, version: number, createdAt?: string): StoredItem<T> {
    const now = this.clock.now().toISOString();
    const record: StoredItem<T> & Record<string, unknown> = {
      ...this.key(item.key),
      entity: item.entity,
      tenantId: this.tenantId,
      data: item.data,
      version,
      createdAt: createdAt ?? now,
      updatedAt: now,
    };
    if (item.expiresAt !== undefined) record.expiresAt = item.expiresAt;
    for (const index of tableDefinition.indexes) {
      const spec = item.indexes?.[index.name];
      if (spec) {
        record[index.partitionKey] = partitionKey(this.tenantId, spec.pk);
        record[index.sortKey] = sortKey(spec.sk);
      }
    }
    return record;
  }

  private createWrite(record: StoredItem<unknown>) {
    return {
      Item: record,
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': tableDefinition.partitionKey },
    };
  }

  private versionedWrite(record: StoredItem<unknown>, expectedVersion: number) {
    return { Item: record, ...this.versionCondition(expectedVersion) };
  }

  private versionCondition(expectedVersion: number) {
    return {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    };
  }

  /** `current` is the raw item DynamoDB returns when a condition fails (ALL_OLD). */
  private lostRace(what: string, current: ConditionalCheckFailedException['Item']) {
    if (!current) return new NotFoundError(`${what} not found.`);
    return new ConflictError('version_conflict', `${what} was changed by someone else; reload and retry.`, {
      currentVersion: unmarshall(current).version,
    });
  }
}
