import { AppError, ConflictError, ManualClock, NotFoundError } from '@civicgrid/domain';
import type { NewItem, Store, TenantStore } from '@civicgrid/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStore } from '../support/store';

interface Note {
  text: string;
}

const note = (id: string, text = id): NewItem<Note> => ({
  key: { pk: ['note', id], sk: ['meta'] },
  entity: 'note',
  data: { text },
  indexes: { GSI1: { pk: ['notes'], sk: [id] } },
});

let store: Store;
let alpha: TenantStore;
let beta: TenantStore;
const clock = new ManualClock('2026-03-01T08:00:00Z');

beforeAll(async () => {
  store = await createTestStore(clock);
  alpha = store.tenant('alpha');
  beta = store.tenant('beta');
});

describe('keys', () => {
  it('prefix every partition key with the tenant id, including index keys', async () => {
    const created = await alpha.create(note('k1'));
    expect(created.PK).toBe('alpha#note#k1');
    const raw = (await alpha.get<Note>({ pk: ['note', 'k1'], sk: ['meta'] })) as unknown as Record<
      string,
      unknown
    >;
    expect(raw.GSI1PK).toBe('alpha#notes');
    expect(raw.tenantId).toBe('alpha');
  });

  it('refuses tenant ids and segments that could forge another key', () => {
    expect(() => store.tenant('alpha#beta')).toThrow();
    expect(() => alpha.key({ pk: ['note', 'a#b'], sk: ['meta'] })).toThrow(/invalid key segment/);
  });

  it('does not let one tenant read what another wrote', async () => {
    await alpha.create(note('secret'));
    expect(await beta.get({ pk: ['note', 'secret'], sk: ['meta'] })).toBeUndefined();
  });
});

describe('optimistic locking', () => {
  it('creates at version 1 and refuses a second create of the same key', async () => {
    const created = await alpha.create(note('once'));
    expect(created.version).toBe(1);
    await expect(alpha.create(note('once'))).rejects.toMatchObject({ code: 'already_exists', status: 409 });
  });

  it('gives a typed conflict when a write is based on a stale version', async () => {
    const first = await alpha.create(note('race', 'v1'));
    clock.advance(1000);
    const second = await alpha.replace(note('race', 'v2'), first);
    expect(second.version).toBe(2);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt).not.toBe(first.updatedAt);

    const stale = alpha.replace(note('race', 'lost update'), first);
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    const current = await alpha.getOrThrow<Note>({ pk: ['note', 'race'], sk: ['meta'] });
    expect(current.data.text).toBe('v2');
  });

  it('reports a replace of a missing item as not found', async () => {
    await expect(
      alpha.replace(note('ghost'), { version: 1, createdAt: clock.now().toISOString() }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes only at the expected version', async () => {
    const item = await alpha.create(note('del'));
    await expect(alpha.delete(note('del').key, 7)).rejects.toMatchObject({
      code: 'version_conflict',
    });
    await alpha.delete(note('del').key, item.version);
    expect(await alpha.get(note('del').key)).toBeUndefined();
  });
});

describe('transactions', () => {
  it('write every item or none', async () => {
    const existing = await alpha.create(note('tx-existing', 'before'));
    const attempt = alpha.transact([
      { kind: 'create', item: note('tx-new-1') },
      { kind: 'replace', item: note('tx-existing', 'after'), previous: { ...existing, version: 99 } },
      { kind: 'create', item: note('tx-new-2') },
    ]);
    await expect(attempt).rejects.toMatchObject({
      code: 'transaction_conflict',
      details: { failed: [{ index: 1, code: 'ConditionalCheckFailed' }] },
    });
    expect(await alpha.get(note('tx-new-1').key)).toBeUndefined();
    expect(await alpha.get(note('tx-new-2').key)).toBeUndefined();
    expect((await alpha.getOrThrow<Note>(note('tx-existing').key)).data.text).toBe('before');
  });

  it('commits all items when every condition holds', async () => {
    const existing = await alpha.create(note('tx-ok', 'before'));
    await alpha.transact([
      { kind: 'create', item: note('tx-ok-new') },
      { kind: 'replace', item: note('tx-ok', 'after'), previous: existing },
    ]);
    expect((await alpha.getOrThrow<Note>(note('tx-ok').key)).data.text).toBe('after');
    expect(await alpha.get(note('tx-ok-new').key)).toBeDefined();
  });
});

describe('pagination', () => {
  const collect = async (tenant: TenantStore, options: { index?: 'GSI1'; pk: string[]; limit: number }) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await tenant.query<Note>({ ...options, cursor });
      seen.push(...page.items.map((i) => i.data.text));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    return { seen, pages };
  };

  it('returns every item exactly once across pages, on the table and on an index', async () => {
    const gamma = store.tenant('gamma');
    const texts = Array.from({ length: 23 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
    for (const text of texts) {
      await gamma.create({
        key: { pk: ['list'], sk: [text] },
        entity: 'note',
        data: { text },
        indexes: { GSI1: { pk: ['by-text'], sk: [text] } },
      });
    }
    const table = await collect(gamma, { pk: ['list'], limit: 5 });
    expect(table.seen).toEqual(texts);
    expect(table.pages).toBeGreaterThanOrEqual(5);
    const index = await collect(gamma, { index: 'GSI1', pk: ['by-text'], limit: 7 });
    expect(index.seen).toEqual(texts);
  });

  it('rejects a cursor that is garbage or continues another tenant’s partition', async () => {
    const delta = store.tenant('delta');
    for (const text of ['a', 'b', 'c']) {
      await delta.create({ key: { pk: ['list'], sk: [text] }, entity: 'note', data: { text } });
    }
    const page = await delta.query({ pk: ['list'], limit: 1 });
    expect(page.nextCursor).toBeDefined();
    const cursor = page.nextCursor as string;
    const fromOtherTenant = store.tenant('epsilon').query({ pk: ['list'], limit: 1, cursor });
    await expect(fromOtherTenant).rejects.toMatchObject({ code: 'invalid_cursor', status: 400 });
    await expect(delta.query({ pk: ['list'], cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(AppError);
  });
});
