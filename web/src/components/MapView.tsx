import type { FeatureCollection } from 'geojson';
import {
  type ExpressionSpecification,
  type GeoJSONSource,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
// The worker is a self-contained module; bundled, maplibre cannot find it beside its own file.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n';
import { baseMapStyle, blankStyle } from '../mapStyle';

setWorkerUrl(workerUrl);

const gridFill: ExpressionSpecification = [
  'case',
  ['==', ['get', 'kind'], 'exclusive'],
  '#f2c14e',
  '#7fb77e',
];

/** A case or whistle drawn on the map; a click opens it. */
export interface MapPoint {
  id: string;
  kind: 'case' | 'whistle';
  point: [number, number];
}

export interface MapViewProps {
  units: FeatureCollection | undefined;
  points?: MapPoint[] | undefined;
  onPointClick?: (point: MapPoint) => void;
  /** The grid to outline, e.g. the selected one or the case's. */
  highlight?: string | undefined;
  marker?: [number, number] | undefined;
  onGridClick?: (code: string) => void;
  onPick?: (point: [number, number]) => void;
  label: string;
  className?: string;
  /** Colours the grids by a number of their properties (a choropleth), from 0 to `max`. */
  choropleth?: { property: string; max: number } | undefined;
  /**
   * Features drawn above the units, e.g. an import's problems: polygons filled and points as pins,
   * red for `severity: 'error'`, orange otherwise; `role: 'other'` (the other side of a problem) fainter.
   */
  overlay?: FeatureCollection | undefined;
  /** Fly to these bounds ([west, south, east, north]) whenever they change, instead of framing every unit. */
  focus?: [number, number, number, number] | undefined;
  /** A click on an overlay feature, with its `problem` property. */
  onOverlayClick?: (problem: number) => void;
}

const severityColour: ExpressionSpecification = [
  'case',
  ['==', ['get', 'severity'], 'error'],
  '#d62828',
  '#f77f00',
];

/** Bounds of every coordinate in the collection. */
export const boundsOf = (collection: FeatureCollection): [number, number, number, number] | undefined => {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const visit = (coords: unknown): void => {
    if (!Array.isArray(coords)) return;
    if (typeof coords[0] === 'number' && typeof coords[1] === 'number') {
      west = Math.min(west, coords[0]);
      east = Math.max(east, coords[0]);
      south = Math.min(south, coords[1]);
      north = Math.max(north, coords[1]);
      return;
    }
    for (const inner of coords) visit(inner);
  };
  for (const feature of collection.features) {
    if (feature.geometry && 'coordinates' in feature.geometry) visit(feature.geometry.coordinates);
  }
  return Number.isFinite(west) ? [west, south, east, north] : undefined;
};

const webglAvailable = () => {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
};

export function MapView(props: MapViewProps) {
  const { t } = useT();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | undefined>(undefined);
  const markerRef = useRef<Marker | undefined>(undefined);
  // Counts the styles the overlay was drawn on (0: none yet): the data effects run again on each.
  const [ready, setReady] = useState(0);
  const [failed, setFailed] = useState(false);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!container.current) return;
    if (!webglAvailable()) {
      setFailed(true);
      return;
    }
    let instance: MapLibreMap;
    // Deployed: Amazon Location's style under the city's units (its data needs its attribution shown).
    // Locally, or when that style cannot be loaded: the blank style, and the grids still show.
    const base = baseMapStyle();
    let styleLoaded = false;
    try {
      instance = new MapLibreMap({
        container: container.current,
        style: base.style,
        center: [116.4, 39.91],
        zoom: 12,
        attributionControl: base.remote ? { compact: true } : false,
        // MapLibre's own control texts and labels in the console's language: a switch makes the map anew.
        locale: {
          'Map.Title': t('mapCanvas'),
          'Marker.Title': t('mapMarker'),
          'NavigationControl.ZoomIn': t('mapZoomIn'),
          'NavigationControl.ZoomOut': t('mapZoomOut'),
          'NavigationControl.ResetBearing': t('mapResetBearing'),
          'AttributionControl.ToggleAttribution': t('mapToggleAttribution'),
        },
      });
    } catch {
      setFailed(true);
      return;
    }
    map.current = instance;
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    // A remote style that fails to load falls back to the blank one; a remote tile that fails leaves a
    // hole. Locally there is nothing remote, so an error is a fault and is logged as MapLibre would.
    instance.on('error', (event) => {
      if (!base.remote) console.error(event.error);
      else if (!styleLoaded) {
        styleLoaded = true;
        instance.setStyle(blankStyle, { diff: false });
      }
    });
    // The overlay goes on top of whichever style loaded (a new style drops it, so it is drawn again).
    instance.on('style.load', () => {
      styleLoaded = true;
      if (instance.getSource('units')) return;
      instance.addSource('units', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      instance.addLayer({
        id: 'grid-fill',
        type: 'fill',
        source: 'units',
        filter: ['==', ['get', 'level'], 'grid'],
        paint: {
          'fill-color': gridFill,
          'fill-opacity': 0.35,
        },
      });
      instance.addLayer({
        id: 'grid-line',
        type: 'line',
        source: 'units',
        filter: ['==', ['get', 'level'], 'grid'],
        paint: { 'line-color': '#3d6b45', 'line-width': 1 },
      });
      instance.addLayer({
        id: 'upper-line',
        type: 'line',
        source: 'units',
        filter: ['in', ['get', 'level'], ['literal', ['street', 'district']]],
        paint: { 'line-color': '#1d3557', 'line-width': 2.5 },
      });
      instance.addSource('points', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      // Heat by case density, under the markers.
      instance.addLayer({
        id: 'case-heat',
        type: 'heatmap',
        source: 'points',
        filter: ['==', ['get', 'kind'], 'case'],
        paint: { 'heatmap-radius': 30, 'heatmap-opacity': 0.5 },
      });
      instance.addLayer({
        id: 'points',
        type: 'circle',
        source: 'points',
        paint: {
          'circle-radius': 7,
          'circle-color': ['case', ['==', ['get', 'kind'], 'whistle'], '#7b2cbf', '#d62828'],
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
      instance.addLayer({
        id: 'highlight',
        type: 'line',
        source: 'units',
        filter: ['==', ['get', 'code'], ''],
        paint: { 'line-color': '#d62828', 'line-width': 3 },
      });
      instance.addSource('overlay', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      const polygons: ExpressionSpecification = [
        'in',
        ['geometry-type'],
        ['literal', ['Polygon', 'MultiPolygon']],
      ];
      instance.addLayer({
        id: 'overlay-fill',
        type: 'fill',
        source: 'overlay',
        filter: polygons,
        paint: {
          'fill-color': severityColour,
          'fill-opacity': ['case', ['==', ['get', 'role'], 'other'], 0.12, 0.4],
        },
      });
      instance.addLayer({
        id: 'overlay-line',
        type: 'line',
        source: 'overlay',
        filter: polygons,
        paint: {
          'line-color': severityColour,
          'line-width': ['case', ['==', ['get', 'role'], 'other'], 1.5, 2.5],
          'line-dasharray': [2, 1],
        },
      });
      instance.addLayer({
        id: 'overlay-pin',
        type: 'circle',
        source: 'overlay',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': 8,
          'circle-color': severityColour,
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
      setReady((n) => n + 1);
    });
    instance.on('click', (event) => {
      const point: [number, number] = [
        Number(event.lngLat.lng.toFixed(6)),
        Number(event.lngLat.lat.toFixed(6)),
      ];
      if (handlers.current.onOverlayClick) {
        const hit = instance.queryRenderedFeatures(event.point, {
          layers: ['overlay-pin', 'overlay-fill'],
        })[0];
        const problem = hit?.properties?.problem;
        if (typeof problem === 'number') {
          handlers.current.onOverlayClick(problem);
          return;
        }
      }
      const marker = instance.queryRenderedFeatures(event.point, { layers: ['points'] })[0];
      if (marker && handlers.current.onPointClick) {
        const { id, kind } = marker.properties as { id: string; kind: MapPoint['kind'] };
        handlers.current.onPointClick({ id, kind, point });
        return;
      }
      handlers.current.onPick?.(point);
      const hit = instance.queryRenderedFeatures(event.point, { layers: ['grid-fill'] })[0];
      const code = hit?.properties?.code;
      if (typeof code === 'string') handlers.current.onGridClick?.(code);
    });
    return () => {
      instance.remove();
      map.current = undefined;
    };
  }, [t]);

  const shadeBy = props.choropleth?.property;
  const shadeMax = Math.max(props.choropleth?.max ?? 0, 1);
  useEffect(() => {
    const instance = map.current;
    if (!ready || !instance) return;
    instance.setPaintProperty(
      'grid-fill',
      'fill-color',
      shadeBy
        ? ['interpolate', ['linear'], ['coalesce', ['get', shadeBy], 0], 0, '#fff5eb', shadeMax, '#d94801']
        : gridFill,
    );
    instance.setPaintProperty('grid-fill', 'fill-opacity', shadeBy ? 0.75 : 0.35);
  }, [ready, shadeBy, shadeMax]);

  useEffect(() => {
    const instance = map.current;
    if (!ready || !instance || !props.units) return;
    (instance.getSource('units') as GeoJSONSource).setData(props.units);
    const bounds = handlers.current.focus ?? boundsOf(props.units);
    if (bounds) instance.fitBounds(bounds, { padding: 24, duration: 0 });
  }, [ready, props.units]);

  useEffect(() => {
    const instance = map.current;
    if (!ready || !instance) return;
    (instance.getSource('overlay') as GeoJSONSource).setData(
      props.overlay ?? { type: 'FeatureCollection', features: [] },
    );
  }, [ready, props.overlay]);

  const focusKey = props.focus?.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the bounds' values say when to fly
  useEffect(() => {
    const instance = map.current;
    const focus = handlers.current.focus;
    if (!ready || !instance || !focus) return;
    instance.fitBounds(focus, { padding: 40, maxZoom: 17, duration: 400 });
  }, [ready, focusKey]);

  useEffect(() => {
    const instance = map.current;
    if (!ready || !instance) return;
    (instance.getSource('points') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: (props.points ?? []).map((p) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: p.point },
        properties: { id: p.id, kind: p.kind },
      })),
    });
  }, [ready, props.points]);

  useEffect(() => {
    const instance = map.current;
    if (!ready || !instance) return;
    instance.setFilter('highlight', ['==', ['get', 'code'], props.highlight ?? '']);
  }, [ready, props.highlight]);

  useEffect(() => {
    const instance = map.current;
    if (!ready || !instance) return;
    markerRef.current?.remove();
    markerRef.current = props.marker
      ? new Marker({ color: '#d62828' }).setLngLat(props.marker).addTo(instance)
      : undefined;
    // With no units to frame (a department's view of a case), frame the marker.
    if (props.marker && !props.units) instance.jumpTo({ center: props.marker, zoom: 15 });
  }, [ready, props.marker, props.units]);

  if (failed) {
    return (
      <p className="map-fallback muted" role="note">
        {t('mapUnavailable')}
      </p>
    );
  }
  return (
    <div
      ref={container}
      className={`map ${props.className ?? ''}`}
      role="application"
      aria-label={props.label}
      data-ready={ready ? 'true' : 'false'}
      data-overlay={props.overlay ? props.overlay.features.length : undefined}
      data-focus={focusKey}
    />
  );
}
