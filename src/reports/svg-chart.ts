/**
 * The tear-sheet chart of the monitor and backtest reports, as a pyfolio or
 * quantstats user expects it: the equity curve (with its benchmark) above,
 * the underwater drawdown panel below on the same dated x axis, round y
 * ticks (1, 2 or 5 x 10^k) with thousands separators and a unit ($ or %),
 * a legend, and an explicit "not enough history" message where a blank
 * plot would otherwise be drawn.
 *
 * Why hand-written and not Vega-Lite (the issue suggests considering it;
 * tried on this machine, vega 6.4.0 + vega-lite 6.5.0): the pair installs
 * 80 packages and 25 MB for two line charts, and vega-lite 6.5 requires
 * Node >= 22 while this project runs on Node 20 (engines >= 20.3). This
 * file has no dependency at all: no native module to build on the ARM64
 * image, and its output bytes depend only on this code (a rerun writes an
 * identical file, and a library upgrade cannot change report hashes). Text
 * widths are not measured (no canvas on the server); the layout leaves
 * room for the longest label instead.
 */
import { underwater } from '../domain/risk';

/** A curve needs at least this many points to be drawn as a line. */
export const MIN_CHART_POINTS = 2;

/** One curve: the first one of a chart is the portfolio, the others are benchmarks. */
export interface ChartSeries {
  name: string;
  /** One value per date; NaN where there is none. */
  values: readonly number[];
}

/** What the y axis of the equity panel shows: dollars, or fractions shown as percent. */
export type ChartUnit = 'usd' | 'percent';

export interface EquityChartInput {
  title: string;
  /** YYYY-MM-DD, one per point, ascending. */
  dates: readonly string[];
  /** The portfolio first, then any benchmark, all on `dates`. */
  series: readonly ChartSeries[];
  unit: ChartUnit;
  width?: number;
  height?: number;
}

/** Round tick marks covering a range. */
export interface NiceTicks {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

const COLORS = ['#1f77b4', '#7f7f7f', '#2ca02c', '#9467bd', '#ff7f0e'];
const LEFT = 84;
const RIGHT = 24;
const X_TICKS = 6;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const px = (x: number) => (Math.round(x * 100) / 100).toString();

/**
 * Round ticks over [lo, hi]: the step is the smallest of 1, 2, 5 or 10 x
 * 10^k that is at least (hi - lo) / target, and the range is widened to
 * multiples of it. A tick is k x m x 10^e computed as an integer over a
 * power of ten, so 0.3 is 0.3, not 0.30000000000000004. A zero-width range
 * is widened by 1 % of its value (or by 1 around 0) first.
 *
 * @example
 *   niceTicks(98_740, 101_230).ticks // [98500, 99000, 99500, 100000, 100500, 101000, 101500]
 */
export function niceTicks(lo: number, hi: number, target = 5): NiceTicks {
  if (!(hi > lo)) {
    const pad = lo === 0 || !Number.isFinite(lo) ? 1 : Math.abs(lo) * 0.01;
    if (!Number.isFinite(lo)) lo = 0;
    hi = lo + pad;
    lo -= pad;
  }
  const raw = (hi - lo) / target;
  const e = Math.floor(Math.log10(raw));
  const norm = raw / 10 ** e;
  const m = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  const value = (k: number) => (e >= 0 ? k * m * 10 ** e : (k * m) / 10 ** -e) + 0;
  const step = value(1);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(value(k));
  return { min: ticks[0], max: ticks[ticks.length - 1], step, ticks };
}

/** Digits after the point so that every multiple of `step` prints exactly. */
function digitsFor(step: number): number {
  let d = 0;
  while (d < 12 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-9 * 10 ** d) d++;
  return d;
}

/**
 * `1234567.5` -> `1,234,567.5`: thousands separators on the integer part.
 *
 * @example
 *   groupThousands(1234567, 0) // '1,234,567'
 */
export function groupThousands(x: number, digits: number): string {
  const [int, frac] = Math.abs(x).toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = x < 0 && Number(`${int}${frac ? `.${frac}` : ''}`) !== 0 ? '-' : '';
  return `${sign}${grouped}${frac ? `.${frac}` : ''}`;
}

/**
 * A tick label with its unit: dollars `$100,000` / `-$1,500`, or a fraction
 * as percent `-5%` / `2.5%`, with as many decimals as the step needs.
 *
 * @example
 *   formatTick(-0.05, 'percent', 0.05) // '-5%'
 */
export function formatTick(v: number, unit: ChartUnit, step: number): string {
  if (unit === 'percent') {
    const p = v * 100;
    return `${groupThousands(p, digitsFor(step * 100))}%`;
  }
  const s = groupThousands(Math.abs(v), digitsFor(step));
  return v < 0 && s.replace(/[0,.]/g, '') !== '' ? `-$${s}` : `$${s}`;
}

/**
 * Indices of the dated x ticks: up to `count` points evenly spaced over the
 * n points (the first and the last always among them), i_k = round(k (n - 1) / (m - 1)).
 *
 * @example
 *   dateTickIndices(11, 6) // [0, 2, 4, 6, 8, 10]
 */
export function dateTickIndices(n: number, count = X_TICKS): number[] {
  if (n <= 0) return [];
  if (n === 1) return [0];
  const m = Math.min(n, count);
  const out: number[] = [];
  for (let k = 0; k < m; k++) out.push(Math.round((k * (n - 1)) / (m - 1)));
  return out;
}

function finiteCount(values: readonly number[]): number {
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) n++;
  return n;
}

function finiteRange(lists: readonly (readonly number[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const list of lists)
    for (const v of list) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo === Infinity ? [0, 0] : [lo, hi];
}

interface Panel {
  name: 'equity' | 'drawdown';
  label: string;
  top: number;
  height: number;
  unit: ChartUnit;
  ticks: NiceTicks;
  lines: { name: string; values: readonly number[]; color: string; dash: boolean; fill: boolean }[];
}

/**
 * The two-panel equity and drawdown chart. x is the point index spread
 * evenly over the plot width (trading days, not calendar days); each panel
 * maps its round tick range linearly onto its height. The drawdown panel
 * draws each series' underwater curve (value over running peak, minus 1;
 * `underwater` in risk.ts), the portfolio's filled. NaN points are skipped.
 * Every element a reader or a test needs is tagged: `data-panel`,
 * `data-series`, and `data-tick` / `data-value` on tick labels.
 * A portfolio with fewer than MIN_CHART_POINTS finite points renders the
 * title and "not enough history (N points; needs 2)" instead of the plot.
 *
 * @example
 *   renderEquityChart({ title: 'Equity', dates, series: [{ name: 'portfolio', values }], unit: 'usd' })
 */
export function renderEquityChart(input: EquityChartInput): string {
  const width = input.width ?? 760;
  const height = input.height ?? 460;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${esc(input.title)}</text>`,
  ];
  const main = input.series[0];
  const points = main ? finiteCount(main.values) : 0;
  if (points < MIN_CHART_POINTS) {
    out.push(
      `<text data-message="insufficient-history" x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="13" fill="#555555">` +
        `not enough history (${points} point${points === 1 ? '' : 's'}; needs ${MIN_CHART_POINTS})</text>`,
      '</svg>',
    );
    return `${out.join('\n')}\n`;
  }

  const n = input.dates.length;
  const plotWidth = width - LEFT - RIGHT;
  const x = (i: number) => LEFT + (n > 1 ? (i * plotWidth) / (n - 1) : 0);
  const lines = input.series.map((s, k) => ({
    name: s.name,
    values: s.values,
    color: COLORS[k % COLORS.length],
    dash: k > 0,
    fill: false,
  }));
  const under = lines.map((l, k) => ({ ...l, values: Array.from(underwater(l.values)), fill: k === 0 }));
  const [eLo, eHi] = finiteRange(lines.map((l) => l.values));
  const [dLo] = finiteRange(under.map((l) => l.values));
  // No drawdown at all still gets an axis: 0 down to -1 %.
  const ddTicks = niceTicks(Math.min(dLo, -0.01), 0, 4);
  const gap = 28;
  const top = 74;
  const bottom = 26;
  const available = height - top - bottom - gap;
  const equityHeight = Math.round(available * 0.66);
  const panels: Panel[] = [
    {
      name: 'equity',
      label: input.unit === 'usd' ? 'Equity (USD)' : 'Cumulative return (%)',
      top,
      height: equityHeight,
      unit: input.unit,
      ticks: niceTicks(eLo, eHi, 5),
      lines,
    },
    {
      name: 'drawdown',
      label: 'Drawdown from peak (%)',
      top: top + equityHeight + gap,
      height: available - equityHeight,
      unit: 'percent',
      ticks: ddTicks,
      lines: under,
    },
  ];

  // Legend: one entry per series, shared by both panels.
  let lx = LEFT;
  for (const l of lines) {
    out.push(
      `<g data-legend="${esc(l.name)}"><line x1="${lx}" y1="38" x2="${lx + 20}" y2="38" stroke="${l.color}" stroke-width="2"${l.dash ? ' stroke-dasharray="5,3"' : ''}/>` +
        `<text x="${lx + 25}" y="42">${esc(l.name)}</text></g>`,
    );
    lx += 40 + 7 * l.name.length;
  }

  const xTicks = dateTickIndices(n);
  for (const p of panels) {
    const y = (v: number) => p.top + p.height - ((v - p.ticks.min) / (p.ticks.max - p.ticks.min)) * p.height;
    out.push(`<g data-panel="${p.name}">`);
    out.push(`<text x="${LEFT}" y="${p.top - 6}" font-size="12" fill="#333333">${esc(p.label)}</text>`);
    for (const v of p.ticks.ticks) {
      const yy = px(y(v));
      out.push(`<line x1="${LEFT}" y1="${yy}" x2="${LEFT + plotWidth}" y2="${yy}" stroke="${v === 0 ? '#999999' : '#eeeeee'}"/>`);
      out.push(
        `<text data-tick="y" data-value="${v}" x="${LEFT - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(formatTick(v, p.unit, p.ticks.step))}</text>`,
      );
    }
    for (const i of xTicks) {
      const xx = px(x(i));
      out.push(`<line x1="${xx}" y1="${p.top}" x2="${xx}" y2="${p.top + p.height}" stroke="#f2f2f2"/>`);
    }
    out.push(`<rect x="${LEFT}" y="${p.top}" width="${plotWidth}" height="${p.height}" fill="none" stroke="#cccccc"/>`);
    for (const l of p.lines) {
      const pts: string[] = [];
      l.values.forEach((v, i) => {
        if (Number.isFinite(v) && i < n) pts.push(`${px(x(i))},${px(y(v))}`);
      });
      if (l.fill && pts.length > 0) {
        const base = px(y(0));
        const firstX = pts[0].split(',')[0];
        const lastX = pts[pts.length - 1].split(',')[0];
        out.push(
          `<polygon fill="${l.color}" fill-opacity="0.2" stroke="none" points="${firstX},${base} ${pts.join(' ')} ${lastX},${base}"/>`,
        );
      }
      out.push(
        `<polyline data-series="${esc(l.name)}" fill="none" stroke="${l.color}" stroke-width="1.5"${l.dash ? ' stroke-dasharray="5,3"' : ''} points="${pts.join(' ')}"/>`,
      );
    }
    out.push('</g>');
  }

  const last = panels[panels.length - 1];
  const labelY = last.top + last.height + 16;
  xTicks.forEach((i, k) => {
    const anchor = xTicks.length > 1 && k === 0 ? 'start' : k === xTicks.length - 1 && xTicks.length > 1 ? 'end' : 'middle';
    out.push(`<text data-tick="x" x="${px(x(i))}" y="${labelY}" text-anchor="${anchor}">${esc(input.dates[i] ?? '')}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
