/**
 * Writes data/demo-city/gazetteer.geojson: address points and landmarks placed inside the
 * demo city's grids, so that geocoding in the demo lands in real units. Run with tsx.
 */
import { writeFile } from 'node:fs/promises';
import { type GridGeometry, GridLocator, mulberry32 } from '@civicgrid/geo';
import { readDemoHierarchy } from './demo-hierarchy';

const roads = [
  '南池子大街',
  '东华门大街',
  '景山前街',
  '地安门东大街',
  '交道口南大街',
  '安定门内大街',
  '北河沿大街',
  '五四大街',
  '美术馆后街',
  '东四北大街',
  '北锣鼓巷',
  '东黄城根北街',
];
const landmarks = [
  '故宫博物院',
  '景山公园',
  '南锣鼓巷',
  '中国美术馆',
  '北京人民艺术剧院',
  '地坛公园',
  '雍和宫',
  '国子监',
];

interface Unit {
  geometry: GridGeometry | null;
  properties: { code: string; name: string; level: string };
}

const main = async () => {
  const units = (await readDemoHierarchy()).features as Unit[];
  const names = new Map(units.map((u) => [u.properties.code, u.properties.name]));
  const grids = units.filter((u) => u.properties.level === 'grid' && u.geometry);
  const locator = GridLocator.build(
    grids.map((g) => ({ code: g.properties.code, geometry: g.geometry as GridGeometry })),
  );
  const district = units.find((u) => u.properties.level === 'district') as Unit;
  const ring = (district.geometry as { coordinates: number[][][] }).coordinates[0] as number[][];
  const [x0, x1] = [
    Math.min(...ring.map((p) => p[0] as number)),
    Math.max(...ring.map((p) => p[0] as number)),
  ];
  const [y0, y1] = [
    Math.min(...ring.map((p) => p[1] as number)),
    Math.max(...ring.map((p) => p[1] as number)),
  ];
  const random = mulberry32(20261125);
  const features: { type: string; geometry: unknown; properties: Record<string, string> }[] = [];
  for (let n = 0; features.length < 160 && n < 10_000; n += 1) {
    const point: [number, number] = [
      Number((x0 + (x1 - x0) * random()).toFixed(6)),
      Number((y0 + (y1 - y0) * random()).toFixed(6)),
    ];
    const grid = locator.locate(point[0], point[1]);
    if (!grid) continue;
    const street = names.get(grid.slice(0, 9)) ?? '';
    const landmark = features.length < landmarks.length ? landmarks[features.length] : undefined;
    const name = landmark ?? `${roads[features.length % roads.length]}${1 + Math.floor(random() * 120)}号`;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: point },
      properties: landmark ? { name, kind: 'landmark' } : { name: `东城区${street}${name}`, kind: 'address' },
    });
  }
  const out = new URL('../../../data/demo-city/gazetteer.geojson', import.meta.url);
  await writeFile(
    out,
    `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`,
  );
  console.log(`wrote ${features.length} gazetteer entries`);
};

await main();
