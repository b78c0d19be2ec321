import { childLevel, codeProblem, type OrgLevel, orgLevelOf, orgLevels } from '@civicgrid/domain';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { ApiError } from './api';

/** A unit as the export carries it (GeoJSON properties). */
export interface UnitProps {
  code: string;
  name: string;
  level: OrgLevel;
  kind?: string;
  parentCode?: string;
}

export interface UnitTree {
  roots: UnitProps[];
  byParent: Map<string, UnitProps[]>;
  byCode: Map<string, Feature>;
}

/** The units as a tree (district > street > community > grid), each level sorted by code. */
export const buildTree = (collection: FeatureCollection): UnitTree => {
  const byCode = new Map<string, Feature>();
  for (const feature of collection.features) {
    const code = (feature.properties as UnitProps | null)?.code;
    if (typeof code === 'string') byCode.set(code, feature);
  }
  const byParent = new Map<string, UnitProps[]>();
  const roots: UnitProps[] = [];
  for (const feature of byCode.values()) {
    const unit = feature.properties as UnitProps;
    if (unit.parentCode && byCode.has(unit.parentCode)) {
      byParent.set(unit.parentCode, [...(byParent.get(unit.parentCode) ?? []), unit]);
    } else roots.push(unit);
  }
  for (const list of [roots, ...byParent.values()]) list.sort((a, b) => a.code.localeCompare(b.code));
  return { roots, byParent, byCode };
};

/** The codes of a unit and its ancestors present in the tree: the branches to open to show it. */
export const pathTo = (tree: UnitTree, code: string | undefined): string[] => {
  const path: string[] = [];
  for (let at = code; at && tree.byCode.has(at); ) {
    path.unshift(at);
    at = (tree.byCode.get(at)?.properties as UnitProps | undefined)?.parentCode;
  }
  return path;
};

/** The level of a new child of `parentCode` (a district when there is no parent). */
export const childLevelOf = (parentCode: string | undefined): OrgLevel | undefined => {
  if (!parentCode) return 'district';
  const level = orgLevelOf(parentCode);
  return level ? childLevel[level] : undefined;
};

/** Highest segment of each level (GB/T 2260 street 001–599, community 001–399; grids to 999). */
const maxSegment: Record<OrgLevel, number> = { district: 0, street: 599, community: 399, grid: 999 };

/**
 * A free code for a new child: one past the highest sibling (retired codes stay taken, and the
 * export lists only active units, so the API may still answer already_exists).
 */
export const suggestChildCode = (parentCode: string | undefined, siblings: string[]): string => {
  const level = childLevelOf(parentCode);
  if (!parentCode || !level) return '';
  const used = siblings.map((code) => Number(code.slice(-3))).filter(Number.isFinite);
  const next = Math.max(0, ...used) + 1;
  return next > maxSegment[level] ? '' : `${parentCode}${String(next).padStart(3, '0')}`;
};

/** Why `code` cannot be a child of `parentCode`, checked before asking the API; undefined when it can. */
export const childCodeProblem = (code: string, parentCode: string | undefined): string | undefined => {
  const level = childLevelOf(parentCode);
  if (!level) return 'a grid has no child units';
  if (code.length !== orgLevels[level]) return `a ${level} code has ${orgLevels[level]} digits`;
  return codeProblem(code, level, parentCode);
};

/** A message with its `{name}` slots filled. */
export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));

/** A problem of an import, as `POST /v1/org/imports/{id}/check` reports it. */
export interface ImportProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  featureCode?: string;
  otherCode?: string;
  featureIndex?: number;
  location?: [number, number];
  areaM2?: number;
}

export interface ImportCheck {
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  problems: ImportProblem[];
}

/** The file's features, or why the file is no importable GeoJSON. */
export const readGeoJson = (
  text: string,
): { features: Feature[] } | { error: 'not_json' | 'not_features' } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: 'not_json' };
  }
  const value = parsed as { type?: unknown; features?: unknown };
  if (value?.type === 'Feature') return { features: [parsed as Feature] };
  if (value?.type !== 'FeatureCollection' || !Array.isArray(value.features) || value.features.length === 0) {
    return { error: 'not_features' };
  }
  return { features: value.features as Feature[] };
};

/** The API takes at most 20,000 features and 6 MB a request; pages stay well under both. */
export const PAGE_MAX_BYTES = 4 * 1024 * 1024;
export const PAGE_MAX_FEATURES = 5_000;

/**
 * Splits features into pages under the request limits, in order. A feature larger than a
 * page travels alone, and the API says whether it can take it.
 */
export const pagesOf = <T>(
  features: readonly T[],
  maxBytes = PAGE_MAX_BYTES,
  maxFeatures = PAGE_MAX_FEATURES,
): T[][] => {
  const encoder = new TextEncoder();
  const envelope = encoder.encode('{"type":"FeatureCollection","features":[]}').length;
  const pages: T[][] = [];
  let page: T[] = [];
  let bytes = envelope;
  for (const feature of features) {
    const size = encoder.encode(JSON.stringify(feature)).length + 1;
    if (page.length > 0 && (bytes + size > maxBytes || page.length >= maxFeatures)) {
      pages.push(page);
      page = [];
      bytes = envelope;
    }
    page.push(feature);
    bytes += size;
  }
  if (page.length > 0) pages.push(page);
  return pages;
};

/** Where a problem is on the map: the features it names, from the file or else from the city. */
const geometriesOf = (
  problem: ImportProblem,
  uploaded: readonly Feature[],
  existing: Map<string, Feature> | undefined,
): { role: 'feature' | 'other'; code: string; geometry: Geometry }[] => {
  const byCode = (code: string | undefined) =>
    code === undefined
      ? undefined
      : (uploaded.find((f) => (f.properties as { code?: unknown } | null)?.code === code) ??
        existing?.get(code));
  const own =
    (problem.featureIndex !== undefined ? uploaded[problem.featureIndex] : undefined) ??
    byCode(problem.featureCode);
  const other = byCode(problem.otherCode);
  const found: { role: 'feature' | 'other'; code: string; geometry: Geometry }[] = [];
  if (own?.geometry) {
    found.push({ role: 'feature', code: problem.featureCode ?? '', geometry: own.geometry });
  }
  if (other?.geometry) found.push({ role: 'other', code: problem.otherCode ?? '', geometry: other.geometry });
  return found;
};

/**
 * The report drawn on the map: the offending features' areas (the other side of an overlap or
 * the parent a unit sticks out of, fainter) and a pin where each problem is, all numbered by
 * the problem's place in the list.
 */
export const reportFeatures = (
  problems: readonly ImportProblem[],
  uploaded: readonly Feature[],
  existing?: Map<string, Feature>,
): FeatureCollection => ({
  type: 'FeatureCollection',
  features: problems.flatMap((problem, index): Feature[] => [
    ...geometriesOf(problem, uploaded, existing).map(
      ({ role, code, geometry }): Feature => ({
        type: 'Feature',
        geometry,
        properties: { problem: index, role, code, severity: problem.severity, kind: problem.code },
      }),
    ),
    ...(problem.location
      ? [
          {
            type: 'Feature' as const,
            geometry: { type: 'Point' as const, coordinates: problem.location },
            properties: {
              problem: index,
              role: 'pin',
              severity: problem.severity,
              kind: problem.code,
              label: String(index + 1),
            },
          },
        ]
      : []),
  ]),
});

export type Bounds = [number, number, number, number];

const boundsOfCoordinates = (coordinates: unknown, into: Bounds): Bounds => {
  if (!Array.isArray(coordinates)) return into;
  if (typeof coordinates[0] === 'number' && typeof coordinates[1] === 'number') {
    return [
      Math.min(into[0], coordinates[0]),
      Math.min(into[1], coordinates[1]),
      Math.max(into[2], coordinates[0]),
      Math.max(into[3], coordinates[1]),
    ];
  }
  return coordinates.reduce((acc: Bounds, inner) => boundsOfCoordinates(inner, acc), into);
};

/** The bounds of some features, or undefined when none has coordinates. */
export const boundsOfFeatures = (features: readonly Feature[]): Bounds | undefined => {
  let bounds: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of features) {
    if (feature.geometry && 'coordinates' in feature.geometry) {
      bounds = boundsOfCoordinates(feature.geometry.coordinates, bounds);
    }
  }
  return Number.isFinite(bounds[0]) ? bounds : undefined;
};

/** Where to fly for a problem of the list: its features and pin together; ~100 m around a lone pin. */
export const focusOfProblem = (report: FeatureCollection, index: number): Bounds | undefined => {
  const own = report.features.filter((f) => (f.properties as { problem?: number }).problem === index);
  const bounds = boundsOfFeatures(own);
  if (!bounds) return undefined;
  const pad = 0.001;
  return bounds[0] === bounds[2] && bounds[1] === bounds[3]
    ? [bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad]
    : bounds;
};

/** The problems of a rejected commit (a 400 import_rejected), to show as the report. */
export const problemsOfError = (error: unknown): ImportProblem[] | undefined =>
  error instanceof ApiError && Array.isArray(error.details?.problems)
    ? (error.details.problems as ImportProblem[])
    : undefined;
