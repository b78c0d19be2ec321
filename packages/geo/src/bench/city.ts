import type { SyntheticCityOptions } from '../synthetic';

/** The benches' city: 6 districts × 10 streets × 15 communities × 7 grids = 6,300 grids, C city's order of size. */
export const BENCH_CITY: SyntheticCityOptions = {
  seed: 6298,
  districts: 6,
  streetsPerDistrict: 10,
  communitiesPerStreet: 15,
  gridsPerCommunity: 7,
  origin: [116.1, 39.6],
  // About 66 km north–south, close to C city's 4,400 km².
  sizeDeg: 0.6,
};
