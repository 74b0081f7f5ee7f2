/**
 * Market: one symbol's price chart (candles, OHLC bars or a close line, chosen
 * by a button group) with its volume in a pane below, the strategy signals
 * and our fills marked on it, and the same marks listed in a table (a canvas
 * says nothing to a screen reader). Symbol, interval, chart type and range
 * live in the hash (#/market?symbol=ABT&interval=5m&type=bar&range=all), so a
 * view can be linked and survives a reload.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { count, money, pct } from './format';
import { LoadError, useApi, type PageProps } from './page';
import { ButtonGroup } from './button-group';
import { chartMarker, COLORS, layerOf, Legend, MarksTable, type Layer, type Marker } from './market-marks';
import { TimeChart, type ChartSeries, type ChartTime } from './time-chart';

/* ---- Wire types of GET /api/market/symbols and GET /api/market/:symbol (src/api/views/market.ts) ---- */

type Interval = '1d' | '1m' | '5m' | '15m';

interface SymbolInfo {
  symbol: string;
  intervals: { interval: Interval; bars: number; first: string; last: string }[];
  last_fill_at: string | null;
  fills: number;
}

interface Bar {
  /** 'YYYY-MM-DD', or intraday the exchange's wall clock in epoch seconds. */
  time: ChartTime;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface MarketSeries {
  symbol: string;
  interval: Interval;
  exchange_tz: string;
  truncated: boolean;
  bars: Bar[];
  markers: Marker[];
}

/* ---- View state, kept in the hash ---- */

type ChartType = 'candlestick' | 'bar' | 'line';
type Range = '1m' | '3m' | '6m' | '1y' | 'all';

const CHART_TYPES: { value: ChartType; label: string }[] = [
  { value: 'candlestick', label: 'Candles' },
  { value: 'bar', label: 'OHLC bars' },
  { value: 'line', label: 'Line' },
];
const INTERVAL_LABELS: Record<Interval, string> = { '1d': 'Daily', '1m': '1 min', '5m': '5 min', '15m': '15 min' };
const RANGES: { value: Range; label: string; months: number | null }[] = [
  { value: '1m', label: '1M', months: 1 },
  { value: '3m', label: '3M', months: 3 },
  { value: '6m', label: '6M', months: 6 },
  { value: '1y', label: '1Y', months: 12 },
  { value: 'all', label: 'All', months: null },
];
const LAYERS: { value: Layer; label: string }[] = [
  { value: 'signal', label: 'Signals' },
  { value: 'rejected', label: 'Rejected signals' },
  { value: 'model', label: 'Model signals' },
  { value: 'fill', label: 'Fills' },
];
const DEFAULT_LAYERS: Layer[] = ['signal', 'model', 'fill'];

interface View {
  symbol: string | null;
  interval: Interval | null;
  type: ChartType;
  range: Range;
}

function readHash(): View {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const type = q.get('type');
  const range = q.get('range');
  const interval = q.get('interval');
  return {
    symbol: q.get('symbol')?.toUpperCase() || null,
    interval: interval && interval in INTERVAL_LABELS ? (interval as Interval) : null,
    type: CHART_TYPES.some((t) => t.value === type) ? (type as ChartType) : 'candlestick',
    range: RANGES.some((r) => r.value === range) ? (range as Range) : '3m',
  };
}

/** replaceState, not location.hash: a new hash would add a history entry per click and fire hashchange. */
function writeHash(v: View): void {
  const q = new URLSearchParams();
  if (v.symbol) q.set('symbol', v.symbol);
  if (v.interval) q.set('interval', v.interval);
  q.set('type', v.type);
  q.set('range', v.range);
  history.replaceState(null, '', `#/market?${q.toString()}`);
}

/** `months` before a 'YYYY-MM-DD' day, as a day (UTC arithmetic: days have no zone). */
function monthsBefore(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** A bar or mark time as the exchange reads it: the day, or "2025-03-14 10:05" (wall-clock seconds are UTC-shaped). */
const barTime = (t: ChartTime): string => (typeof t === 'string' ? t : new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' '));

function chartSeries(data: MarketSeries, type: ChartType, marks: Marker[]): ChartSeries[] {
  const markers = marks.map(chartMarker);
  const price: ChartSeries =
    type === 'line'
      ? { kind: 'line', data: data.bars.map((b) => ({ time: b.time, value: b.close })), color: COLORS.model, title: data.symbol, markers }
      : {
          kind: type,
          data: data.bars.map(({ time, open, high, low, close }) => ({ time, open, high, low, close })),
          title: data.symbol,
          markers,
        };
  const volume: ChartSeries = {
    kind: 'histogram',
    pane: 1,
    format: 'volume',
    title: 'Volume',
    data: data.bars.map((b) => ({ time: b.time, value: b.volume, color: b.close >= b.open ? COLORS.upVolume : COLORS.downVolume })),
  };
  return [price, volume];
}

/* ---- The page ---- */

export function MarketPage(p: PageProps) {
  const [view, setView] = useState<View>(readHash);
  const [filter, setFilter] = useState('');
  const [layers, setLayers] = useState<Set<Layer>>(() => new Set(DEFAULT_LAYERS));
  const symbols = useApi<{ symbols: SymbolInfo[] }>(p, '/api/market/symbols');

  const list = symbols.data?.symbols ?? [];
  // No symbol asked for (or one without bars): the one we last traded, else the first.
  const info =
    list.find((s) => s.symbol === view.symbol) ??
    [...list].filter((s) => s.last_fill_at).sort((a, b) => (b.last_fill_at! > a.last_fill_at! ? 1 : -1))[0] ??
    list[0];
  const intervals = info?.intervals.map((i) => i.interval) ?? [];
  const interval = view.interval && intervals.includes(view.interval) ? view.interval : intervals[0];
  const daily = info?.intervals.find((i) => i.interval === '1d');
  const months = RANGES.find((r) => r.value === view.range)?.months ?? null;
  const from = interval === '1d' && daily && months != null ? monthsBefore(daily.last, months) : null;
  const path =
    info && interval ? `/api/market/${encodeURIComponent(info.symbol)}?interval=${interval}${from ? `&from=${from}` : ''}` : null;
  const series = useApi<MarketSeries>(p, path);

  const set = (change: Partial<View>) => setView((v) => ({ ...v, ...change }));
  useEffect(() => {
    if (info) writeHash({ ...view, symbol: info.symbol, interval: interval ?? null });
  }, [info?.symbol, interval, view.type, view.range]);

  const data = series.data && series.data.symbol === info?.symbol && series.data.interval === interval ? series.data : null;
  const present = useMemo(() => new Set((data?.markers ?? []).map(layerOf)), [data]);
  const shown = useMemo(() => (data?.markers ?? []).filter((m) => layers.has(layerOf(m))), [data, layers]);
  const drawn = useMemo(() => (data ? chartSeries(data, view.type, shown) : []), [data, view.type, shown]);

  const needle = filter.trim().toUpperCase();
  // The symbol typed comes first, then those it begins, then the rest containing it: Enter charts the first.
  const rank = (s: string) => (s === needle ? 0 : s.startsWith(needle) ? 1 : 2);
  const matching = needle ? list.filter((s) => s.symbol.includes(needle)).sort((a, b) => rank(a.symbol) - rank(b.symbol)) : list;
  const toggleLayer = (l: Layer) =>
    setLayers((now) => {
      const next = new Set(now);
      if (next.has(l)) next.delete(l);
      else next.add(l);
      return next;
    });

  const last = data?.bars[data.bars.length - 1];
  const prev = data?.bars[data.bars.length - 2];
  const typeLabel = CHART_TYPES.find((t) => t.value === view.type)!.label;

  return (
    <div class="market">
      <div class="page-head">
        <h1>Market{info ? `: ${info.symbol}` : ''}</h1>
        {info && !data && !series.error && (
          <span class="badge" role="status">
            Loading…
          </span>
        )}
      </div>
      <LoadError error={symbols.error ?? series.error} />
      {symbols.data && list.length === 0 && <p class="empty">No bars stored yet: run the daily pipeline or an intraday fetch first.</p>}
      {info && view.symbol && view.symbol !== info.symbol && (
        <p class="notice" role="status">
          No bars stored for {view.symbol}; showing {info.symbol}.
        </p>
      )}

      {info && (
        <section class="market-controls" aria-label="Chart settings">
          <div class="market-symbols">
            <label for="market-filter">Symbol</label>
            <input
              id="market-filter"
              type="search"
              placeholder="Filter"
              autoComplete="off"
              value={filter}
              onInput={(e) => setFilter(e.currentTarget.value)}
              // Enter picks the first match: type "nv", Enter, and NVDA is on the chart.
              onKeyDown={(e) => {
                if (e.key === 'Enter' && matching[0]) set({ symbol: matching[0].symbol });
              }}
              aria-describedby="market-filter-count"
            />
            <span id="market-filter-count" class="hint">
              {matching.length} of {list.length}
            </span>
            <div class="button-group symbol-list" role="group" aria-label="Symbols">
              {matching.map((s) => (
                <button
                  type="button"
                  key={s.symbol}
                  aria-pressed={s.symbol === info.symbol}
                  class={s.fills > 0 ? 'traded' : undefined}
                  onClick={() => set({ symbol: s.symbol })}
                >
                  {s.symbol}
                  {s.fills > 0 && <span class="sr-only"> (traded)</span>}
                </button>
              ))}
            </div>
          </div>
          <div class="market-toggles">
            <ButtonGroup
              showLabel
              label="Interval"
              options={intervals.map((i) => ({ value: i, label: INTERVAL_LABELS[i] }))}
              value={interval}
              onChange={(i) => set({ interval: i })}
            />
            <ButtonGroup showLabel label="Chart type" options={CHART_TYPES} value={view.type} onChange={(type) => set({ type })} />
            {interval === '1d' && (
              <ButtonGroup showLabel label="Range" options={RANGES} value={view.range} onChange={(range) => set({ range })} />
            )}
            {present.size > 0 && (
              <div class="button-field">
                <span id="market-layers">Marks</span>
                <div class="button-group" role="group" aria-labelledby="market-layers">
                  {LAYERS.filter((l) => present.has(l.value)).map((l) => (
                    <button
                      type="button"
                      key={l.value}
                      aria-pressed={layers.has(l.value)}
                      data-layer={l.value}
                      onClick={() => toggleLayer(l.value)}
                    >
                      {l.label} ({count(data!.markers.filter((m) => layerOf(m) === l.value).length)})
                    </button>
                  ))}
                </div>
              </div>
            )}
          </div>
        </section>
      )}

      {info && (
        <section aria-labelledby="market-chart-title" aria-busy={!data}>
          <h2 id="market-chart-title">
            {info.symbol} · {interval ? INTERVAL_LABELS[interval] : ''} · {typeLabel}
          </h2>
          {data?.truncated && <p class="hint">Only the latest {count(data.bars.length)} bars are shown.</p>}
          {data && data.bars.length === 0 && <p class="empty">No bars in this range.</p>}
          <TimeChart
            id="market-chart"
            series={drawn}
            height={420}
            paneStretch={[3, 1]}
            label={
              data && last
                ? `${info.symbol} ${INTERVAL_LABELS[data.interval]} ${typeLabel.toLowerCase()} chart with volume below, ${data.bars.length} bars to ${barTime(last.time)}, last close ${money(last.close)}, ${shown.length} signals and fills marked (listed in the table below)`
                : `${info.symbol} price chart, loading`
            }
          />
          <Legend />
        </section>
      )}

      {data && last && (
        <section aria-labelledby="market-latest-title">
          <h2 id="market-latest-title">Latest bar</h2>
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="market-latest-title">
            <table id="market-latest">
              <thead>
                <tr>
                  <th scope="col">{data.interval === '1d' ? 'Date' : `Bar start (${data.exchange_tz})`}</th>
                  <th scope="col" class="num">
                    Open
                  </th>
                  <th scope="col" class="num">
                    High
                  </th>
                  <th scope="col" class="num">
                    Low
                  </th>
                  <th scope="col" class="num">
                    Close
                  </th>
                  <th scope="col" class="num">
                    Change
                  </th>
                  <th scope="col" class="num">
                    Volume
                  </th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{barTime(last.time)}</th>
                  <td class="num">{money(last.open)}</td>
                  <td class="num">{money(last.high)}</td>
                  <td class="num">{money(last.low)}</td>
                  <td class="num">{money(last.close)}</td>
                  <td class={`num ${prev && last.close < prev.close ? 'neg' : ''}`}>{prev ? pct(last.close / prev.close - 1) : '–'}</td>
                  <td class="num">{count(last.volume)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      )}

      {data && <MarksTable marks={shown} tz={data.exchange_tz} />}
    </div>
  );
}
