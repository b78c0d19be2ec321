import { roleHas } from '@civicgrid/domain';
import type { FeatureCollection } from 'geojson';
import type { ApiClient } from './api';
import type { Session } from './session';

export interface Department {
  id: string;
  name: string;
  nameEn?: string;
  kind: string;
  code: string;
}
export interface Category {
  code: string;
  type: string;
  major: { name: { zh: string; en: string } };
  minor: { name: { zh: string; en: string } };
}

/** Reference data that rarely changes, fetched once per session and shared by the pages. */
const cache = new Map<string, Promise<unknown>>();
const once = <T>(session: Session, key: string, load: () => Promise<T>): Promise<T> => {
  const full = `${session.token}:${key}`;
  let found = cache.get(full) as Promise<T> | undefined;
  if (!found) {
    found = load();
    found.catch(() => cache.delete(full));
    cache.set(full, found);
  }
  return found;
};

export const canReadOrg = (session: Session) => roleHas(session.user.role, 'org.read');

/** Every department: the API answers a page at a time (20 by default), so follow the cursor. */
export const allDepartments = async <T extends Department = Department>(api: ApiClient): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<{ items: T[]; nextCursor?: string }>(
      `/v1/departments${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};

export const departmentsOf = (api: ApiClient, session: Session): Promise<Department[]> =>
  canReadOrg(session) ? once(session, 'departments', () => allDepartments(api)) : Promise.resolve([]);

/** After the admin adds or changes departments, the pages read them afresh. */
export const forgetDepartments = (session: Session) => cache.delete(`${session.token}:departments`);

/** The duty catalog's categories; a citizen, who cannot read the catalog, gets the city's public list. */
export const categoriesOf = (api: ApiClient, session: Session): Promise<Category[]> =>
  once(session, 'catalog', () =>
    canReadOrg(session)
      ? api.get<{ catalog: { categories: Category[] } }>('/v1/catalog').then((r) => r.catalog.categories)
      : api
          .get<{ items: PublicCategory[] }>(`/v1/public/${encodeURIComponent(session.tenantId)}/categories`)
          .then((r) =>
            r.items.map((c) => ({
              code: c.code,
              type: c.type,
              major: { name: c.group },
              minor: { name: c.name },
            })),
          ),
  );

interface PublicCategory {
  code: string;
  type: string;
  name: { zh: string; en: string };
  group: { zh: string; en: string };
}

/** The units under the viewer's place (the whole city for admins), or under `parentCode`. */
export const unitsOf = (
  api: ApiClient,
  session: Session,
  parentCode?: string,
): Promise<FeatureCollection | undefined> =>
  // A department reads the units it serves; the export without a parent gives exactly those.
  canReadOrg(session)
    ? once(session, `units:${parentCode ?? ''}`, () =>
        api.get<FeatureCollection>(`/v1/org/export${parentCode ? `?parentCode=${parentCode}` : ''}`),
      )
    : Promise.resolve(undefined);

/** Drops the cached units after the hierarchy changed, so every page reads it afresh. */
export const forgetUnits = (session: Session) => {
  for (const key of cache.keys()) if (key.startsWith(`${session.token}:units:`)) cache.delete(key);
};

export const departmentName = (departments: Department[], id: string, lang: 'zh' | 'en') => {
  const found = departments.find((d) => d.id === id);
  return found ? (lang === 'en' && found.nameEn ? found.nameEn : found.name) : id;
};

export const categoryName = (categories: Category[], code: string | undefined, lang: 'zh' | 'en') => {
  if (!code) return '';
  const found = categories.find((c) => c.code === code);
  return found ? `${found.major.name[lang]} / ${found.minor.name[lang]}` : code;
};
