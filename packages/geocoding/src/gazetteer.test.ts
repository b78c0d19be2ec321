import { AppError } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { Gazetteer, type GazetteerEntry, GazetteerGeocoder } from './gazetteer';

type Props = { name: string; aliases?: string[]; kind?: string };

const feature = (name: string, point: [number, number], extra: Omit<Props, 'name'> = {}) => ({
  type: 'Feature' as const,
  geometry: { type: 'Point' as const, coordinates: point },
  properties: { name, ...extra },
});

const DONGCHENG = {
  type: 'FeatureCollection',
  features: [
    feature('东城区东华门街道南池子大街', [116.4035, 39.9105], { kind: 'street' }),
    feature('东城区东华门街道南池子大街2号', [116.4036, 39.9075]),
    feature('东城区东华门街道南池子大街12号', [116.4034, 39.9098]),
    feature('东城区东华门街道南池子大街甲12号', [116.4035, 39.91]),
    feature('东城区东华门街道南池子大街14号', [116.4034, 39.9102]),
    feature('东城区东华门街道南池子大街32号', [116.4033, 39.913]),
    feature('东城区东华门街道东华门大街5号', [116.401, 39.9143]),
    feature('东城区东华门街道东华门大街7号', [116.4016, 39.9143]),
    feature('东城区东华门街道东华门大街29号', [116.4058, 39.9141]),
    feature('东城区景山街道景山前街4号', [116.397, 39.9225]),
    feature('东城区景山街道景山前街8号', [116.3988, 39.9226]),
    feature('东城区景山街道景山前街12号', [116.4003, 39.9227]),
    feature('东城区景山街道地安门东大街10号', [116.4012, 39.9321]),
    feature('东城区景山街道地安门东大街24号', [116.4041, 39.9322]),
    feature('东城区景山街道地安门东大街57号', [116.4078, 39.9323]),
    feature('东城区交道口街道交道口南大街9号', [116.4032, 39.9352]),
    feature('东城区交道口街道交道口南大街11号', [116.4032, 39.9357]),
    feature('东城区交道口街道交道口南大街136号', [116.4031, 39.9398]),
    feature('东城区安定门街道安定门内大街1号', [116.4079, 39.9404]),
    feature('东城区安定门街道安定门内大街16号', [116.408, 39.9418]),
    feature('东城区安定门街道安定门内大街85号', [116.4082, 39.9461]),
    feature('故宫博物院', [116.3972, 39.9169], { aliases: ['故宫', '紫禁城'], kind: 'landmark' }),
    feature('景山公园', [116.3966, 39.9251], { kind: 'park' }),
    feature('南锣鼓巷', [116.403, 39.937], { kind: 'landmark' }),
    feature('地坛公园', [116.4095, 39.952], { kind: 'park' }),
    feature('雍和宫', [116.4174, 39.9473], { kind: 'landmark' }),
    feature('东单菜市场', [116.4188, 39.9112], { kind: 'market' }),
    feature('北京市东城区人民政府', [116.4161, 39.9289], { kind: 'government' }),
    feature('东城区景山街道社区服务中心', [116.3995, 39.9283], { kind: 'service' }),
    feature('东城区交道口街道社区服务中心', [116.4041, 39.9372], { kind: 'service' }),
  ],
};

const gazetteer = Gazetteer.fromGeoJSON(DONGCHENG);
const top = (query: string, near?: [number, number]) =>
  gazetteer.search(query, near ? { near } : {})[0]?.label;

describe('Gazetteer.search', () => {
  it('indexes every feature', () => {
    expect(gazetteer.size).toBe(30);
  });

  it('finds an address written in full', () => {
    const [first] = gazetteer.search('东城区东华门街道南池子大街12号');
    expect(first).toEqual({
      label: '东城区东华门街道南池子大街12号',
      point: [116.4034, 39.9098],
      score: 1,
      source: 'gazetteer',
    });
  });

  it.each([
    ['without admin prefixes', '南池子大街12号'],
    ['with only the district', '东城区南池子大街12号'],
    ['with the city in front', '北京市东城区南池子大街12号'],
    ['with full-width digits', '南池子大街１２号'],
    ['with a Chinese numeral', '南池子大街十二号'],
    ['with punctuation and spaces', '东城区，南池子大街 12 号。'],
    ['abbreviated', '南池子12号'],
    ['with one character wrong', '南池于大街12号'],
  ])('finds 南池子大街12号 %s', (_, query) => {
    expect(top(query)).toBe('东城区东华门街道南池子大街12号');
  });

  it.each([
    ['交道口南大街１３６号', '东城区交道口街道交道口南大街136号'],
    ['安定门内大街十六号', '东城区安定门街道安定门内大街16号'],
    ['地安门东大街24', '东城区景山街道地安门东大街24号'],
    ['地安门东大衔57号', '东城区景山街道地安门东大街57号'],
    ['景山钱街4号', '东城区景山街道景山前街4号'],
    ['东华门大街7号', '东城区东华门街道东华门大街7号'],
    ['故宫', '故宫博物院'],
    ['紫禁城', '故宫博物院'],
    ['故宫博物', '故宫博物院'],
    ['景山公园', '景山公园'],
    ['景山工园', '景山公园'],
    ['南锣鼓巷', '南锣鼓巷'],
    ['南锣古巷', '南锣鼓巷'],
    ['东城区人民政府', '北京市东城区人民政府'],
    ['东单菜市场', '东单菜市场'],
  ])('finds %s → %s', (query, label) => {
    expect(top(query)).toBe(label);
  });

  it('ranks the exact house number first, then other houses on the same street', () => {
    const results = gazetteer.search('南池子大街12号');
    const labels = results.map((r) => r.label);
    expect(labels[0]).toBe('东城区东华门街道南池子大街12号');
    expect(results[0]?.score).toBe(1);
    for (const other of ['甲12号', '14号', '2号']) {
      const found = results.find((r) => r.label === `东城区东华门街道南池子大街${other}`);
      expect(found, other).toBeDefined();
      expect(found?.score).toBeLessThan(0.8);
    }
    // Same number on another street is not a match.
    expect(labels).not.toContain('东城区景山街道景山前街12号');
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
  });

  it('scores a conflicting district lower than a matching one', () => {
    const [matching] = gazetteer.search('东城区南池子大街12号');
    const [conflicting] = gazetteer.search('西城区南池子大街12号');
    expect(conflicting?.label).toBe('东城区东华门街道南池子大街12号');
    expect(conflicting?.score).toBeLessThan(matching?.score ?? 0);
  });

  it('breaks ties by distance from near', () => {
    const jingshan: [number, number] = [116.398, 39.927];
    const jiaodaokou: [number, number] = [116.4035, 39.9365];
    const both = gazetteer.search('社区服务中心', { near: jingshan });
    expect(both.map((r) => r.label)).toEqual(['东城区景山街道社区服务中心', '东城区交道口街道社区服务中心']);
    expect(both[0]?.score).toBe(both[1]?.score);
    expect(top('社区服务中心', jiaodaokou)).toBe('东城区交道口街道社区服务中心');
  });

  it('does not let near outrank a better match', () => {
    const besideNo14: [number, number] = [116.4034, 39.9102];
    expect(top('南池子大街12号', besideNo14)).toBe('东城区东华门街道南池子大街12号');
  });

  it('returns [] when nothing matches', () => {
    expect(gazetteer.search('上海市浦东新区世纪大道100号')).toEqual([]);
    expect(gazetteer.search('xyz')).toEqual([]);
    expect(gazetteer.search('')).toEqual([]);
    expect(gazetteer.search('，。 ')).toEqual([]);
  });

  it('honours limit', () => {
    expect(gazetteer.search('南池子大街', { limit: 2 })).toHaveLength(2);
    expect(gazetteer.search('南池子大街', { limit: 0 })).toHaveLength(1);
  });

  it('scores stay within 0..1, best first', () => {
    for (const query of ['南池子', '景山', '大街', '东城区', '12号']) {
      const scores = gazetteer.search(query).map((r) => r.score);
      expect(
        scores.every((s) => s >= 0.35 && s <= 1),
        query,
      ).toBe(true);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });
});

describe('Gazetteer.fromGeoJSON', () => {
  const catchError = (fc: unknown): AppError => {
    try {
      Gazetteer.fromGeoJSON(fc);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected fromGeoJSON to throw');
  };

  it('rejects non-Point features, listing their indexes', () => {
    const error = catchError({
      type: 'FeatureCollection',
      features: [
        feature('故宫博物院', [116.3972, 39.9169]),
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [116.4, 39.9],
              [116.41, 39.91],
            ],
          },
          properties: { name: '南池子大街' },
        },
        feature('景山公园', [116.3966, 39.9251]),
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { name: '景山街道' } },
        { type: 'Feature', geometry: null, properties: { name: '无坐标' } },
      ],
    });
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('must be Points');
    expect(error.message).toContain('1 (LineString), 3 (Polygon), 4 (no geometry)');
    expect(error.details).toEqual({ indexes: [1, 3, 4] });
  });

  it('rejects a missing name, bad coordinates and a non-collection', () => {
    const noName = catchError({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [116.4, 39.9] }, properties: {} },
      ],
    });
    expect(noName.code).toBe('validation_failed');
    expect(noName.message).toContain('[0].properties.name');

    const offEarth = catchError({ type: 'FeatureCollection', features: [feature('故宫', [216.4, 39.9])] });
    expect(offEarth.message).toContain('[0].geometry.coordinates');

    expect(catchError({ type: 'Feature' }).message).toContain('not a GeoJSON FeatureCollection');
    expect(catchError(null).code).toBe('validation_failed');
  });

  it('accepts an empty collection and positions with altitude', () => {
    expect(Gazetteer.fromGeoJSON({ type: 'FeatureCollection', features: [] }).search('故宫')).toEqual([]);
    const withAltitude = Gazetteer.fromGeoJSON({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [116.3972, 39.9169, 45] },
          properties: { name: '故宫博物院' },
        },
      ],
    });
    expect(withAltitude.search('故宫博物院')[0]?.point).toEqual([116.3972, 39.9169]);
  });
});

describe('GazetteerGeocoder', () => {
  it('searches only the tenant’s own gazetteer', async () => {
    const geocoder = new GazetteerGeocoder();
    geocoder.load('dongcheng', gazetteer);
    geocoder.load('xicheng', Gazetteer.fromGeoJSON({ type: 'FeatureCollection', features: [] }));

    const [hit] = await geocoder.geocode('dongcheng', '故宫', { limit: 1 });
    expect(hit?.label).toBe('故宫博物院');
    expect(await geocoder.geocode('xicheng', '故宫')).toEqual([]);
    expect(await geocoder.geocode('unknown-city', '故宫')).toEqual([]);
  });
});

describe('Gazetteer index', () => {
  // Deterministic street names from a pool of common street-name characters.
  const POOL = [...'安平和兴福德永康宁泰华光明新东西南北中文武长青松柏花园林山水春秋金玉广红'];
  const SUFFIXES = ['大街', '路', '胡同', '巷', '街'];
  const DISTRICTS = ['东城区东华门街道', '西城区什刹海街道', '朝阳区建外街道', '海淀区中关村街道'];

  const streets: string[] = [];
  for (const [i, a] of POOL.entries()) {
    for (const [j, b] of POOL.entries()) {
      if (a !== b && streets.length < 500) streets.push(`${a}${b}${SUFFIXES[(i + j) % SUFFIXES.length]}`);
    }
  }
  const entries: GazetteerEntry[] = streets.flatMap((street, s) =>
    Array.from({ length: 100 }, (_, n) => ({
      name: `${DISTRICTS[s % DISTRICTS.length]}${street}${n + 1}号`,
      point: [116 + s / 1000, 39.9 + n / 10000] as [number, number],
    })),
  );

  it('finds the right address among 50,000 entries', () => {
    const big = new Gazetteer(entries);
    expect(big.size).toBe(50_000);

    const queries = Array.from({ length: 200 }, (_, i) => {
      const street = streets[(i * 37) % streets.length] as string;
      const number = ((i * 13) % 100) + 1;
      return { query: `${street}${number}号`, street, number };
    });
    const hits = queries.map(({ query }) => big.search(query, { limit: 5 })[0]?.label);

    queries.forEach(({ street, number }, i) => {
      expect(hits[i]?.endsWith(`${street}${number}号`), `${street}${number}号`).toBe(true);
    });
  });
});
