import { AppError, type BilingualName, type Category, type DutyCatalog } from '@civicgrid/domain';

/**
 * What a category asks of the public beyond a description and a place. Components (部件) carry
 * codes, now on QR labels, and come in a few known conditions; events ask for nothing more.
 * Types are those of GeoReport v2 service definitions, so the Open311 endpoint serves them as is.
 */
export interface PublicAttribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  order: number;
  description: BilingualName;
  datatypeDescription?: BilingualName;
  values?: { key: string; name: BilingualName }[];
}

export interface PublicCategory {
  code: string;
  type: Category['type'];
  name: BilingualName;
  group: BilingualName;
  description?: string;
  attributes: PublicAttribute[];
}

const COMPONENT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

const componentAttributes: PublicAttribute[] = [
  {
    code: 'component_code',
    datatype: 'string',
    required: false,
    order: 1,
    description: { zh: '部件编码（见二维码标牌）', en: 'Component code, as on its QR label' },
    datatypeDescription: { zh: '字母、数字或连字符，至多 40 位', en: 'Letters, digits or hyphens, up to 40' },
  },
  {
    code: 'condition',
    datatype: 'singlevaluelist',
    required: false,
    order: 2,
    description: { zh: '部件状况', en: 'Condition of the component' },
    values: [
      { key: 'missing', name: { zh: '缺失', en: 'Missing' } },
      { key: 'damaged', name: { zh: '破损', en: 'Damaged' } },
      { key: 'displaced', name: { zh: '移位', en: 'Displaced' } },
      { key: 'other', name: { zh: '其他', en: 'Other' } },
    ],
  },
];

/**
 * The categories the public may report in: those of the city's catalog that route to a
 * department, so every public report can be dispatched by the catalog.
 */
export const publicCategories = (catalog: DutyCatalog): PublicCategory[] => {
  const routed = new Set(catalog.entries.map((entry) => entry.categoryCode));
  return catalog.categories
    .filter((category) => routed.has(category.code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((category) => ({
      code: category.code,
      type: category.type,
      name: category.minor.name,
      group: category.major.name,
      ...(category.description ? { description: category.description } : {}),
      attributes: category.type === 'component' ? componentAttributes : [],
    }));
};

export const findPublicCategory = (catalog: DutyCatalog, code: string): PublicCategory | undefined =>
  publicCategories(catalog).find((category) => category.code === code);

const invalid = (message: string, attribute: string) =>
  new AppError('validation_failed', message, { code: 'attribute_invalid', attribute });

/**
 * Checks the answers to a category's attributes (each may come several times, for
 * multivaluelist) and turns them into lines for the case description, where staff read them.
 */
export const attributeLines = (category: PublicCategory, given: Record<string, string[]>): string[] => {
  for (const code of Object.keys(given)) {
    if (!category.attributes.some((attribute) => attribute.code === code)) {
      throw invalid(`The service ${category.code} has no attribute ${code}.`, code);
    }
  }
  const lines: string[] = [];
  for (const attribute of category.attributes) {
    const values = (given[attribute.code] ?? []).map((v) => v.trim()).filter((v) => v.length > 0);
    if (values.length === 0) {
      if (attribute.required) throw invalid(`The attribute ${attribute.code} is required.`, attribute.code);
      continue;
    }
    if (values.some((value) => value.length > 200)) {
      throw invalid(`The attribute ${attribute.code} takes at most 200 characters.`, attribute.code);
    }
    if (values.length > 1 && attribute.datatype !== 'multivaluelist') {
      throw invalid(`The attribute ${attribute.code} takes one value.`, attribute.code);
    }
    let shown: string[] = values;
    if (attribute.values) {
      const names = values.map((value) => attribute.values?.find((v) => v.key === value)?.name.zh);
      if (names.some((name) => name === undefined)) {
        throw invalid(`The attribute ${attribute.code} has no such value.`, attribute.code);
      }
      shown = names as string[];
    } else if (attribute.code === 'component_code' && !COMPONENT_CODE.test(values[0] ?? '')) {
      throw invalid('A component code has letters, digits or hyphens, up to 40.', attribute.code);
    } else if (attribute.datatype === 'number' && values.some((v) => !Number.isFinite(Number(v)))) {
      throw invalid(`The attribute ${attribute.code} is a number.`, attribute.code);
    }
    lines.push(`【${attribute.description.zh}】${shown.join('、')}`);
  }
  return lines;
};
