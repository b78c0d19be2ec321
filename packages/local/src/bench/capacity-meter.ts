// Counts DynamoDB capacity on a document client: what DynamoDB (Local) reports, and a model of what
// DynamoDB itself would bill, since DynamoDB Local leaves out index writes and may omit some ops.

import { AsyncLocalStorage } from 'node:async_hooks';
import { type Store, tableDefinition } from '@civicgrid/storage';

/** Where a DynamoDB call comes from: the API's request path unless tagged otherwise. */
export type Source = 'api' | 'worker';
export const source = new AsyncLocalStorage<Source>();

export interface Units {
  calls: number;
  failedCalls: number;
  /** Calls whose answer carried no ConsumedCapacity at all. */
  callsWithoutReport: number;
  reportedRead: number;
  reportedWrite: number;
  modelRead: number;
  modelWrite: number;
  /** Time spent waiting on DynamoDB, summed over calls (concurrent calls add up). */
  dynamoMs: number;
  /** Calls per operation, e.g. { TransactWriteItems: 1, Query: 3 }. */
  ops: Record<string, number>;
  /** Operations DynamoDB Local answered without capacity, or with zero. */
  unreportedOps: Record<string, number>;
}

export const emptyUnits = (): Units => ({
  calls: 0,
  failedCalls: 0,
  callsWithoutReport: 0,
  reportedRead: 0,
  reportedWrite: 0,
  modelRead: 0,
  modelWrite: 0,
  dynamoMs: 0,
  ops: {},
  unreportedOps: {},
});

/** The operations whose input takes ReturnConsumedCapacity (table admin calls do not). */
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems', 'ExecuteStatement']);
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

// DynamoDB's item size: attribute names plus values, numbers about one byte per two digits.
const valueSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/^-/, '').replace('.', '').replace(/e.*$/, '').replace(/^0+/, '');
    return Math.ceil(digits.length / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueSize(v), 0);
  return 3 + mapSize(value as Record<string, unknown>, 1);
};
const mapSize = (map: Record<string, unknown>, perEntry = 0) =>
  Object.entries(map).reduce(
    (n, [k, v]) => (v === undefined ? n : n + Buffer.byteLength(k) + perEntry + valueSize(v)),
    0,
  );

const KB = 1024;
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));
const readUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / (4 * KB)));

interface Known {
  size: number;
  /** Per index, its key as stored, or undefined when the item is not in that index. */
  indexKeys: (string | undefined)[];
}
type Item = Record<string, unknown>;
const keyOf = (key: Item) => `${key.PK}\u0000${key.SK}`;
const indexKeysOf = (item: Item) =>
  tableDefinition.indexes.map((i) =>
    item[i.partitionKey] === undefined || item[i.sortKey] === undefined
      ? undefined
      : `${item[i.partitionKey]}\u0000${item[i.sortKey]}`,
  );

// biome-ignore lint/suspicious/noExplicitAny: command inputs and outputs of every DynamoDB operation
type Any = any;

/**
 * Sets ReturnConsumedCapacity on every data call of `client`, sums what comes back per source,
 * and models the bill from item sizes (remembering the items it saw written, so that a replace
 * knows the old image and whether an index key moved).
 */
export class CapacityMeter {
  private readonly units: Record<Source, Units> = { api: emptyUnits(), worker: emptyUnits() };
  private readonly known = new Map<string, Known>();

  constructor(client: Store['client']) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const op = (context.commandName ?? '').replace(/Command$/, '');
        if (!READS.has(op) && !WRITES.has(op)) return next(args);
        const input = args.input as Any;
        input.ReturnConsumedCapacity = 'TOTAL';
        const bucket = this.units[source.getStore() ?? 'api'];
        bucket.calls += 1;
        bucket.ops[op] = (bucket.ops[op] ?? 0) + 1;
        const started = performance.now();
        try {
          const result = await next(args);
          const output = result.output as Any;
          this.addReported(bucket, op, output?.ConsumedCapacity);
          this.model(bucket, op, input, output, true);
          return result;
        } catch (error) {
          // Failed conditions are billed too; the items stay as they were.
          bucket.failedCalls += 1;
          this.model(bucket, op, input, undefined, false);
          throw error;
        } finally {
          bucket.dynamoMs += performance.now() - started;
        }
      },
      { step: 'initialize', name: 'benchConsumedCapacity' },
    );
  }

  reset(from: Source): void {
    this.units[from] = emptyUnits();
  }

  take(from: Source): Units {
    const taken = this.units[from];
    this.units[from] = emptyUnits();
    return taken;
  }

  private addReported(bucket: Units, op: string, consumed: unknown) {
    const entries = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Any[];
    let read = 0;
    let write = 0;
    for (const c of entries) {
      if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
        read += c.ReadCapacityUnits ?? 0;
        write += c.WriteCapacityUnits ?? 0;
      } else if (WRITES.has(op)) write += c.CapacityUnits ?? 0;
      else read += c.CapacityUnits ?? 0;
    }
    if (entries.length === 0) bucket.callsWithoutReport += 1;
    if (read + write === 0) bucket.unreportedOps[op] = (bucket.unreportedOps[op] ?? 0) + 1;
    bucket.reportedRead += read;
    bucket.reportedWrite += write;
  }

  /** Base table at 1 KB per write unit (doubled in a transaction), plus each index write it causes. */
  private writeCost(key: string, next: Item | undefined, transactional: boolean) {
    const old = this.known.get(key);
    const size = next ? mapSize(next) : 0;
    const oldSize = old?.size ?? 0;
    let units = writeUnits(Math.max(size, oldSize)) * (transactional ? 2 : 1);
    const newKeys = next ? indexKeysOf(next) : [];
    tableDefinition.indexes.forEach((_, i) => {
      const before = old?.indexKeys[i];
      const after = newKeys[i];
      if (before !== undefined && before === after) units += writeUnits(Math.max(size, oldSize));
      else {
        // A moved index key is a delete of the old index entry and a put of the new one.
        if (before !== undefined) units += writeUnits(oldSize);
        if (after !== undefined) units += writeUnits(size);
      }
    });
    return units;
  }

  private remember(key: string, next: Item | undefined) {
    if (next) this.known.set(key, { size: mapSize(next), indexKeys: indexKeysOf(next) });
    else this.known.delete(key);
  }

  private model(bucket: Units, op: string, input: Any, output: Any, succeeded: boolean) {
    const consistent = (i: Any) => (i?.ConsistentRead ? 1 : 0.5);
    switch (op) {
      case 'GetItem':
        bucket.modelRead += readUnits(output?.Item ? mapSize(output.Item) : 0) * consistent(input);
        return;
      case 'Query':
      case 'Scan': {
        // Rounded up on the items read together, not item by item.
        const bytes = ((output?.Items ?? []) as Item[]).reduce((n, item) => n + mapSize(item), 0);
        bucket.modelRead += readUnits(bytes) * consistent(input);
        return;
      }
      case 'TransactGetItems':
        for (const [i, _] of (input.TransactItems ?? []).entries()) {
          const item = output?.Responses?.[i]?.Item;
          bucket.modelRead += readUnits(item ? mapSize(item) : 0) * 2;
        }
        return;
      case 'PutItem': {
        const key = keyOf(input.Item);
        bucket.modelWrite += this.writeCost(key, input.Item, false);
        if (succeeded) this.remember(key, input.Item);
        return;
      }
      case 'DeleteItem': {
        const key = keyOf(input.Key);
        bucket.modelWrite += this.writeCost(key, undefined, false);
        if (succeeded) this.remember(key, undefined);
        return;
      }
      case 'UpdateItem':
        // The new image is not in the input; the small counters updated here fit in 1 KB.
        bucket.modelWrite += writeUnits(this.known.get(keyOf(input.Key))?.size ?? 0);
        return;
      case 'TransactWriteItems': {
        const applied: [string, Item | undefined][] = [];
        for (const entry of input.TransactItems ?? []) {
          if (entry.Put) {
            const key = keyOf(entry.Put.Item);
            bucket.modelWrite += this.writeCost(key, entry.Put.Item, true);
            applied.push([key, entry.Put.Item]);
          } else if (entry.Delete) {
            const key = keyOf(entry.Delete.Key);
            bucket.modelWrite += this.writeCost(key, undefined, true);
            applied.push([key, undefined]);
          } else {
            const key = keyOf((entry.Update ?? entry.ConditionCheck).Key);
            bucket.modelWrite += writeUnits(this.known.get(key)?.size ?? 0) * 2;
          }
        }
        if (succeeded) for (const [key, item] of applied) this.remember(key, item);
        return;
      }
      default:
        // Batch and PartiQL calls: not used by CivicGrid; counted as one unit each so they show.
        if (WRITES.has(op)) bucket.modelWrite += 1;
        else bucket.modelRead += 1;
    }
  }
}
