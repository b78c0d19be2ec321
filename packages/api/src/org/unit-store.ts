import type { GridKind, OrgLevel, Roster } from '@civicgrid/domain';
import type { GridGeometry } from '@civicgrid/geo';
import type { KeySpec, NewItem, StoredItem, TenantStore, TransactOp } from '@civicgrid/storage';

export interface UnitHistoryEntry {
  at: string;
  by: string;
  action: 'create' | 'rename' | 'boundary' | 'move' | 'retire' | 'import';
  from?: string;
  to?: string;
}

export interface OrgUnit {
  code: string;
  name: string;
  level: OrgLevel;
  parentCode?: string;
  /** Grids only: basic (residential areas, villages) or exclusive (one school, hospital, company…). */
  gridKind?: GridKind;
  geometry?: GridGeometry;
  areaM2?: number;
  status: 'active' | 'retired';
  /** Set when the unit moved: the code it lives on under. */
  movedTo?: string;
  roster?: Roster;
  /** One or two supervisors own a grid (定人定责定位). */
  supervisors?: string[];
  history: UnitHistoryEntry[];
}

export const unitKey = (code: string): KeySpec => ({ pk: ['org', code], sk: ['unit'] });

/** GSI1 lists a unit's children; GSI2 lists every unit of a level (all grids, for the locator). */
export const unitItem = (unit: OrgUnit): NewItem<OrgUnit> => ({
  key: unitKey(unit.code),
  entity: 'org-unit',
  data: unit,
  indexes:
    unit.status === 'active'
      ? {
          GSI1: { pk: ['org-children', unit.parentCode ?? 'root'], sk: [unit.code] },
          GSI2: { pk: ['org-level', unit.level], sk: [unit.code] },
        }
      : {},
});

export const findUnit = (tenant: TenantStore, code: string) =>
  tenant.get<OrgUnit>(unitKey(code), { consistentRead: true });

const collect = async (
  page: (cursor?: string) => Promise<{ items: StoredItem<OrgUnit>[]; nextCursor?: string }>,
) => {
  const all: StoredItem<OrgUnit>[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    all.push(...result.items);
    cursor = result.nextCursor;
  } while (cursor);
  return all;
};

export const childrenOf = (tenant: TenantStore, parentCode: string | undefined) =>
  collect((cursor) =>
    tenant.query<OrgUnit>({ index: 'GSI1', pk: ['org-children', parentCode ?? 'root'], limit: 500, cursor }),
  );

export const unitsOfLevel = (tenant: TenantStore, level: OrgLevel) =>
  collect((cursor) => tenant.query<OrgUnit>({ index: 'GSI2', pk: ['org-level', level], limit: 500, cursor }));

/**
 * A counter bumped in the same transaction as every boundary change, so a cached spatial
 * index knows with one read whether it is stale.
 */
const geoVersionKey: KeySpec = { pk: ['org-geo'], sk: ['version'] };

export const readGeoVersion = async (tenant: TenantStore) =>
  (await tenant.get<{ n: number }>(geoVersionKey, { consistentRead: true }))?.data.n ?? 0;

export const bumpGeoVersion = async (tenant: TenantStore): Promise<TransactOp> => {
  const current = await tenant.get<{ n: number }>(geoVersionKey, { consistentRead: true });
  const item = { key: geoVersionKey, entity: 'org-geo-version', data: { n: (current?.data.n ?? 0) + 1 } };
  return current ? { kind: 'replace', item, previous: current } : { kind: 'create', item };
};
