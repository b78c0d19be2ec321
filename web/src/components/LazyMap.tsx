import { lazy, Suspense } from 'react';
import { useT } from '../i18n';
import type { MapViewProps } from './MapView';

// MapLibre is most of the bundle: load it with the first page that shows a map.
const MapView = lazy(() => import('./MapView').then((module) => ({ default: module.MapView })));

export function LazyMap(props: MapViewProps) {
  const { t } = useT();
  return (
    <Suspense
      fallback={
        <p className={`map map-loading muted ${props.className ?? ''}`} aria-busy="true">
          {t('loading')}
        </p>
      }
    >
      <MapView {...props} />
    </Suspense>
  );
}
