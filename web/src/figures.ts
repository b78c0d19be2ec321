import type {
  DepartmentScorecard,
  PlaceFigures as DomainPlaceFigures,
  HotlineRates,
  Role,
} from '@civicgrid/domain';
import type { FeatureCollection } from 'geojson';
import type { Viewer } from './actions';
import { ApiError, apiUrl } from './api';

/** The API's analytics shapes are the domain's figures (packages/domain/src/analytics), plus names and hotline rates. */
export type { HotlineRates };
export type Scorecard = DepartmentScorecard & { name?: string; hotline: HotlineRates };
export type PlaceFigures = DomainPlaceFigures & { name?: string; hotline: HotlineRates };

export interface Dashboard {
  period: string;
  place: PlaceFigures;
  by: string;
  children: PlaceFigures[];
}

export interface HotlineReport {
  period: string;
  total?: HotlineRates;
  by: string;
  rows: (HotlineRates & { code: string })[];
}

type Name = { zh: string; en: string };
/** A grid's registered cases, with its name from the hierarchy. */
export type GridCount = { code: string; name?: string; count: number };
export interface Trend {
  categoryCode: string;
  name?: Name;
  count: number;
  previous: number;
  growth: number;
  growthRate: number | null;
}

export interface HotSpots {
  month: string;
  place: string;
  topCategories: { categoryCode: string; name?: Name; count: number }[];
  risingCategories: Trend[];
  topGrids: GridCount[];
}

export interface MonthlyProblem {
  month: string;
  place: string;
  proposal: (Trend & { grids: GridCount[] }) | null;
}

/**
 * What of the analytics API a viewer may read (see the routes' permissions): every department's
 * scorecard for the city admin and district centers, its own for a department; place figures, hot
 * spots and the monthly problem for the city admin and the centers, stations and grid workers within
 * their place. Citizens and the platform operator read none.
 */
export interface FiguresAccess {
  scorecards: boolean;
  places: boolean;
}

export const figuresAccess = (viewer: Pick<Viewer, 'role' | 'scope'>): FiguresAccess => {
  const role: Role = viewer.role;
  const kind = viewer.scope.kind;
  return {
    scorecards: role === 'city_admin' || role === 'district_center' || kind === 'department',
    places: kind === 'city' || kind === 'org',
  };
};

export const seesFigures = (viewer: Pick<Viewer, 'role' | 'scope'>): boolean => {
  const access = figuresAccess(viewer);
  return access.scorecards || access.places;
};

/**
 * `YYYY-MM` of an instant on the wall clock of `timeZone` (the city's calendar zone), the month
 * picker's first value; on the browser's clock when no zone is known or the zone is not one.
 */
export const monthOf = (date: Date, timeZone?: string): string => {
  if (timeZone) {
    try {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' })
          .formatToParts(date)
          .map((part) => [part.type, part.value]),
      );
      if (parts.year && parts.month) return `${parts.year}-${parts.month}`;
    } catch {
      // An unknown zone: the browser's own month below.
    }
  }
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
};

/** The first and last day of a `YYYY-MM` month, as the case export's `from` and `to`. */
export const monthRange = (month: string): { from: string; to: string } => {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
};

/** The case export of a month, under a place (the caller's own when none), as CSV or GeoJSON. */
export const caseExportPath = (month: string, format: 'csv' | 'geojson', orgCode?: string): string =>
  analyticsPath('cases/export', { ...monthRange(month), orgCode, format });

/** An analytics path with its query; empty values are left out. */
export const analyticsPath = (path: string, query: Record<string, string | number | undefined>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return `/v1/analytics/${path}${text ? `?${text}` : ''}`;
};

/** A rate as the tables show it: one decimal with a percent sign, a dash when the base is zero. */
export const formatRate = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? '—' : `${rate.toFixed(1)}%`;

export const formatNumber = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined
    ? '—'
    : Number.isInteger(value)
      ? String(value)
      : value.toFixed(digits);

/** A bar chart's data: one label and one value a bar; `null` values are kept as gaps. */
export interface Bars {
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
}

/** Composite scores as bars, best first; departments without a score go last. */
export const scoreBars = (cards: Scorecard[], nameOf: (id: string) => string, seriesName: string): Bars => {
  const sorted = [...cards].sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  return {
    labels: sorted.map((card) => nameOf(card.departmentId)),
    series: [{ name: seriesName, values: sorted.map((card) => card.score) }],
  };
};

/** The three hotline rates per row, as three series of bars. */
export const rateBars = (
  rows: (HotlineRates & { code: string })[],
  nameOf: (code: string) => string,
  names: { response: string; resolution: string; satisfaction: string },
): Bars => ({
  labels: rows.map((row) => nameOf(row.code)),
  series: [
    { name: names.response, values: rows.map((row) => row.responseRate) },
    { name: names.resolution, values: rows.map((row) => row.resolutionRate) },
    { name: names.satisfaction, values: rows.map((row) => row.satisfactionRate) },
  ],
});

/** Counts per place, for the street/grid comparison chart. */
export const placeBars = (places: PlaceFigures[], names: { registered: string; closed: string }): Bars => ({
  labels: places.map((place) => place.name ?? place.code),
  series: [
    { name: names.registered, values: places.map((place) => place.registered) },
    { name: names.closed, values: places.map((place) => place.closed) },
  ],
});

/** The file name a `content-disposition: attachment; filename="…"` header gives, or the fallback. */
export const fileNameOf = (disposition: string | null, fallback: string): string => {
  const found = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i)?.[1];
  return found ? decodeURIComponent(found) : fallback;
};

export interface DownloadDeps {
  fetch: typeof fetch;
  document: Document;
  createObjectURL: (blob: Blob) => string;
  revokeObjectURL: (url: string) => void;
}

const browserDeps = (): DownloadDeps => ({
  fetch: (...args) => fetch(...args),
  document,
  createObjectURL: (blob) => URL.createObjectURL(blob),
  revokeObjectURL: (url) => URL.revokeObjectURL(url),
});

/**
 * Downloads one of the API's CSV files. A plain link cannot carry the bearer token, so the file is
 * fetched with it and handed to the browser as a blob under the name the API gives.
 */
export const downloadCsv = async (
  path: string,
  token: string,
  fallbackName: string,
  deps: DownloadDeps = browserDeps(),
): Promise<string> => {
  const url = path.includes('format=csv') ? path : `${path}${path.includes('?') ? '&' : '?'}format=csv`;
  return downloadFile(url, token, fallbackName, 'text/csv', deps);
};

/** Downloads any of the API's files (CSV, GeoJSON) with the bearer token, as `downloadCsv` does. */
export const downloadFile = async (
  url: string,
  token: string,
  fallbackName: string,
  accept: string,
  deps: DownloadDeps = browserDeps(),
): Promise<string> => {
  let response: Response;
  try {
    response = await deps.fetch(apiUrl(url), {
      headers: { accept, authorization: `Bearer ${token}` },
    });
  } catch (cause) {
    throw new ApiError(0, 'network', (cause as Error).message);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    throw new ApiError(
      response.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? response.statusText,
    );
  }
  const blob = await response.blob();
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const href = deps.createObjectURL(blob);
  const link = deps.document.createElement('a');
  link.href = href;
  link.download = name;
  link.hidden = true;
  deps.document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; the URL can go on the next turn.
  setTimeout(() => deps.revokeObjectURL(href), 0);
  return name;
};

/**
 * The API's grid counts (`/hotspots/grids`) made ready for the map: each feature marked as a grid, as
 * the map's grid layers expect, and the highest count, where the colour scale ends.
 */
export const gridChoropleth = (
  collection: FeatureCollection,
  property: 'reported' | 'registered' | 'closed' = 'registered',
): { units: FeatureCollection; max: number } => {
  let max = 0;
  const features = collection.features.map((feature) => {
    const value = Number(feature.properties?.[property] ?? 0);
    if (Number.isFinite(value)) max = Math.max(max, value);
    return { ...feature, properties: { ...feature.properties, level: 'grid' } };
  });
  return { units: { type: 'FeatureCollection', features }, max };
};
