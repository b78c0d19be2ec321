import { type SyntheticCityOptions, syntheticCity } from '../synthetic';

/** The demo tenant's hierarchy: 东城区 with four of its real street offices, 3 communities each, 6 grids each. */
export const DEMO_CITY: SyntheticCityOptions = {
  seed: 110101,
  districts: 1,
  streetsPerDistrict: 4,
  communitiesPerStreet: 3,
  gridsPerCommunity: 6,
  // Dongcheng, Beijing: from the Temple of Heaven's north-west corner up past Andingmen.
  origin: [116.385, 39.885],
  sizeDeg: 0.06,
  // A finer lattice than the default: smoother boundaries for a map people look at.
  cellsPerGrid: 16,
  districtCodes: ['110101'],
  districtNames: ['东城区'],
  streetNames: ['东华门街道', '景山街道', '交道口街道', '安定门街道'],
};

export const DEMO_CITY_FILE = 'data/demo-city/hierarchy.geojson';

/**
 * The file's exact text: one feature per line keeps it small and its diffs readable. The generator
 * rounds lattice vertices to 6 decimals before building polygons, so what is written is what tiles.
 */
export function demoCityText(): string {
  const city = syntheticCity(DEMO_CITY);
  return `{"type":"FeatureCollection","features":[\n${city.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}
