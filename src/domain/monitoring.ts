/**
 * The numbers of WF5 `monitor`, from the paper portfolio's snapshots: P&L
 * (daily, month-to-date, year-to-date, unrealised per position), risk over
 * a window of snapshot returns (Sharpe, Sortino, max drawdown, historical
 * VaR 95) and threshold alerts. Pure: the activity loads the snapshots and
 * stores the result; every statistic comes from risk.ts / portfolio.ts.
 */
import { pnlOutcome, ratioAvailability, varAvailability } from './metric-availability';
import { equalWeightBenchmark, periodRate } from './returns';
import { drawdownOfValues, historicalVaR, sharpeRatio, sortinoRatio } from './risk';
import { valuePortfolio, type Position } from './portfolio';

export interface MonitorPosition {
  symbol: string;
  shares: number;
  avgCost: number;
  price: number;
  sector?: string | null;
  stale?: boolean;
}

export interface MonitorSnapshot {
  date: string;
  cash: number;
  totalValue: number;
  positions: MonitorPosition[];
}

export interface MonitorThresholds {
  /** Alert when the window's max drawdown is above this (0.05). */
  maxDrawdown: number;
  /** Alert when one position's weight is above this (0.07). */
  maxPositionWeight: number;
  /** Alert when -VaR95 (a loss, as a fraction of the portfolio) is above this (0.03). */
  maxVar95: number;
  /** Alert when one position's unrealised loss, price / avgCost - 1, is below minus this (0.10). */
  maxUnrealizedLoss: number;
}

export const DEFAULT_MONITOR_THRESHOLDS: MonitorThresholds = {
  maxDrawdown: 0.05,
  maxPositionWeight: 0.07,
  maxVar95: 0.03,
  maxUnrealizedLoss: 0.1,
};

export interface MonitorInput {
  /** The latest snapshot on or before the run date, with positions. */
  latest: MonitorSnapshot;
  /** The snapshot before it (daily P&L); null when there is only one. */
  previous: MonitorSnapshot | null;
  /** Totals of the last (windowDays + 1) snapshots up to `latest`, oldest first. */
  window: number[];
  /** Total value at the end of the previous month (or the initial capital if the account started this month). */
  mtdBase: number;
  /** Total value at the end of the previous year (or the initial capital). */
  ytdBase: number;
  /** Annual risk-free rate (0.05). */
  riskFreeRate: number;
  thresholds: MonitorThresholds;
}

/**
 * What the monitor computed for a run date: nothing (no snapshot yet), or
 * the summary, the equity curve for the chart and the settings it used.
 */
export type MonitorComputation =
  | { status: 'no_portfolio'; date: string }
  | {
      status: 'completed';
      date: string;
      summary: MonitorSummary;
      curve: { dates: string[]; values: number[] };
      /** The chart's benchmark on `curve.dates` (`firstHoldingsBenchmark`); null or absent when there is none. */
      benchmark?: MonitorBenchmark | null;
      windowDays: number;
      riskFreeRate: number;
      thresholds: MonitorThresholds;
    };

/**
 * The bases of month-to-date and year-to-date P&L for a snapshot date: the
 * first of its month and of its year (the base is the last snapshot strictly
 * before each).
 *
 * A departure from seed 003, whose base is the first-of-month (first-of-year)
 * snapshot. A snapshot is taken at a session's close, so the seed's base
 * already contains the month's first session: its MTD leaves that session's
 * P&L out, and reads 0 all through the first trading day. The close before
 * the 1st (the previous month-end) is the base of a fund factsheet's or
 * pyfolio's MTD/YTD, so the month's every session counts.
 *
 * @example
 *   periodStarts('2025-03-14') // { monthStart: '2025-03-01', yearStart: '2025-01-01' }
 */
export function periodStarts(date: string): { monthStart: string; yearStart: string } {
  return { monthStart: `${date.slice(0, 7)}-01`, yearStart: `${date.slice(0, 4)}-01-01` };
}

/** The monitor chart's benchmark curve, in dollars, on the curve's dates. */
export interface MonitorBenchmark {
  name: string;
  values: number[];
  /** The names it holds (the first snapshot's positions with a close on its date). */
  symbols: string[];
}

/**
 * Where the monitor chart's benchmark starts: the first snapshot (oldest
 * first in `snapshots`) that holds shares, with the names it holds. An
 * account that began in cash starts its benchmark when it first invested.
 * null when no snapshot holds anything.
 *
 * @example
 *   benchmarkStart([{ date: '2025-01-02', positions: [] }, { date: '2025-01-03', positions: [{ symbol: 'A', shares: 5 }] }])
 *   // { date: '2025-01-03', symbols: ['A'] }
 */
export function benchmarkStart(
  snapshots: readonly { date: string; positions: readonly { symbol: string; shares: number }[] }[],
): { date: string; symbols: string[] } | null {
  for (const s of snapshots) {
    const symbols = s.positions.filter((p) => p.shares > 0).map((p) => p.symbol);
    if (symbols.length > 0) return { date: s.date, symbols };
  }
  return null;
}

/**
 * The monitor chart's benchmark, by the rule WF6 uses (an equal-weight buy
 * and hold of the names the portfolio started with), started at the
 * `benchmarkStart` snapshot: the portfolio's total value V0 on that date
 * split equally over the m held names that have a close on it, then never
 * traded (so no costs): B_t = V0 (1/m) sum_i p_{i,t} / p_{i,0}
 * (equalWeightBenchmark; a missing later close is carried forward from the
 * past). NaN on the dates before the start. It answers "what if the
 * portfolio had kept its first names, equally weighted, and done nothing".
 * null when no held name has a close on the start date (prices not
 * ingested) or the start is not on the curve.
 *
 * @example
 *   firstHoldingsBenchmark({ curve: { dates: ['2025-01-02', '2025-01-03'], values: [1000, 1050] },
 *     start: { date: '2025-01-02', symbols: ['A'] },
 *     closes: [{ symbol: 'A', date: '2025-01-02', adjClose: 10 }, { symbol: 'A', date: '2025-01-03', adjClose: 11 }] })!.values // [1000, 1100]
 */
export function firstHoldingsBenchmark(input: {
  curve: { dates: readonly string[]; values: readonly number[] };
  start: { date: string; symbols: readonly string[] };
  closes: readonly { symbol: string; date: string; adjClose: number }[];
}): MonitorBenchmark | null {
  const { dates, values } = input.curve;
  const t0 = dates.indexOf(input.start.date);
  if (t0 < 0 || !(values[t0] > 0)) return null;
  const at = new Map(dates.slice(t0).map((d, i) => [d, i]));
  const series = new Map(input.start.symbols.map((s) => [s, new Float64Array(dates.length - t0).fill(NaN)]));
  for (const c of input.closes) {
    const i = at.get(c.date);
    const arr = series.get(c.symbol);
    if (i !== undefined && arr) arr[i] = c.adjClose;
  }
  const names = [...series.keys()];
  const path = equalWeightBenchmark(names.map((s) => series.get(s)!));
  if (path.included.length === 0) return null;
  return {
    name: 'equal-weight buy and hold of the first holdings',
    values: [...Array<number>(t0).fill(NaN), ...Array.from(path.wealth, (w) => w * values[t0])],
    symbols: path.included.map((k) => names[k]),
  };
}

export interface MonitorPositionLine {
  symbol: string;
  sector: string;
  shares: number;
  avgCost: number;
  price: number;
  marketValue: number;
  weight: number;
  unrealizedPnl: number;
  /** price / avgCost - 1 */
  unrealizedPct: number;
  /** winner / loser only on a nonzero unrealised P&L (`pnlOutcome`), else flat. */
  outcome: 'winner' | 'loser' | 'flat';
  /** shares x (price - previous snapshot's price); NaN when not held in the previous snapshot. */
  dayPnl: number;
  stale: boolean;
}

export interface MonitorAlert {
  kind: 'drawdown' | 'position_weight' | 'var95' | 'unrealized_loss';
  symbol?: string;
  value: number;
  threshold: number;
  message: string;
}

export interface MonitorSummary {
  snapshotDate: string;
  previousDate: string | null;
  totalValue: number;
  cash: number;
  positionsValue: number;
  dailyPnl: number;
  dailyReturn: number;
  mtdPnl: number;
  mtdReturn: number;
  ytdPnl: number;
  ytdReturn: number;
  unrealizedPnl: number;
  positions: MonitorPositionLine[];
  sectors: { sector: string; value: number; weight: number; positions: number }[];
  risk: {
    /** Number of returns in the window. */
    returns: number;
    /** NaN (with `ratiosUnavailable`) below MIN_PERIODS_FOR_RATIOS returns. */
    sharpe: number;
    sortino: number;
    /** Why Sharpe and Sortino are withheld (`ratioAvailability`); null when shown. */
    ratiosUnavailable: string | null;
    maxDrawdown: number;
    /** Historical VaR 95 as a return (e.g. -0.021); NaN (with `var95Unavailable`) when not defined. */
    var95: number;
    /** -var95 x total value: the one-day loss exceeded on 5 % of days, in dollars. */
    var95Value: number;
    /** Why VaR is withheld (`varAvailability`: too few returns, or none vary); null when shown. */
    var95Unavailable: string | null;
  };
  alerts: MonitorAlert[];
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * Everything the monitor reports, from snapshots:
 * - daily P&L = total_t - total_{t-1} (the last two snapshots), return = that / total_{t-1};
 *   NaN without a previous snapshot;
 * - MTD / YTD P&L = total_t - base, return = P&L / base;
 * - per position (valuePortfolio): market value, weight = value / total,
 *   unrealised = shares (price - avgCost), unrealisedPct = price / avgCost - 1;
 * - risk on r_i = w_i / w_{i-1} - 1 over `window`: sharpeRatio with the
 *   annual rf (per period (1 + rf)^(1/252) - 1), sortinoRatio with that
 *   per-period rate as target, drawdownOfValues(window), historicalVaR 95
 *   (linear interpolation). Sharpe and Sortino need MIN_PERIODS_FOR_RATIOS
 *   (20) returns and VaR needs 20 returns that vary (metric-availability.ts);
 *   otherwise they are NaN with the reason, and never alert.
 * - a position is a winner or a loser only on a nonzero unrealised P&L
 *   (`pnlOutcome`; the report's "flat" otherwise).
 * - alerts: strictly above each threshold (drawdown > 5 %, weight > 7 %,
 *   -VaR > 3 %, unrealised < -10 %); NaN statistics never alert.
 *
 * @example
 *   monitorSummary({ latest, previous, window, mtdBase, ytdBase, riskFreeRate: 0.05, thresholds: DEFAULT_MONITOR_THRESHOLDS }).alerts
 */
export function monitorSummary(input: MonitorInput): MonitorSummary {
  const { latest, previous, thresholds: th } = input;
  const positions: Record<string, Position> = {};
  const prices: Record<string, number> = {};
  const meta = new Map<string, MonitorPosition>();
  for (const p of latest.positions) {
    positions[p.symbol] = { shares: p.shares, avgCost: p.avgCost };
    prices[p.symbol] = p.price;
    meta.set(p.symbol, p);
  }
  const v = valuePortfolio({ cash: latest.cash, positions, realizedPnl: 0, fees: 0 }, prices);
  const total = latest.totalValue;
  const prevPrice = new Map((previous?.positions ?? []).map((p) => [p.symbol, p.price]));
  const lines: MonitorPositionLine[] = v.positions.map((p) => ({
    symbol: p.symbol,
    sector: meta.get(p.symbol)?.sector ?? 'Unknown',
    shares: p.shares,
    avgCost: p.avgCost,
    price: p.price,
    marketValue: p.marketValue,
    weight: total !== 0 ? p.marketValue / total : NaN,
    unrealizedPnl: p.unrealizedPnl,
    unrealizedPct: p.avgCost > 0 ? p.price / p.avgCost - 1 : NaN,
    outcome: pnlOutcome(p.unrealizedPnl),
    dayPnl: prevPrice.has(p.symbol) ? p.shares * (p.price - prevPrice.get(p.symbol)!) : NaN,
    stale: meta.get(p.symbol)?.stale === true,
  }));
  const bySector = new Map<string, { value: number; positions: number }>();
  for (const l of lines) {
    const s = bySector.get(l.sector) ?? { value: 0, positions: 0 };
    s.value += l.marketValue;
    s.positions++;
    bySector.set(l.sector, s);
  }
  const sectors = [...bySector]
    .map(([sector, s]) => ({ sector, value: s.value, weight: total !== 0 ? s.value / total : NaN, positions: s.positions }))
    .sort((a, b) => b.value - a.value || a.sector.localeCompare(b.sector));

  const w = input.window;
  const returns: number[] = [];
  for (let i = 1; i < w.length; i++) returns.push(w[i - 1] > 0 ? w[i] / w[i - 1] - 1 : NaN);
  const rfp = periodRate(input.riskFreeRate, 252);
  const ratios = ratioAvailability(returns.filter((r) => r === r).length);
  const varShown = varAvailability(returns);
  const var95 = varShown.available ? historicalVaR(returns, 0.95) : NaN;
  const risk = {
    returns: returns.length,
    sharpe: ratios.available ? sharpeRatio(returns, { periodsPerYear: 252, riskFreeRate: input.riskFreeRate }) : NaN,
    sortino: ratios.available ? sortinoRatio(returns, { periodsPerYear: 252, targetReturn: rfp }) : NaN,
    ratiosUnavailable: ratios.available ? null : ratios.reason,
    maxDrawdown: drawdownOfValues(w).maxDrawdown,
    var95,
    var95Value: -var95 * total,
    var95Unavailable: varShown.available ? null : varShown.reason,
  };

  const alerts: MonitorAlert[] = [];
  if (risk.maxDrawdown > th.maxDrawdown) {
    alerts.push({
      kind: 'drawdown',
      value: risk.maxDrawdown,
      threshold: th.maxDrawdown,
      message: `max drawdown over the window ${pct(risk.maxDrawdown)} is above ${pct(th.maxDrawdown)}`,
    });
  }
  for (const l of lines) {
    if (l.weight > th.maxPositionWeight) {
      alerts.push({
        kind: 'position_weight',
        symbol: l.symbol,
        value: l.weight,
        threshold: th.maxPositionWeight,
        message: `${l.symbol} is ${pct(l.weight)} of the portfolio, above ${pct(th.maxPositionWeight)}`,
      });
    }
  }
  if (-risk.var95 > th.maxVar95) {
    alerts.push({
      kind: 'var95',
      value: -risk.var95,
      threshold: th.maxVar95,
      message: `one-day VaR 95 is ${pct(-risk.var95)} of the portfolio, above ${pct(th.maxVar95)}`,
    });
  }
  for (const l of lines) {
    if (-l.unrealizedPct > th.maxUnrealizedLoss) {
      alerts.push({
        kind: 'unrealized_loss',
        symbol: l.symbol,
        value: -l.unrealizedPct,
        threshold: th.maxUnrealizedLoss,
        message: `${l.symbol} is down ${pct(-l.unrealizedPct)} from its average cost, more than ${pct(th.maxUnrealizedLoss)}`,
      });
    }
  }

  const dailyPnl = previous ? total - previous.totalValue : NaN;
  return {
    snapshotDate: latest.date,
    previousDate: previous?.date ?? null,
    totalValue: total,
    cash: latest.cash,
    positionsValue: v.marketValue,
    dailyPnl,
    dailyReturn: previous && previous.totalValue !== 0 ? dailyPnl / previous.totalValue : NaN,
    mtdPnl: total - input.mtdBase,
    mtdReturn: input.mtdBase !== 0 ? total / input.mtdBase - 1 : NaN,
    ytdPnl: total - input.ytdBase,
    ytdReturn: input.ytdBase !== 0 ? total / input.ytdBase - 1 : NaN,
    unrealizedPnl: v.unrealizedPnl,
    positions: lines,
    sectors,
    risk,
    alerts,
  };
}
