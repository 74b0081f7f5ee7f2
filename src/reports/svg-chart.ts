/**
 * A tiny, dependency-free SVG line chart for reports (equity curves of the
 * monitor and backtest workflows). Pure: the same series render the same
 * bytes, so a rerun writes an identical file. Users read curves faster than
 * tables; a markdown report links the SVG written next to it.
 */

/** One line of the chart. */
export interface ChartSeries {
  name: string;
  values: readonly number[];
  /** CSS colour; defaults cycle through a small palette. */
  color?: string;
}

/** Options of `renderLineChart`. */
export interface LineChartOptions {
  title?: string;
  width?: number;
  height?: number;
  /** X-axis labels, one per point (e.g. dates); the first and last are drawn. */
  labels?: readonly string[];
  /** Digits of the y-axis tick labels (default 0). */
  yDigits?: number;
}

/** Plot area inside the SVG, in pixels (exported so tests can invert the mapping). */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
  yMin: number;
  yMax: number;
  /** Points of the longest series; x of point i is left + i * width / (points - 1). */
  points: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const MARGIN = { left: 64, right: 16, top: 32, bottom: 40 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => (Math.round(x * 100) / 100).toString();

/**
 * The plot area and value range of a chart: y spans [min, max] of every
 * finite value (a flat series gets +-1 % of its value, or +-1 around 0, so
 * it draws as a line in the middle). No finite value -> yMin 0, yMax 1.
 *
 * @example
 *   plotArea([{ name: 'a', values: [1, 2] }]).yMin // 1
 */
export function plotArea(series: readonly ChartSeries[], options: LineChartOptions = {}): PlotArea {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  let lo = Infinity;
  let hi = -Infinity;
  let points = 0;
  for (const s of series) {
    points = Math.max(points, s.values.length);
    for (const v of s.values) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) {
    lo = 0;
    hi = 1;
  } else if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.01;
    lo -= pad;
    hi += pad;
  }
  return {
    left: MARGIN.left,
    top: MARGIN.top,
    width: width - MARGIN.left - MARGIN.right,
    height: height - MARGIN.top - MARGIN.bottom,
    yMin: lo,
    yMax: hi,
    points,
  };
}

/**
 * Render series as an SVG line chart: x is the point index spread evenly
 * over the plot width (x_i = left + i w / (n - 1); a single point sits at
 * the left edge), y maps [yMin, yMax] linearly onto [top + h, top]. Each
 * series is one `<polyline>` with `data-series` set to its name; NaN values
 * split nothing, they are skipped. Coordinates are rounded to 0.01 px.
 * Includes a title, five y ticks, the first and last x labels and a legend.
 *
 * @example
 *   renderLineChart([{ name: 'equity', values: [100, 101, 99] }], { title: 'Equity' })
 */
export function renderLineChart(series: readonly ChartSeries[], options: LineChartOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  const a = plotArea(series, options);
  const x = (i: number) => a.left + (a.points > 1 ? (i * a.width) / (a.points - 1) : 0);
  const y = (v: number) => a.top + a.height - ((v - a.yMin) / (a.yMax - a.yMin)) * a.height;
  const digits = options.yDigits ?? 0;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title) out.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${esc(options.title)}</text>`);
  out.push(`<rect x="${a.left}" y="${a.top}" width="${a.width}" height="${a.height}" fill="none" stroke="#cccccc"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = a.yMin + ((a.yMax - a.yMin) * k) / 4;
    const yy = num(y(v));
    out.push(`<line x1="${a.left}" y1="${yy}" x2="${a.left + a.width}" y2="${yy}" stroke="#eeeeee"/>`);
    out.push(`<text x="${a.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(v.toFixed(digits))}</text>`);
  }
  const labels = options.labels ?? [];
  if (labels.length > 0) {
    const by = a.top + a.height + 16;
    out.push(`<text x="${a.left}" y="${by}" text-anchor="start">${esc(labels[0])}</text>`);
    if (labels.length > 1) out.push(`<text x="${a.left + a.width}" y="${by}" text-anchor="end">${esc(labels[labels.length - 1])}</text>`);
  }
  series.forEach((s, n) => {
    const color = s.color ?? PALETTE[n % PALETTE.length];
    const pts: string[] = [];
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) pts.push(`${num(x(i))},${num(y(v))}`);
    });
    out.push(`<polyline data-series="${esc(s.name)}" fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(' ')}"/>`);
    const ly = height - 10;
    const lx = a.left + n * 160;
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 18}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 22}" y="${ly}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
