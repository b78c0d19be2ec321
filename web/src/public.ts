import type { FeatureCollection } from 'geojson';
import { ApiError } from './api';
import type { MessageKey } from './i18n';

/**
 * The public reporting page's logic (no login): what the city's public API answers, and how
 * the visitor's draft becomes `POST /v1/public/{tenant}/reports`. Pure, so it is tested alone.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

export interface PublicAttribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist' | string;
  required: boolean;
  order: number;
  description: Bilingual;
  datatypeDescription?: Bilingual;
  values?: { key: string; name: Bilingual }[];
}

export interface PublicCategory {
  code: string;
  type: 'component' | 'event';
  name: Bilingual;
  group: Bilingual;
  description?: string;
  attributes: PublicAttribute[];
}

export interface PublicProgress {
  trackingCode: string;
  status: string;
  open: boolean;
  category?: { code: string; name: Bilingual };
  description?: string;
  reportedAt: string;
  closedAt?: string;
  steps: { type: string; at: string; label: Bilingual }[];
  canRate: boolean;
  rating?: { satisfaction: number; at: string };
}

export const publicBase = (tenantId: string) => `/v1/public/${encodeURIComponent(tenantId)}`;
export const reportPath = (tenantId: string) => `/report/${encodeURIComponent(tenantId)}`;
export const followPath = (tenantId: string, code?: string) =>
  `/follow/${encodeURIComponent(tenantId)}${code ? `/${encodeURIComponent(code)}` : ''}`;

/** Tracking codes are ten capitals and digits; people type them with spaces and in lower case. */
export const normalizeCode = (text: string): string => text.replace(/[\s-]/g, '').toUpperCase();
export const isTrackingCode = (code: string): boolean => /^[0-9A-Z]{10}$/.test(code);

/** Categories under their major group (大类), in the API's order, for `<optgroup>`s. */
export const groupCategories = (
  categories: readonly PublicCategory[],
): { group: Bilingual; items: PublicCategory[] }[] => {
  const groups: { group: Bilingual; items: PublicCategory[] }[] = [];
  for (const category of categories) {
    const found = groups.find((g) => g.group.zh === category.group.zh);
    if (found) found.items.push(category);
    else groups.push({ group: category.group, items: [category] });
  }
  return groups;
};

export interface ReportDraft {
  categoryCode: string;
  description: string;
  /** From the device's position or a tap on the map. */
  point?: [number, number] | undefined;
  /** Typed by the visitor; the city finds it in its gazetteer when there is no point. */
  address: string;
  photos: string[];
  /** Answers by attribute code; a multivaluelist answers several keys. */
  attributes: Record<string, string | string[]>;
  contactName: string;
  contactPhone: string;
}

export const emptyDraft = (): ReportDraft => ({
  categoryCode: '',
  description: '',
  address: '',
  photos: [],
  attributes: {},
  contactName: '',
  contactPhone: '',
});

/** What is missing or malformed, field by field, before the API is asked. */
export type DraftProblem = 'category' | 'description' | 'location' | 'phone' | `attribute:${string}`;

const filled = (value: string | string[] | undefined): boolean =>
  Array.isArray(value) ? value.some((v) => v.trim() !== '') : (value ?? '').trim() !== '';

export const draftProblems = (draft: ReportDraft, category: PublicCategory | undefined): DraftProblem[] => {
  const problems: DraftProblem[] = [];
  if (!category) problems.push('category');
  if (draft.description.trim() === '') problems.push('description');
  if (!draft.point && draft.address.trim() === '') problems.push('location');
  for (const attribute of category?.attributes ?? []) {
    if (attribute.required && !filled(draft.attributes[attribute.code])) {
      problems.push(`attribute:${attribute.code}`);
    }
  }
  const phone = draft.contactPhone.replace(/[\s-]/g, '');
  if (phone !== '' && !/^\+?\d{5,15}$/.test(phone)) problems.push('phone');
  return problems;
};

/** The body of `POST /v1/public/{tenant}/reports`: only what the visitor gave, trimmed. */
export const reportBody = (draft: ReportDraft, category: PublicCategory) => {
  const attributes: Record<string, string | string[]> = {};
  for (const attribute of category.attributes) {
    const value = draft.attributes[attribute.code];
    if (!filled(value)) continue;
    attributes[attribute.code] = Array.isArray(value)
      ? value.map((v) => v.trim()).filter((v) => v !== '')
      : (value as string).trim();
  }
  const address = draft.address.trim();
  const name = draft.contactName.trim();
  const phone = draft.contactPhone.replace(/[\s-]/g, '');
  return {
    categoryCode: category.code,
    description: draft.description.trim(),
    location: {
      ...(draft.point ? { point: draft.point } : {}),
      ...(address ? { address } : {}),
    },
    ...(draft.photos.length > 0 ? { attachmentIds: draft.photos } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...(name || phone ? { contact: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
  };
};

/**
 * The API's refusals a visitor can act on, in plain words; anything else is shown as the API
 * said it. Codes are those of the public reporting API (`details.code`, else `error.code`).
 */
const explained: Record<string, MessageKey> = {
  outside_territory: 'publicOutside',
  address_not_found: 'publicAddressNotFound',
  location_required: 'locationMissing',
  rate_limited: 'publicTooMany',
  tenant_suspended: 'publicSuspended',
  not_found: 'publicNotFound',
  invalid_transition: 'publicCannotRate',
};

export const explainError = (error: unknown): MessageKey | undefined => {
  if (!(error instanceof ApiError)) return undefined;
  const detail = typeof error.details?.code === 'string' ? error.details.code : undefined;
  if (error.status === 429) return 'publicTooMany';
  return (detail && explained[detail]) || explained[error.code];
};

/** A report the visitor made on this device, so they can find it again without the code on paper. */
export interface RememberedReport {
  trackingCode: string;
  at: string;
}

const memoryKey = (tenantId: string) => `civicgrid.public.${tenantId}`;

export const rememberedReports = (tenantId: string, storage: Storage = localStorage): RememberedReport[] => {
  try {
    const parsed = JSON.parse(storage.getItem(memoryKey(tenantId)) ?? '[]') as unknown;
    return Array.isArray(parsed)
      ? parsed.filter(
          (r): r is RememberedReport =>
            typeof r === 'object' &&
            r !== null &&
            isTrackingCode(String((r as RememberedReport).trackingCode)),
        )
      : [];
  } catch {
    return [];
  }
};

/** Newest first, each code once, at most ten. */
export const rememberReport = (
  tenantId: string,
  report: RememberedReport,
  storage: Storage = localStorage,
): RememberedReport[] => {
  const next = [
    report,
    ...rememberedReports(tenantId, storage).filter((r) => r.trackingCode !== report.trackingCode),
  ].slice(0, 10);
  try {
    storage.setItem(memoryKey(tenantId), JSON.stringify(next));
  } catch {
    // Private browsing may refuse storage; the code is still on the screen.
  }
  return next;
};

/** What `GET /v1/public/{tenant}` says of the city: where its grids lie, to open the map there. */
export interface PublicCity {
  id: string;
  name: string;
  locale: 'zh-CN' | 'en';
  timeZone: string;
  /** Null until the city has drawn its grids. */
  extent: { bbox: [number, number, number, number]; center: [number, number]; grids: number } | null;
}

/** A place the city's address search found: a name and a point, nothing else. */
export interface PublicPlace {
  label: string;
  point: [number, number];
}

/** The answer of `GET /v1/public/{tenant}/locate`: inside a grid (with its street's names) or not. */
export interface PublicLocation {
  inside: boolean;
  street?: string;
  community?: string;
}

/** Whether a point lies in the box around the city's grids; with no box known, nothing is refused here. */
export const inExtent = (point: [number, number], extent: PublicCity['extent']): boolean => {
  if (!extent) return true;
  const [west, south, east, north] = extent.bbox;
  return point[0] >= west && point[0] <= east && point[1] >= south && point[1] <= north;
};

/**
 * What the map frames, as the map component takes it (a collection it fits its view to): the
 * two corners of a box as a MultiPoint, which no layer draws, so no made-up boundary is shown.
 */
export const frameOf = (bbox: [number, number, number, number]): FeatureCollection => ({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: {
        type: 'MultiPoint',
        coordinates: [
          [bbox[0], bbox[1]],
          [bbox[2], bbox[3]],
        ],
      },
      properties: { level: 'frame' },
    },
  ],
});

/** A box of about 300 m around a found place, to zoom the map there. */
export const aroundPoint = (point: [number, number], half = 0.0015): [number, number, number, number] => [
  point[0] - half,
  point[1] - half,
  point[0] + half,
  point[1] + half,
];
