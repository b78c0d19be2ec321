export { AmazonLocationGeocoder, type AmazonLocationOptions } from './amazon-location';
export { Gazetteer, type GazetteerEntry, GazetteerGeocoder, type GazetteerOptions } from './gazetteer';
export type { GeocodeOptions, GeocodeResult, Geocoder } from './geocoder';
export { type AdminPrefixes, normalizeAddress, stripAdminPrefixes } from './normalize';
