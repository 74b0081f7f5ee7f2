/**
 * One chart component over TradingView's lightweight-charts (canvas, ~50 KB
 * gzip) for every time series the dashboard draws: candles, OHLC bars,
 * lines, areas and histograms, in stacked panes (price over volume, equity
 * over drawdown), with markers (signals, fills). The series actually drawn
 * are written on the container as `data-series` ("Candlestick:0,Histogram:1"),
 * read back from the library (`seriesType()`, `getPane()`), so a test checks
 * what the library holds rather than a screenshot.
 */
import {
  AreaSeries,
  BarSeries,
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type SeriesMarker,
  type Time,
} from 'lightweight-charts';
import { useEffect, useRef } from 'preact/hooks';

/** A day ('2025-03-14') or an instant in epoch seconds (UTC). */
export type ChartTime = string | number;

export interface OhlcPoint {
  time: ChartTime;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface ValuePoint {
  time: ChartTime;
  value: number;
  color?: string;
}
export interface ChartMarker {
  time: ChartTime;
  position: 'aboveBar' | 'belowBar' | 'inBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square';
  color: string;
  text?: string;
}

export type ChartSeries =
  | { kind: 'candlestick' | 'bar'; data: OhlcPoint[]; pane?: number; title?: string; markers?: ChartMarker[] }
  | { kind: 'line' | 'area' | 'histogram'; data: ValuePoint[]; pane?: number; title?: string; color?: string; markers?: ChartMarker[] };

const DEFINITIONS = { candlestick: CandlestickSeries, bar: BarSeries, line: LineSeries, area: AreaSeries, histogram: HistogramSeries };

/** Percent panes and money panes read differently; `format` sets the price scale's labels. */
export function TimeChart(p: {
  series: ChartSeries[];
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  label: string;
  height?: number;
  /** Relative heights of the panes, top first (e.g. [3, 1] for price over volume). */
  paneStretch?: number[];
  id?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);

  useEffect(() => {
    const el = box.current!;
    const c = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#333', attributionLogo: false },
      grid: { vertLines: { color: '#eee' }, horzLines: { color: '#eee' } },
      timeScale: { borderColor: '#ccc' },
      rightPriceScale: { borderColor: '#ccc' },
    });
    chart.current = c;
    return () => {
      chart.current = null;
      c.remove();
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const drawn = p.series.map((s) => {
      const options = { title: s.title ?? '', ...('color' in s && s.color ? { color: s.color } : {}) };
      // One definition table: the kind names which of the library's series types to add.
      const series = c.addSeries(DEFINITIONS[s.kind] as typeof LineSeries, options, s.pane ?? 0);
      series.setData(s.data.map((d) => ({ ...d, time: d.time as Time })) as never);
      if (s.markers?.length) createSeriesMarkers(series, s.markers.map((m) => ({ ...m, time: m.time as Time })) as SeriesMarker<Time>[]);
      return series;
    });
    p.paneStretch?.forEach((factor, i) => c.panes()[i]?.setStretchFactor(factor));
    c.timeScale().fitContent();
    box.current!.dataset.series = drawn.map((s) => `${s.seriesType()}:${s.getPane().paneIndex()}`).join(',');
    return () => drawn.forEach((s) => c.removeSeries(s));
  }, [p.series]);

  return <div class="chart" id={p.id} ref={box} role="img" aria-label={p.label} style={{ height: `${p.height ?? 320}px` }} />;
}
