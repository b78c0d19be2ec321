import { AppError, type Clock, NotFoundError, newId } from '@civicgrid/domain';
import { chunkBySize, type TenantStore } from '@civicgrid/storage';

/**
 * A large city arrives in pages: each page is staged in items under DynamoDB's 400 KB item
 * limit, and the commit checks and writes them all at once. Staged items expire after a day.
 */
const TTL_SECONDS = 24 * 60 * 60;

interface Session {
  id: string;
  status: 'open' | 'committed' | 'discarded';
  pages: number;
  chunks: number;
  features: number;
}

const sessionKey = (id: string) => ({ pk: ['import', id], sk: ['session'] });
const chunkKey = (id: string, n: number) => ({
  pk: ['import', id],
  sk: ['chunk', String(n).padStart(6, '0')],
});

const expiry = (clock: Clock) => Math.floor(clock.now().getTime() / 1000) + TTL_SECONDS;

export const openSession = async (tenant: TenantStore, clock: Clock): Promise<Session> => {
  const session: Session = {
    id: newId(clock.now().getTime()),
    status: 'open',
    pages: 0,
    chunks: 0,
    features: 0,
  };
  await tenant.create({
    key: sessionKey(session.id),
    entity: 'import-session',
    data: session,
    expiresAt: expiry(clock),
  });
  return session;
};

const loadOpen = async (tenant: TenantStore, id: string) => {
  const stored = await tenant.get<Session>(sessionKey(id), { consistentRead: true });
  if (!stored) throw new NotFoundError('Import not found.');
  if (stored.data.status !== 'open') {
    throw new AppError('validation_failed', `This import was already ${stored.data.status}.`, {
      code: 'import_closed',
    });
  }
  return stored;
};

/** Splits a page into chunks that each fit an item. */
const chunksOf = (features: readonly unknown[]) => {
  try {
    return chunkBySize(features);
  } catch {
    throw new AppError('validation_failed', 'A single feature exceeds 300 KB; simplify its boundary.', {
      code: 'feature_too_large',
    });
  }
};

export const addPage = async (
  tenant: TenantStore,
  clock: Clock,
  id: string,
  features: readonly unknown[],
) => {
  const stored = await loadOpen(tenant, id);
  const chunks = chunksOf(features);
  const session: Session = {
    ...stored.data,
    pages: stored.data.pages + 1,
    chunks: stored.data.chunks + chunks.length,
    features: stored.data.features + features.length,
  };
  // Chunk keys continue the session's count, so a page sent twice at once collides and one fails.
  for (let i = 0; i < chunks.length; i += 100) {
    await tenant.transact(
      chunks.slice(i, i + 100).map((chunk, j) => ({
        kind: 'create' as const,
        item: {
          key: chunkKey(id, stored.data.chunks + i + j),
          entity: 'import-chunk',
          data: chunk,
          expiresAt: expiry(clock),
        },
      })),
    );
  }
  await tenant.replace(
    { key: sessionKey(id), entity: 'import-session', data: session, expiresAt: expiry(clock) },
    stored,
  );
  return session;
};

export const stagedFeatures = async (tenant: TenantStore, id: string) => {
  const stored = await loadOpen(tenant, id);
  const features: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.query<unknown[]>({
      pk: ['import', id],
      skBeginsWith: ['chunk'],
      limit: 50,
      cursor,
    });
    for (const item of page.items) features.push(...item.data);
    cursor = page.nextCursor;
  } while (cursor);
  return { session: stored, features };
};

export const closeSession = (
  tenant: TenantStore,
  clock: Clock,
  stored: { data: Session; version: number; createdAt: string },
  status: 'committed' | 'discarded' = 'committed',
) =>
  tenant
    .replace(
      {
        key: sessionKey(stored.data.id),
        entity: 'import-session',
        data: { ...stored.data, status },
        expiresAt: expiry(clock),
      },
      stored,
    )
    .then((item) => item.data);

/** Gives up an open import: nothing was written, and its staged pages expire with it. */
export const discardSession = async (tenant: TenantStore, clock: Clock, id: string) =>
  closeSession(tenant, clock, await loadOpen(tenant, id), 'discarded');
