import { BarChart as Bar } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { Bars } from '../figures';

use([Bar, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarChartProps {
  bars: Bars;
  /** What the chart shows, for screen readers; the table beside it holds the same figures. */
  label: string;
  /** A unit for the value axis, e.g. '%'. */
  unit?: string;
  max?: number;
}

/** A bar chart drawn by ECharts, resized with its box. */
export function BarChart({ bars, label, unit, max }: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | undefined>(undefined);

  useEffect(() => {
    if (!box.current) return;
    const instance = init(box.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { show: bars.series.length > 1, top: 0 },
        grid: { left: 8, right: 16, top: bars.series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: bars.labels,
          axisLabel: { interval: 0, rotate: bars.labels.length > 6 ? 30 : 0 },
        },
        yAxis: {
          type: 'value',
          ...(max === undefined ? {} : { max }),
          axisLabel: { formatter: unit ? `{value}${unit}` : '{value}' },
        },
        series: bars.series.map((serie) => ({
          type: 'bar',
          name: serie.name,
          data: serie.values,
          barMaxWidth: 48,
        })),
      },
      true,
    );
  }, [bars, unit, max]);

  return (
    <div
      className="chart"
      ref={box}
      role="img"
      aria-label={label}
      data-testid="chart"
      data-bars={bars.labels.length}
    />
  );
}
