import type { OrgLevel } from '@civicgrid/domain';
import { type GridGeometry, GridLocator } from '@civicgrid/geo';
import type { TenantStore } from '@civicgrid/storage';
import type { ApiDeps } from '../http/env';
import { readGeoVersion, unitsOfLevel } from './unit-store';

interface TenantIndex {
  version: number;
  locator: GridLocator;
  names: Map<string, string>;
}

/**
 * One spatial index per tenant, kept in memory (per Lambda container or local process) and
 * rebuilt when the tenant's boundary version moves, which costs one read per lookup.
 */
export class LocatorCache {
  private readonly indexes = new Map<string, TenantIndex>();
  private readonly building = new Map<string, Promise<TenantIndex>>();

  async locate(tenant: TenantStore, lon: number, lat: number) {
    const index = await this.indexFor(tenant);
    const grid = index.locator.locate(lon, lat);
    if (!grid) return undefined;
    const chain = (['district', 'street', 'community', 'grid'] as OrgLevel[]).map((level, i) => {
      const code = grid.slice(0, 6 + 3 * i);
      return [level, { code, name: index.names.get(code) ?? code }] as const;
    });
    return Object.fromEntries(chain) as Record<OrgLevel, { code: string; name: string }>;
  }

  private async indexFor(tenant: TenantStore): Promise<TenantIndex> {
    const version = await readGeoVersion(tenant);
    const cached = this.indexes.get(tenant.tenantId);
    if (cached && cached.version === version) return cached;
    const key = `${tenant.tenantId}#${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(tenant, version).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    const built = await pending;
    this.indexes.set(tenant.tenantId, built);
    return built;
  }

  private async build(tenant: TenantStore, version: number): Promise<TenantIndex> {
    const names = new Map<string, string>();
    const grids: { code: string; geometry: GridGeometry }[] = [];
    for (const level of ['district', 'street', 'community', 'grid'] as OrgLevel[]) {
      for (const { data } of await unitsOfLevel(tenant, level)) {
        names.set(data.code, data.name);
        if (level === 'grid' && data.geometry) grids.push({ code: data.code, geometry: data.geometry });
      }
    }
    return { version, locator: GridLocator.build(grids), names };
  }
}

const caches = new WeakMap<ApiDeps, LocatorCache>();

/** One cache per app instance, shared by every module that places things on the map. */
export const locatorsFor = (deps: ApiDeps): LocatorCache => {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new LocatorCache();
    caches.set(deps, cache);
  }
  return cache;
};
