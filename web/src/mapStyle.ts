import type { StyleSpecification } from 'maplibre-gl';

/** No tiles: the map works offline and shows only the city's own units. */
export const blankStyle: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1ec' } }],
};

let styleUrl: string | undefined;

/**
 * The deployed console's base map, as `/config.json` names it (`mapStyleUrl`: an Amazon Location v2
 * style descriptor with the stack's tiles-only API key). Anything but an https URL is ignored.
 */
export const setMapStyleUrl = (url: unknown) => {
  styleUrl = typeof url === 'string' && isHttpsUrl(url) ? url : undefined;
};

const isHttpsUrl = (value: string) => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};

/** What the map starts from: the configured style when there is one, else the blank style. */
export const baseMapStyle = (): { style: string | StyleSpecification; remote: boolean } =>
  styleUrl ? { style: styleUrl, remote: true } : { style: blankStyle, remote: false };
