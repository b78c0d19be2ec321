import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import {
  aroundPoint,
  draftProblems,
  emptyDraft,
  explainError,
  frameOf,
  groupCategories,
  inExtent,
  isTrackingCode,
  normalizeCode,
  type PublicCategory,
  rememberedReports,
  rememberReport,
  reportBody,
} from './public';

const event: PublicCategory = {
  code: 'E05-52',
  type: 'event',
  name: { zh: '露天烧烤', en: 'Open-air barbecue' },
  group: { zh: '街面秩序', en: 'Street order' },
  attributes: [],
};
const component: PublicCategory = {
  code: 'C01-01',
  type: 'component',
  name: { zh: '上水井盖', en: 'Water manhole cover' },
  group: { zh: '公用设施', en: 'Utilities' },
  attributes: [
    {
      code: 'component_code',
      datatype: 'string',
      required: false,
      order: 1,
      description: { zh: '部件编码', en: 'Component code' },
    },
    {
      code: 'condition',
      datatype: 'singlevaluelist',
      required: true,
      order: 2,
      description: { zh: '部件状况', en: 'Condition' },
      values: [{ key: 'missing', name: { zh: '缺失', en: 'Missing' } }],
    },
  ],
};

/** A Storage in memory, as the browser's localStorage behaves. */
const memoryStorage = (): Storage => {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
};

describe('the public report draft', () => {
  it('names what is missing: the category, a description, a place (a point or an address), required attributes', () => {
    expect(draftProblems(emptyDraft(), undefined)).toEqual(['category', 'description', 'location']);
    const draft = { ...emptyDraft(), categoryCode: 'C01-01', description: '井盖没了' };
    expect(draftProblems({ ...draft, address: '东华门大街1号' }, component)).toEqual(['attribute:condition']);
    expect(
      draftProblems({ ...draft, point: [116.39, 39.9], attributes: { condition: 'missing' } }, component),
    ).toEqual([]);
    // Blank answers do not count, and a phone number, when given, must look like one.
    expect(
      draftProblems(
        { ...draft, address: 'x', attributes: { condition: '  ' }, contactPhone: 'call me' },
        component,
      ),
    ).toEqual(['attribute:condition', 'phone']);
    expect(draftProblems({ ...draft, address: 'x', contactPhone: '139 0000 1111' }, event)).toEqual([]);
  });

  it('sends only what the visitor gave, trimmed, in the shape of the public API', () => {
    const body = reportBody(
      {
        ...emptyDraft(),
        categoryCode: 'C01-01',
        description: '  井盖缺失  ',
        address: '  ',
        point: [116.395, 39.899],
        photos: ['att-1'],
        attributes: { component_code: ' ', condition: 'missing', other: 'dropped' },
        contactPhone: '139-0000-1111',
      },
      component,
    );
    expect(body).toEqual({
      categoryCode: 'C01-01',
      description: '井盖缺失',
      location: { point: [116.395, 39.899] },
      attachmentIds: ['att-1'],
      attributes: { condition: 'missing' },
      contact: { phone: '13900001111' },
    });
    expect(
      reportBody(
        { ...emptyDraft(), categoryCode: 'E05-52', description: 'x', address: ' 北池子大街 ' },
        event,
      ),
    ).toEqual({ categoryCode: 'E05-52', description: 'x', location: { address: '北池子大街' } });
  });

  it('groups categories under their major class, keeping the order the API gave', () => {
    const other = { ...event, code: 'E05-53', name: { zh: '占道经营', en: 'Street vending' } };
    const groups = groupCategories([event, component, other]);
    expect(groups.map((g) => [g.group.zh, g.items.map((c) => c.code)])).toEqual([
      ['街面秩序', ['E05-52', 'E05-53']],
      ['公用设施', ['C01-01']],
    ]);
  });
});

describe('tracking codes and refusals', () => {
  it('accepts codes typed in lower case or with spaces', () => {
    expect(normalizeCode(' ab12 cd-34ef ')).toBe('AB12CD34EF');
    expect(isTrackingCode('AB12CD34EF')).toBe(true);
    expect(isTrackingCode('AB12')).toBe(false);
  });

  it('explains the refusals a visitor can act on and leaves the rest to the API’s message', () => {
    const refusal = (status: number, code: string, detail?: string) =>
      new ApiError(status, code, 'm', detail ? { code: detail } : undefined);
    expect(explainError(refusal(400, 'validation_failed', 'outside_territory'))).toBe('publicOutside');
    expect(explainError(refusal(400, 'validation_failed', 'address_not_found'))).toBe(
      'publicAddressNotFound',
    );
    expect(explainError(refusal(400, 'validation_failed', 'invalid_transition'))).toBe('publicCannotRate');
    expect(explainError(refusal(429, 'rate_limited'))).toBe('publicTooMany');
    expect(explainError(refusal(403, 'tenant_suspended'))).toBe('publicSuspended');
    expect(explainError(refusal(404, 'not_found'))).toBe('publicNotFound');
    expect(explainError(refusal(400, 'validation_failed', 'attribute_invalid'))).toBeUndefined();
    expect(explainError(new Error('offline'))).toBeUndefined();
  });

  it('remembers the reports made on this device, newest first, each once, per city', () => {
    const storage = memoryStorage();
    rememberReport('demo-city', { trackingCode: 'AAAAAAAAAA', at: '2026-05-01T00:00:00Z' }, storage);
    rememberReport('demo-city', { trackingCode: 'BBBBBBBBBB', at: '2026-05-02T00:00:00Z' }, storage);
    rememberReport('demo-city', { trackingCode: 'AAAAAAAAAA', at: '2026-05-03T00:00:00Z' }, storage);
    expect(rememberedReports('demo-city', storage).map((r) => r.trackingCode)).toEqual([
      'AAAAAAAAAA',
      'BBBBBBBBBB',
    ]);
    expect(rememberedReports('other-city', storage)).toEqual([]);
    storage.setItem('civicgrid.public.demo-city', '{broken');
    expect(rememberedReports('demo-city', storage)).toEqual([]);
  });
});

describe('the city on the map', () => {
  const extent = {
    bbox: [116.38, 39.89, 116.42, 39.93] as [number, number, number, number],
    center: [116.4, 39.91] as [number, number],
    grids: 4,
  };

  it('refuses points outside the box around the grids, and nothing while no box is known', () => {
    expect(inExtent([116.4, 39.91], extent)).toBe(true);
    expect(inExtent([116.38, 39.93], extent)).toBe(true);
    expect(inExtent([116.379, 39.91], extent)).toBe(false);
    expect(inExtent([121.47, 31.23], extent)).toBe(false);
    expect(inExtent([121.47, 31.23], null)).toBe(true);
  });

  it('frames a box by its two corners, which no map layer draws', () => {
    expect(frameOf(extent.bbox).features[0]?.geometry).toEqual({
      type: 'MultiPoint',
      coordinates: [
        [116.38, 39.89],
        [116.42, 39.93],
      ],
    });
    const [w, s, e, n] = aroundPoint([116.4, 39.9]);
    expect([w < 116.4, e > 116.4, s < 39.9, n > 39.9]).toEqual([true, true, true, true]);
  });
});
