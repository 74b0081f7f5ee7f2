/**
 * The tear-sheet chart, read back the way a reader reads it: parse the SVG
 * (a small regex parser over the flat elements the renderer emits), then
 * check the tick labels are round numbers with separators and units, the
 * dates are spread over the axis, and the drawdown panel's lowest point,
 * mapped back through two of its own tick labels, equals the max drawdown
 * computed here by hand from the values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTickIndices, formatTick, MIN_CHART_POINTS, niceTicks, renderEquityChart } from './svg-chart';

interface Tick {
  axis: string;
  value: number;
  label: string;
  x: number;
  y: number;
}

function attrs(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** The `<g data-panel=...>` block of one panel. */
function panel(svg: string, name: string): string {
  const m = svg.match(new RegExp(`<g data-panel="${name}">([\\s\\S]*?)</g>`));
  if (!m) throw new Error(`no panel ${name}`);
  return m[1];
}

function ticks(svg: string): Tick[] {
  return [...svg.matchAll(/<text (data-tick="[xy]"[^>]*)>([^<]*)<\/text>/g)].map((m) => {
    const a = attrs(m[1]);
    return { axis: a['data-tick'], value: Number(a['data-value']), label: m[2], x: Number(a.x), y: Number(a.y) };
  });
}

function polyline(svg: string, series: string): [number, number][] {
  const m = [...svg.matchAll(/<polyline ([^>]*)\/>/g)].map((x) => attrs(x[1])).find((a) => a['data-series'] === series);
  if (!m) throw new Error(`no polyline ${series}`);
  return m.points
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '')
    .map((p) => p.split(',').map(Number) as [number, number]);
}

/** A step is m x 10^k with m in {1, 2, 5}, and every tick is a whole multiple of it. */
function expectRound(values: number[], step = values[1] - values[0]) {
  const e = Math.floor(Math.log10(step) + 1e-9);
  const m = Math.round((step / 10 ** e) * 1e3) / 1e3;
  expect([1, 2, 5, 10]).toContain(m);
  const exact = m * 10 ** e;
  for (const v of values) expect(Math.abs(v - Math.round(v / exact) * exact)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(v), exact));
}

// 60 weekdays from 2024-01-01 (weekends skipped), an equity path that rises, falls about 13 % and stays down.
const DATES: string[] = [];
for (let d = new Date(Date.UTC(2024, 0, 1)); DATES.length < 60; d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) DATES.push(d.toISOString().slice(0, 10));
}
const EQUITY = DATES.map((_, i) => 100_000 * (1 + 0.004 * i) * (i > 25 && i < 45 ? 1 - 0.01 * (i - 25) : i >= 45 ? 0.85 : 1));
const BENCH = DATES.map((_, i) => 100_000 * (1 + 0.002 * i));

/** Max drawdown by hand: the largest 1 - v / running peak. */
function maxDrawdownByHand(values: number[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    worst = Math.max(worst, 1 - v / peak);
  }
  return worst;
}

describe('niceTicks', () => {
  it('covers any range with 1/2/5 x 10^k steps and whole multiples', () => {
    fc.assert(
      // spans from one part in a million of the level (or 1e-6 around 0) to 1e7
      fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), fc.double({ min: 1e-6, max: 1e7, noNaN: true }), (lo, rel) => {
        const span = Math.max(rel, 1e-6 * Math.abs(lo));
        const t = niceTicks(lo, lo + span);
        // within float noise (1e-9 of a step, or one part in 1e12 of the value) of the data's ends
        const noise = 1e-9 * t.step + 1e-12 * (Math.abs(lo) + span);
        expect(t.min).toBeLessThanOrEqual(lo + noise);
        expect(t.max).toBeGreaterThanOrEqual(lo + span - noise);
        expect(t.ticks.length).toBeGreaterThanOrEqual(2);
        expect(t.ticks.length).toBeLessThanOrEqual(12);
        expectRound(t.ticks, t.step);
        t.ticks.slice(1).forEach((v, i) => expect(v - t.ticks[i]).toBeCloseTo(t.step, 6));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the ticks a person would draw', () => {
    // span 2,490 / 5 = 498 -> step 500
    expect(niceTicks(98_740, 101_230).ticks).toEqual([98_500, 99_000, 99_500, 100_000, 100_500, 101_000, 101_500]);
    // span 0.183 / 4 = 0.046 -> step 0.05; 0.1 prints as 0.1, not 0.15000000000000002 - 0.05
    expect(niceTicks(-0.183, 0, 4).ticks).toEqual([-0.2, -0.15, -0.1, -0.05, 0]);
    // a flat series gets +-1 % around its value
    expect(niceTicks(25_000, 25_000).ticks[0]).toBeLessThanOrEqual(24_750);
  });
});

describe('formatTick', () => {
  it('puts the unit and thousands separators on every label', () => {
    expect(formatTick(100_000, 'usd', 500)).toBe('$100,000');
    expect(formatTick(1_234_567, 'usd', 1)).toBe('$1,234,567');
    expect(formatTick(-1_500, 'usd', 500)).toBe('-$1,500');
    expect(formatTick(99.5, 'usd', 0.5)).toBe('$99.5');
    expect(formatTick(-0.05, 'percent', 0.05)).toBe('-5%');
    expect(formatTick(-0.025, 'percent', 0.005)).toBe('-2.5%');
    expect(formatTick(0, 'percent', 0.05)).toBe('0%');
  });
});

describe('dateTickIndices', () => {
  it('spreads up to six ticks evenly, first and last included', () => {
    expect(dateTickIndices(11)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(dateTickIndices(3)).toEqual([0, 1, 2]);
    expect(dateTickIndices(1)).toEqual([0]);
    expect(dateTickIndices(0)).toEqual([]);
  });
});

describe('renderEquityChart', () => {
  const svg = renderEquityChart({
    title: 'Backtest 2024-01-01 .. 2024-03-22: equity',
    dates: DATES,
    series: [
      { name: 'signal portfolio', values: EQUITY },
      { name: 'equal-weight buy and hold', values: BENCH },
    ],
    unit: 'usd',
  });

  it('is well-formed: one root, balanced groups and texts, the same bytes on a rerun', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect((svg.match(/<g[ >]/g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length);
    expect((svg.match(/<text/g) ?? []).length).toBe((svg.match(/<\/text>/g) ?? []).length);
    expect(
      renderEquityChart({
        title: 'Backtest 2024-01-01 .. 2024-03-22: equity',
        dates: DATES,
        series: [
          { name: 'signal portfolio', values: EQUITY },
          { name: 'equal-weight buy and hold', values: BENCH },
        ],
        unit: 'usd',
      }),
    ).toBe(svg);
  });

  it('labels the equity axis with round dollar ticks and separators', () => {
    const y = ticks(panel(svg, 'equity')).filter((t) => t.axis === 'y');
    expect(y.length).toBeGreaterThanOrEqual(3);
    expectRound(y.map((t) => t.value));
    for (const t of y) expect(t.label).toMatch(/^-?\$\d{1,3}(,\d{3})*(\.\d+)?$/);
    expect(y.some((t) => t.value >= 1000 && t.label.includes(','))).toBe(true);
    // the ticks enclose the data
    expect(Math.min(...y.map((t) => t.value))).toBeLessThanOrEqual(Math.min(...EQUITY, ...BENCH));
    expect(Math.max(...y.map((t) => t.value))).toBeGreaterThanOrEqual(Math.max(...EQUITY, ...BENCH));
    expect(panel(svg, 'equity')).toContain('Equity (USD)');
  });

  it('dates the x axis with several evenly spaced dates from first to last', () => {
    const x = ticks(svg).filter((t) => t.axis === 'x');
    expect(x.length).toBeGreaterThanOrEqual(5);
    expect(x[0].label).toBe(DATES[0]);
    expect(x.at(-1)!.label).toBe(DATES.at(-1));
    for (const t of x) expect(DATES).toContain(t.label);
    const gaps = x.slice(1).map((t, i) => t.x - x[i].x);
    // index rounding moves a tick by at most half a point: 59 points over the width
    const perPoint = (x.at(-1)!.x - x[0].x) / (DATES.length - 1);
    for (const g of gaps) expect(Math.abs(g - gaps[0])).toBeLessThanOrEqual(perPoint + 0.01);
  });

  it('draws the underwater panel whose lowest point is the max drawdown computed by hand', () => {
    const dd = panel(svg, 'drawdown');
    const y = ticks(dd).filter((t) => t.axis === 'y');
    expectRound(y.map((t) => t.value));
    for (const t of y) expect(t.label).toMatch(/^-?\d+(\.\d+)?%$/);
    expect(y.map((t) => t.value)).toContain(0);
    // map pixels back to values through two tick labels (the axis a reader sees)
    const [a, b] = [y[0], y.at(-1)!];
    const valueAt = (py: number) => a.value + ((py - a.y) / (b.y - a.y)) * (b.value - a.value);
    const lowest = Math.min(...polyline(dd, 'signal portfolio').map(([, py]) => valueAt(py)));
    const mdd = maxDrawdownByHand(EQUITY);
    expect(mdd).toBeGreaterThan(0.1);
    expect(lowest).toBeCloseTo(-mdd, 3);
    // the benchmark never falls: its underwater line sits on 0
    for (const [, py] of polyline(dd, 'equal-weight buy and hold')) expect(valueAt(py)).toBeCloseTo(0, 6);
  });

  it('has a legend entry per series; the benchmark is dashed', () => {
    expect(svg).toContain('<g data-legend="signal portfolio">');
    expect(svg).toContain('<g data-legend="equal-weight buy and hold">');
    const bench = [...svg.matchAll(/<polyline ([^>]*)\/>/g)]
      .map((m) => attrs(m[1]))
      .filter((x) => x['data-series'] === 'equal-weight buy and hold');
    expect(bench).toHaveLength(2);
    for (const l of bench) expect(l['stroke-dasharray']).toBe('5,3');
  });

  it('says "not enough history" instead of drawing a blank plot', () => {
    expect(MIN_CHART_POINTS).toBe(2);
    const one = renderEquityChart({
      title: 'Equity',
      dates: ['2024-01-02'],
      series: [{ name: 'portfolio', values: [25_000] }],
      unit: 'usd',
    });
    expect(one).toContain('not enough history (1 point; needs 2)</text>');
    expect(one).not.toContain('<polyline');
    const none = renderEquityChart({ title: 'Equity', dates: [], series: [{ name: 'portfolio', values: [] }], unit: 'usd' });
    expect(none).toContain('not enough history (0 points; needs 2)');
    const two = renderEquityChart({
      title: 'Equity',
      dates: ['2024-01-02', '2024-01-03'],
      series: [{ name: 'p', values: [25_000, 25_000] }],
      unit: 'usd',
    });
    expect(two).not.toContain('not enough history');
    expect(polyline(panel(two, 'equity'), 'p')).toHaveLength(2);
  });

  it('escapes names and titles', () => {
    const s = renderEquityChart({
      title: 'T & U',
      dates: ['2024-01-02', '2024-01-03'],
      series: [{ name: 'a <b>', values: [1, 2] }],
      unit: 'percent',
    });
    expect(s).toContain('T &amp; U');
    expect(s).toContain('data-series="a &lt;b&gt;"');
    expect(panel(s, 'equity')).toContain('Cumulative return (%)');
  });
});
