import { readFile } from 'node:fs/promises';

/** The demo city's districts, streets, communities and grids, as a city would hand them over. */
export const DEMO_HIERARCHY_FILE = new URL('../../../data/demo-city/hierarchy.geojson', import.meta.url);

export const readDemoHierarchy = async (): Promise<{ type: 'FeatureCollection'; features: unknown[] }> =>
  JSON.parse(await readFile(DEMO_HIERARCHY_FILE, 'utf8'));

export const DEMO_GAZETTEER_FILE = new URL('../../../data/demo-city/gazetteer.geojson', import.meta.url);

export const readDemoGazetteer = async (): Promise<{ type: 'FeatureCollection'; features: unknown[] }> =>
  JSON.parse(await readFile(DEMO_GAZETTEER_FILE, 'utf8'));
