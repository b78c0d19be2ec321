import {
  type AnalyticsPeriod,
  AppError,
  type CategoryTrend,
  DaySchemaPattern,
  type Dimension,
  departmentScorecard,
  hotlineRates,
  localDateOf,
  type Measures,
  MonthSchemaPattern,
  monthlyProblem,
  type OrgLevel,
  orgLevelOf,
  type Principal,
  placeFigures,
  previousMonth,
  risingCategories,
  topCounts,
} from '@civicgrid/domain';
import type { TenantStore } from '@civicgrid/storage';
import { queryCounters, readCounter, tenantTimeZone } from '@civicgrid/workers';
import { tenantCatalog } from '../catalog/catalog-store';
import { allDepartments } from '../catalog/department-store';
import { assertAllowed } from '../http/auth';
import { childrenOf, findUnit, type OrgUnit } from '../org/unit-store';
import { tenantWeights } from './settings-store';

/** 'YYYY-MM' or 'YYYY-MM-DD'; by default the current month on the tenant's wall clock. */
export const parsePeriod = async (
  tenant: TenantStore,
  now: Date,
  text?: string,
): Promise<AnalyticsPeriod> => {
  if (text === undefined) {
    return { kind: 'month', key: localDateOf(now, await tenantTimeZone(tenant)).slice(0, 7) };
  }
  if (MonthSchemaPattern.test(text)) return { kind: 'month', key: text };
  if (DaySchemaPattern.test(text)) return { kind: 'day', key: text };
  throw new AppError('validation_failed', 'A period is a month YYYY-MM or a day YYYY-MM-DD.', {
    field: 'period',
  });
};

/**
 * The place a caller asks about, within its reach: a center or grid worker their own unit or
 * one beneath it; a city admin any unit or (none named) the whole city. Departments and
 * citizens have no place.
 */
export const placeFor = (principal: Principal, requested?: string): string | undefined => {
  const { scope } = principal;
  if (scope.kind === 'city') {
    if (requested) assertAllowed(principal, 'org.read', { orgCode: requested });
    return requested;
  }
  if (scope.kind !== 'org') throw new AppError('forbidden', 'Place figures are for centers and admins.');
  const place = requested ?? scope.code;
  assertAllowed(principal, 'org.read', { orgCode: place });
  return place;
};

/** A department reads its own scorecard; the city admin and district centers read every department's. */
export const assertDepartmentReadable = (principal: Principal, departmentId?: string) => {
  const { scope } = principal;
  if (scope.kind === 'city') return;
  if (principal.role === 'district_center') return;
  if (scope.kind === 'department' && departmentId !== undefined && scope.departmentId === departmentId)
    return;
  throw new AppError(
    'forbidden',
    'Department scorecards are for the department itself, its district and admins.',
  );
};

/** The counter dimension and key of a place; undefined means the whole city. */
export const placeSlot = (place: string | undefined): { dimension: Dimension; key: string[] } => {
  if (!place) return { dimension: 'tenant', key: ['all'] };
  const level = orgLevelOf(place) as OrgLevel;
  return { dimension: level, key: [place] };
};

const levels: OrgLevel[] = ['district', 'street', 'community', 'grid'];

/** One level down from the place (the whole city's districts; a street's grids by default). */
export const childLevel = (place: string | undefined, requested?: OrgLevel): OrgLevel => {
  const own = place ? levels.indexOf(orgLevelOf(place) as OrgLevel) : -1;
  if (requested) {
    if (levels.indexOf(requested) <= own) {
      throw new AppError('validation_failed', 'Compare places below the one asked about.', { field: 'by' });
    }
    return requested;
  }
  if (own === levels.length - 1) return 'grid';
  return place && orgLevelOf(place) === 'street' ? 'grid' : (levels[own + 1] as OrgLevel);
};

/** The units of a level under a place: bounded by the hierarchy, never by the number of cases. */
export const unitsUnder = async (tenant: TenantStore, place: string | undefined, level: OrgLevel) => {
  let frontier: (string | undefined)[] = [place];
  let found: OrgUnit[] = [];
  const target = levels.indexOf(level);
  for (
    let depth = place ? levels.indexOf(orgLevelOf(place) as OrgLevel) + 1 : 0;
    depth <= target;
    depth += 1
  ) {
    const next: OrgUnit[] = [];
    for (const parent of frontier) for (const { data } of await childrenOf(tenant, parent)) next.push(data);
    found = next.filter((u) => u.level === levels[depth]);
    frontier = found.map((u) => u.code);
  }
  return found;
};

const categoryDimension = (
  place: string | undefined,
): { dimension: Dimension; prefix: string[] } | undefined => {
  if (!place) return { dimension: 'category', prefix: [] };
  const level = orgLevelOf(place);
  if (level === 'district') return { dimension: 'district-category', prefix: [place] };
  if (level === 'street') return { dimension: 'street-category', prefix: [place] };
  return undefined;
};

/** Registered cases per category of a month at a place (city, district or street). */
export const categoryCounts = async (tenant: TenantStore, month: string, place: string | undefined) => {
  const slot = categoryDimension(place);
  const counts = new Map<string, number>();
  if (slot) {
    for (const c of await queryCounters(tenant, { kind: 'month', key: month }, slot.dimension, slot.prefix)) {
      counts.set(c.key.at(-1) as string, c.measures.registered ?? 0);
    }
  } else {
    // Communities and grids keep no category counters of their own; their grids' crossed ones do.
    for (const c of await queryCounters(tenant, { kind: 'month', key: month }, 'category-grid')) {
      const [category, grid] = c.key as [string, string];
      if (place && grid.startsWith(place))
        counts.set(category, (counts.get(category) ?? 0) + (c.measures.registered ?? 0));
    }
  }
  counts.delete('none');
  return counts;
};

export const categoryNames = async (tenant: TenantStore) => {
  const { catalog } = await tenantCatalog(tenant);
  return new Map(catalog.categories.map((c) => [c.code, c.minor.name]));
};

/**
 * Every department's scorecard of a period, best composite score first: each department of the city
 * has a row, with zeros when it had nothing to do, so a quiet month still lists them all (and the CSV
 * with it); a department gone from the catalog keeps its row while its figures last.
 */
export const departmentScorecards = async (
  tenant: TenantStore,
  period: AnalyticsPeriod,
  departmentId?: string,
) => {
  const weights = await tenantWeights(tenant);
  const card = (id: string, name: string | undefined, measures: Measures) => {
    const { departmentId, ...figures } = departmentScorecard(id, period.key, measures, weights);
    // The name beside the id, so that a CSV reads without the catalog at hand.
    return {
      departmentId,
      ...(name ? { name } : {}),
      ...figures,
      hotline: hotlineRates(measures, 'department'),
    };
  };
  if (departmentId) {
    const [measures, names] = await Promise.all([
      readCounter(tenant, { period, dimension: 'department', key: [departmentId] }),
      departmentNames(tenant),
    ]);
    return [card(departmentId, names.get(departmentId), measures)];
  }
  const [counters, names] = await Promise.all([
    queryCounters(tenant, period, 'department'),
    departmentNames(tenant),
  ]);
  const measures = new Map(counters.map((c) => [c.key[0] as string, c.measures]));
  const ids = new Set([...names.keys(), ...measures.keys()]);
  const rows = [...ids].map((id) => card(id, names.get(id), measures.get(id) ?? {}));
  return rows.sort(
    (a, b) => (b.score ?? -1) - (a.score ?? -1) || a.departmentId.localeCompare(b.departmentId),
  );
};

const departmentNames = async (tenant: TenantStore) =>
  new Map((await allDepartments(tenant)).map(({ data }) => [data.id, data.name]));

/** The names of org units by code (a few tens at most: top grids), from the hierarchy. */
export const unitNames = async (tenant: TenantStore, codes: readonly string[]) => {
  const found = await Promise.all([...new Set(codes)].map((code) => findUnit(tenant, code)));
  return new Map(found.flatMap((unit) => (unit ? [[unit.data.code, unit.data.name] as const] : [])));
};

/** A place's figures and its sub-places' side by side (the street and grid comparison). */
export const placeDashboard = async (
  tenant: TenantStore,
  period: AnalyticsPeriod,
  place: string | undefined,
  by?: OrgLevel,
  cityName?: string,
) => {
  const slot = placeSlot(place);
  const own = await readCounter(tenant, { period, ...slot });
  const placeName = place ? (await findUnit(tenant, place))?.data.name : cityName;
  const level = childLevel(place, by);
  const units = await unitsUnder(tenant, place, level);
  const counters = new Map(
    (await queryCounters(tenant, period, level, place ? [place] : [])).map((c) => [
      c.key[0] as string,
      c.measures,
    ]),
  );
  const children = units.map((unit) => ({
    name: unit.name,
    ...placeFigures(unit.code, counters.get(unit.code) ?? {}, unit.areaM2 ? unit.areaM2 / 1e6 : undefined),
    hotline: hotlineRates(counters.get(unit.code) ?? {}, 'place'),
  }));
  const areaKm2 = units.reduce((sum, u) => sum + (u.areaM2 ?? 0), 0) / 1e6;
  return {
    period: period.key,
    place: {
      ...(placeName ? { name: placeName } : {}),
      ...placeFigures(place ?? 'all', own, areaKm2 || undefined),
      hotline: hotlineRates(own, 'place'),
    },
    by: level,
    children,
  };
};

export const hotlineByPlace = async (
  tenant: TenantStore,
  period: AnalyticsPeriod,
  place: string | undefined,
  by?: OrgLevel,
) => {
  const own = await readCounter(tenant, { period, ...placeSlot(place) });
  const level = childLevel(place, by);
  const rows = (await queryCounters(tenant, period, level, place ? [place] : [])).map((c) => ({
    code: c.key[0] as string,
    ...hotlineRates(c.measures, 'place'),
  }));
  return { period: period.key, total: hotlineRates(own, 'place'), by: level, rows };
};

export interface HotSpots {
  month: string;
  place: string;
  topCategories: { categoryCode: string; name?: { zh: string; en: string }; count: number }[];
  risingCategories: (CategoryTrend & { name?: { zh: string; en: string } })[];
  topGrids: { code: string; name?: string; count: number }[];
}

/** Top categories and grids of a month, and categories rising against the month before. */
export const hotSpots = async (
  tenant: TenantStore,
  month: string,
  place: string | undefined,
  limit: number,
) => {
  const [current, previous, names] = await Promise.all([
    categoryCounts(tenant, month, place),
    categoryCounts(tenant, previousMonth(month), place),
    categoryNames(tenant),
  ]);
  const grids = await queryCounters(tenant, { kind: 'month', key: month }, 'grid', place ? [place] : []);
  const gridCounts = new Map(grids.map((g) => [g.key[0] as string, g.measures.registered ?? 0]));
  const topGrids = topCounts(gridCounts, limit);
  const gridNames = await unitNames(
    tenant,
    topGrids.map((g) => g.key),
  );
  return {
    month,
    place: place ?? 'all',
    topCategories: topCounts(current, limit).map((c) => ({
      categoryCode: c.key,
      name: names.get(c.key),
      count: c.count,
    })),
    risingCategories: risingCategories(current, previous, limit).map((t) => ({
      ...t,
      name: names.get(t.categoryCode),
    })),
    topGrids: topGrids.map((g) => ({ code: g.key, name: gridNames.get(g.key), count: g.count })),
  };
};

/** 每月一题: the proposal, with the grids where its cases were registered. */
export const monthlyProblemProposal = async (
  tenant: TenantStore,
  month: string,
  place: string | undefined,
) => {
  const [current, previous, names] = await Promise.all([
    categoryCounts(tenant, month, place),
    categoryCounts(tenant, previousMonth(month), place),
    categoryNames(tenant),
  ]);
  const proposal = monthlyProblem(current, previous);
  if (!proposal) return { month, place: place ?? 'all', proposal: null };
  const grids = await queryCounters(tenant, { kind: 'month', key: month }, 'category-grid', [
    proposal.categoryCode,
  ]);
  const counts = new Map(
    grids
      .filter((g) => !place || (g.key[1] as string).startsWith(place))
      .map((g) => [g.key[1] as string, g.measures.registered ?? 0]),
  );
  const top = topCounts(counts, 10);
  const gridNames = await unitNames(
    tenant,
    top.map((g) => g.key),
  );
  return {
    month,
    place: place ?? 'all',
    proposal: {
      ...proposal,
      name: names.get(proposal.categoryCode),
      grids: top.map((g) => ({ code: g.key, name: gridNames.get(g.key), count: g.count })),
    },
  };
};

/** Counts per grid of a month as GeoJSON features, for a choropleth map. */
export const gridCountsGeoJson = async (tenant: TenantStore, month: string, place: string | undefined) => {
  const units = await unitsUnder(tenant, place, 'grid');
  const counters = new Map(
    (await queryCounters(tenant, { kind: 'month', key: month }, 'grid', place ? [place] : [])).map((c) => [
      c.key[0] as string,
      c.measures,
    ]),
  );
  return {
    type: 'FeatureCollection' as const,
    features: units.map((unit) => {
      const m: Measures = counters.get(unit.code) ?? {};
      return {
        type: 'Feature' as const,
        geometry: unit.geometry ?? null,
        properties: {
          code: unit.code,
          name: unit.name,
          month,
          reported: m.reported ?? 0,
          registered: m.registered ?? 0,
          closed: m.closed ?? 0,
          density: unit.areaM2 ? Math.round(((m.registered ?? 0) / (unit.areaM2 / 1e6)) * 100) / 100 : null,
        },
      };
    }),
  };
};
