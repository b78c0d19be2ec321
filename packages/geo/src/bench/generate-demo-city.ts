// Writes data/demo-city/hierarchy.geojson: `npx tsx packages/geo/src/bench/generate-demo-city.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Polygon } from 'geojson';
import type { UnitProperties } from '../synthetic';
import { checkHierarchy } from '../topology';
import { DEMO_CITY_FILE, demoCityText } from './demo-city';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const text = demoCityText();
const city = JSON.parse(text) as FeatureCollection<Polygon, UnitProperties>;

// Check what will be read back, not what was in memory.
const { problems } = checkHierarchy(
  city.features.map((f) => ({
    code: f.properties.code,
    parentCode: f.properties.parentCode,
    geometry: f.geometry,
  })),
);
if (problems.length > 0) {
  console.error(problems);
  throw new Error('The demo city does not tile');
}

const path = resolve(root, DEMO_CITY_FILE);
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, text);
console.log(
  JSON.stringify({
    file: DEMO_CITY_FILE,
    features: city.features.length,
    grids: city.features.filter((f) => f.properties.level === 'grid').length,
    bytes: Buffer.byteLength(text),
  }),
);
