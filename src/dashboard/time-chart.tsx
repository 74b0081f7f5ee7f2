/**
 * One chart component over TradingView's lightweight-charts (canvas, ~50 KB
 * gzip) for every time series the dashboard draws: candles, OHLC bars,
 * lines, areas and histograms, in stacked panes (price over volume, equity
 * over drawdown), with markers (signals, fills). The series actually drawn
 * are written on the container as `data-series` ("Candlestick:0,Histogram:1"),
 * read back from the library (`seriesType()`, `getPane()`), and the markers
 * each series holds as `data-markers` ("12,0", from the markers plugin), so a
 * test checks what the library holds rather than a screenshot.
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
  /** Relative to the bar, or at `price` (a fill at the price it filled at). */
  position: 'aboveBar' | 'belowBar' | 'inBar' | 'atPriceTop' | 'atPriceBottom' | 'atPriceMiddle';
  shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square';
  color: string;
  text?: string;
  /** Required by the atPrice positions. */
  price?: number;
  /** Relative size (library default 1). */
  size?: number;
}

/** The price scale's labels: money-like prices (default), volumes (1.2M), or values already in percent (12.3%). */
export type ChartFormat = 'price' | 'volume' | 'percent';

export type ChartSeries =
  | { kind: 'candlestick' | 'bar'; data: OhlcPoint[]; pane?: number; title?: string; markers?: ChartMarker[]; format?: ChartFormat }
  | {
      kind: 'line' | 'area' | 'histogram';
      data: ValuePoint[];
      pane?: number;
      title?: string;
      color?: string;
      markers?: ChartMarker[];
      format?: ChartFormat;
    };

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
    // A width change (a phone turned, a window resized) shows the whole series again rather than its last part.
    const refit = () => c.timeScale().fitContent();
    c.timeScale().subscribeSizeChange(refit);
    return () => {
      c.timeScale().unsubscribeSizeChange(refit);
      chart.current = null;
      c.remove();
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    // Numeric times are instants: the axis then shows the time of day too.
    c.applyOptions({ timeScale: { timeVisible: p.series.some((s) => typeof s.data[0]?.time === 'number') } });
    const markerCounts: number[] = [];
    const drawn = p.series.map((s) => {
      const options = {
        title: s.title ?? '',
        ...('color' in s && s.color ? { color: s.color } : {}),
        ...(s.format ? { priceFormat: { type: s.format } } : {}),
      };
      // One definition table: the kind names which of the library's series types to add.
      const series = c.addSeries(DEFINITIONS[s.kind] as typeof LineSeries, options, s.pane ?? 0);
      series.setData(s.data.map((d) => ({ ...d, time: d.time as Time })) as never);
      const markers = s.markers?.length
        ? createSeriesMarkers(series, s.markers.map((m) => ({ ...m, time: m.time as Time })) as SeriesMarker<Time>[])
        : null;
      markerCounts.push(markers?.markers().length ?? 0);
      return series;
    });
    p.paneStretch?.forEach((factor, i) => c.panes()[i]?.setStretchFactor(factor));
    c.timeScale().fitContent();
    box.current!.dataset.series = drawn.map((s) => `${s.seriesType()}:${s.getPane().paneIndex()}`).join(',');
    box.current!.dataset.markers = markerCounts.join(',');
    // On unmount the chart's own cleanup (the effect above, run first) has removed it with its series already.
    return () => {
      if (chart.current === c) drawn.forEach((s) => c.removeSeries(s));
    };
  }, [p.series]);

  return <div class="chart" id={p.id} ref={box} role="img" aria-label={p.label} style={{ height: `${p.height ?? 320}px` }} />;
}
