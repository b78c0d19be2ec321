import {
  type CatalogProblem,
  type Category,
  type DutyEntry,
  type DutyLevel,
  OrgCodeSchema,
  type TenantCatalogOverrides,
  type TenantDutyOverride,
  type TimeLimit,
} from '@civicgrid/domain';
import type { MessageKey } from '../../i18n';

/** GET /v1/catalog: the merged catalog, the overrides it came from and what keeps it from routing. */
export interface CatalogView {
  /** The stored overrides' version (0 before the first): what the next PUT sends. */
  version: number;
  catalog: { version: string; categories: Category[]; entries: DutyEntry[] };
  overrides?: TenantCatalogOverrides;
  problems: CatalogProblem[];
}

/**
 * One duty entry as edited: department, level and handling limit are editable; areas, the
 * dispatch limit and notes travel along unchanged. An empty department removes the entry.
 */
export interface EntryDraft {
  departmentId: string;
  level: DutyLevel;
  amount: string;
  unit: TimeLimit['unit'];
  basis: TimeLimit['basis'];
  keep?: Pick<DutyEntry, 'areas' | 'dispatchLimit' | 'notes'>;
}

export type Drafts = Record<string, EntryDraft[]>;

/** What a category without an entry starts from when the admin picks a department for it. */
export const newEntryDraft = (): EntryDraft => ({
  departmentId: '',
  level: 'street',
  amount: '5',
  unit: 'days',
  basis: 'working',
});

const draftOf = (entry: DutyEntry): EntryDraft => {
  const keep: EntryDraft['keep'] = {
    ...(entry.areas ? { areas: entry.areas } : {}),
    ...(entry.dispatchLimit ? { dispatchLimit: entry.dispatchLimit } : {}),
    ...(entry.notes ? { notes: entry.notes } : {}),
  };
  return {
    departmentId: entry.departmentId,
    level: entry.level,
    amount: String(entry.handlingLimit.amount),
    unit: entry.handlingLimit.unit,
    basis: entry.handlingLimit.basis,
    ...(Object.keys(keep).length > 0 ? { keep } : {}),
  };
};

/** Every category's entries as drafts; a category without entries gets one empty draft. */
export const draftsOf = (view: CatalogView): Drafts =>
  Object.fromEntries(
    view.catalog.categories.map((category) => {
      const entries = view.catalog.entries.filter((entry) => entry.categoryCode === category.code);
      return [category.code, entries.length > 0 ? entries.map(draftOf) : [newEntryDraft()]];
    }),
  );

const validAmount = (text: string) => /^\d{1,3}$/.test(text.trim()) && Number(text) >= 1;

/** Drafts back to entries, or the indexes of the drafts whose limit is not a whole 1–999. */
export const entriesOf = (
  categoryCode: string,
  drafts: EntryDraft[],
): { entries: DutyEntry[] } | { invalid: number[] } => {
  const invalid = drafts.flatMap((draft, index) =>
    draft.departmentId !== '' && !validAmount(draft.amount) ? [index] : [],
  );
  if (invalid.length > 0) return { invalid };
  return {
    entries: drafts
      .filter((draft) => draft.departmentId !== '')
      .map((draft) => ({
        categoryCode,
        departmentId: draft.departmentId,
        level: draft.level,
        handlingLimit: { amount: Number(draft.amount), unit: draft.unit, basis: draft.basis },
        ...draft.keep,
      })),
  };
};

/** JSON with keys sorted, so that entries compare by content whatever order their keys came in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * The tenant's own label for its overrides (the merged catalog is named `defaults+label`):
 * a trailing number counts up, anything else gets `.1`.
 */
export const nextLabel = (label: string | undefined): string => {
  if (label === undefined || label === '') return '1';
  const match = /^(.*?)(\d+)$/.exec(label);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${label}.1`;
};

/** The categories whose drafts differ from the catalog as read. */
export const changedCategories = (view: CatalogView, drafts: Drafts): string[] =>
  view.catalog.categories
    .map((category) => category.code)
    .filter((code) => {
      const built = entriesOf(code, drafts[code] ?? []);
      const current = view.catalog.entries.filter((entry) => entry.categoryCode === code);
      return !('entries' in built) || !same(built.entries, current);
    });

export interface PutOverrides {
  version: number;
  overrides: TenantCatalogOverrides;
}

export type OverridesResult =
  | { ok: true; body: PutOverrides; changed: string[] }
  | { ok: false; invalid: Record<string, number[]> }
  | { ok: false; unchanged: true };

const withEntries = (view: CatalogView, entries: TenantDutyOverride[]): PutOverrides => ({
  version: view.version,
  overrides: {
    version: nextLabel(view.overrides?.version),
    categories: view.overrides?.categories ?? [],
    entries,
  },
});

/**
 * The body of PUT /v1/catalog/overrides. The PUT replaces the overrides as a whole, so the
 * city's earlier overrides are kept and only the changed categories are replaced: by their new
 * entries, or, when every entry was removed, by an explicit "disabled" (its cases are routed by hand).
 */
export const overridesBody = (view: CatalogView, drafts: Drafts): OverridesResult => {
  const changed = changedCategories(view, drafts);
  if (changed.length === 0) return { ok: false, unchanged: true };
  const invalid: Record<string, number[]> = {};
  const groups: TenantDutyOverride[] = [];
  for (const code of changed) {
    const built = entriesOf(code, drafts[code] ?? []);
    if ('invalid' in built) invalid[code] = built.invalid;
    else
      groups.push(
        ...(built.entries.length > 0 ? built.entries : [{ categoryCode: code, disabled: true as const }]),
      );
  }
  if (Object.keys(invalid).length > 0) return { ok: false, invalid };
  const kept = (view.overrides?.entries ?? []).filter((entry) => !changed.includes(entry.categoryCode));
  return { ok: true, body: withEntries(view, [...kept, ...groups]), changed };
};

/** Whether the city's overrides replace this category's entries. */
export const isOverridden = (view: CatalogView, categoryCode: string) =>
  (view.overrides?.entries ?? []).some((entry) => entry.categoryCode === categoryCode);

/** The body that drops the city's entries for one category, so the defaults apply again. */
export const revertBody = (view: CatalogView, categoryCode: string): PutOverrides =>
  withEntries(
    view,
    (view.overrides?.entries ?? []).filter((entry) => entry.categoryCode !== categoryCode),
  );

/** The GET /v1/catalog/route path for the "try routing" tool, or why the place is refused. */
export const routePath = (
  categoryCode: string,
  orgCode: string,
): { path: string } | { problem: MessageKey } => {
  const place = orgCode.trim();
  if (place !== '' && !OrgCodeSchema.safeParse(place).success) return { problem: 'catErrOrg' };
  const query = new URLSearchParams({ categoryCode, ...(place ? { orgCode: place } : {}) });
  return { path: `/v1/catalog/route?${query}` };
};

export const unroutedReasonKeys: Record<string, MessageKey> = {
  unknown_category: 'catReasonUnknownCategory',
  no_entry: 'catReasonNoEntry',
  place_required: 'catReasonPlaceRequired',
  outside_areas: 'catReasonOutsideAreas',
  ambiguous: 'catReasonAmbiguous',
  invalid_place: 'catReasonInvalidPlace',
};

export const levelKeys: Record<DutyLevel, MessageKey> = {
  community: 'catLevelCommunity',
  street: 'catLevelStreet',
  district: 'catLevelDistrict',
};

/** "5 天（工作时间）" / "2 hours (natural time)". */
export const limitText = (limit: TimeLimit, t: (key: MessageKey) => string) =>
  `${limit.amount} ${t(limit.unit === 'hours' ? 'catHours' : 'catDays')}（${t(
    limit.basis === 'working' ? 'catWorking' : 'catNatural',
  )}）`;
