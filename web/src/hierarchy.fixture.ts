import type { FeatureCollection, Polygon } from 'geojson';
import demoGeoJson from '../../data/demo-city/hierarchy.geojson?raw';

// Test support only: the demo city's hierarchy and small squares to draw units with, for the console's tests.

/** The demo city's units, as seeded (district > street > community > grid): the file's text and parsed. */
export const demoText: string = demoGeoJson;
export const demo = JSON.parse(demoText) as FeatureCollection;

/** A square of `half` degrees either side of a point. */
export const square = (lon: number, lat: number, half = 0.0005): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - half, lat - half],
      [lon + half, lat - half],
      [lon + half, lat + half],
      [lon - half, lat + half],
      [lon - half, lat - half],
    ],
  ],
});
