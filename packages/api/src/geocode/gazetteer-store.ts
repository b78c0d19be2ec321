import { type Clock, newId } from '@civicgrid/domain';
import { Gazetteer, type GazetteerEntry } from '@civicgrid/geocoding';
import { chunkBySize, type TenantStore } from '@civicgrid/storage';

/**
 * A tenant's own address points and place names. Each upload is a new generation of chunk
 * items; the pointer item switches to it in one write, and old generations expire.
 */
interface Pointer {
  generation: string;
  chunks: number;
  entries: number;
}

const pointerKey = { pk: ['gazetteer'], sk: ['current'] };
const chunkKey = (generation: string, n: number) => ({
  pk: ['gazetteer', generation],
  sk: ['chunk', String(n).padStart(6, '0')],
});
const RETIRED_TTL_SECONDS = 24 * 60 * 60;

export const replaceGazetteer = async (
  tenant: TenantStore,
  clock: Clock,
  entries: readonly GazetteerEntry[],
) => {
  const generation = newId(clock.now().getTime());
  const chunks = chunkBySize(entries);
  for (let i = 0; i < chunks.length; i += 100) {
    await tenant.transact(
      chunks.slice(i, i + 100).map((chunk, j) => ({
        kind: 'create' as const,
        item: { key: chunkKey(generation, i + j), entity: 'gazetteer-chunk', data: chunk },
      })),
    );
  }
  const pointer: Pointer = { generation, chunks: chunks.length, entries: entries.length };
  const current = await tenant.get<Pointer>(pointerKey, { consistentRead: true });
  const item = { key: pointerKey, entity: 'gazetteer', data: pointer };
  if (current) await tenant.replace(item, current);
  else await tenant.create(item);
  if (current) await expireGeneration(tenant, clock, current.data);
  return pointer;
};

const expireGeneration = async (tenant: TenantStore, clock: Clock, pointer: Pointer) => {
  const expiresAt = Math.floor(clock.now().getTime() / 1000) + RETIRED_TTL_SECONDS;
  for (let n = 0; n < pointer.chunks; n += 1) {
    const chunk = await tenant.get<GazetteerEntry[]>(chunkKey(pointer.generation, n));
    if (chunk)
      await tenant.replace(
        { key: chunkKey(pointer.generation, n), entity: 'gazetteer-chunk', data: chunk.data, expiresAt },
        chunk,
      );
  }
};

const load = async (tenant: TenantStore, pointer: Pointer) => {
  const entries: GazetteerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.query<GazetteerEntry[]>({
      pk: ['gazetteer', pointer.generation],
      limit: 50,
      cursor,
    });
    for (const item of page.items) entries.push(...item.data);
    cursor = page.nextCursor;
  } while (cursor);
  return new Gazetteer(entries);
};

/** Per tenant, the gazetteer of the current generation, loaded once per process. */
export class GazetteerCache {
  private readonly loaded = new Map<string, { generation: string; gazetteer: Promise<Gazetteer> }>();

  async for(tenant: TenantStore): Promise<Gazetteer | undefined> {
    const pointer = await tenant.get<Pointer>(pointerKey, { consistentRead: true });
    if (!pointer) return undefined;
    const cached = this.loaded.get(tenant.tenantId);
    if (cached && cached.generation === pointer.data.generation) return cached.gazetteer;
    const gazetteer = load(tenant, pointer.data);
    this.loaded.set(tenant.tenantId, { generation: pointer.data.generation, gazetteer });
    return gazetteer;
  }
}
