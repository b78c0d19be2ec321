import { lazy, Suspense } from 'react';
import { useT } from '../i18n';
import type { BarChartProps } from './BarChart';

// ECharts is large: load it with the first page that draws a chart, not with the sign-in page.
const BarChart = lazy(() => import('./BarChart').then((module) => ({ default: module.BarChart })));

export function LazyBarChart(props: BarChartProps) {
  const { t } = useT();
  return (
    <Suspense
      fallback={
        <p className="chart muted" aria-busy="true">
          {t('loading')}
        </p>
      }
    >
      <BarChart {...props} />
    </Suspense>
  );
}
